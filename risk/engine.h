// The risk engine: every check, in the order it runs, over the state the
// orders and execution reports build. Pure: time and the trading day are
// parameters, so the same code serves the live proxy and offline replay.
//
//   flow (duplicates, rate limits, interval) -> permissions -> size ->
//   price collar -> position -> exposure, leverage, buying power -> turnover
//
// Thread: one thread at a time.
#pragma once

#include "risk/decision.h"
#include "risk/flow_controls.h"
#include "risk/limits.h"
#include "risk/order.h"
#include "risk/portfolio.h"

#include <optional>
#include <string>
#include <string_view>

namespace fixguard::risk {

struct EngineConfig {
  LimitBook book;
  FlowLimits flow;
  // Where a check needs a reference price and none is known, let the order
  // through instead of rejecting it.
  bool allow_missing_reference = false;
  // Identifies the limits in force; recorded in every decision.
  std::string limits_version;
};

class Engine {
 public:
  explicit Engine(EngineConfig config);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The first rule a D, G or F from `client` on `venue` breaks, or nothing.
  // Counts the request against the flow limits whatever the outcome; changes
  // nothing else. No heap allocation once the request's keys are known.
  std::optional<Decision> decide(const OrderRequest& order, std::string_view venue, std::string_view client,
                                 int64_t now_ns, int32_t day);
  // `order` is being forwarded: it counts from now on.
  void sent(const OrderRequest& order, std::string_view client, int64_t now_ns, int32_t day);

  // The price an order's notional counts at: its limit price, else the
  // reference price, else its stop price (zero with none of them).
  Price valuation(const OrderRequest& order) const { return valuation(order, portfolio_.mark(order.symbol)); }
  static Price valuation(const OrderRequest& order, std::optional<Price> reference);

  Portfolio& portfolio() { return portfolio_; }
  const Portfolio& portfolio() const { return portfolio_; }
  const LimitBook& book() const { return config_.book; }
  std::string_view limits_version() const { return config_.limits_version; }

 private:
  EngineConfig config_;
  FlowControls flow_;
  Portfolio portfolio_;
};

}  // namespace fixguard::risk
