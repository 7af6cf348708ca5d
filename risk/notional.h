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
  // price x quantity x multiplier (a contract's money per price point per
  // unit), saturating past the range.
  static constexpr Notional of(Price p, Quantity q, int64_t multiplier) {
    const Notional n = of(p, q);
    if (multiplier == 1) return n;
    return Notional(saturated_mul(n.units_, static_cast<__int128>(multiplier)));
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
