#include "risk/rule.h"

namespace fixguard::risk {
namespace {

// OrdRejReason: 1 unknown symbol, 3 exceeds limit, 11 unsupported order
// characteristic, 13 incorrect quantity, 15 unknown account, 18 invalid price
// increment, 99 other.
// CxlRejReason: 2 broker/exchange option, 99 other (FIX 4.2 has no 99 and
// gets 2; see fix/rejects).
constexpr std::array<RuleInfo, static_cast<std::size_t>(Rule::count_)> kRules = {{
    {Rule::duplicate_clordid, "DUPLICATE_CLORDID", 6, 6, "ClOrdID already used by this session today"},
    {Rule::duplicate_order, "DUPLICATE_ORDER", 6, 99,
     "same account, symbol, side, quantity and price again within the window"},
    {Rule::rate_limit, "RATE_LIMIT", 3, 99, "more requests than the token bucket allows"},
    {Rule::min_order_interval, "MIN_ORDER_INTERVAL", 3, 99, "orders on one symbol closer than the minimum interval"},
    {Rule::min_order_qty, "MIN_ORDER_QTY", 13, 99, "order quantity below the minimum"},
    {Rule::max_order_qty, "MAX_ORDER_QTY", 3, 99, "order quantity above the maximum"},
    {Rule::lot_size, "LOT_SIZE", 13, 99, "order quantity not a multiple of the lot size"},
    {Rule::price_tick, "PRICE_TICK", 18, 99, "price not a multiple of the tick size"},
    {Rule::price_collar, "PRICE_COLLAR", 16, 99, "price too far from the reference price"},
    {Rule::min_notional, "MIN_NOTIONAL", 3, 99, "order notional below the minimum"},
    {Rule::max_notional, "MAX_NOTIONAL", 3, 99, "order notional above the maximum"},
    {Rule::no_reference_price, "NO_REFERENCE_PRICE", 99, 99, "a check needs a reference price and none is known"},
    {Rule::stale_reference_price, "STALE_REFERENCE_PRICE", 99, 99,
     "a check needs a reference price and the one known is older than max_reference_age_ms"},
    {Rule::symbol_not_allowed, "SYMBOL_NOT_ALLOWED", 1, 99, "symbol not in the allowed list"},
    {Rule::symbol_restricted, "SYMBOL_RESTRICTED", 99, 99, "symbol in the restricted list"},
    {Rule::ord_type_not_allowed, "ORD_TYPE_NOT_ALLOWED", 11, 99, "OrdType (40) not allowed"},
    {Rule::time_in_force_not_allowed, "TIME_IN_FORCE_NOT_ALLOWED", 11, 99, "TimeInForce (59) not allowed"},
    {Rule::side_not_allowed, "SIDE_NOT_ALLOWED", 11, 99, "Side (54) not allowed"},
    {Rule::account_not_allowed, "ACCOUNT_NOT_ALLOWED", 15, 99, "Account (1) not in the allowed list, or missing"},
    {Rule::instrument_mismatch, "INSTRUMENT_MISMATCH", 1, 99,
     "the order names its instrument by a field (SecurityID, maturity, strike...) its instrument's configuration does "
     "not set to that value; or a Symbol or ExDestination that spells a configured one (or a traded Symbol) but for "
     "letter case"},
    {Rule::max_long_qty, "MAX_LONG_QTY", 3, 99, "worst-case long position (filled + open buys) above the maximum"},
    {Rule::max_short_qty, "MAX_SHORT_QTY", 3, 99, "worst-case short position (filled - open sells) above the maximum"},
    {Rule::max_long_notional, "MAX_LONG_NOTIONAL", 3, 99, "worst-case long position's notional above the maximum"},
    {Rule::max_short_notional, "MAX_SHORT_NOTIONAL", 3, 99, "worst-case short position's notional above the maximum"},
    {Rule::max_open_orders, "MAX_OPEN_ORDERS", 3, 99, "open orders of the account above the maximum"},
    {Rule::max_open_orders_instrument, "MAX_OPEN_ORDERS_INSTRUMENT", 3, 99,
     "open orders of the account in one instrument above the maximum"},
    {Rule::max_positions, "MAX_POSITIONS", 3, 99, "instruments with a position or open order above the maximum"},
    {Rule::max_gross_exposure, "MAX_GROSS_EXPOSURE", 3, 99, "account's worst-case gross exposure above the maximum"},
    {Rule::max_net_exposure, "MAX_NET_EXPOSURE", 3, 99, "account's worst-case net exposure above the maximum"},
    {Rule::max_group_gross_exposure, "MAX_GROUP_GROSS_EXPOSURE", 3, 99,
     "account's worst-case gross exposure in an instrument group above the maximum"},
    {Rule::max_group_net_exposure, "MAX_GROUP_NET_EXPOSURE", 3, 99,
     "account's worst-case net exposure in an instrument group above the maximum"},
    {Rule::max_leverage, "MAX_LEVERAGE", 3, 99, "gross exposure / equity above the maximum"},
    {Rule::max_instrument_leverage, "MAX_INSTRUMENT_LEVERAGE", 3, 99,
     "one instrument's gross exposure / equity above the maximum"},
    {Rule::buying_power, "BUYING_POWER", 3, 99, "equity minus committed notional does not cover the order"},
    {Rule::max_daily_notional, "MAX_DAILY_NOTIONAL", 3, 99, "notional traded today plus open orders above the maximum"},
    {Rule::max_minute_notional, "MAX_MINUTE_NOTIONAL", 3, 99,
     "notional traded in the last minute plus open orders above the maximum"},
    {Rule::max_daily_orders, "MAX_DAILY_ORDERS", 3, 99, "new orders today above the maximum"},
    {Rule::max_minute_orders, "MAX_MINUTE_ORDERS", 3, 99, "new orders in the last minute above the maximum"},
    {Rule::max_daily_fills, "MAX_DAILY_FILLS", 3, 99, "fills today reached the maximum"},
    {Rule::max_minute_fills, "MAX_MINUTE_FILLS", 3, 99, "fills in the last minute reached the maximum"},
    {Rule::halted, "HALTED", 99, 99, "trading is halted in one of the order's scopes; only cancels pass"},
    {Rule::reduce_only, "REDUCE_ONLY", 99, 99, "only orders that shrink a position pass in one of the order's scopes"},
    {Rule::emergency_stop, "EMERGENCY_STOP", 99, 99, "an emergency stop has tripped; only cancels pass until a reset"},
    {Rule::invalid_order, "INVALID_ORDER", 99, 99,
     "order fields could not be read as exact values, or hold what the checks cannot measure (a side neither a buy nor "
     "a sell, a price of zero or below, a size in CashOrderQty or OrderPercent, SecurityAltIDs)"},
    {Rule::internal_error, "INTERNAL_ERROR", 99, 99, "a check failed internally; the order is rejected"},
}};

}  // namespace

const RuleInfo& info(Rule rule) { return kRules[static_cast<std::size_t>(rule)]; }
const std::array<RuleInfo, static_cast<std::size_t>(Rule::count_)>& all_rules() { return kRules; }

const RuleInfo* find_rule(std::string_view id) {
  for (const RuleInfo& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace fixguard::risk
