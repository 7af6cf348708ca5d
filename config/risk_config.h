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
//     limits:
//       global:      { max_order_qty: 100000 }
//       venues:      { sim: { ... } }
//       clients:     { alpha: { ... } }
//       accounts:    { ACC1: { max_notional: 1000000, allowed_sides: [buy, sell] } }
//       instruments: { IBM: { price_tick: 0.01 }, "IBM@XNYS": { lot_size: 100 } }
//       groups:      { tech: { symbols: [IBM, MSFT], max_notional: 5000000 } }
#pragma once

#include "risk/engine.h"

#include <string>
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
  // A file of "SYMBOL PRICE" lines an operator rewrites to push reference
  // prices; read again whenever it changes. "" for none.
  std::string marks_file;
  std::vector<ScopedLimits> limits;
  std::vector<std::pair<std::string, std::string>> group_members;  // symbol, group

  // Names the limits in force in every decision: `limits_version` if set,
  // else a fingerprint of the whole risk section.
  std::string limits_version;

  // What the risk engine is built from.
  risk::EngineConfig engine() const;
};

// Parses the `risk` node; errors are ConfigError with the key path.
RiskConfig parse_risk(const YAML::Node& node, const std::string& path);

}  // namespace fixguard::config
