// Position, exposure, leverage, buying-power and turnover checks through
// the proxy: the state comes from what fixguard forwarded and what the venue
// simulator reported back; each rule is triggered by a real strategy
// session, its reject fields are asserted, and the venue never sees the
// rejected order.
#include "tests/support/proxy_fixture.h"

#include <filesystem>
#include <fstream>
#include <set>

namespace fixguard::testing {
namespace {

// One account per rule, so the rules do not meet.
const std::string kLimits = R"(risk:
  limits_version: e2e-1
  limits:
    accounts:
      LONG: { max_long_qty: 100 }
      SHORT: { max_short_qty: 50 }
      LNOT: { max_long_notional: 1000 }
      SNOT: { max_short_notional: 1000 }
      OPEN: { max_open_orders: 2 }
      INSTR: { max_open_orders_per_instrument: 1 }
      POS: { max_positions: 1 }
      GROSS: { max_gross_exposure: 2000 }
      NET: { max_net_exposure: 1000 }
      LEV: { equity: 1000, max_leverage: 2 }
      ILEV: { equity: 1000 }
      BP: { equity: 1000, buying_power: true }
      DAYN: { max_daily_notional: 1500 }
      MINN: { max_minute_notional: 1500 }
      DAYO: { max_daily_orders: 1 }
      MINO: { max_minute_orders: 1 }
      DAYF: { max_daily_fills: 1 }
      MINF: { max_minute_fills: 1 }
    instruments:
      GME: { max_instrument_leverage: 0.5 }
    groups:
      energy: { symbols: [XOM, CVX], max_group_gross_exposure: 1500 }
      banks: { symbols: [JPM, BAC], max_group_net_exposure: 1000 }
)";

struct Step {
  const char* id;
  const char* account;
  const char* symbol;
  char side;
  const char* qty;
  const char* price;
  const char* reject;  // nullptr: accepted
};

FIX::Message order(const Step& s) {
  FIX::Message m = new_order(s.id, s.qty, s.price, s.symbol);
  m.setField(FIX::Account(s.account));
  m.setField(FIX::Side(s.side));
  return m;
}

class PortfolioChecks : public ProxyTest {
 protected:
  // Sends each step in turn and checks its answer.
  void run(const std::vector<Step>& steps, const char* accepted_exec_type) {
    for (const Step& s : steps) {
      SCOPED_TRACE(s.id);
      ASSERT_TRUE(strategy->send("alpha", order(s)));
      if (!s.reject) {
        ASSERT_TRUE(wait_er("alpha", s.id, accepted_exec_type));
        continue;
      }
      const auto er = wait_er("alpha", s.id, "8");
      ASSERT_TRUE(er);
      EXPECT_EQ(field(*er, 39), "8");
      EXPECT_EQ(field(*er, 103), "3");
      EXPECT_EQ(field(*er, 58), s.reject);
      EXPECT_EQ(field(*er, 1), s.account);
    }
    // The venue saw every accepted order and none of the rejected ones.
    std::set<std::string> seen;
    for (const std::string& d : venue->received("D")) seen.insert(field(d, 11));
    for (const Step& s : steps) EXPECT_EQ(seen.count("alpha-" + std::string(s.id)), s.reject ? 0u : 1u) << s.id;
  }
};

TEST_F(PortfolioChecks, PositionAndOpenOrderLimitsCountRestingOrders) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  run(
      {
          {"L1", "LONG", "IBM", '1', "60", "10", nullptr},
          {"L2", "LONG", "IBM", '1', "41", "10", "MAX_LONG_QTY 101 > 100 account=LONG"},
          {"L3", "LONG", "IBM", '1', "40", "10", nullptr},
          {"S1", "SHORT", "IBM", '2', "51", "10", "MAX_SHORT_QTY 51 > 50 account=SHORT"},
          {"N1", "LNOT", "IBM", '1', "100", "10.01", "MAX_LONG_NOTIONAL 1001 > 1000 account=LNOT"},
          {"N2", "SNOT", "IBM", '2', "100", "10.01", "MAX_SHORT_NOTIONAL 1001 > 1000 account=SNOT"},
          {"O1", "OPEN", "IBM", '1', "1", "10", nullptr},
          {"O2", "OPEN", "MSFT", '1', "1", "10", nullptr},
          {"O3", "OPEN", "AAPL", '1', "1", "10", "MAX_OPEN_ORDERS 3 > 2 account=OPEN"},
          {"I1", "INSTR", "IBM", '1', "1", "10", nullptr},
          {"I2", "INSTR", "IBM", '2', "1", "11", "MAX_OPEN_ORDERS_INSTRUMENT 2 > 1 account=INSTR"},
          {"I3", "INSTR", "MSFT", '1', "1", "10", nullptr},
          {"P1", "POS", "IBM", '1', "1", "10", nullptr},
          {"P2", "POS", "MSFT", '1', "1", "10", "MAX_POSITIONS 2 > 1 account=POS"},
      },
      "0");
}

