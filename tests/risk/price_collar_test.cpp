#include "risk/price_collar.h"
#include "risk/engine.h"
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

// A reference price older than max_reference_age_ms is none at all: a
// price feed that stopped must not leave a collar on an old price. Orders
// that need no reference pass.
TEST(StaleReferencePrice, AnOldReferenceIsNoneForTheChecksThatNeedIt) {
  constexpr int64_t kSecond = 1'000'000'000;
  EngineConfig c;
  OrderLimits global, ibm;
  global.max_reference_age_ms = 60'000;
  ibm.collar_percent = *Percent::parse("5");
  c.book.set(ScopeKind::global, "", global);
  c.book.set(ScopeKind::instrument, "IBM", ibm);
  Desk d{std::move(c)};
  d.engine().set_mark("IBM", px("100"), 10 * kSecond, Desk::kDay);
  EXPECT_FALSE(d.buy("AT", "1", "104", "IBM", 70 * kSecond)) << "60 s old: not older than the limit";
  const auto stale = d.buy("LATE", "1", "104", "IBM", 70 * kSecond + 1'000'000);
  ASSERT_TRUE(stale);
  EXPECT_EQ(describe(*stale), "STALE_REFERENCE_PRICE 60001ms > 60s global");
  EXPECT_EQ(info(stale->rule).ord_rej_reason, 99);
  EXPECT_FALSE(d.buy("MSFT", "1", "104", "MSFT", 70 * kSecond + 1'000'000)) << "no collar, no reference needed";
  // A fresh price (a fill, an operator's mark, the marks file) brings it back.
  d.engine().set_mark("IBM", px("100"), 80 * kSecond, Desk::kDay);
  EXPECT_FALSE(d.buy("AGAIN", "1", "104", "IBM", 80 * kSecond));
  EXPECT_TRUE(d.buy("WIDE", "1", "106", "IBM", 80 * kSecond)) << "the collar holds";
  // A price with no time is as good as none.
  d.portfolio().set_mark("IBM", px("100"), Portfolio::kUndated);
  const auto undated = d.buy("UNDATED", "1", "104", "IBM", 80 * kSecond);
  ASSERT_TRUE(undated);
  EXPECT_EQ(describe(*undated), "STALE_REFERENCE_PRICE undated > 60s global");
}

}  // namespace
}  // namespace fixguard::risk
