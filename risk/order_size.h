// Order size: quantity bounds, lot size, price tick, notional bounds.
#pragma once

#include "risk/decision.h"
#include "risk/limits.h"
#include "risk/order.h"

#include <optional>

namespace fixguard::risk {

// The first size limit `order` breaks, or nothing. Cancels are never
// refused for size. Notional is priced at the order's limit price, or for an
// order without one (market) at `reference`; with neither, any notional
// limit rejects it (NO_REFERENCE_PRICE) unless `allow_missing_reference`.
// Exactly at a limit passes.
std::optional<Decision> check_order_size(const OrderRequest& order, const ApplicableLimits& limits,
                                         std::optional<Price> reference, bool allow_missing_reference);

}  // namespace fixguard::risk
