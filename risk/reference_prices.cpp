#include "risk/reference_prices.h"

namespace fixguard::risk {

void ReferencePrices::set(std::string_view symbol, Price price) {
  const auto it = prices_.find(symbol);
  if (it != prices_.end())
    it->second = price;
  else
    prices_.emplace(std::string(symbol), price);
}

std::optional<Price> ReferencePrices::get(std::string_view symbol) const {
  const auto it = prices_.find(symbol);
  return it == prices_.end() ? std::nullopt : std::optional<Price>(it->second);
}

}  // namespace fixguard::risk
