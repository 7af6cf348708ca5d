// The rules fixguard's risk checks apply, each with the id that appears in
// reject texts and the audit trail, and the FIX codes a reject carries.
// specs/reject-codes.md lists the same table for people; a test keeps the
// two in step.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fixguard::risk {

enum class Rule : uint8_t {
  duplicate_clordid,
  duplicate_order,
  rate_limit,
  min_order_interval,
  min_order_qty,
  max_order_qty,
  lot_size,
  price_tick,
  price_collar,
  min_notional,
  max_notional,
  no_reference_price,
  stale_reference_price,
  symbol_not_allowed,
  symbol_restricted,
  ord_type_not_allowed,
  time_in_force_not_allowed,
  side_not_allowed,
  account_not_allowed,
  instrument_mismatch,
  max_long_qty,
  max_short_qty,
  max_long_notional,
  max_short_notional,
  max_open_orders,
  max_open_orders_instrument,
  max_positions,
  max_gross_exposure,
  max_net_exposure,
  max_group_gross_exposure,
  max_group_net_exposure,
  max_leverage,
  max_instrument_leverage,
  buying_power,
  max_daily_notional,
  max_minute_notional,
  max_daily_orders,
  max_minute_orders,
  max_daily_fills,
  max_minute_fills,
  halted,
  reduce_only,
  emergency_stop,
  invalid_order,
  internal_error,
  count_  // not a rule
};

struct RuleInfo {
  Rule rule;
  std::string_view id;  // e.g. "MAX_ORDER_QTY"
  int ord_rej_reason;   // 103 on the ExecutionReport rejecting a D
  int cxl_rej_reason;   // 102 on the OrderCancelReject refusing a G or F
  std::string_view summary;
};

const RuleInfo& info(Rule rule);
const std::array<RuleInfo, static_cast<std::size_t>(Rule::count_)>& all_rules();
// The rule whose id is `id`, or null.
const RuleInfo* find_rule(std::string_view id);

}  // namespace fixguard::risk
