#include "risk/price_collar.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

LimitBook percent_collar(const char* pct) {
  LimitBook book;
  OrderLimits l;
  l.collar_percent = *Percent::parse(pct);
  book.set(ScopeKind::instrument, "IBM", l);
  return book;
}

TEST(PriceCollar, AtTheEdgeOfThePercentBandPassesBeyondItFails) {
  const LimitBook book = percent_collar("5");
  const auto ref = px("100");
  EXPECT_FALSE(check_price_collar(order("1", "105"), applicable(book, order("1")), ref, false));
  EXPECT_FALSE(check_price_collar(order("1", "95"), applicable(book, order("1")), ref, false));
  const auto d = check_price_collar(order("1", "105.00000001"), applicable(book, order("1")), ref, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->rule, Rule::price_collar);
  EXPECT_EQ(describe(*d), "PRICE_COLLAR 105.00000001 more than 5% from 100 instrument=IBM");
  EXPECT_TRUE(check_price_collar(order("1", "94.99999999"), applicable(book, order("1")), ref, false));
}

TEST(PriceCollar, ATickBandCountsTicksFromTheReference) {
  LimitBook book;
  OrderLimits l;
  l.tick = px("0.05");
  l.collar_ticks = 4;
  book.set(ScopeKind::instrument, "IBM", l);
  EXPECT_FALSE(check_price_collar(order("1", "150.2"), applicable(book, order("1")), px("150"), false));
  const auto d = check_price_collar(order("1", "150.25"), applicable(book, order("1")), px("150"), false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "PRICE_COLLAR 150.25 more than 4 ticks from 150 instrument=IBM");
}

TEST(PriceCollar, StopPricesAreCollaredAndMarketOrdersAreNot) {
  const LimitBook book = percent_collar("1");
  OrderRequest stop = order("1", "100");
  stop.stop_price = px("90");
  EXPECT_TRUE(check_price_collar(stop, applicable(book, stop), px("100"), false));
  OrderRequest market = order("1");
  market.price.reset();
  EXPECT_FALSE(check_price_collar(market, applicable(book, market), px("100"), false));
}

TEST(PriceCollar, WithoutAReferenceTheOrderIsRejectedUnlessAllowed) {
  const LimitBook book = percent_collar("5");
  const auto d = check_price_collar(order("1", "100"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "NO_REFERENCE_PRICE instrument=IBM");
  EXPECT_FALSE(check_price_collar(order("1", "100"), applicable(book, order("1")), std::nullopt, true));
}

}  // namespace
}  // namespace fixguard::risk
