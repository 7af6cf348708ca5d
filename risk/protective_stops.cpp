#include "risk/protective_stops.h"

namespace fixguard::risk {

std::string ProtectionAlert::describe() const {
  const bool long_position = qty.units() > 0;
  const Quantity size = long_position ? qty : Quantity() - qty;
  return "PROTECTIVE_STOP " + symbol + " " + (long_position ? "long " : "short ") + size.to_string() +
         " without a stop for " + std::to_string(unprotected_ns / 1'000'000'000) + "s";
}

std::vector<ProtectionAlert> ProtectiveStops::review(const Portfolio& portfolio, const RuleOf& rule_of,
                                                     int64_t now_ns) {
  const std::vector<PositionState>& positions = portfolio.positions();
  unprotected_since_.resize(positions.size(), kNever);
  alerted_.resize(positions.size(), false);
  // Stop orders per position and side: [0] buys, [1] sells.
  std::vector<std::array<bool, 2>> stops(positions.size(), {false, false});
  portfolio.for_each_order([&](const OpenOrder& o) {
    if (o.ord_type == '3' || o.ord_type == '4') stops[o.position][o.sell ? 1 : 0] = true;
  });
  std::vector<ProtectionAlert> alerts;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const PositionState& p = positions[i];
    const ProtectiveStopRule* rule = p.qty.is_zero() ? nullptr : rule_of(portfolio.account_name(p.account));
    const bool protected_now = !rule || stops[i][p.qty.units() > 0 ? 1 : 0];
    if (protected_now) {
      unprotected_since_[i] = kNever;
      alerted_[i] = false;
      continue;
    }
    if (unprotected_since_[i] == kNever) unprotected_since_[i] = now_ns;
    const int64_t for_ns = now_ns - unprotected_since_[i];
    if (alerted_[i] || for_ns <= rule->grace_ns) continue;
    alerted_[i] = true;
    alerts.push_back(ProtectionAlert{portfolio.account_name(p.account), portfolio.instrument_name(p.instrument), p.qty,
                                     for_ns, rule->action});
  }
  return alerts;
}

}  // namespace fixguard::risk
