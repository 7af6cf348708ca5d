// Freezes and kill switches end to end: a real strategy, fixguard and the
// venue simulator. Losing fills trip the emergency stop at the fill that
// crosses the limit and fixguard pulls the open orders; drawdown zones narrow
// trading; venue rejects in a row trip the stop; a dropped strategy has its
// orders cancelled; a restart finds the controls as they were.
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

using proxy::SimulatorOptions;

FIX::Message order(const std::string& id, char side, const std::string& qty, const std::string& price) {
  FIX::Message m = new_order(id, qty, price);
  m.setField(FIX::Side(side));
  m.setField(FIX::Account("ACC1"));
  return m;
}

const std::string kLossLimits = R"(risk:
  limits:
    global: { equity: 10000, max_order_qty: 100 }
  controls:
    losses:
      max_daily_loss: 1000
      max_drawdown_percent: 50
      cooldown_s: 2
)";

class TradingControlsE2E : public ProxyTest {
 protected:
  // Sends `id` and waits for the venue's acknowledgement of it.
  void trade(const std::string& id, char side, const std::string& qty, const std::string& price) {
    ASSERT_TRUE(strategy->send("alpha", order(id, side, qty, price)));
    ASSERT_TRUE(wait_er("alpha", id, "0")) << id;
  }
  std::string reject_text(const std::string& id) {
    const auto r = strategy->wait_for(
        "alpha",
        [&](const std::string& m) { return field(m, 11) == id && (field(m, 35) == "9" || field(m, 39) == "8"); },
        kWait);
    return r ? field(*r, 58) : "(no answer)";
  }
  std::optional<std::string> reset(const std::string& account, const std::string& who, const std::string& why) {
    return gateway->call([&](proxy::Gateway& g) {
      auto refused = g.engine().reset(account, who, why, proxy::Router::now_ns(), g.router().today());
      g.router().settle();
      return refused;
    });
  }
};

TEST_F(TradingControlsE2E, LosingFillsTripTheDailyLossAtTheCrossingFillAndPullEveryOpenOrder) {
  // Half of each order fills at its limit price; the rest rests at the venue.
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLossLimits), fills(SimulatorOptions::Fill::partial));
  connect({"alpha"});
  trade("B1", '1', "100", "100");  // 50 filled at 100
  trade("S1", '2', "40", "95");    // 20 at 95: realized -100, 30 long at 95 -150: -250
  trade("S2", '2', "40", "85");    // 20 at 85: realized -400, 10 long at 85 -150: -550
  trade("S3", '2', "20", "60");    // 10 at 60: realized -800, flat: -800
  trade("S4", '1', "20", "80");    // 10 long at 80
  trade("S5", '2', "12", "60");    // 6 at 60: realized -920, 4 long at 60 -80: -1000, exactly the limit
  const auto before = gateway->call([](proxy::Gateway& g) { return g.engine().take_pulls().size(); });
  EXPECT_EQ(before, 0u) << "exactly at the limit does not trip";
  EXPECT_TRUE(venue->received("F").empty());

  trade("S6", '2', "2", "59.99");  // 1 at 59.99: realized -940.01, 3 long at 59.99 -60.03: -1000.04
  // Every order still open at the venue is pulled by fixguard's own cancels,
  // and the strategy hears of each as an unsolicited cancel.
  ASSERT_TRUE(venue->wait_received("F", 7, kWait)) << venue->received("F").size();
  std::set<std::string> pulled;
  for (const std::string& f : venue->received("F")) {
    EXPECT_EQ(field(f, 11).rfind("alpha-FG-", 0), 0u) << f;
    EXPECT_EQ(field(f, 1), "ACC1");
    pulled.insert(field(f, 41));
  }
  EXPECT_EQ(pulled, (std::set<std::string>{"alpha-B1", "alpha-S1", "alpha-S2", "alpha-S3", "alpha-S4", "alpha-S5",
                                           "alpha-S6"}));
  for (const char* id : {"B1", "S1", "S6"})
    EXPECT_TRUE(strategy->wait_for(
        "alpha", [&](const std::string& m) { return field(m, 150) == "4" && field(m, 41) == id; }, kWait))
        << id;

  ASSERT_TRUE(strategy->send("alpha", order("N1", '1', "1", "60")));
  EXPECT_EQ(reject_text("N1"), "EMERGENCY_STOP (DAILY_LOSS 1000.04 > 1000) account=ACC1");
  EXPECT_EQ(reset("ACC1", "alice", "losses reviewed"), "the emergency stop is cooling down (2 s left)");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(reset("ACC1", "", "no name"), "a reset needs an operator and a reason");
  EXPECT_EQ(reset("ACC1", "alice", "losses reviewed"), std::nullopt);
  trade("N2", '1', "1", "60");
}

