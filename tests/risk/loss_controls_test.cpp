#include "risk/loss_controls.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

Percent pct(const char* s) { return *Percent::parse(s); }

TEST(LossMonitor, TheDailyLossTripsPastTheLimitNotAtIt) {
  LossLimits l;
  l.max_daily_loss = money("1000");
  LossMonitor m(money("10000"), 1);
  EXPECT_FALSE(m.review(l, money("9000"), Notional(), 1).trip) << "exactly the limit";
  const auto r = m.review(l, money("8999.99"), Notional(), 1);
  ASSERT_TRUE(r.trip);
  EXPECT_EQ(*r.trip, "DAILY_LOSS 1000.01 > 1000");
}

TEST(LossMonitor, ADailyLossInPercentIsOfTheDayStartEquityWhichANewDayCaptures) {
  LossLimits l;
  l.max_daily_loss_percent = pct("5");
  LossMonitor m(money("10000"), 1);
  EXPECT_FALSE(m.review(l, money("9500"), Notional(), 1).trip);
  // Next day starts at 9500: 5% of it is 475.
  EXPECT_FALSE(m.review(l, money("9500"), Notional(), 2).trip);
  EXPECT_EQ(m.day_start_equity(), money("9500"));
  EXPECT_FALSE(m.review(l, money("9025"), Notional(), 2).trip);
  const auto r = m.review(l, money("9024.99"), Notional(), 2);
  ASSERT_TRUE(r.trip);
  EXPECT_EQ(*r.trip, "DAILY_LOSS 5% > 5% of day-start equity 9500");
}

TEST(LossMonitor, ALossNearTheRangesEndIsStatedAsAHugeShareNotAWrappedOne) {
  LossLimits l;
  l.max_daily_loss_percent = pct("5");
  LossMonitor m(money("10000"), 1);
  // A loss x 10000 past 128 bits (sums saturate near 1.7e22).
  const auto r = m.review(l, money("-10000000000000000000000"), Notional(), 1);
  ASSERT_TRUE(r.trip);
  EXPECT_EQ(*r.trip, "DAILY_LOSS 92233720368547758.07% > 5% of day-start equity 10000");
}

TEST(LossMonitor, DrawdownIsFromThePeakWhichOnlyRises) {
  LossLimits l;
  l.max_drawdown_percent = pct("8");
  LossMonitor m(money("10000"), 1);
  EXPECT_FALSE(m.review(l, money("12000"), Notional(), 1).trip);
  EXPECT_FALSE(m.review(l, money("11040"), Notional(), 1).trip) << "8% of 12000 is 960: exactly at it";
  EXPECT_EQ(m.peak_equity(), money("12000"));
  const auto r = m.review(l, money("11039"), Notional(), 1);
  ASSERT_TRUE(r.trip);
  EXPECT_EQ(*r.trip, "DRAWDOWN 8% > 8% from peak 12000");
}

TEST(LossMonitor, TheEquityFloorAndTheOpenLossTrip) {
  LossLimits floor;
  floor.equity_floor = money("5000");
  LossMonitor a(money("10000"), 1);
  EXPECT_FALSE(a.review(floor, money("5000"), Notional(), 1).trip);
  EXPECT_EQ(*a.review(floor, money("4999"), Notional(), 1).trip, "EQUITY_FLOOR 4999 < 5000");

  LossLimits open;
  open.max_open_loss_percent = pct("2");
  LossMonitor b(money("10000"), 1);
  EXPECT_FALSE(b.review(open, money("9800"), money("-200"), 1).trip);
  EXPECT_EQ(*b.review(open, money("9799"), money("-201"), 1).trip, "OPEN_LOSS 2.01% > 2% of day-start equity 10000");
}

TEST(LossMonitor, TheDeepestDrawdownZoneAppliesAndRecoveryLeavesIt) {
  LossLimits l;
  l.zones = {{pct("6"), TradingState::reduce_only, std::nullopt},
             {pct("5"), TradingState::active, Ratio::from_units(Ratio::kOne / 2)},
             {pct("8"), TradingState::halted, std::nullopt}};
  LossMonitor m(money("10000"), 1);
  auto r = m.review(l, money("9501"), Notional(), 1);
  EXPECT_EQ(r.state, TradingState::active);
  EXPECT_FALSE(r.size_factor);
  r = m.review(l, money("9500"), Notional(), 1);
  EXPECT_EQ(r.state, TradingState::active);
  EXPECT_EQ(r.size_factor, Ratio::from_units(Ratio::kOne / 2));
  EXPECT_EQ(r.zone, "DRAWDOWN 5% >= 5% from peak 10000");
  EXPECT_EQ(m.review(l, money("9400"), Notional(), 1).state, TradingState::reduce_only);
  EXPECT_EQ(m.review(l, money("9199"), Notional(), 1).state, TradingState::halted);
  EXPECT_EQ(m.review(l, money("9700"), Notional(), 1).state, TradingState::active);
}

TEST(LossMonitor, ARunOfVenueRejectsAndRepeatedRateBreachesTrip) {
  LossLimits l;
  l.max_consecutive_rejects = 3;
  l.max_rate_limit_breaches = 2;
  l.rate_breach_window_ns = 1000;
  LossMonitor m(money("10000"), 1);
  EXPECT_FALSE(m.on_venue_reject(l));
  EXPECT_FALSE(m.on_venue_reject(l));
  m.on_venue_accept();  // the run is broken
  EXPECT_FALSE(m.on_venue_reject(l));
  EXPECT_FALSE(m.on_venue_reject(l));
  EXPECT_EQ(m.on_venue_reject(l), "VENUE_REJECTS 3 in a row");
  EXPECT_FALSE(m.on_rate_limit_breach(l, 0));
  EXPECT_FALSE(m.on_rate_limit_breach(l, 1000)) << "the first left the window";
  EXPECT_TRUE(m.on_rate_limit_breach(l, 1999));
}

}  // namespace
}  // namespace fixguard::risk
