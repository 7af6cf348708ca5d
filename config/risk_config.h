// The `risk:` section of the config: enforcement mode and limits by scope.
//
//   risk:
//     mode: enforce                 # or observe: forward all, log what would be rejected
//     unique_clordid: true
//     duplicate_window_ms: 1000     # same account/symbol/side/qty/price again: rejected
//     min_order_interval_ms: 50     # per client session and symbol
//     rate_limits:                  # token buckets: per_client, per_account, per_symbol
//       per_client: { new: { rate: 10, interval_ms: 1000, burst: 20 }, cancel: { ... } }
//     allow_missing_reference_price: false
//     limits_version: "2026-11-22.1"  # recorded in every decision; default: a fingerprint
//     marks_file: marks.txt         # operator-pushed reference prices, "SYMBOL PRICE" lines
//     contract_multipliers: { ESZ6: 50, UST10Y: 0.01 }  # money per price point per unit of quantity
//     limits:
//       global:      { max_order_qty: 100000 }
//       venues:      { sim: { ... } }
//       clients:     { alpha: { ... } }
//       accounts:    { ACC1: { max_notional: 1000000, allowed_sides: [buy, sell] } }
//       instruments: { IBM: { price_tick: 0.01 }, "IBM@XNYS": { lot_size: 100 } }
//       groups:      { tech: { symbols: [IBM, MSFT], max_notional: 5000000 } }
//     profiles:                     # named limit sets an operator switches to
//       defensive: { global: { max_order_qty: 1000 }, accounts: { ... } }
//     profile: normal               # in force at start; normal: the limits above
//     controls:                     # loss limits and emergency stops
//       losses:                     # every account with an equity (limits: equity)
//         max_daily_loss: 1000      # money; max_daily_loss_percent: of day-start equity
//         equity_floor: 90000
//         max_drawdown_percent: 10  # from the peak equity
//         max_open_loss_percent: 5  # unrealized, of day-start equity
//         drawdown_zones:
//           - { at_percent: 5, size_factor: 0.5 }     # caution
//           - { at_percent: 6, state: reduce_only }
//           - { at_percent: 8, state: halted }
//         max_consecutive_rejects: 5               # venue rejects in a row
//         max_rate_limit_breaches: 10              # within rate_breach_window_ms
//         cooldown_s: 300                          # before an operator may reset a trip
//         lockout_until_next_day: false
//         flatten_on_trip: false                   # a trip also sends closing market orders
//         protective_stop: { grace_s: 30, action: reduce_only }  # or alert: a position
//                                                  # needs an opposite stop order
//       accounts: { ACC1: { ...the same keys... } } # instead of losses, for that account
//       global_stop: { cooldown_s: 60 }
#pragma once

#include "risk/engine.h"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace fixguard::config {

struct ScopedLimits {
  risk::ScopeKind kind = risk::ScopeKind::global;
  std::string name;  // "" for global
  risk::OrderLimits limits;
};

struct RiskConfig {
  enum class Mode { enforce, observe };
  Mode mode = Mode::enforce;
  bool allow_missing_reference_price = false;
  // A ClOrdID may be used once per client session and trading day (UTC
  // date); reuse is rejected, a PossDup/PossResend of a used one dropped.
  bool unique_clordid = false;
  // Duplicate-content window, rate limits, minimum interval per symbol.
  risk::FlowLimits flow;
  // Reference prices to start from, until fills (or an operator) move them.
  std::vector<std::pair<std::string, risk::Price>> reference_prices;
  // Contract multipliers by symbol (ESZ6: 50): amounts are price x qty x it.
  std::map<std::string, risk::Multiplier, std::less<>> contract_multipliers;
  // A file of "SYMBOL PRICE" lines an operator rewrites to push reference
  // prices; read again whenever it changes. "" for none.
  std::string marks_file;
  std::vector<ScopedLimits> limits;
  std::vector<std::pair<std::string, std::string>> group_members;  // symbol, group
  // Named limit sets that replace `limits` when an operator switches to
  // them ("normal" is `limits` itself); groups keep their members.
  std::map<std::string, std::vector<ScopedLimits>, std::less<>> profiles;
  std::string profile = "normal";  // in force at start
  risk::ControlsConfig controls;

  // Names the limits in force in every decision: `limits_version` if set,
  // else a fingerprint of the whole risk section.
  std::string limits_version;

  // What the risk engine is built from, with the limits of `profile`
  // (default: the configured one). Throws ConfigError for an unknown one.
  risk::EngineConfig engine(std::string_view profile = {}) const;
};

// Parses the `risk` node; errors are ConfigError with the key path.
RiskConfig parse_risk(const YAML::Node& node, const std::string& path);

}  // namespace fixguard::config