const std::string kZones = R"(risk:
  limits:
    global: { equity: 10000, max_order_qty: 100 }
  controls:
    losses:
      drawdown_zones:
        - { at_percent: 5, size_factor: 0.5 }
        - { at_percent: 6, state: reduce_only }
        - { at_percent: 8, state: halted }
)";

TEST_F(TradingControlsE2E, DrawdownZonesScaleTheSizeThenReduceOnlyThenOnlyCancels) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kZones), fills(SimulatorOptions::Fill::full));
  connect({"alpha"});
  trade("B1", '1', "100", "100");  // filled: long 100 at 100
  ASSERT_TRUE(wait_er("alpha", "B1", "F"));
  venue->set_fill(SimulatorOptions::Fill::none);  // from now on orders rest
  const auto mark = [&](const char* price) {
    gateway->call([&](proxy::Gateway& g) {
      g.engine().set_mark("IBM", *risk::Price::parse(price), proxy::Router::now_ns(), g.router().today());
      g.router().settle();
      return 0;
    });
  };
  mark("95");  // 5% down: caution, max_order_qty 100 x 0.5
  ASSERT_TRUE(strategy->send("alpha", order("C1", '1', "51", "95")));
  EXPECT_EQ(reject_text("C1"), "MAX_ORDER_QTY 51 > 50 global");
  trade("C2", '1', "50", "95");

  mark("94");  // 6%: reduce-only
  ASSERT_TRUE(strategy->send("alpha", order("R1", '1', "1", "94")));
  EXPECT_EQ(reject_text("R1"), "REDUCE_ONLY (DRAWDOWN 6% >= 6% from peak 10000) account=ACC1");
  trade("R2", '2', "40", "94");  // closes part of the long, even counting C2 as filled

  mark("92");  // 8%: halted, and the open orders are pulled
  ASSERT_TRUE(venue->wait_received("F", 2, kWait));
  std::set<std::string> pulled;
  for (const std::string& f : venue->received("F")) pulled.insert(field(f, 41));
  EXPECT_EQ(pulled, (std::set<std::string>{"alpha-C2", "alpha-R2"}));
  ASSERT_TRUE(strategy->send("alpha", order("H1", '2', "1", "92")));
  EXPECT_EQ(reject_text("H1"), "HALTED (DRAWDOWN 8% >= 8% from peak 10000) account=ACC1");
  // A cancel still goes to the venue.
  FIX::Message c = cancel("H2", "C2", "50");
  c.setField(FIX::Account("ACC1"));
  ASSERT_TRUE(strategy->send("alpha", c));
  ASSERT_TRUE(venue->wait_received("F", 3, kWait));
  EXPECT_EQ(field(venue->received("F").back(), 11), "alpha-H2");
  EXPECT_EQ(venue->received("D").size(), 3u) << "B1, C2, R2: nothing refused reached the venue";
}

TEST_F(TradingControlsE2E, VenueRejectsInARowTripTheStop) {
  SimulatorOptions sim = fills(SimulatorOptions::Fill::none);
  sim.reject_percent = 100;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk:\n  limits: { global: { equity: 10000 } }\n"
                        "  controls: { losses: { max_consecutive_rejects: 3 } }\n"),
        sim);
  connect({"alpha"});
  for (const char* id : {"V1", "V2", "V3"}) {
    ASSERT_TRUE(strategy->send("alpha", order(id, '1', "1", "100")));
    ASSERT_TRUE(wait_er("alpha", id, "8")) << id;
  }
  ASSERT_TRUE(strategy->send("alpha", order("V4", '1', "1", "100")));
  EXPECT_EQ(reject_text("V4"), "EMERGENCY_STOP (VENUE_REJECTS 3 in a row) account=ACC1");
  EXPECT_EQ(venue->received("D").size(), 3u);
}

TEST_F(TradingControlsE2E, AStrategyThatDropsHasItsOpenOrdersCancelled) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "    cancel_on_disconnect: true\n"),
        fills(SimulatorOptions::Fill::none));
  connect({"alpha", "beta"});
  trade("A1", '1', "10", "100");
  trade("A2", '2', "10", "101");
  ASSERT_TRUE(strategy->send("beta", new_order("B1", "10", "100")));
  ASSERT_TRUE(venue->wait_received("D", 3, kWait));
  strategy->stop(false);  // the processes die: no Logout
  ASSERT_TRUE(venue->wait_received("F", 3, kWait));
  std::set<std::string> pulled;
  for (const std::string& f : venue->received("F")) pulled.insert(field(f, 41));
  EXPECT_EQ(pulled, (std::set<std::string>{"alpha-A1", "alpha-A2", "beta-B1"}));
}

