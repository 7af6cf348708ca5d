// MAX_DAILY_NOTIONAL, MAX_MINUTE_NOTIONAL, MAX_DAILY_ORDERS,
// MAX_MINUTE_ORDERS, MAX_DAILY_FILLS, MAX_MINUTE_FILLS.
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

constexpr int64_t kSec = 1000000000;

TEST(MaxDailyNotional, TradedTodayPlusOpenOrders) {
  OrderLimits l;
  l.max_daily_notional = money("10000");
  Desk d{l};
  d.buy("B1", "50", "100");
  d.fill("B1", "50", "100", 0, '2');
  d.sell("S1", "50", "100");
  d.fill("S1", "50", "100", 0, '2');  // 10000 traded, flat
  EXPECT_EQ(text(d.buy("B2", "0.01", "1")), "MAX_DAILY_NOTIONAL 10000.01 > 10000 account=ACC1");
  // A new trading day starts from zero.
  EXPECT_EQ(text(d.submit(Desk::limit("B3", '1', "100", "100"), 0, Desk::kDay + 1)), "accepted");
}

TEST(MaxMinuteNotional, FillsLeaveTheWindowAfterSixtySeconds) {
  OrderLimits l;
  l.max_minute_notional = money("1000");
  Desk d{l};
  d.buy("B1", "10", "100", "IBM", 0);
  d.fill("B1", "10", "100", 0, '2');
  EXPECT_EQ(text(d.buy("B2", "1", "1", "IBM", 59 * kSec)), "MAX_MINUTE_NOTIONAL 1001 > 1000 account=ACC1");
  EXPECT_EQ(text(d.buy("B3", "10", "100", "IBM", 60 * kSec)), "accepted");
}

TEST(MaxDailyOrders, CountsNewOrdersOnly) {
  OrderLimits l;
  l.max_daily_orders = 2;
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "1", "1"));
  ASSERT_FALSE(d.buy("B2", "1", "1"));
  EXPECT_EQ(text(d.buy("B3", "1", "1")), "MAX_DAILY_ORDERS 3 > 2 account=ACC1");
  EXPECT_EQ(text(d.replace("B1", "B1a", '1', "2", "1")), "accepted");
}

TEST(MaxMinuteOrders, ARollingWindowInWholeSeconds) {
  OrderLimits l;
  l.max_minute_orders = 2;
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "1", "1", "IBM", 10 * kSec));
  ASSERT_FALSE(d.buy("B2", "1", "1", "IBM", 30 * kSec));
  EXPECT_EQ(text(d.buy("B3", "1", "1", "IBM", 69 * kSec)), "MAX_MINUTE_ORDERS 3 > 2 account=ACC1");
  EXPECT_EQ(text(d.buy("B4", "1", "1", "IBM", 70 * kSec)), "accepted");
}

TEST(MaxDailyFills, NoNewOrderOnceReached) {
  OrderLimits l;
  l.max_daily_fills = 2;
  Desk d{l};
  d.buy("B1", "3", "1");
  d.fill("B1", "1", "1");
  ASSERT_FALSE(d.buy("B2", "1", "1"));
  d.fill("B1", "1", "1");
  EXPECT_EQ(text(d.buy("B3", "1", "1")), "MAX_DAILY_FILLS 2 >= 2 account=ACC1");
}

TEST(MaxMinuteFills, CountsFillsInTheLastMinute) {
  OrderLimits l;
  l.max_minute_fills = 1;
  Desk d{l};
  d.buy("B1", "3", "1");
  d.fill("B1", "1", "1", 5 * kSec);
  EXPECT_EQ(text(d.buy("B2", "1", "1", "IBM", 64 * kSec)), "MAX_MINUTE_FILLS 1 >= 1 account=ACC1");
  EXPECT_EQ(text(d.buy("B3", "1", "1", "IBM", 65 * kSec)), "accepted");
}

}  // namespace
}  // namespace fixguard::risk
