// Trading states: how much an account, a client session, a venue session or
// everything may still trade. The strictest state among an order's scopes
// applies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fixguard::risk {

enum class TradingState : uint8_t {
  active,       // every check as configured
  reduce_only,  // only orders that shrink a position (and cancels) pass
  halted,       // only cancels pass
};

std::string_view trading_state_name(TradingState state);

// A scope's state and why it is in it ("operator alice: margin call").
struct StateSetting {
  TradingState state = TradingState::active;
  std::string reason;
};

}  // namespace fixguard::risk
