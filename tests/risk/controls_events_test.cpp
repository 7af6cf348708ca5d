// What venue reports and operator actions do to the trading controls: trips
// from fills and venue rejects, the pulls they ask for, and the records a
// restart puts back.
#include "risk/engine.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

constexpr int64_t kSecond = 1'000'000'000;

EngineConfig with_losses(const LossLimits& losses) {
  EngineConfig c;
  OrderLimits g;
  g.equity = money("10000");
  c.book.set(ScopeKind::global, "", g);
  c.controls.losses = losses;
  return c;
}

// What the venue says about `id`, through the engine as the router passes it.
void venue_says(Desk& d, const char* id, char exec_type, const char* q = nullptr, const char* p = nullptr,
                int64_t now_ns = 0) {
  Execution e;
  e.cl_ord_id = id;
  e.exec_type = exec_type;
  e.ord_status = exec_type == 'F' ? '2' : exec_type;
  e.symbol = "IBM";
  if (q) e.last_qty = qty(q);
  if (p) e.last_px = px(p);
  d.engine().on_execution("alpha", e, now_ns, Desk::kDay);
}

TEST(ControlsEvents, VenueRejectsInARowTripTheStopAndAskForAPull) {
  LossLimits losses;
  losses.max_consecutive_rejects = 3;
  Desk d(with_losses(losses));
  EXPECT_FALSE(d.engine().review("ACC1", 0, Desk::kDay));
  for (const char* id : {"A", "B"}) {
    ASSERT_EQ(text(d.buy(id, "1", "100")), "accepted");
    venue_says(d, id, '8');
  }
  ASSERT_EQ(text(d.buy("C", "1", "100")), "accepted");
  venue_says(d, "C", '0');  // an acknowledgement ends the run
  for (const char* id : {"D", "E"}) {
    ASSERT_EQ(text(d.buy(id, "1", "100")), "accepted");
    venue_says(d, id, '8');
  }
  EXPECT_TRUE(d.engine().take_pulls().empty());
  ASSERT_EQ(text(d.buy("F", "1", "100")), "accepted");
  venue_says(d, "F", '8', nullptr, nullptr, 5 * kSecond);
  const std::vector<Pull> pulls = d.engine().take_pulls();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].kind, ScopeKind::account);
  EXPECT_EQ(pulls[0].name, "ACC1");
  EXPECT_EQ(pulls[0].reason, "EMERGENCY_STOP (VENUE_REJECTS 3 in a row)");
  EXPECT_EQ(text(d.buy("G", "1", "100")), "EMERGENCY_STOP (VENUE_REJECTS 3 in a row) account=ACC1");
  EXPECT_TRUE(d.engine().take_pulls().empty()) << "a pull is asked for once";

  const uint32_t acc = *d.portfolio().find_account("ACC1");
  EXPECT_EQ(d.engine().controls().account_stop(acc)->phase(), EmergencyStop::Phase::tripped);
  d.engine().acted(pulls[0]);
  EXPECT_EQ(d.engine().controls().account_stop(acc)->phase(), EmergencyStop::Phase::cooling_down);
}

TEST(ControlsEvents, TheFillThatCrossesTheDailyLossTripsTheStop) {
  LossLimits losses;
  losses.max_daily_loss = money("1000");
  Desk d(with_losses(losses));
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  venue_says(d, "B1", 'F', "100", "100");
  ASSERT_EQ(text(d.sell("S1", "50", "90")), "accepted");
  venue_says(d, "S1", 'F', "50", "90");  // -500 realized, -500 open at the new mark 90: exactly at the limit
  EXPECT_TRUE(d.engine().take_pulls().empty());
  ASSERT_EQ(text(d.sell("S2", "50", "89.98")), "accepted");
  venue_says(d, "S2", 'F', "50", "89.98");  // -1001
  const std::vector<Pull> pulls = d.engine().take_pulls();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].reason, "EMERGENCY_STOP (DAILY_LOSS 1001 > 1000)");
}

