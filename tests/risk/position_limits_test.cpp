// MAX_LONG_QTY, MAX_SHORT_QTY, MAX_LONG_NOTIONAL, MAX_SHORT_NOTIONAL,
// MAX_OPEN_ORDERS, MAX_OPEN_ORDERS_INSTRUMENT, MAX_POSITIONS.
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(MaxLongQty, FilledPlusOpenBuysAtTheLimitPassesOneLotOverFails) {
  OrderLimits l;
  l.max_long_qty = qty("1000");
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "600", "10"));
  d.fill("B1", "600", "10", 0, '2');
  ASSERT_FALSE(d.buy("B2", "300", "10"));
  EXPECT_EQ(text(d.buy("B3", "101", "10")), "MAX_LONG_QTY 1001 > 1000 account=ACC1");
  EXPECT_EQ(text(d.buy("B4", "100", "10")), "accepted");
}

TEST(MaxLongQty, OrdersThatReduceThePositionAlwaysPass) {
  OrderLimits l;
  l.max_long_qty = qty("10");
  l.max_short_qty = qty("10");
  Desk d{l};
  d.sell("S1", "10", "5");
  d.fill("S1", "10", "5", 0, '2');
  EXPECT_EQ(text(d.buy("B1", "20", "5")), "accepted");  // -10 + 20 = 10: at the limit
  EXPECT_EQ(text(d.sell("S2", "10.00000001", "5")), "MAX_SHORT_QTY 20.00000001 > 10 account=ACC1");
}

TEST(MaxLongQty, AnOrderTooLargeToAddToWhatIsOpenIsRefusedNotWrappedAround) {
  OrderLimits l;
  l.max_long_qty = qty("1000");
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "1", "10"));
  // The largest quantity FIX text can carry here: one open share plus it is
  // past what a quantity holds (92233720368.54775807).
  // Before: 1 + 92233720368 wrapped to a negative worst case, and passed.
  EXPECT_EQ(text(d.buy("B2", "92233720368", "0.01")), "MAX_LONG_QTY 92233720368.54775807 > 1000 account=ACC1");
}

TEST(MaxShortQty, AnOrderTooLargeToAddToWhatIsOpenIsRefusedNotWrappedAround) {
  OrderLimits l;
  l.max_short_qty = qty("1000");
  Desk d{l};
  ASSERT_FALSE(d.sell("S1", "1", "10"));
  EXPECT_EQ(text(d.sell("S2", "92233720368", "0.01")), "MAX_SHORT_QTY 92233720368.54775807 > 1000 account=ACC1");
}

TEST(MaxShortQty, CountsFilledMinusOpenSells) {
  OrderLimits l;
  l.max_short_qty = qty("500");
  Desk d{l};
  d.buy("B1", "200", "10");
  d.fill("B1", "200", "10", 0, '2');
  ASSERT_FALSE(d.sell("S1", "700", "10"));  // 200 - 700 = -500
  EXPECT_EQ(text(d.sell("S2", "1", "10")), "MAX_SHORT_QTY 501 > 500 account=ACC1");
}

TEST(MaxLongNotional, PositionAtTheMarkPlusOpenBuysAtTheirPrice) {
  OrderLimits l;
  l.max_long_notional = money("10000");
  Desk d{l, ScopeKind::instrument, "IBM"};
  d.buy("B1", "50", "100");
  d.fill("B1", "50", "100", 0, '2');
  d.portfolio().set_mark("IBM", px("120"), 0);  // 50 x 120 = 6000
  ASSERT_FALSE(d.buy("B2", "40", "100"));       // + 4000 = 10000
  EXPECT_EQ(text(d.buy("B3", "1", "0.01")), "MAX_LONG_NOTIONAL 10000.01 > 10000 instrument=IBM");
}

TEST(MaxShortNotional, AtTheLimitPassesOneTickOverFails) {
  OrderLimits l;
  l.max_short_notional = money("5000");
  Desk d{l};
  ASSERT_FALSE(d.sell("S1", "50", "100"));
  EXPECT_EQ(text(d.sell("S2", "1", "0.01")), "MAX_SHORT_NOTIONAL 5000.01 > 5000 account=ACC1");
}

TEST(MaxOpenOrders, CountsTheAccountsOpenOrdersAcrossInstruments) {
  OrderLimits l;
  l.max_open_orders = 2;
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "1", "10", "IBM"));
  ASSERT_FALSE(d.buy("B2", "1", "10", "MSFT"));
  EXPECT_EQ(text(d.buy("B3", "1", "10", "AAPL")), "MAX_OPEN_ORDERS 3 > 2 account=ACC1");
  // A replace is not another order.
  EXPECT_EQ(text(d.replace("B1", "B1a", '1', "2", "10")), "accepted");
  d.fill("B2", "1", "10", 0, '2');
  EXPECT_EQ(text(d.buy("B4", "1", "10", "AAPL")), "accepted");
}

TEST(MaxOpenOrdersInstrument, CountsPerAccountAndInstrument) {
  OrderLimits l;
  l.max_open_orders_per_instrument = 1;
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "1", "10", "IBM"));
  EXPECT_EQ(text(d.sell("S1", "1", "11", "IBM")), "MAX_OPEN_ORDERS_INSTRUMENT 2 > 1 account=ACC1");
  EXPECT_EQ(text(d.buy("B2", "1", "10", "MSFT")), "accepted");
}

TEST(MaxPositions, InstrumentsWithAPositionOrAnOpenOrder) {
  OrderLimits l;
  l.max_positions = 2;
  Desk d{l};
  d.buy("B1", "1", "10", "IBM");
  d.fill("B1", "1", "10", 0, '2');  // a position
  d.buy("B2", "1", "10", "MSFT");   // an open order
  EXPECT_EQ(text(d.buy("B3", "1", "10", "AAPL")), "MAX_POSITIONS 3 > 2 account=ACC1");
  EXPECT_EQ(text(d.buy("B4", "1", "10", "IBM")), "accepted");  // already counted
  d.report("B2", '4', '4');                                    // MSFT canceled: flat again
  EXPECT_EQ(text(d.buy("B5", "1", "10", "AAPL")), "accepted");
}

}  // namespace
}  // namespace fixguard::risk