TEST_F(PortfolioChecks, ExposureLeverageAndBuyingPower) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  run(
      {
          {"G1", "GROSS", "IBM", '1', "100", "10", nullptr},
          {"G2", "GROSS", "MSFT", '2', "100", "10", nullptr},
          {"G3", "GROSS", "AAPL", '1', "1", "0.01", "MAX_GROSS_EXPOSURE 2000.01 > 2000 account=GROSS"},
          {"E1", "NET", "IBM", '1', "100", "10", nullptr},
          {"E2", "NET", "MSFT", '1', "1", "0.01", "MAX_NET_EXPOSURE 1000.01 > 1000 account=NET"},
          {"E3", "NET", "MSFT", '2', "100", "10", nullptr},  // offsets: both directions at 1000
          {"V1", "LEV", "IBM", '1', "200", "10", nullptr},
          {"V2", "LEV", "MSFT", '1', "1", "0.01", "MAX_LEVERAGE 2000.01 > 2x equity 1000 account=LEV"},
          {"V3", "ILEV", "GME", '1', "50", "10", nullptr},
          {"V4", "ILEV", "GME", '1', "1", "0.01", "MAX_INSTRUMENT_LEVERAGE 500.01 > 0.5x equity 1000 instrument=GME"},
          {"B1", "BP", "IBM", '1', "60", "10", nullptr},
          {"B2", "BP", "MSFT", '1', "40.01", "10", "BUYING_POWER 400.1 > 400 account=BP"},
          {"Y1", "GRP1", "XOM", '1', "100", "10", nullptr},
          {"Y2", "GRP1", "CVX", '2', "50", "10", nullptr},
          {"Y3", "GRP1", "CVX", '2', "0.01", "1", "MAX_GROUP_GROSS_EXPOSURE 1500.01 > 1500 group=energy"},
          {"Y4", "GRP1", "IBM", '1', "500", "10", nullptr},  // not in the group
          {"Z1", "GRP2", "JPM", '1', "100", "10", nullptr},
          {"Z2", "GRP2", "BAC", '1', "0.01", "1", "MAX_GROUP_NET_EXPOSURE 1000.01 > 1000 group=banks"},
      },
      "0");
}

TEST_F(PortfolioChecks, TurnoverAndFillCountsFollowTheVenuesFills) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits), fills(proxy::SimulatorOptions::Fill::full));
  connect({"alpha"});
  run(
      {
          {"D1", "DAYN", "IBM", '1', "100", "10", nullptr},
          {"D2", "DAYN", "IBM", '2', "50.01", "10", "MAX_DAILY_NOTIONAL 1500.1 > 1500 account=DAYN"},
          {"M1", "MINN", "IBM", '1', "100", "10", nullptr},
          {"M2", "MINN", "IBM", '1', "50.01", "10", "MAX_MINUTE_NOTIONAL 1500.1 > 1500 account=MINN"},
          {"C1", "DAYO", "IBM", '1', "1", "10", nullptr},
          {"C2", "DAYO", "IBM", '1', "1", "10", "MAX_DAILY_ORDERS 2 > 1 account=DAYO"},
          {"C3", "MINO", "IBM", '1', "1", "10", nullptr},
          {"C4", "MINO", "IBM", '1', "1", "10", "MAX_MINUTE_ORDERS 2 > 1 account=MINO"},
          {"F1", "DAYF", "IBM", '1', "1", "10", nullptr},
          {"F2", "DAYF", "IBM", '1', "1", "10", "MAX_DAILY_FILLS 1 >= 1 account=DAYF"},
          {"F3", "MINF", "IBM", '1', "1", "10", nullptr},
          {"F4", "MINF", "IBM", '1', "1", "10", "MAX_MINUTE_FILLS 1 >= 1 account=MINF"},
          // A filled position counts toward the position limit like an open order.
          {"P1", "POS", "IBM", '1', "5", "10", nullptr},
          {"P2", "POS", "MSFT", '1', "1", "10", "MAX_POSITIONS 2 > 1 account=POS"},
      },
      "F");
}

