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
