// Exact decimal numbers for money: a signed 64-bit count of 10^-8 units.
//
// Prices and quantities are parsed straight from FIX text and written back as
// text; they never pass through `double`. Distinct types keep a price from
// being used as a quantity by accident.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace fixguard::risk {

// Decimal text as a count of 10^-digits units in `Int` ("-12.5" with 8
// digits is -1250000000). Refuses more fractional digits than `digits`
// (rather than round), exponents, blanks and anything that overflows `Int`.
template <class Int>
constexpr std::optional<Int> parse_scaled(std::string_view text, int digits) {
  constexpr Int kMax = std::numeric_limits<Int>::max();
  if (text.empty()) return std::nullopt;
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') ++i;
  Int units = 0;
  int frac_digits = 0;
  bool point = false;
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any_digit = true;
    if (point && frac_digits == digits) {
      if (c != '0') return std::nullopt;  // would lose precision
      continue;
    }
    if (units > (kMax - (c - '0')) / 10) return std::nullopt;
    units = units * 10 + (c - '0');
    if (point) ++frac_digits;
  }
  if (!any_digit) return std::nullopt;
  for (int k = frac_digits; k < digits; ++k) {
    if (units > kMax / 10) return std::nullopt;
    units *= 10;
  }
  return negative ? -units : units;
}

// Sums, differences and products of money values saturate: a result past the range
// holds its end, of the right sign. A sum that wrapped around would turn a
// huge position or exposure into a small or negative one, and a limit check
// would let the order pass; a saturated one is refused. No real quantity or
// amount comes near the ends: only an order built to overflow does. (A
// negation is a difference, 0 - x: it saturates too.)
// One template for Decimal's int64 and Notional's __int128 (whose
// numeric_limits GCC and Clang specialize in strict mode too).
template <class Int>
constexpr Int saturated_add(Int a, Int b) {
  Int sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) [[unlikely]]
    return b > 0 ? std::numeric_limits<Int>::max() : std::numeric_limits<Int>::min();
  return sum;
}
template <class Int>
constexpr Int saturated_sub(Int a, Int b) {
  Int difference = 0;
  if (__builtin_sub_overflow(a, b, &difference)) [[unlikely]]
    return b < 0 ? std::numeric_limits<Int>::max() : std::numeric_limits<Int>::min();
  return difference;
}
template <class Int>
constexpr Int saturated_mul(Int a, Int b) {
  Int product = 0;
  if (__builtin_mul_overflow(a, b, &product)) [[unlikely]]
    return (a < 0) != (b < 0) ? std::numeric_limits<Int>::min() : std::numeric_limits<Int>::max();
  return product;
}

template <class Tag>
class Decimal {
 public:
  static constexpr int kDigits = 8;
  static constexpr int64_t kOne = 100000000;

  constexpr Decimal() = default;
  static constexpr Decimal from_units(int64_t units) { return Decimal(units); }
  static constexpr Decimal from_int(int64_t whole) { return Decimal(whole * kOne); }

  // Parses FIX decimal text ("-12.5", "100", "0.00000001"). Refuses more than
  // 8 fractional digits (rather than round), exponents, blanks and overflow.
  static std::optional<Decimal> parse(std::string_view text) {
    const auto units = parse_scaled<int64_t>(text, kDigits);
    return units ? std::optional<Decimal>(Decimal(*units)) : std::nullopt;
  }

  // Shortest exact text: "150.25", "100", "-0.5".
  std::string to_string() const {
    const bool negative = units_ < 0;
    const uint64_t abs = negative ? uint64_t(0) - static_cast<uint64_t>(units_) : static_cast<uint64_t>(units_);
    std::string out = (negative ? "-" : "") + std::to_string(abs / kOne);
    uint64_t frac = abs % kOne;
    if (frac != 0) {
      std::string f = std::to_string(frac);
      f.insert(0, kDigits - f.size(), '0');
      while (!f.empty() && f.back() == '0') f.pop_back();
      out += "." + f;
    }
    return out;
  }

  constexpr int64_t units() const { return units_; }
  constexpr bool is_zero() const { return units_ == 0; }

  // As to_string() (GoogleTest prints values in failures with it).
  friend std::ostream& operator<<(std::ostream& os, Decimal d) { return os << d.to_string(); }

  // Saturating (saturated_add above).
  friend constexpr Decimal operator+(Decimal a, Decimal b) { return Decimal(saturated_add(a.units_, b.units_)); }
  friend constexpr Decimal operator-(Decimal a, Decimal b) { return Decimal(saturated_sub(a.units_, b.units_)); }
  friend constexpr auto operator<=>(Decimal a, Decimal b) = default;
  friend constexpr bool operator==(Decimal a, Decimal b) = default;

 private:
  constexpr explicit Decimal(int64_t units) : units_(units) {}
  int64_t units_ = 0;
};

struct PriceTag;
struct QuantityTag;
struct PercentTag;
struct RatioTag;
struct MultiplierTag;
using Price = Decimal<PriceTag>;
using Quantity = Decimal<QuantityTag>;
using Percent = Decimal<PercentTag>;  // 5 means 5%
using Ratio = Decimal<RatioTag>;      // 4 means 4x (leverage)
// A contract's money per price point per unit of quantity: 50 for ES, 0.01
// for a bond quoted in percent of a face amount.
using Multiplier = Decimal<MultiplierTag>;

// Half of `q`, rounded down to a whole multiple of `lot` (at least one lot
// when q holds two or more). Used by the venue simulator's partial fills.
Quantity half_in_lots(Quantity q, Quantity lot);

}  // namespace fixguard::risk
