// Price collar: a limit (or stop) price within a percentage or a number of
// ticks of the reference price.
#pragma once

#include "risk/decision.h"
#include "risk/limits.h"
#include "risk/order.h"

#include <optional>

namespace fixguard::risk {

// The collar `order` breaks, or nothing. Orders without a price (market) and
// cancels are not collared. With a collar configured and no reference price
// the order is rejected (NO_REFERENCE_PRICE) unless `allow_missing_reference`.
// Exactly at the band's edge passes.
std::optional<Decision> check_price_collar(const OrderRequest& order, const ApplicableLimits& limits,
                                           std::optional<Price> reference, bool allow_missing_reference);

}  // namespace fixguard::risk
