// The protective-stop rule: an unprotected position alerts once after its
// grace period, and a stop on the opposite side placed in time prevents it.
#include "risk/engine.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

constexpr int64_t kSecond = 1'000'000'000;

EngineConfig with_rule(ProtectiveStopRule::Action action) {
  EngineConfig c;
  LossLimits losses;
  losses.protective_stop = ProtectiveStopRule{30 * kSecond, action};
  c.controls.account_losses.emplace("ACC1", losses);
  return c;
}

OrderRequest stop_order(const char* id, char side, const char* qty) {
  OrderRequest o = Desk::limit(id, side, qty, "90");
  o.ord_type = '3';
  o.price.reset();
  o.stop_price = px("90");
  return o;
}

TEST(ProtectiveStops, AnUnprotectedPositionAlertsOnceAfterTheGraceAndGoesReduceOnly) {
  Desk d(with_rule(ProtectiveStopRule::Action::reduce_only));
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  d.fill("B1", "100", "100", 0, '2');
  EXPECT_TRUE(d.engine().review_protective_stops(0).empty()) << "the grace period starts";
  EXPECT_TRUE(d.engine().review_protective_stops(30 * kSecond).empty()) << "exactly at the grace period";
  const auto alerts = d.engine().review_protective_stops(31 * kSecond);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].account, "ACC1");
  EXPECT_EQ(alerts[0].describe(), "PROTECTIVE_STOP IBM long 100 without a stop for 31s");
  EXPECT_TRUE(d.engine().review_protective_stops(60 * kSecond).empty()) << "once";
  EXPECT_EQ(text(d.buy("B2", "1", "100")),
            "REDUCE_ONLY (PROTECTIVE_STOP IBM long 100 without a stop for 31s) account=ACC1");
}

TEST(ProtectiveStops, AStopOnTheOppositeSidePlacedInTimePreventsTheAlert) {
  Desk d(with_rule(ProtectiveStopRule::Action::alert));
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  d.fill("B1", "100", "100", 0, '2');
  EXPECT_TRUE(d.engine().review_protective_stops(0).empty());
  ASSERT_EQ(text(d.submit(stop_order("X1", '1', "100"))), "accepted");  // a buy stop protects no long
  EXPECT_TRUE(d.engine().review_protective_stops(10 * kSecond).empty());
  ASSERT_EQ(text(d.submit(stop_order("S1", '2', "100"))), "accepted");
  EXPECT_TRUE(d.engine().review_protective_stops(20 * kSecond).empty());
  EXPECT_TRUE(d.engine().review_protective_stops(100 * kSecond).empty()) << "protected in time";
  d.report("S1", '4', '4');  // the stop is cancelled: the clock starts again
  EXPECT_TRUE(d.engine().review_protective_stops(110 * kSecond).empty());
  const auto alerts = d.engine().review_protective_stops(141 * kSecond);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].action, ProtectiveStopRule::Action::alert);
  EXPECT_EQ(text(d.buy("B2", "1", "100")), "accepted") << "an alert alone changes no state";
}

TEST(ProtectiveStops, AccountsWithoutTheRuleAndFlatPositionsNeverAlert) {
  Desk d(with_rule(ProtectiveStopRule::Action::alert));
  OrderRequest other = Desk::limit("O1", '1', "10", "100", "IBM", "ACC2");
  ASSERT_EQ(text(d.submit(other)), "accepted");
  d.fill("O1", "10", "100", 0, '2');
  ASSERT_EQ(text(d.buy("B1", "10", "100")), "accepted");  // open, not filled: flat
  EXPECT_TRUE(d.engine().review_protective_stops(0).empty());
  EXPECT_TRUE(d.engine().review_protective_stops(100 * kSecond).empty());
}

}  // namespace
}  // namespace fixguard::risk
