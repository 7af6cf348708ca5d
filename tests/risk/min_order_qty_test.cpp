#include "risk/order_size.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(MinOrderQty, AtTheLimitPassesOneUnitUnderFails) {
  LimitBook book;
  OrderLimits l;
  l.min_qty = qty("10");
  book.set(ScopeKind::instrument, "IBM", l);
  EXPECT_FALSE(check_order_size(order("10"), applicable(book, order("10")), std::nullopt, false));
  const auto d = check_order_size(order("9.99999999"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MIN_ORDER_QTY 9.99999999 < 10 instrument=IBM");
}

TEST(MinOrderQty, TheHighestMinimumWins) {
  LimitBook book;
  OrderLimits a, b;
  a.min_qty = qty("5");
  b.min_qty = qty("20");
  book.set(ScopeKind::venue, "sim", a);
  book.set(ScopeKind::account, "ACC1", b);
  const auto d = check_order_size(order("10"), applicable(book, order("10")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MIN_ORDER_QTY 10 < 20 account=ACC1");
}

}  // namespace
}  // namespace fixguard::risk
