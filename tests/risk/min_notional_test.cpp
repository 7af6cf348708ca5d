#include "risk/order_size.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(MinNotional, AtTheLimitPassesOneUnitUnderFails) {
  LimitBook book;
  OrderLimits l;
  l.min_notional = money("500");
  book.set(ScopeKind::group, "tech", l);
  ASSERT_TRUE(book.add_to_group("IBM", "tech"));
  EXPECT_FALSE(check_order_size(order("5", "100"), applicable(book, order("1")), std::nullopt, false));
  const auto d = check_order_size(order("5", "99.99999999"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MIN_NOTIONAL 499.99999995 < 500 group=tech");
}

TEST(MinNotional, GroupsOnlyApplyToTheirSymbols) {
  LimitBook book;
  OrderLimits l;
  l.min_notional = money("500");
  book.set(ScopeKind::group, "tech", l);
  book.add_to_group("MSFT", "tech");
  EXPECT_FALSE(check_order_size(order("1", "1"), applicable(book, order("1")), std::nullopt, false));
}

}  // namespace
}  // namespace fixguard::risk
