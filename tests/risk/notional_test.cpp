#include "risk/notional.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

TEST(Notional, PriceTimesQuantityIsExact) {
  const auto n = Notional::of(*Price::parse("150.25"), *Quantity::parse("1000"));
  EXPECT_EQ(n.to_string(), "150250");
  // The smallest price times the smallest quantity is kept, not rounded away.
  EXPECT_EQ(Notional::of(*Price::parse("0.00000001"), *Quantity::parse("0.00000001")).to_string(),
            "0.0000000000000001");
  // Largest price times largest quantity still fits.
  const auto big = Notional::of(Price::from_units(INT64_MAX), Quantity::from_units(INT64_MAX));
  EXPECT_GT(big, Notional());
  EXPECT_EQ(big.to_string(), "8507059173023461584739.6907784232501249");  // (2^63-1)^2 / 10^16
}

TEST(Notional, SumsAndDifferencesStayExact) {
  const auto a = Notional::of(*Price::parse("0.1"), Quantity::from_int(3));
  const auto b = *Notional::parse("0.3");
  EXPECT_EQ(a, b);
  EXPECT_EQ((a - b).to_string(), "0");
  EXPECT_EQ((Notional() - b).to_string(), "-0.3");
  EXPECT_EQ((Notional() - b).abs(), b);
}

TEST(Notional, SumsPastTheRangeHoldItsEndAndKeepTheirSign) {
  // 10^-16 units in 128 bits: the range's end is about 1.7e22.
  const Notional big = Notional::of(*Price::parse("92233720368"), *Quantity::parse("92233720368"));
  const Notional top = big + big + big;
  EXPECT_GT(top, big + big);  // before, the third wrapped it negative
  EXPECT_EQ(top + big, top);
  const Notional bottom = Notional() - top - big;
  EXPECT_LT(bottom, Notional() - big - big);
  EXPECT_EQ(bottom - big, bottom);
  EXPECT_EQ(Notional() - bottom, top);  // a negation saturates too
  EXPECT_EQ(bottom.abs(), top);
  EXPECT_EQ((big + big) - big, big);
}

// A contract's multiplier scales the product: whole (ES: 50) or a fraction
// (a bond quoted in percent of its face amount: 0.01).
TEST(Notional, AMultiplierScalesTheProductExactly) {
  const auto of = [](const char* price, const char* qty, const char* multiplier) {
    return Notional::of(*Price::parse(price), *Quantity::parse(qty), *Multiplier::parse(multiplier)).to_string();
  };
  EXPECT_EQ(of("5010.25", "1", "50"), "250512.5");
  EXPECT_EQ(of("99.5", "1000000", "0.01"), "995000");
  EXPECT_EQ(of("99.515625", "250000", "0.01"), "248789.0625");  // 99 and 33/64
  EXPECT_EQ(of("-0.3", "7", "0.1"), "-0.21");
  EXPECT_EQ(of("0.5", "0.5", "0.5"), "0.125");
  EXPECT_EQ(of("1", "1", "1"), "1");
  // Price, quantity and multiplier decimals past 16 together: rounded away
  // from zero at the last unit, never understated.
  EXPECT_EQ(of("0.00000001", "0.00000001", "0.3"), "0.0000000000000001");
  EXPECT_EQ(of("-0.00000001", "0.00000001", "0.3"), "-0.0000000000000001");
  EXPECT_EQ(of("0.00000003", "0.00000001", "1.5"), "0.0000000000000005");  // 4.5 units
  // Past the range, a fractional multiplier saturates as a whole one does.
  const Notional big = Notional::of(Price::from_units(INT64_MAX), Quantity::from_units(INT64_MAX));
  const Multiplier huge = Multiplier::from_units(Multiplier::kOne * 1000000000 + 1);  // 1e9 and 1e-8
  EXPECT_EQ(Notional::of(Price::from_units(INT64_MAX), Quantity::from_units(INT64_MAX), huge),
            big + big + big + big + big);  // saturated: every sum past the range holds its end
  EXPECT_EQ(Notional::of(Price::from_units(INT64_MIN), Quantity::from_units(INT64_MAX), huge),
            Notional() - big - big - big);
}

TEST(Notional, ParsesLimitsFromText) {
  EXPECT_EQ(Notional::parse("1500000")->to_string(), "1500000");
  EXPECT_EQ(Notional::parse("-2.5")->to_string(), "-2.5");
  EXPECT_EQ(Notional::parse("0.0000000000000001")->units(), 1);
  EXPECT_FALSE(Notional::parse("0.00000000000000001"));  // 17th decimal
  EXPECT_FALSE(Notional::parse("1e6"));
  EXPECT_FALSE(Notional::parse(""));
  EXPECT_FALSE(Notional::parse("-"));
  EXPECT_FALSE(Notional::parse("99999999999999999999999999"));  // beyond 128 bits
}

TEST(Notional, ComparesAtTheLastUnit) {
  const auto limit = *Notional::parse("1000000");
  EXPECT_LE(Notional::of(*Price::parse("100"), Quantity::from_int(10000)), limit);
  EXPECT_GT(Notional::of(*Price::parse("100.00000001"), Quantity::from_int(10000)), limit);
}

}  // namespace
}  // namespace fixguard::risk