TEST_F(TradingControlsE2E, ACleanLogoutCancelsOnlyWithCancelOnLogout) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "    cancel_on_disconnect: true\n"),
        fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  trade("A1", '1', "10", "100");
  strategy->stop(true);
  ASSERT_TRUE(eventually([&] { return gateway->call([](proxy::Gateway& g) { return !g.slot("alpha")->logged_on(); }); },
                         kWait));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(venue->received("F").empty());
}

TEST_F(TradingControlsE2E, ARestartComesBackHaltedWithTheSamePeakAndDayStartEquity) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLossLimits), fills(SimulatorOptions::Fill::full));
  connect({"alpha"});
  trade("B1", '1', "100", "100");
  trade("B2", '1', "10", "110");  // the mark goes to 110: peak 11000
  trade("S1", '2', "100", "88");  // 110 long at 88 against a cost of 11100: -1420, trips
  ASSERT_TRUE(wait_er("alpha", "S1", "F")) << "the fill that trips, before the next order";
  ASSERT_TRUE(strategy->send("alpha", order("N1", '1', "1", "88")));
  const std::string stopped = "EMERGENCY_STOP (DAILY_LOSS 1420 > 1000) account=ACC1";
  EXPECT_EQ(reject_text("N1"), stopped);
  gateway->call([](proxy::Gateway& g) {
    g.engine().set_state(risk::ScopeKind::account, "ACC1", risk::TradingState::reduce_only, "operator alice: review");
    g.router().settle();
    return 0;
  });
  using Equity = std::pair<std::string, std::string>;
  const auto equity = [&] {
    return gateway->call([](proxy::Gateway& g) {
      const auto id = g.engine().portfolio().find_account("ACC1");
      const risk::LossMonitor* m = id ? g.engine().controls().monitor(*id) : nullptr;
      return m ? Equity{m->peak_equity().to_string(), m->day_start_equity().to_string()} : Equity{};
    });
  };
  EXPECT_EQ(equity(), Equity("11000", "10000"));

  gateway->kill();  // as a crash
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  EXPECT_EQ(equity(), Equity("11000", "10000"));
  ASSERT_TRUE(strategy->send("alpha", order("N2", '2', "1", "88")));
  EXPECT_EQ(reject_text("N2"), stopped);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the cooldown
  EXPECT_EQ(reset("ACC1", "alice", "reviewed"), std::nullopt);
  ASSERT_TRUE(strategy->send("alpha", order("N3", '1', "1", "88")));
  EXPECT_EQ(reject_text("N3"), "REDUCE_ONLY (operator alice: review) account=ACC1");
}

const std::string kProtectiveStop = R"(risk:
  controls:
    losses:
      protective_stop: { grace_s: 1, action: reduce_only }
)";

TEST_F(TradingControlsE2E, APositionWithoutAStopAlertsAfterTheGraceAndGoesReduceOnly) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kProtectiveStop), fills(SimulatorOptions::Fill::full));
  connect({"alpha"});
  trade("B1", '1', "100", "100");
  ASSERT_TRUE(wait_er("alpha", "B1", "F"));
  ASSERT_TRUE(log.wait_for("alert: account ACC1 PROTECTIVE_STOP IBM long 100 without a stop for", 5000));
  ASSERT_TRUE(strategy->send("alpha", order("B2", '1', "1", "100")));
  const std::string text = reject_text("B2");
  EXPECT_EQ(text.rfind("REDUCE_ONLY (PROTECTIVE_STOP IBM long 100 without a stop for ", 0), 0u) << text;
}

TEST_F(TradingControlsE2E, AnUnprotectedPositionIsClosedWhenTheRuleSaysFlatten) {
  LogCapture log;
  std::string limits = kProtectiveStop;
  limits.replace(limits.find("reduce_only"), 11, "flatten");
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", limits), fills(SimulatorOptions::Fill::full));
  connect({"alpha"});
  FIX::Message msft = order("M1", '1', "50", "300");
  msft.setField(FIX::Symbol("MSFT"));
  ASSERT_TRUE(strategy->send("alpha", msft));
  ASSERT_TRUE(wait_er("alpha", "M1", "F"));
  FIX::Message stop = order("STP", '2', "50", "280");  // protects MSFT
  stop.setField(FIX::Symbol("MSFT"));
  stop.setField(FIX::OrdType(FIX::OrdType_STOP));
  stop.removeField(FIX::FIELD::Price);
  stop.setField(FIX::StopPx(280));
  ASSERT_TRUE(strategy->send("alpha", stop));
  ASSERT_TRUE(wait_er("alpha", "STP", "0"));
  trade("B1", '1', "100", "100");  // IBM, unprotected
  trade("S1", '2', "30", "50");
  ASSERT_TRUE(log.wait_for("alert: account ACC1 PROTECTIVE_STOP IBM long 70 without a stop for", 5000));
  ASSERT_TRUE(venue->wait_received("D", 5, kWait));
  const std::string flat = venue->received("D")[4];
  EXPECT_EQ(field(flat, 11).rfind("alpha-FGF-", 0), 0u) << flat;
  EXPECT_EQ(field(flat, 55), "IBM");
  EXPECT_EQ(field(flat, 54), "2");
  EXPECT_EQ(field(flat, 38), "70");
  EXPECT_EQ(field(flat, 40), "1");
  const auto qty = [&](const char* symbol) {
    return gateway->call([symbol](proxy::Gateway& g) {
      const risk::PositionState* p = g.engine().portfolio().position("ACC1", symbol);
      return p ? p->qty.to_string() : std::string("none");
    });
  };
  EXPECT_TRUE(eventually([&] { return qty("IBM") == "0"; }, kWait)) << qty("IBM");
  EXPECT_EQ(qty("MSFT"), "50") << "the protected position stays";
  EXPECT_FALSE(log.contains("PROTECTIVE_STOP MSFT"));
  // The account is not restricted: the rule closed the one position only.
  trade("B2", '1', "1", "100");
}

