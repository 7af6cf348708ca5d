// Checks against post-trade state: position, exposure, leverage, buying
// power, turnover and frequency. Each compares the worst case after the
// order with the limit, and only refuses an order that makes its measure
// worse: an order that reduces a position or an exposure always passes, even
// when the market has taken it over a limit. Exactly at a limit passes.
#pragma once

#include "risk/decision.h"
#include "risk/limits.h"
#include "risk/order.h"
#include "risk/portfolio.h"

#include <optional>

namespace fixguard::risk {

// MAX_LONG_QTY, MAX_SHORT_QTY, MAX_LONG_NOTIONAL, MAX_SHORT_NOTIONAL,
// MAX_OPEN_ORDERS, MAX_OPEN_ORDERS_INSTRUMENT, MAX_POSITIONS.
std::optional<Decision> check_position(const OrderRequest& order, const ApplicableLimits& limits, const Impact& impact);

// MAX_GROSS_EXPOSURE, MAX_NET_EXPOSURE, MAX_GROUP_GROSS_EXPOSURE,
// MAX_GROUP_NET_EXPOSURE, MAX_LEVERAGE, MAX_INSTRUMENT_LEVERAGE, BUYING_POWER.
// Equity is the configured equity plus the account's realized and
// unrealized P&L.
std::optional<Decision> check_exposure(const OrderRequest& order, const ApplicableLimits& limits, const Impact& impact,
                                       const Portfolio& portfolio);

// MAX_DAILY_NOTIONAL, MAX_MINUTE_NOTIONAL (traded plus open orders, so the
// worst case stays within), MAX_DAILY_ORDERS, MAX_MINUTE_ORDERS (new
// orders), MAX_DAILY_FILLS, MAX_MINUTE_FILLS (no new order once reached).
std::optional<Decision> check_turnover(const OrderRequest& order, const ApplicableLimits& limits, const Impact& impact,
                                       int64_t now_ns, int32_t day);

}  // namespace fixguard::risk
