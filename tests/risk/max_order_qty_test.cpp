#include "risk/order_size.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(MaxOrderQty, AtTheLimitPassesOneLotOverFails) {
  LimitBook book;
  OrderLimits l;
  l.max_qty = qty("1000");
  book.set(ScopeKind::account, "ACC1", l);
  EXPECT_FALSE(check_order_size(order("1000"), applicable(book, order("1000")), std::nullopt, false));
  const auto d = check_order_size(order("1000.00000001"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->rule, Rule::max_order_qty);
  EXPECT_EQ(describe(*d), "MAX_ORDER_QTY 1000.00000001 > 1000 account=ACC1");
}

TEST(MaxOrderQty, TheTightestScopeWinsAndIsNamed) {
  LimitBook book;
  OrderLimits wide, narrow;
  wide.max_qty = qty("5000");
  narrow.max_qty = qty("1000");
  book.set(ScopeKind::global, "", wide);
  book.set(ScopeKind::client, "alpha", narrow);
  const auto d = check_order_size(order("1500"), applicable(book, order("1500")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MAX_ORDER_QTY 1500 > 1000 client=alpha");
}

TEST(MaxOrderQty, CancelsAreNeverRefusedForSize) {
  LimitBook book;
  OrderLimits l;
  l.max_qty = qty("1");
  book.set(ScopeKind::global, "", l);
  OrderRequest cancel = order("500");
  cancel.kind = RequestKind::cancel;
  EXPECT_FALSE(check_order_size(cancel, applicable(book, cancel), std::nullopt, false));
}

}  // namespace
}  // namespace fixguard::risk