TEST_F(PortfolioChecks, AReplaceIsCheckedAsItsNewOrderAndRefusedWithAnOrderCancelReject) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", order({"R1", "LONG", "IBM", '1', "60", "10", nullptr})));
  ASSERT_TRUE(wait_er("alpha", "R1", "0"));
  FIX::Message g = replace("R2", "R1", "101", "10");
  g.setField(FIX::Account("LONG"));
  ASSERT_TRUE(strategy->send("alpha", g));
  const auto cxl = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9"; }, kWait);
  ASSERT_TRUE(cxl);
  EXPECT_EQ(field(*cxl, 102), "99");
  EXPECT_EQ(field(*cxl, 58), "MAX_LONG_QTY 101 > 100 account=LONG");
  EXPECT_TRUE(venue->received("G").empty());
  // Replacing down to the limit passes: 60 becomes 100, not 160.
  FIX::Message ok = replace("R3", "R1", "100", "10");
  ok.setField(FIX::Account("LONG"));
  ASSERT_TRUE(strategy->send("alpha", ok));
  ASSERT_TRUE(wait_er("alpha", "R3", "5"));
  EXPECT_EQ(venue->received("G").size(), 1u);
}

TEST_F(ProxyTest, RejectsNameTheLimitsVersionInTheLog) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", order({"V1", "LONG", "IBM", '1', "101", "10", nullptr})));
  ASSERT_TRUE(wait_er("alpha", "V1", "8"));
  EXPECT_TRUE(log.contains("rejected D ClOrdID=V1: MAX_LONG_QTY 101 > 100 account=LONG (limits e2e-1)"));
}

}  // namespace
}  // namespace fixguard::testing

namespace fixguard::testing {
namespace {

void write_file(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << text;
  std::filesystem::rename(tmp, path);  // atomically, as operators are told to
}

TEST_F(ProxyTest, AnOperatorPushesReferencePricesThroughTheMarksFile) {
  LogCapture log;
  const std::string marks = dir.path() + "/marks.txt";
  write_file(marks, "# symbol price\nIBM 100\n");
  const std::string limits = "risk:\n  marks_file: " + marks + "\n  limits:\n    global: { collar_percent: 10 }\n";
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", limits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("M1", "10", "111")));
  const auto collared = wait_er("alpha", "M1", "8");
  ASSERT_TRUE(collared);
  EXPECT_EQ(field(*collared, 58), "PRICE_COLLAR 111 more than 10% from 100 global");

  write_file(marks, "IBM 105\nMSFT 300.5\n");
  ASSERT_TRUE(eventually([&] { return log.contains("2 reference prices applied from " + marks); }, 5000));
  ASSERT_TRUE(strategy->send("alpha", new_order("M2", "10", "111")));
  EXPECT_TRUE(wait_er("alpha", "M2", "0"));

  // A bad file changes nothing and says why.
  write_file(marks, "IBM 90\nMSFT cheap\n");
  ASSERT_TRUE(eventually([&] { return log.contains("marks file not applied: " + marks + ":2: price 'cheap'"); }, 5000));
  ASSERT_TRUE(strategy->send("alpha", new_order("M3", "10", "111")));
  EXPECT_TRUE(wait_er("alpha", "M3", "0"));
  EXPECT_EQ(venue->received("D").size(), 2u);

  // The marks are journaled: a replay of the journal decides as live.
  stop_all();
  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("3 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("3 actions on the engine taken again"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace fixguard::testing
