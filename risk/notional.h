// Money amounts (price x quantity, sums of them, P&L): exact.
//
// A Price and a Quantity each carry 8 decimals, so their product carries 16;
// Notional keeps all 16 in a signed 128-bit count of 10^-16 units, which
// makes every product and every sum of products exact (range about 1.7e22).
#pragma once

#include "risk/decimal.h"

#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace fixguard::risk {

class Notional {
 public:
  static constexpr int kDigits = 16;

  constexpr Notional() = default;
  static constexpr Notional of(Price p, Quantity q) {
    return Notional(static_cast<__int128>(p.units()) * static_cast<__int128>(q.units()));
  }
  // price x quantity x multiplier, saturating past the range. Exact where
  // the product has at most 16 decimals (price, quantity and a fractional
  // multiplier's decimals together); a finer one is rounded away from zero,
  // so that no amount is understated.
  static constexpr Notional of(Price p, Quantity q, Multiplier m) {
    const Notional n = of(p, q);
    const int64_t units = m.units();
    if (units == Multiplier::kOne) return n;
    if (units % Multiplier::kOne == 0) return Notional(saturated_mul(n.units_, __int128{units / Multiplier::kOne}));
    // n x units / 10^8, split so that only the whole part can overflow.
    constexpr __int128 kOne = Multiplier::kOne;
    const __int128 whole = saturated_mul(n.units_ / kOne, __int128{units});
    const __int128 rest = n.units_ % kOne * units;  // below 10^8 x 2^63 in size
    const __int128 part = rest / kOne + (rest % kOne == 0 ? 0 : rest < 0 ? -1 : 1);
    return Notional(saturated_add(whole, part));
  }
  static constexpr Notional from_units(__int128 units) { return Notional(units); }

  // Decimal text with at most 16 fractional digits ("1500000", "0.25").
  static std::optional<Notional> parse(std::string_view text);
  // Shortest exact text.
  std::string to_string() const;

  constexpr __int128 units() const { return units_; }
  friend std::ostream& operator<<(std::ostream& os, Notional n) { return os << n.to_string(); }  // as Decimal's
  constexpr Notional abs() const { return units_ < 0 ? Notional() - *this : *this; }             // saturating

  // Saturating, as Decimal's: past about 1.7e22 a sum holds the end of the
  // range (of the right sign) instead of wrapping around.
  friend constexpr Notional operator+(Notional a, Notional b) { return Notional(saturated_add(a.units_, b.units_)); }
  friend constexpr Notional operator-(Notional a, Notional b) { return Notional(saturated_sub(a.units_, b.units_)); }
  friend constexpr std::strong_ordering operator<=>(Notional a, Notional b) { return a.units_ <=> b.units_; }
  friend constexpr bool operator==(Notional a, Notional b) { return a.units_ == b.units_; }

 private:
  constexpr explicit Notional(__int128 units) : units_(units) {}
  __int128 units_ = 0;
};

}  // namespace fixguard::risk
