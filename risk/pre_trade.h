// The pre-trade checks in the order they run. Pure: the same code serves the
// live proxy and offline replay.
#pragma once

#include "risk/decision.h"
#include "risk/limits.h"
#include "risk/order.h"

#include <optional>
#include <string_view>

namespace fixguard::risk {

class PreTradeChecks {
 public:
  PreTradeChecks(LimitBook book, bool allow_missing_reference)
      : book_(std::move(book)), allow_missing_reference_(allow_missing_reference) {}

  // The first rule `order` breaks, or nothing: permissions, size, collar.
  // `reference` prices orders without a limit price. No allocation.
  std::optional<Decision> evaluate(const OrderRequest& order, std::string_view venue, std::string_view client,
                                   std::optional<Price> reference) const;

 private:
  LimitBook book_;
  bool allow_missing_reference_;
};

}  // namespace fixguard::risk
