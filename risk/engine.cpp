#include "risk/engine.h"

#include "risk/order_size.h"
#include "risk/permissions.h"
#include "risk/portfolio_checks.h"
#include "risk/price_collar.h"

namespace fixguard::risk {

Engine::Engine(EngineConfig config) : config_(std::move(config)), flow_(config_.flow), portfolio_(config_.book) {}

Price Engine::valuation(const OrderRequest& order, std::optional<Price> reference) {
  if (order.price) return *order.price;
  if (reference) return *reference;
  return order.stop_price.value_or(Price());
}

std::optional<Decision> Engine::decide(const OrderRequest& order, std::string_view venue, std::string_view client,
                                       int64_t now_ns, int32_t day) {
  std::optional<Decision> d = flow_.admit(order, client, now_ns);
  if (!d) {
    const ApplicableLimits limits = config_.book.applicable(venue, client, order.account, order.symbol, order.exchange);
    const std::optional<Price> reference = portfolio_.mark(order.symbol);
    const bool allow_missing = config_.allow_missing_reference;
    d = check_permissions(order, limits);
    if (!d) d = check_order_size(order, limits, reference, allow_missing);
    if (!d) d = check_price_collar(order, limits, reference, allow_missing);
    if (!d && order.kind != RequestKind::cancel) {
      const Impact impact = portfolio_.what_if(client, order, valuation(order, reference), reference);
      d = check_position(order, limits, impact);
      if (!d) d = check_exposure(order, limits, impact, portfolio_);
      if (!d) d = check_turnover(order, limits, impact, now_ns, day);
    }
  }
  if (d) d->limits_version = config_.limits_version;
  return d;
}

void Engine::sent(const OrderRequest& order, std::string_view client, int64_t now_ns, int32_t day) {
  portfolio_.on_sent(client, order, valuation(order), now_ns, day);
}

}  // namespace fixguard::risk