TEST(ControlsEvents, AHaltingZoneAsksForOnePullAndAMarkReviewsEveryHolder) {
  LossLimits losses;
  losses.zones = {{*Percent::parse("8"), TradingState::halted, std::nullopt}};
  Desk d(with_losses(losses));
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  venue_says(d, "B1", 'F', "100", "100");
  d.engine().set_mark("IBM", px("92"), kSecond, Desk::kDay);  // -800: 8% down
  std::vector<Pull> pulls = d.engine().take_pulls();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].reason, "HALTED (DRAWDOWN 8% >= 8% from peak 10000)");
  d.engine().set_mark("IBM", px("91"), 2 * kSecond, Desk::kDay);
  EXPECT_TRUE(d.engine().take_pulls().empty()) << "still halted: no second pull";
  d.engine().set_mark("IBM", px("99"), 3 * kSecond, Desk::kDay);
  EXPECT_EQ(text(d.buy("B2", "1", "99")), "accepted") << "the zone follows equity back up";
}

TEST(ControlsEvents, ARestartFindsStatesStopsAndEquityAsTheyWere) {
  LossLimits losses;
  losses.max_daily_loss = money("500");
  losses.stop.cooldown_ns = 60 * kSecond;
  const EngineConfig config = with_losses(losses);
  std::vector<ControlsRecord> saved;
  {
    Desk d{EngineConfig(config)};
    ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
    venue_says(d, "B1", 'F', "100", "100");
    d.engine().set_state(ScopeKind::client, "alpha", TradingState::reduce_only, "alice: review");
    d.engine().set_mark("IBM", px("110"), kSecond, Desk::kDay);     // peak 11000
    d.engine().set_mark("IBM", px("94"), 2 * kSecond, Desk::kDay);  // -600: trips
    ASSERT_EQ(d.engine().take_pulls().size(), 1u);
    saved = d.engine().take_changes();
    EXPECT_TRUE(d.engine().take_changes().empty()) << "changes are taken once";
  }
  Desk restarted{EngineConfig(config)};
  restarted.engine().restore(saved);
  // Tripped but not known to be pulled: the pull is asked for again.
  const std::vector<Pull> pulls = restarted.engine().take_pulls();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].name, "ACC1");
  EXPECT_EQ(text(restarted.sell("S1", "1", "94")), "EMERGENCY_STOP (DAILY_LOSS 600 > 500) account=ACC1");
  const LossMonitor* m = restarted.engine().controls().monitor(*restarted.portfolio().find_account("ACC1"));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->peak_equity(), money("11000"));
  EXPECT_EQ(m->day_start_equity(), money("10000"));
  restarted.engine().acted(pulls[0]);
  EXPECT_EQ(restarted.engine().reset("ACC1", "alice", "reviewed", 30 * kSecond, Desk::kDay),
            "the emergency stop is cooling down (32 s left)")
      << "the cooldown runs from the trip before the restart";
  EXPECT_EQ(restarted.engine().reset("ACC1", "alice", "reviewed", 62 * kSecond, Desk::kDay), std::nullopt);
  EXPECT_EQ(text(restarted.buy("B2", "1", "94")), "REDUCE_ONLY (alice: review) client=alpha");
}

TEST(ControlsEvents, TheGlobalKillSwitchHaltsEveryAccountUntilReset) {
  EngineConfig c;
  c.controls.global_stop.cooldown_ns = 10 * kSecond;
  Desk d(std::move(c));
  EXPECT_TRUE(d.engine().trip("", "operator bob: runaway strategy", 0, Desk::kDay));
  EXPECT_FALSE(d.engine().trip("", "again", 0, Desk::kDay)) << "already tripped";
  const std::vector<Pull> pulls = d.engine().take_pulls();
  ASSERT_EQ(pulls.size(), 1u);
  EXPECT_EQ(pulls[0].kind, ScopeKind::global);
  EXPECT_EQ(text(d.buy("B1", "1", "100")), "EMERGENCY_STOP (operator bob: runaway strategy) global");
  d.engine().acted(pulls[0]);
  EXPECT_EQ(d.engine().reset("", "bob", "fixed", 5 * kSecond, Desk::kDay),
            "the emergency stop is cooling down (5 s left)");
  EXPECT_EQ(d.engine().reset("", "bob", "fixed", 10 * kSecond, Desk::kDay), std::nullopt);
  EXPECT_EQ(text(d.buy("B2", "1", "100")), "accepted");
}

}  // namespace
}  // namespace fixguard::risk
