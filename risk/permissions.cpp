#include "risk/permissions.h"

namespace fixguard::risk {

std::optional<Decision> check_permissions(const OrderRequest& o, const ApplicableLimits& l) {
  using R = Decision::Relation;
  if (o.kind == RequestKind::cancel) return std::nullopt;
  for (std::size_t i = 0; i < l.permission_scopes(); ++i) {
    const ScopeEntry& entry = l.permission_scope(i);
    const OrderLimits& s = entry.limits;
    const Scope scope = entry.scope;
    if (s.allowed_accounts && !s.allowed_accounts->contains(o.account))
      return Decision{Rule::account_not_allowed, Amount::of_text(o.account.empty() ? "(none)" : o.account), R::not_in,
                      Amount::of_text("allowed list"), scope};
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
  return std::nullopt;
}

}  // namespace fixguard::risk
