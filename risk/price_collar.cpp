#include "risk/price_collar.h"

namespace fixguard::risk {

std::optional<Decision> check_price_collar(const OrderRequest& o, const ApplicableLimits& l,
                                           std::optional<Price> reference, bool allow_missing_reference) {
  using R = Decision::Relation;
  if (o.kind == RequestKind::cancel) return std::nullopt;
  const auto percent = l.lowest<&OrderLimits::collar_percent>();
  const auto ticks = l.lowest<&OrderLimits::collar_ticks>();
  if (!percent && !ticks) return std::nullopt;
  if (!o.price && !o.stop_price) return std::nullopt;
  if (!reference) {
    if (allow_missing_reference) return std::nullopt;
    return Decision{Rule::no_reference_price, Amount::of_text(o.symbol), R::missing, Amount(),
                    percent ? percent->scope() : ticks->scope()};
  }
  for (const auto& p : {o.price, o.stop_price}) {
    if (!p) continue;
    const __int128 distance = p->units() > reference->units() ? static_cast<__int128>(p->units()) - reference->units()
                                                              : static_cast<__int128>(reference->units()) - p->units();
    if (percent) {
      // distance / reference <= percent / 100, in integers: distance * 100 * 10^8 <= reference * percent.
      const __int128 lhs = distance * 100 * Price::kOne;
      const __int128 rhs = static_cast<__int128>(reference->units()) * percent->value.units();
      if (lhs > rhs)
        return Decision{Rule::price_collar,         Amount::of(*p),   R::outside_percent,
                        Amount::of(percent->value), percent->scope(), Amount::of(*reference)};
    }
    if (ticks) {
      const auto tick = l.most_specific<&OrderLimits::tick>();
      if (!tick) continue;  // config validation requires a tick with collar_ticks
      const __int128 band = static_cast<__int128>(tick->value.units()) * ticks->value;
      if (distance > band)
        return Decision{Rule::price_collar, Amount::of(*p),        R::outside_ticks, Amount::of_count(ticks->value),
                        ticks->scope(),     Amount::of(*reference)};
    }
  }
  return std::nullopt;
}

}  // namespace fixguard::risk
