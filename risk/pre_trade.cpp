#include "risk/pre_trade.h"

#include "risk/order_size.h"
#include "risk/permissions.h"

namespace fixguard::risk {

std::optional<Decision> PreTradeChecks::evaluate(const OrderRequest& order, std::string_view venue,
                                                 std::string_view client, std::optional<Price> reference) const {
  const ApplicableLimits limits = book_.applicable(venue, client, order.account, order.symbol, order.exchange);
  if (auto d = check_permissions(order, limits)) return d;
  return check_order_size(order, limits, reference, allow_missing_reference_);
}

}  // namespace fixguard::risk
