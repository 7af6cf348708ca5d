#include "risk/decimal.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

TEST(Decimal, ParsesAndWritesExactly) {
  EXPECT_EQ(Price::parse("150.25")->to_string(), "150.25");
  EXPECT_EQ(Price::parse("100")->to_string(), "100");
  EXPECT_EQ(Price::parse("-0.5")->to_string(), "-0.5");
  EXPECT_EQ(Price::parse("0.00000001")->units(), 1);
  EXPECT_EQ(Price::parse("0.10000000")->to_string(), "0.1");
  // 0.1 + 0.2 is 0.3 exactly, unlike binary floating point.
  EXPECT_EQ((*Price::parse("0.1") + *Price::parse("0.2")), *Price::parse("0.3"));
}

TEST(Decimal, RefusesWhatItCannotRepresent) {
  EXPECT_FALSE(Price::parse("0.000000001"));  // a ninth decimal
  EXPECT_TRUE(Price::parse("0.100000000"));   // trailing zeros are exact
  EXPECT_FALSE(Price::parse("1e3"));
  EXPECT_FALSE(Price::parse(""));
  EXPECT_FALSE(Price::parse("."));
  EXPECT_FALSE(Price::parse("1.2.3"));
  EXPECT_FALSE(Price::parse(" 1"));
  // The largest value is 92233720368.54775807 (INT64_MAX units).
  EXPECT_EQ(Price::parse("92233720368.54775807")->units(), INT64_MAX);
  EXPECT_FALSE(Price::parse("92233720368.54775808"));
  EXPECT_FALSE(Price::parse("92233720369"));
}

TEST(Decimal, SumsPastTheRangeHoldItsEndAndKeepTheirSign) {
  const Quantity max = *Quantity::parse("92233720368.54775807");
  const Quantity unit = Quantity::from_units(1);
  const Quantity min = Quantity() - max - unit;  // INT64_MIN units
  EXPECT_EQ(max + unit, max);
  EXPECT_EQ(unit + max, max);
  EXPECT_EQ(min - unit, min);
  EXPECT_EQ(min + (Quantity() - unit), min);
  EXPECT_EQ(max - min, max);
  EXPECT_EQ(min - max, min);
  EXPECT_EQ(Quantity() - min, max);     // a negation saturates too
  EXPECT_EQ((max - unit) + unit, max);  // exact inside the range
  EXPECT_EQ(Quantity::from_units(-5) + Quantity::from_units(3), Quantity::from_units(-2));
}

TEST(Decimal, HalfInLotsRoundsDown) {
  EXPECT_EQ(half_in_lots(*Quantity::parse("100"), Quantity::from_int(1)), Quantity::from_int(50));
  EXPECT_EQ(half_in_lots(*Quantity::parse("101"), Quantity::from_int(1)), Quantity::from_int(50));
  EXPECT_EQ(half_in_lots(*Quantity::parse("1"), Quantity::from_int(1)), Quantity::from_int(0));
}

}  // namespace
}  // namespace fixguard::risk
