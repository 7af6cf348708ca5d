#include "risk/emergency_stop.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(EmergencyStop, TripsOnceThenCoolsDownUntilAnOperatorResetsItAfterTheCooldown) {
  EmergencyStop stop;
  const EmergencyStop::Settings settings{60 * kSecond, false};
  EXPECT_EQ(stop.reset("alice", "why", settings, 0, 1), "the emergency stop is not tripped");
  ASSERT_TRUE(stop.trip("DAILY_LOSS 1200 > 1000", 10 * kSecond, 1));
  EXPECT_FALSE(stop.trip("DRAWDOWN 9% > 8%", 11 * kSecond, 1)) << "a tripped stop keeps its first reason";
  EXPECT_EQ(stop.phase(), EmergencyStop::Phase::tripped);
  EXPECT_EQ(stop.reason(), "DAILY_LOSS 1200 > 1000");
  EXPECT_EQ(stop.reset("alice", "why", settings, 100 * kSecond, 1),
            "the emergency stop's orders are still being cancelled");
  stop.acted();
  EXPECT_EQ(stop.phase(), EmergencyStop::Phase::cooling_down);
  EXPECT_EQ(stop.reset("alice", "losses reviewed", settings, 70 * kSecond - 1, 1),
            "the emergency stop is cooling down (1 s left)");
  EXPECT_EQ(stop.reset("alice", "losses reviewed", settings, 20 * kSecond, 1),
            "the emergency stop is cooling down (50 s left)");
  EXPECT_EQ(stop.reset("", "losses reviewed", settings, 70 * kSecond, 1), "a reset needs an operator and a reason");
  EXPECT_EQ(stop.reset("alice", "losses reviewed", settings, 70 * kSecond, 1), std::nullopt);
  EXPECT_TRUE(stop.armed());
  EXPECT_EQ(stop.last_reset(), "alice: losses reviewed");
}

TEST(EmergencyStop, ALockoutHoldsUntilTheNextTradingDay) {
  EmergencyStop stop;
  const EmergencyStop::Settings settings{0, true};
  ASSERT_TRUE(stop.trip("VENUE_REJECTS 5 in a row", 0, 7));
  stop.acted();
  EXPECT_EQ(stop.reset("bob", "venue fixed", settings, 3600 * kSecond, 7),
            "the account is locked out until the next trading day");
  EXPECT_EQ(stop.reset("bob", "venue fixed", settings, 3600 * kSecond, 8), std::nullopt);
}

}  // namespace
}  // namespace fixguard::risk
