#include "risk/portfolio.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

#include <string>

namespace fixguard::risk {
namespace {

using namespace test;

const PositionState& ibm(Desk& d) { return *d.portfolio().position("ACC1", "IBM"); }

TEST(Portfolio, FillsPastWhatAQuantityHoldsKeepThePositionAtItsEndNotWrapped) {
  Desk d{OrderLimits{}};  // no limit: nothing refuses the orders
  ASSERT_FALSE(d.buy("B1", "92233720368", "0.01"));
  ASSERT_FALSE(d.buy("B2", "92233720368", "0.01"));
  EXPECT_EQ(ibm(d).open[0].qty, *Quantity::parse("92233720368.54775807"));
  d.fill("B1", "92233720368", "0.01", 0, '2');
  d.fill("B2", "92233720368", "0.01", 0, '2');
  EXPECT_EQ(ibm(d).qty, *Quantity::parse("92233720368.54775807"));  // long, as it is: not short
}

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
  d.portfolio().set_mark("IBM", px("11"), 0);
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

// A report on `id` carrying ExecID `exec_id` (and ExecRefID `ref`).
Execution report_of(const char* id, char exec_type, char status, const char* exec_id, const char* ref = "",
                    const char* q = nullptr, const char* p = nullptr) {
  Execution e = execution(id, exec_type, status, q, p);
  e.exec_id = exec_id;
  e.exec_ref_id = ref;
  return e;
}

TEST(Portfolio, ABustTakesItsFillBackFromThePositionAndTheOrder) {
  Desk d{OrderLimits{}};
  ASSERT_FALSE(d.buy("B1", "100", "11"));
  Portfolio& p = d.portfolio();
  p.on_execution("alpha", report_of("B1", 'F', '1', "E1", "", "40", "10"), 0, Desk::kDay);
  p.on_execution("alpha", report_of("B1", 'F', '1', "E2", "", "20", "11"), 0, Desk::kDay);
  EXPECT_EQ(ibm(d).qty, qty("60"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("40"));

  const ExecutionOutcome bust = p.on_execution("alpha", report_of("B1", 'H', '1', "E3", "E2"), 0, Desk::kDay);
  EXPECT_EQ(bust.correction, TradeCorrection::applied);
  EXPECT_TRUE(bust.moved);
  EXPECT_FALSE(bust.traded);
  ASSERT_TRUE(bust.account);
  EXPECT_EQ(p.account_name(*bust.account), "ACC1");
  EXPECT_EQ(ibm(d).qty, qty("40"));
  EXPECT_EQ(ibm(d).cost, money("400"));
  EXPECT_EQ(ibm(d).realized, money("0"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("60")) << "the order is open for what the bust gave back";
  // The day's turnover keeps the fill: a limit on it stays on the safe side.
  EXPECT_EQ(p.account("ACC1")->today(Desk::kDay).fills, 2);

  // Taken back once only; an ExecRefID never seen is not applied either.
  EXPECT_EQ(p.on_execution("alpha", report_of("B1", 'H', '1', "E4", "E2"), 0, Desk::kDay).correction,
            TradeCorrection::refused);
  EXPECT_EQ(p.on_execution("alpha", report_of("B1", 'H', '1', "E5", "E9"), 0, Desk::kDay).correction,
            TradeCorrection::unknown);
  // Nor one for another client's fill of the same ExecID.
  EXPECT_EQ(p.on_execution("beta", report_of("B1", 'H', '1', "E6", "E1"), 0, Desk::kDay).correction,
            TradeCorrection::unknown);
  // Nor one that names the fill with another side or instrument.
  Execution other = report_of("B1", 'H', '1', "E7", "E1");
  other.side = '2';
  EXPECT_EQ(p.on_execution("alpha", other, 0, Desk::kDay).correction, TradeCorrection::refused);
  other.side = '1';
  other.symbol = "MSFT";
  EXPECT_EQ(p.on_execution("alpha", other, 0, Desk::kDay).correction, TradeCorrection::refused);
  EXPECT_EQ(ibm(d).qty, qty("40"));

  // FIX 4.2: ExecTransType cancel.
  Execution cancel42 = report_of("B1", '1', '0', "E8", "E1", "40", "10");
  cancel42.trans_type = '1';
  EXPECT_EQ(p.on_execution("alpha", cancel42, 0, Desk::kDay).correction, TradeCorrection::applied);
  EXPECT_EQ(ibm(d).qty, qty("0"));
  EXPECT_EQ(ibm(d).cost, money("0"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("100"));
}

TEST(Portfolio, ABustThatReopensADoneOrderCountsItOpenAgain) {
  Desk d{OrderLimits{}};
  Portfolio& p = d.portfolio();
  ASSERT_FALSE(d.buy("B1", "100", "11"));
  p.on_execution("alpha", report_of("B1", 'F', '2', "E1", "", "100", "10"), 0, Desk::kDay);
  EXPECT_EQ(ibm(d).open_orders, 0);
  // The venue busts the fill and says the order is open again for all 100.
  Execution bust = report_of("B1", 'H', '0', "E2", "E1");
  bust.leaves_qty = qty("100");
  bust.price = px("11");
  ASSERT_EQ(p.on_execution("alpha", bust, 0, Desk::kDay).correction, TradeCorrection::applied);
  EXPECT_EQ(ibm(d).qty, qty("0"));
  EXPECT_EQ(ibm(d).open_orders, 1);
  EXPECT_EQ(ibm(d).open[0].qty, qty("100"));
  EXPECT_EQ(ibm(d).open[0].notional, money("1100"));
  EXPECT_EQ(p.account("ACC1")->today(Desk::kDay).orders, 1) << "not one more of the day's orders";
  // Its later fill is the reopened order's.
  p.on_execution("alpha", report_of("B1", 'F', '1', "E3", "", "30", "10.5"), 0, Desk::kDay);
  EXPECT_EQ(ibm(d).qty, qty("30"));
  EXPECT_EQ(ibm(d).open[0].qty, qty("70"));

  // A bust that leaves its order done (cancelled) reopens nothing.
  ASSERT_FALSE(d.buy("B2", "10", "11"));
  p.on_execution("alpha", report_of("B2", 'F', '2', "E4", "", "10", "10"), 0, Desk::kDay);
  Execution closed = report_of("B2", 'H', '4', "E5", "E4");
  closed.leaves_qty = qty("0");
  ASSERT_EQ(p.on_execution("alpha", closed, 0, Desk::kDay).correction, TradeCorrection::applied);
  EXPECT_EQ(ibm(d).open_orders, 1);
  EXPECT_EQ(ibm(d).qty, qty("30"));
}

TEST(Portfolio, ACorrectionBooksTheFillAsIfItHadBeenSoFromTheStart) {
  // One desk lives through a fill that is busted and one that is corrected;
  // the other sees only what stands in the end. Both come out the same.
  Desk lived{OrderLimits{}}, straight{OrderLimits{}};
  for (Desk* d : {&lived, &straight}) {
    ASSERT_FALSE(d->buy("B1", "10", "100"));
    d->portfolio().on_execution("alpha", report_of("B1", 'F', '2', "E1", "", "10", "100"), 0, Desk::kDay);
    ASSERT_FALSE(d->sell("S1", "5", "110"));
  }
  Portfolio& p = lived.portfolio();
  p.on_execution("alpha", report_of("S1", 'F', '1', "E2", "", "4", "110"), 0, Desk::kDay);  // closes 4: +40
  p.on_execution("alpha", report_of("S1", 'F', '2', "E3", "", "1", "120"), 0, Desk::kDay);
  EXPECT_EQ(ibm(lived).realized, money("60"));
  EXPECT_EQ(p.on_execution("alpha", report_of("S1", 'H', '2', "E4", "E2"), 0, Desk::kDay).correction,
            TradeCorrection::applied);
  const ExecutionOutcome corrected =
      p.on_execution("alpha", report_of("S1", 'G', '2', "E5", "E3", "3", "121"), 0, Desk::kDay);
  EXPECT_EQ(corrected.correction, TradeCorrection::applied);
  EXPECT_TRUE(corrected.traded);
  straight.portfolio().on_execution("alpha", report_of("S1", 'F', '1', "X3", "", "3", "121"), 0, Desk::kDay);

  EXPECT_EQ(ibm(lived).qty, ibm(straight).qty);
  EXPECT_EQ(ibm(lived).qty, qty("7"));
  EXPECT_EQ(ibm(lived).cost, ibm(straight).cost);
  EXPECT_EQ(ibm(lived).realized, ibm(straight).realized);
  EXPECT_EQ(ibm(lived).realized, money("63"));
  // A correction without a price is not applied.
  EXPECT_EQ(p.on_execution("alpha", report_of("S1", 'G', '2', "E6", "E3", "2"), 0, Desk::kDay).correction,
            TradeCorrection::refused);
}

TEST(Portfolio, ALaterBustOrCorrectionMayNameACorrectionByItsOwnExecId) {
  Desk lived{OrderLimits{}}, straight{OrderLimits{}};
  for (Desk* d : {&lived, &straight}) ASSERT_FALSE(d->buy("B1", "100", "11"));
  Portfolio& p = lived.portfolio();
  p.on_execution("alpha", report_of("B1", 'F', '1', "E1", "", "40", "10"), 0, Desk::kDay);
  p.on_execution("alpha", report_of("B1", 'F', '1', "E2", "", "20", "10"), 0, Desk::kDay);
  // E1 corrected to 30 @ 10.5 by C1, C1 corrected to 25 @ 10.25 by C2.
  ASSERT_EQ(p.on_execution("alpha", report_of("B1", 'G', '1', "C1", "E1", "30", "10.5"), 0, Desk::kDay).correction,
            TradeCorrection::applied);
  ASSERT_EQ(p.on_execution("alpha", report_of("B1", 'G', '1', "C2", "C1", "25", "10.25"), 0, Desk::kDay).correction,
            TradeCorrection::applied);
  straight.portfolio().on_execution("alpha", report_of("B1", 'F', '1', "X1", "", "25", "10.25"), 0, Desk::kDay);
  straight.portfolio().on_execution("alpha", report_of("B1", 'F', '1', "X2", "", "20", "10"), 0, Desk::kDay);
  EXPECT_EQ(ibm(lived).qty, ibm(straight).qty);
  EXPECT_EQ(ibm(lived).cost, ibm(straight).cost);
  EXPECT_EQ(ibm(lived).open[0].qty, ibm(straight).open[0].qty);

  // A bust of the latest correction takes the fill back as it stands;
  // the fill is then gone by any of its names.
  ASSERT_EQ(p.on_execution("alpha", report_of("B1", 'H', '1', "B1", "C2"), 0, Desk::kDay).correction,
            TradeCorrection::applied);
  EXPECT_EQ(ibm(lived).qty, qty("20"));
  EXPECT_EQ(ibm(lived).cost, money("200"));
  EXPECT_EQ(ibm(lived).open[0].qty, qty("80"));
  for (const char* name : {"E1", "C1", "C2"})
    EXPECT_EQ(p.on_execution("alpha", report_of("B1", 'H', '1', "B2", name), 0, Desk::kDay).correction,
              TradeCorrection::refused)
        << name;

  // A correction whose ExecID is a fill's makes that ExecID name two: a
  // bust by it is not applied, one by the corrected fill's still is.
  p.on_execution("alpha", report_of("B1", 'F', '1', "E3", "", "5", "10"), 0, Desk::kDay);
  ASSERT_EQ(p.on_execution("alpha", report_of("B1", 'G', '1', "E3", "E2", "10", "10"), 0, Desk::kDay).correction,
            TradeCorrection::applied);
  EXPECT_EQ(p.on_execution("alpha", report_of("B1", 'H', '1', "B3", "E3"), 0, Desk::kDay).correction,
            TradeCorrection::refused);
  EXPECT_EQ(p.on_execution("alpha", report_of("B1", 'H', '1', "B4", "E2"), 0, Desk::kDay).correction,
            TradeCorrection::applied);
  EXPECT_EQ(ibm(lived).qty, qty("5"));
}

TEST(Portfolio, TotalPnlAfterABustIsAsIfTheFillHadNeverBeen) {
  // Fills of both sides that cross zero; each is busted in turn after all
  // the rest, against a portfolio that never had it. Total P&L (realized +
  // value - cost, at a mark) and the position must agree exactly.
  const std::vector<std::pair<const char*, const char*>> fills = {{"7", "100.5"},  {"-3", "101.25"}, {"-9", "99"},
                                                                  {"4", "102.75"}, {"-2", "98.5"},   {"6", "100"}};
  const auto book = [&](Portfolio& p, std::size_t skip) {
    for (std::size_t i = 0; i < fills.size(); ++i) {
      if (i == skip) continue;
      const bool sell = fills[i].first[0] == '-';
      Execution e = report_of("BEFORE", 'F', '2', "", "", fills[i].first + (sell ? 1 : 0), fills[i].second);
      const std::string id = "E" + std::to_string(i);
      e.exec_id = id;
      e.account = "ACC1";
      e.symbol = "IBM";
      e.side = sell ? '2' : '1';
      p.on_execution("alpha", e, 0, Desk::kDay);
    }
    p.set_mark("IBM", px("101"), 0);
  };
  for (std::size_t busted = 0; busted < fills.size(); ++busted) {
    Desk lived{OrderLimits{}}, never{OrderLimits{}};
    book(lived.portfolio(), fills.size());
    book(never.portfolio(), busted);
    const std::string id = "E" + std::to_string(busted);
    ASSERT_EQ(lived.portfolio()
                  .on_execution("alpha", report_of("BEFORE", 'H', '4', "B", id.c_str()), 0, Desk::kDay)
                  .correction,
              TradeCorrection::applied);
    EXPECT_EQ(ibm(lived).qty, ibm(never).qty) << "fill " << busted;
    EXPECT_EQ(lived.portfolio().account("ACC1")->pnl(), never.portfolio().account("ACC1")->pnl()) << "fill " << busted;
  }
}

TEST(Portfolio, FillsAreKeptForTheirDayAndTheNextAndAnExecIdUsedTwiceIsNotUndone) {
  Desk d{OrderLimits{}};
  Portfolio& p = d.portfolio();
  const auto fill = [&](const char* exec_id, int32_t day) {
    Execution e = report_of("BEFORE", 'F', '2', exec_id, "", "1", "10");
    e.account = "ACC1";
    e.symbol = "IBM";
    e.side = '1';
    p.on_execution("alpha", e, 0, day);
  };
  const auto bust = [&](const char* ref, int32_t day) {
    return p.on_execution("alpha", report_of("BEFORE", 'H', '4', "B", ref), 0, day).correction;
  };
  fill("D0", Desk::kDay);
  fill("D1", Desk::kDay + 1);
  EXPECT_EQ(bust("D0", Desk::kDay + 1), TradeCorrection::applied);
  fill("D2", Desk::kDay + 2);
  EXPECT_EQ(bust("D1", Desk::kDay + 2), TradeCorrection::applied);
  fill("D0b", Desk::kDay + 4);  // a gap of a day: all before it is gone
  EXPECT_EQ(bust("D2", Desk::kDay + 4), TradeCorrection::unknown);
  fill("TWICE", Desk::kDay + 4);
  fill("TWICE", Desk::kDay + 4);
  EXPECT_EQ(bust("TWICE", Desk::kDay + 4), TradeCorrection::refused);
  EXPECT_EQ(ibm(d).qty, qty("4"));  // six fills, two taken back
}

// A busy day: the fills' index grows many times (a few slots moved per
// fill), and a bust finds its fill wherever it is, that day and the next.
TEST(Portfolio, EveryFillOfABusyDayCanBeBustedWhileItsIndexGrows) {
  Desk d{OrderLimits{}};
  Portfolio& p = d.portfolio();
  const auto fill = [&](const std::string& exec_id, int32_t day) {
    Execution e = report_of("BEFORE", 'F', '2', exec_id.c_str(), "", "1", "10");
    e.account = "ACC1";
    e.symbol = "IBM";
    e.side = '1';
    p.on_execution("alpha", e, 0, day);
  };
  const auto bust = [&](const std::string& ref, const std::string& exec_id, int32_t day) {
    return p.on_execution("alpha", report_of("BEFORE", 'H', '4', exec_id.c_str(), ref.c_str()), 0, day).correction;
  };
  constexpr int kFills = 100000;
  int busted = 0;
  for (int i = 0; i < kFills; ++i) {
    fill("F" + std::to_string(i), Desk::kDay);
    if (i % 997 == 996) {  // one from long before: moved, or still to move
      ASSERT_EQ(bust("F" + std::to_string(i / 3), "B" + std::to_string(i), Desk::kDay), TradeCorrection::applied) << i;
      ++busted;
    }
  }
  fill("G0", Desk::kDay + 1);
  EXPECT_EQ(bust("F" + std::to_string(kFills - 1), "B-last", Desk::kDay + 1), TradeCorrection::applied);
  EXPECT_EQ(bust("F" + std::to_string(996 / 3), "B-again", Desk::kDay + 1), TradeCorrection::refused);
  EXPECT_EQ(bust("F" + std::to_string(kFills), "B-never", Desk::kDay + 1), TradeCorrection::unknown);
  EXPECT_EQ(ibm(d).qty, qty(std::to_string(kFills + 1 - busted - 1).c_str()));
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
  d.portfolio().set_mark("IBM", px("120"), 0);
  EXPECT_EQ(a.exposure.gross, money("2200"));
  EXPECT_EQ(a.unrealized, money("200"));
}

// A futures contract: every amount is price x quantity x its multiplier
// (ES: 50 per point), so a loss of 10 points on 2 contracts is 1,000.
TEST(Portfolio, AContractsAmountsAreAtItsMultiplier) {
  EngineConfig c;
  c.book.set_multiplier("ESZ6", Multiplier::from_int(50));
  Desk d{std::move(c)};
  const auto es = [&] { return *d.portfolio().position("ACC1", "ESZ6"); };
  ASSERT_FALSE(d.buy("B1", "2", "5000", "ESZ6"));
  EXPECT_EQ(es().open[0].notional, money("500000"));
  EXPECT_EQ(d.portfolio().account("ACC1")->open_notional, money("500000"));
  d.fill("B1", "2", "5000", 0, '2');
  EXPECT_EQ(es().cost, money("500000"));
  EXPECT_EQ(d.portfolio().account("ACC1")->today(Desk::kDay).traded, money("500000"));
  d.portfolio().set_mark("ESZ6", px("4990"), 0);
  EXPECT_EQ(es().value, money("499000"));
  EXPECT_EQ(d.portfolio().account("ACC1")->exposure.gross, money("499000"));
  EXPECT_EQ(d.portfolio().account("ACC1")->unrealized, money("-1000"));
  ASSERT_FALSE(d.sell("S1", "1", "5010.25", "ESZ6"));
  EXPECT_EQ(es().open[1].notional, money("250512.5"));
  d.fill("S1", "1", "5010.25", 0, '2');
  EXPECT_EQ(es().realized, money("512.5"));  // 10.25 points on one contract
  EXPECT_EQ(es().cost, money("250000"));
  // A bust takes the fill back at the same scale.
  Portfolio& p = d.portfolio();
  ASSERT_FALSE(d.sell("S2", "1", "4980", "ESZ6"));
  p.on_execution("alpha", report_of("S2", 'F', '2', "E2", "", "1", "4980"), 0, Desk::kDay);
  EXPECT_EQ(es().realized, money("-487.5"));  // 512.5 - 20 points x 50
  p.on_execution("alpha", report_of("S2", 'H', '1', "E3", "E2"), 0, Desk::kDay);
  EXPECT_EQ(es().realized, money("512.5"));
  EXPECT_EQ(es().cost, money("250000"));
  // Another symbol is not scaled.
  ASSERT_FALSE(d.buy("I1", "2", "5000"));
  EXPECT_EQ(ibm(d).open[0].notional, money("10000"));
}

// A bond quoted in percent of its face amount and traded in face amounts:
// its multiplier is 0.01, so a 32nd on a million is 312.5.
TEST(Portfolio, AFractionalMultiplierScalesEveryAmountExactly) {
  EngineConfig c;
  c.book.set_multiplier("UST10Y", *Multiplier::parse("0.01"));
  Desk d{std::move(c)};
  const auto bond = [&] { return *d.portfolio().position("ACC1", "UST10Y"); };
  ASSERT_FALSE(d.buy("B1", "1000000", "99.5", "UST10Y"));
  EXPECT_EQ(bond().open[0].notional, money("995000"));
  d.fill("B1", "1000000", "99.5", 0, '2');
  EXPECT_EQ(bond().cost, money("995000"));
  EXPECT_EQ(d.portfolio().account("ACC1")->today(Desk::kDay).traded, money("995000"));
  d.portfolio().set_mark("UST10Y", px("99.46875"), 0);  // down a 32nd
  EXPECT_EQ(bond().value, money("994687.5"));
  EXPECT_EQ(d.portfolio().account("ACC1")->unrealized, money("-312.5"));
  ASSERT_FALSE(d.sell("S1", "250000", "99.515625", "UST10Y"));
  d.fill("S1", "250000", "99.515625", 0, '2');
  EXPECT_EQ(bond().realized, money("39.0625"));  // half a 32nd on a quarter million
  EXPECT_EQ(bond().cost, money("746250"));
}

}  // namespace
}  // namespace fixguard::risk
