#include "risk/pre_trade.h"

#include "risk/order_size.h"
#include "risk/permissions.h"
#include "risk/price_collar.h"

namespace fixguard::risk {

std::optional<Decision> PreTradeChecks::evaluate(const OrderRequest& order, std::string_view venue,
                                                 std::string_view client, std::optional<Price> reference) const {
  const ApplicableLimits limits = book_.applicable(venue, client, order.account, order.symbol, order.exchange);
  if (auto d = check_permissions(order, limits)) return d;
  if (auto d = check_order_size(order, limits, reference, allow_missing_reference_)) return d;
  return check_price_collar(order, limits, reference, allow_missing_reference_);
}

}  // namespace fixguard::risk
