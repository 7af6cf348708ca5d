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
  symbol_not_allowed,
  symbol_restricted,
  ord_type_not_allowed,
  time_in_force_not_allowed,
  side_not_allowed,
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

}  // namespace fixguard::risk
