#include "risk/trading_state.h"

namespace fixguard::risk {

std::string_view trading_state_name(TradingState state) {
  switch (state) {
    case TradingState::active:
      return "ACTIVE";
    case TradingState::reduce_only:
      return "REDUCE_ONLY";
    case TradingState::halted:
      return "HALTED";
  }
  return "?";
}

}  // namespace fixguard::risk
