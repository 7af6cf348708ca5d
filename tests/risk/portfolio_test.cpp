#include "risk/portfolio.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

const PositionState& ibm(Desk& d) { return *d.portfolio().position("ACC1", "IBM"); }

TEST(Portfolio, OpenOrdersCountAtTheirLimitPriceUntilFilled) {
  Desk d{OrderLimits{}};
  ASSERT_FALSE(d.buy("B1", "100", "10"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("100"));
  EXPECT_EQ(ibm(d).open[0].notional, money("1000"));
  EXPECT_EQ(ibm(d).worst_long_qty(), qty("100"));
  EXPECT_EQ(d.portfolio().account("ACC1")->open_orders, 1);

  d.fill("B1", "40", "9.5");
  EXPECT_EQ(ibm(d).qty, qty("40"));
  EXPECT_EQ(ibm(d).cost, money("380"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("60"));
  EXPECT_EQ(ibm(d).worst_long_qty(), qty("100"));  // filled + open is unchanged by a fill

  d.fill("B1", "60", "10", 0, '2');
  EXPECT_EQ(ibm(d).qty, qty("100"));
  EXPECT_EQ(ibm(d).open_orders, 0);
  EXPECT_EQ(d.portfolio().open_orders(), 0u);
}

TEST(Portfolio, AverageCostRealizedAndUnrealizedPnlAreExact) {
  Desk d{OrderLimits{}};
  d.buy("B1", "3", "10");
  d.fill("B1", "3", "10", 0, '2');
  d.buy("B2", "1", "11");
  d.fill("B2", "1", "11", 0, '2');  // 4 @ 10.25
  d.sell("S1", "1", "12");
  d.fill("S1", "1", "12", 0, '2');  // realizes 12 - 10.25
  EXPECT_EQ(ibm(d).qty, qty("3"));
  EXPECT_EQ(ibm(d).realized, money("1.75"));
  EXPECT_EQ(ibm(d).cost, money("30.75"));
  d.portfolio().set_mark("IBM", px("11"));
  EXPECT_EQ(d.portfolio().account("ACC1")->unrealized, money("2.25"));  // 33 - 30.75
  EXPECT_EQ(d.portfolio().account("ACC1")->pnl(), money("4"));

  // Selling through zero realizes the long and opens a short at the fill price.
  d.sell("S2", "5", "9");
  d.fill("S2", "5", "9", 0, '2');
  EXPECT_EQ(ibm(d).qty, qty("-2"));
  EXPECT_EQ(ibm(d).cost, money("-18"));
  EXPECT_EQ(ibm(d).realized, money("1.75") + money("27") - money("30.75"));
}

TEST(Portfolio, APartialCloseKeepsTheCostBasisExactToTheLastUnit) {
  Desk d{OrderLimits{}};
  d.buy("B1", "1", "0.00000001");
  d.fill("B1", "1", "0.00000001", 0, '2');
  d.buy("B2", "2", "0.00000002");
  d.fill("B2", "2", "0.00000002", 0, '2');  // 3 for 0.00000005: a third of that is not exact
  d.sell("S1", "1", "1");
  d.fill("S1", "1", "1", 0, '2');
  EXPECT_EQ(ibm(d).cost, money("0.0000000333333334"));  // the remainder stays in the basis
  d.sell("S2", "2", "1");
  d.fill("S2", "2", "1", 0, '2');
  // Closing the position realizes every unit: proceeds minus cost, exactly.
  EXPECT_EQ(ibm(d).qty, qty("0"));
  EXPECT_EQ(ibm(d).cost, money("0"));
  EXPECT_EQ(ibm(d).realized, money("2.99999995"));
}

TEST(Portfolio, AReplaceInFlightCountsTheLargerOfOldAndNewUntilConfirmed) {
  Desk d{OrderLimits{}};
  d.buy("B1", "100", "10");
  ASSERT_FALSE(d.replace("B1", "B2", '1', "50", "30"));  // fewer shares, more notional
  EXPECT_EQ(ibm(d).open[0].qty, qty("100"));
  EXPECT_EQ(ibm(d).open[0].notional, money("1500"));
  EXPECT_EQ(ibm(d).open_orders, 1);

  d.report("B2", '5', '0', nullptr, nullptr, 0, "B1");  // replaced
  EXPECT_EQ(ibm(d).open[0].qty, qty("50"));
  EXPECT_EQ(ibm(d).open[0].notional, money("1500"));
  ASSERT_NE(d.portfolio().order("alpha", "B1"), nullptr);  // a late report on the old id still finds it
  EXPECT_EQ(d.portfolio().order("alpha", "B1")->cl_ord_id, "B2");
}

TEST(Portfolio, ARefusedReplaceLeavesTheOrderAsItWas) {
  Desk d{OrderLimits{}};
  d.buy("B1", "100", "10");
  d.replace("B1", "B2", '1', "300", "10");
  EXPECT_EQ(ibm(d).open[0].qty, qty("300"));
  d.portfolio().on_cancel_reject("alpha", "B2");
  EXPECT_EQ(ibm(d).open[0].qty, qty("100"));
  EXPECT_EQ(ibm(d).open[0].notional, money("1000"));
}

TEST(Portfolio, FillsDuringAReplaceReduceBothVersions) {
  Desk d{OrderLimits{}};
  d.buy("B1", "100", "10");
  d.replace("B1", "B2", '1', "150", "10");  // new total 150: 150 open
  d.fill("B1", "30", "10");
  EXPECT_EQ(ibm(d).open[0].qty, qty("120"));  // max(70, 120)
  d.report("B2", '5', '1', nullptr, nullptr, 0, "B1");
  EXPECT_EQ(ibm(d).open[0].qty, qty("120"));
  EXPECT_EQ(ibm(d).worst_long_qty(), qty("150"));
}

TEST(Portfolio, CancelsCountUntilTheVenueConfirms) {
  Desk d{OrderLimits{}};
  d.buy("B1", "100", "10");
  OrderRequest cancel = Desk::limit("C1", '1', "100", "10");
  cancel.kind = RequestKind::cancel;
  cancel.orig_cl_ord_id = "B1";
  ASSERT_FALSE(d.submit(cancel));
  EXPECT_EQ(ibm(d).open[0].qty, qty("100"));
  d.report("C1", '4', '4', nullptr, nullptr, 0, "B1");
  EXPECT_EQ(ibm(d).open[0].qty, qty("0"));
  EXPECT_EQ(d.portfolio().order("alpha", "B1"), nullptr);
  EXPECT_EQ(d.portfolio().account("ACC1")->open_orders, 0);
}

TEST(Portfolio, VenueRejectsAndRefusalsRemoveTheOrder) {
  Desk d{OrderLimits{}};
  d.buy("B1", "100", "10");
  d.buy("B2", "100", "10");
  d.report("B1", '8', '8');
  d.portfolio().on_refused("alpha", "B2");
  EXPECT_EQ(ibm(d).open[0].qty, qty("0"));
  EXPECT_EQ(d.portfolio().account("ACC1")->positions, 0);
}

TEST(Portfolio, AFillOfAnUnknownOrderStillMovesThePosition) {
  Desk d{OrderLimits{}};
  Execution e;
  e.cl_ord_id = "BEFORE-RESTART";
  e.exec_type = 'F';
  e.ord_status = '2';
  e.last_qty = qty("7");
  e.last_px = px("20");
  e.account = "ACC1";
  e.symbol = "IBM";
  e.side = '2';
  d.portfolio().on_execution("alpha", e, 0, Desk::kDay);
  EXPECT_EQ(ibm(d).qty, qty("-7"));
  EXPECT_EQ(d.portfolio().account("ACC1")->today(Desk::kDay).fills, 1);
}

TEST(Portfolio, OnlyANewExecutionIsAFillNotACancelCorrectionOrStatusThatRepeatsIt) {
  Desk d{OrderLimits{}};
  ASSERT_FALSE(d.buy("B1", "100", "10"));
  d.fill("B1", "40", "10");
  const auto report = [&](char trans_type, char exec_type) {
    Execution e;
    e.cl_ord_id = "B1";
    e.exec_type = exec_type;
    e.ord_status = '1';
    e.trans_type = trans_type;
    e.last_qty = qty("40");
    e.last_px = px("10");
    d.portfolio().on_execution("alpha", e, 0, Desk::kDay);
  };
  report('3', '1');  // FIX 4.2 status of the order, repeating its last fill
  report('1', '1');  // FIX 4.2 cancel of that fill (a bust)
  report('2', '1');  // FIX 4.2 correction of it
  report('0', 'H');  // FIX 4.4 trade cancel
  report('0', 'G');  // FIX 4.4 trade correct
  report('0', 'I');  // FIX 4.4 order status
  EXPECT_EQ(ibm(d).qty, qty("40"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("60"));
  report('0', '1');  // a new fill
  EXPECT_EQ(ibm(d).qty, qty("80"));
}

TEST(Portfolio, ExposureFollowsTheMarkAndGroupsSumTheirInstruments) {
  EngineConfig c;
  c.book.add_to_group("IBM", "tech");
  c.book.add_to_group("MSFT", "tech");
  Desk d{std::move(c)};
  d.buy("B1", "10", "100", "IBM");
  d.sell("S1", "5", "200", "MSFT");
  const AccountState& a = *d.portfolio().account("ACC1");
  EXPECT_EQ(a.exposure.gross, money("2000"));
  EXPECT_EQ(a.exposure.long_sum, money("1000"));
  EXPECT_EQ(a.exposure.short_sum, money("-1000"));
  EXPECT_EQ(a.exposure.net(), money("1000"));
  EXPECT_EQ(d.portfolio().group("ACC1", "tech")->gross, money("2000"));

  d.fill("B1", "10", "100", 0, '2');
  d.portfolio().set_mark("IBM", px("120"));
  EXPECT_EQ(a.exposure.gross, money("2200"));
  EXPECT_EQ(a.unrealized, money("200"));
}

}  // namespace
}  // namespace fixguard::risk
