#include "risk/order_size.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

LimitBook book_with_max(const char* max) {
  LimitBook book;
  OrderLimits l;
  l.max_notional = money(max);
  book.set(ScopeKind::account, "ACC1", l);
  return book;
}

TEST(MaxNotional, AtTheLimitPassesOneUnitOverFails) {
  const LimitBook book = book_with_max("1000000");
  EXPECT_FALSE(check_order_size(order("10000", "100"), applicable(book, order("1")), std::nullopt, false));
  const auto d = check_order_size(order("10000", "100.00000001"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MAX_NOTIONAL 1000000.0001 > 1000000 account=ACC1");
}

// A contract's notional is at its multiplier: 10 ES at 2,000 is 1,000,000.
TEST(MaxNotional, AContractIsMeasuredAtItsMultiplier) {
  LimitBook book = book_with_max("1000000");
  book.set_multiplier("IBM", Multiplier::from_int(50));
  EXPECT_FALSE(check_order_size(order("10", "2000"), applicable(book, order("1")), std::nullopt, false));
  const auto d = check_order_size(order("10", "2000.25"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MAX_NOTIONAL 1000125 > 1000000 account=ACC1");
}

TEST(MaxNotional, MarketOrdersArePricedAtTheReference) {
  const LimitBook book = book_with_max("1000");
  OrderRequest market = order("10");
  market.ord_type = '1';
  market.price.reset();
  EXPECT_FALSE(check_order_size(market, applicable(book, market), px("100"), false));
  const auto d = check_order_size(market, applicable(book, market), px("100.5"), false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MAX_NOTIONAL 1005 > 1000 account=ACC1");
}

// A sell limited below the market fills at the market: a million at 0.01
// is not an order for 10,000.
TEST(MaxNotional, ASellLimitedBelowTheMarketIsMeasuredAtTheReference) {
  const LimitBook book = book_with_max("1000000");
  OrderRequest sell = order("1000000", "0.01");
  sell.side = '5';  // sell short
  const auto d = check_order_size(sell, applicable(book, sell), px("150"), false);
  ASSERT_TRUE(d) << "measured at its limit, it passed";
  EXPECT_EQ(describe(*d), "MAX_NOTIONAL 150000000 > 1000000 account=ACC1");
  // Limited above the market, a sell is measured at its limit.
  sell.quantity = qty("7000");
  sell.price = px("160");
  const auto above = check_order_size(sell, applicable(book, sell), px("150"), false);
  ASSERT_TRUE(above);
  EXPECT_EQ(describe(*above), "MAX_NOTIONAL 1120000 > 1000000 account=ACC1");
  // A buy at its limit, the most it can pay: below the market it rests.
  OrderRequest buy = order("1000000", "0.01");
  EXPECT_FALSE(check_order_size(buy, applicable(book, buy), px("150"), false));
}

// A stop order trades once the market reaches its stop: a protective sell
// stop-limit under the market at its stop (not today's price), a buy stop
// above the market at its stop (not less).
TEST(MaxNotional, AStopOrderIsMeasuredWhereTheMarketMustGoFirst) {
  const LimitBook book = book_with_max("145000");
  OrderRequest stop_loss = order("1000", "139");
  stop_loss.side = '2';
  stop_loss.ord_type = '4';
  stop_loss.stop_price = px("140");
  EXPECT_FALSE(check_order_size(stop_loss, applicable(book, stop_loss), px("150"), false));
  stop_loss.stop_price = px("146");
  const auto above = check_order_size(stop_loss, applicable(book, stop_loss), px("150"), false);
  ASSERT_TRUE(above);
  EXPECT_EQ(describe(*above), "MAX_NOTIONAL 146000 > 145000 account=ACC1");
  OrderRequest breakout = order("1000");
  breakout.ord_type = '3';
  breakout.price.reset();
  breakout.stop_price = px("146");
  const auto d = check_order_size(breakout, applicable(book, breakout), px("140"), false);
  ASSERT_TRUE(d) << "measured at the reference, 140, it passed";
  EXPECT_EQ(describe(*d), "MAX_NOTIONAL 146000 > 145000 account=ACC1");
}

TEST(MaxNotional, WithoutAnyPriceTheOrderIsRejectedUnlessAllowed) {
  const LimitBook book = book_with_max("1000");
  OrderRequest market = order("10");
  market.price.reset();
  const auto d = check_order_size(market, applicable(book, market), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->rule, Rule::no_reference_price);
  EXPECT_EQ(describe(*d), "NO_REFERENCE_PRICE account=ACC1");
  EXPECT_FALSE(check_order_size(market, applicable(book, market), std::nullopt, true));
}

}  // namespace
}  // namespace fixguard::risk
