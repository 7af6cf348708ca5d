// Permissions: allowed and restricted symbols, allowed OrdType, TimeInForce
// and Side. Every scope's lists must be satisfied.
#pragma once

#include "risk/decision.h"
#include "risk/limits.h"
#include "risk/order.h"

#include <optional>

namespace fixguard::risk {

// The first permission `order` lacks, or nothing. Cancels are always
// allowed: taking risk off is never refused.
std::optional<Decision> check_permissions(const OrderRequest& order, const ApplicableLimits& limits);

}  // namespace fixguard::risk
