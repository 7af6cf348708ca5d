#include "risk/decision.h"

namespace fixguard::risk {
namespace {

// "250ms", "1s", "120us": exact, in the largest unit that divides.
std::string format_duration(int64_t ns) {
  if (ns != 0 && ns % 1000000000 == 0) return std::to_string(ns / 1000000000) + "s";
  if (ns != 0 && ns % 1000000 == 0) return std::to_string(ns / 1000000) + "ms";
  if (ns != 0 && ns % 1000 == 0) return std::to_string(ns / 1000) + "us";
  return std::to_string(ns) + "ns";
}

}  // namespace

std::string Amount::to_string() const {
  switch (unit) {
    case Unit::quantity:
      return Quantity::from_units(static_cast<int64_t>(units)).to_string();
    case Unit::price:
      return Price::from_units(static_cast<int64_t>(units)).to_string();
    case Unit::notional:
      return Notional::from_units(units).to_string();
    case Unit::percent:
      return Percent::from_units(static_cast<int64_t>(units)).to_string() + "%";
    case Unit::ratio:
      return Ratio::from_units(static_cast<int64_t>(units)).to_string() + "x";
    case Unit::multiplier:
      return Multiplier::from_units(static_cast<int64_t>(units)).to_string();
    case Unit::character:
      return std::string(1, character);
    case Unit::text:
      return std::string(text);
    case Unit::count:
      return std::to_string(static_cast<int64_t>(units));
    case Unit::duration:
      return format_duration(static_cast<int64_t>(units));
    case Unit::rate:
      return std::to_string(static_cast<int64_t>(units)) + "/" + format_duration(per_ns);
    case Unit::field:
      return std::to_string(static_cast<int64_t>(units)) + "=" + std::string(text);
    case Unit::none:
      return "";
  }
  return "";
}

std::string describe(const Decision& d) {
  std::string out(info(d.rule).id);
  switch (d.relation) {
    case Decision::Relation::above:
      out += " " + d.observed.to_string() + " > " + d.limit.to_string();
      break;
    case Decision::Relation::at_or_above:
      out += " " + d.observed.to_string() + " >= " + d.limit.to_string();
      break;
    case Decision::Relation::below:
      out += " " + d.observed.to_string() + " < " + d.limit.to_string();
      break;
    case Decision::Relation::not_multiple:
      out += " " + d.observed.to_string() + " not a multiple of " + d.limit.to_string();
      break;
    case Decision::Relation::not_in:
      out += " " + d.observed.to_string() + " not in [" + d.limit.to_string() + "]";
      break;
    case Decision::Relation::in:
      out += " " + d.observed.to_string() + " is restricted";
      break;
    case Decision::Relation::repeated:
      out += " " + d.observed.to_string() + " already used today";
      break;
    case Decision::Relation::over_rate:
      out += " over " + d.limit.to_string() + " burst " + d.observed.to_string();
      break;
    case Decision::Relation::outside_percent:
    case Decision::Relation::outside_ticks:
      out += " " + d.observed.to_string() + " more than " + d.limit.to_string() +
             (d.relation == Decision::Relation::outside_ticks ? " ticks" : "") + " from " + d.reference.to_string();
      break;
    case Decision::Relation::again_within:
      out += " again after " + d.observed.to_string() + " < " + d.limit.to_string();
      break;
    case Decision::Relation::over_leverage:
      out += " " + d.observed.to_string() + " > " + d.limit.to_string() + " equity " + d.reference.to_string();
      break;
    case Decision::Relation::no_equity:
      out += " no equity configured";
      break;
    case Decision::Relation::differs:
      out += " " + d.observed.to_string() + " != " + d.limit.to_string();
      break;
    case Decision::Relation::not_configured:
      out += " " + d.observed.to_string() + " not configured";
      break;
    case Decision::Relation::case_variant:
      out += " " + d.observed.to_string() + " is " + d.limit.to_string() + " but for letter case";
      break;
    case Decision::Relation::missing:
      break;
    case Decision::Relation::because:
      if (const std::string why = d.observed.to_string(); !why.empty()) out += " (" + why + ")";
      break;
  }
  out += " ";
  out += scope_kind_name(d.scope.kind);
  if (d.scope.kind != ScopeKind::global) {
    out += "=";
    out += d.scope.name;
  }
  return out;
}

}  // namespace fixguard::risk
