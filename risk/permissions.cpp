#include "risk/permissions.h"

namespace fixguard::risk {
namespace {

// StrikePrice is a number ("150" is "150.00"); the other instrument fields
// are compared as text (ContractMultiplier with contract_multipliers, below).
bool same_value(int tag, std::string_view seen, std::string_view configured) {
  if (tag != 202) return seen == configured;
  const auto a = Price::parse(seen), b = Price::parse(configured);
  return a && b && *a == *b;
}

}  // namespace

std::optional<Decision> check_permissions(const OrderRequest& o, const ApplicableLimits& l) {
  using R = Decision::Relation;
  if (o.kind == RequestKind::cancel) return std::nullopt;
  uint32_t named = 0;  // instrument fields the order carries and a scope sets to its value
  for (std::size_t i = 0; i < l.permission_scopes(); ++i) {
    const ScopeEntry& entry = l.permission_scope(i);
    const OrderLimits& s = entry.limits;
    const Scope scope = entry.scope;
    if (s.allowed_accounts && !s.allowed_accounts->contains(o.account))
      return Decision{Rule::account_not_allowed, Amount::of_text(o.account.empty() ? "(none)" : o.account), R::not_in,
                      Amount::of_text("allowed list"), scope};
    for (const auto& [field, value] : s.instrument_fields) {
      if (!(o.instrument_field_bits >> field & 1)) continue;
      const std::string_view seen = o.instrument_fields[field];
      const int tag = kInstrumentFieldTags[field];
      if (!same_value(tag, seen, value))
        return Decision{Rule::instrument_mismatch, Amount::of_field(tag, seen), R::differs,
                        Amount::of_field(tag, value), scope};
      named |= uint32_t{1} << field;
    }
    if (s.allowed_symbols && !entry.allows(l.symbol_key()))
      return Decision{Rule::symbol_not_allowed, Amount::of_text(o.symbol), R::not_in, Amount::of_text("allowed list"),
                      scope};
    if (!entry.restricted.empty() && entry.restricts(l.symbol_key()))
      return Decision{Rule::symbol_restricted, Amount::of_text(o.symbol), R::in, Amount(), scope};
    if (s.allowed_ord_types && !entry.ord_types.contains(o.ord_type))
      return Decision{Rule::ord_type_not_allowed, Amount::of_char(o.ord_type), R::not_in,
                      Amount::of_text(*s.allowed_ord_types), scope};
    if (s.allowed_time_in_force && !entry.time_in_force.contains(o.time_in_force))
      return Decision{Rule::time_in_force_not_allowed, Amount::of_char(o.time_in_force), R::not_in,
                      Amount::of_text(*s.allowed_time_in_force), scope};
    if (s.allowed_sides && !entry.sides.contains(o.side))
      return Decision{Rule::side_not_allowed, Amount::of_char(o.side), R::not_in, Amount::of_text(*s.allowed_sides),
                      scope};
  }
  // A Symbol spelling a configured or traded one but for letter case
  // ("ibm" beside IBM): a venue that ignores case would trade IBM outside
  // IBM's limits and position, counted as another instrument.
  if (!l.case_twin().empty())
    return Decision{Rule::instrument_mismatch, Amount::of_field(55, o.symbol), R::case_variant,
                    Amount::of_text(l.case_twin()), Scope{ScopeKind::instrument, o.symbol}};
  // So is an ExDestination spelling one the symbol has limits on: the
  // venue would trade there, outside those limits.
  if (!l.exchange_case_twin().empty())
    return Decision{Rule::instrument_mismatch, Amount::of_field(207, o.exchange), R::case_variant,
                    Amount::of_text(l.exchange_case_twin()), Scope{ScopeKind::instrument, o.symbol}};
  for (uint32_t unnamed = o.instrument_field_bits & ~named; unnamed != 0; unnamed &= unnamed - 1) {
    const auto field = static_cast<std::size_t>(__builtin_ctz(unnamed));
    const std::string_view seen = o.instrument_fields[field];
    const int tag = kInstrumentFieldTags[field];
    const Scope instrument{ScopeKind::instrument, o.symbol};
    // ContractMultiplier (231) may say what contract_multipliers configures.
    if (tag == 231 && l.multiplier_configured()) {
      if (Multiplier::parse(seen) == l.multiplier()) continue;
      return Decision{Rule::instrument_mismatch, Amount::of_field(tag, seen), R::differs, Amount::of(l.multiplier()),
                      instrument};
    }
    return Decision{Rule::instrument_mismatch, Amount::of_field(tag, seen), R::not_configured, Amount(), instrument};
  }
  return std::nullopt;
}

}  // namespace fixguard::risk