TEST_F(TradingControlsE2E, AStopPlacedInTimePreventsTheAlert) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kProtectiveStop), fills(SimulatorOptions::Fill::full));
  connect({"alpha"});
  trade("B1", '1', "100", "100");
  FIX::Message stop = order("STP", '2', "100", "90");
  stop.setField(FIX::OrdType(FIX::OrdType_STOP));
  stop.removeField(FIX::FIELD::Price);
  stop.setField(FIX::StopPx(90));
  ASSERT_TRUE(strategy->send("alpha", stop));
  ASSERT_TRUE(wait_er("alpha", "STP", "0"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past the grace period, two reviews
  EXPECT_FALSE(log.contains("PROTECTIVE_STOP"));
  trade("B2", '1', "1", "100");
}

TEST_F(TradingControlsE2E, AfterTheVenueSessionIsLostOpenOrdersAreReconciledBeforeNewOnesPass) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port), fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  trade("O1", '1', "10", "100");
  trade("O2", '2', "10", "101");
  venue->stop();  // the venue goes away; its book stays
  ASSERT_TRUE(log.wait_for("venue session lost: 2 open orders in an unknown state", kWait));
  ASSERT_TRUE(strategy->send("alpha", order("N1", '1', "1", "100")));
  EXPECT_EQ(reject_text("N1"), "venue sim is not connected");

  venue->start();
  ASSERT_TRUE(venue->wait_received("H", 2, 10000));
  std::set<std::string> asked;
  for (const std::string& h : venue->received("H")) asked.insert(field(h, 11));
  EXPECT_EQ(asked, (std::set<std::string>{"alpha-O1", "alpha-O2"}));
  // The strategy hears the state of each order.
  for (const char* id : {"O1", "O2"})
    EXPECT_TRUE(strategy->wait_for(
        "alpha", [&](const std::string& m) { return field(m, 150) == "I" && field(m, 11) == id; }, kWait))
        << id;
  ASSERT_TRUE(log.wait_for("reconciled: every open order confirmed", kWait));
  trade("N2", '1', "1", "100");
}

TEST_F(TradingControlsE2E, WithFlattenOnTripATripClosesThePositionsAtMarket) {
  std::string limits = kLossLimits;
  limits.replace(limits.find("      cooldown_s: 2"), 19, "      cooldown_s: 2\n      flatten_on_trip: true");
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", limits), fills(SimulatorOptions::Fill::full));
  connect({"alpha"});
  trade("B1", '1', "100", "100");
  ASSERT_TRUE(wait_er("alpha", "B1", "F"));
  gateway->call([](proxy::Gateway& g) {  // an operator's mark: -1500
    g.engine().set_mark("IBM", risk::Price::from_int(85), proxy::Router::now_ns(), g.router().today());
    g.router().settle();
    return 0;
  });
  ASSERT_TRUE(venue->wait_received("D", 2, kWait));
  const std::string flat = venue->received("D")[1];
  EXPECT_EQ(field(flat, 11).rfind("alpha-FGF-", 0), 0u) << flat;
  EXPECT_EQ(field(flat, 1), "ACC1");
  EXPECT_EQ(field(flat, 54), "2");
  EXPECT_EQ(field(flat, 38), "100");
  EXPECT_EQ(field(flat, 40), "1");
  EXPECT_EQ(field(flat, 59), "3");
  EXPECT_TRUE(eventually(
      [&] {
        return gateway->call([](proxy::Gateway& g) {
          const risk::PositionState* p = g.engine().portfolio().position("ACC1", "IBM");
          return p && p->qty.is_zero();
        });
      },
      kWait))
      << "the position is flat once the venue fills the closing order";
}

}  // namespace
}  // namespace fixguard::testing
