// Reference prices by symbol: the last fill seen from a venue, or a price an
// operator set. Used by the price collar and to price market orders.
#pragma once

#include "risk/decimal.h"
#include "risk/limits.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace fixguard::risk {

// Thread: one thread at a time.
class ReferencePrices {
 public:
  void set(std::string_view symbol, Price price);
  std::optional<Price> get(std::string_view symbol) const;

 private:
  std::unordered_map<std::string, Price, StringHash, std::equal_to<>> prices_;
};

}  // namespace fixguard::risk
