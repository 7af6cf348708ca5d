// Trading states and emergency stops in the engine's decisions.
#include "risk/engine.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

constexpr int64_t kSecond = 1'000'000'000;

OrderRequest cancel_of(const char* orig, const char* id) {
  OrderRequest o = Desk::limit(id, '1', "1", "100");
  o.kind = RequestKind::cancel;
  o.orig_cl_ord_id = orig;
  return o;
}

EngineConfig with_equity(const char* equity) {
  EngineConfig c;
  OrderLimits g;
  g.equity = money(equity);
  c.book.set(ScopeKind::global, "", g);
  return c;
}

TEST(TradingControls, HaltedLetsOnlyCancelsThroughAndSaysWhy) {
  Desk d(OrderLimits{});
  ASSERT_EQ(text(d.buy("B1", "10", "100")), "accepted");
  d.engine().set_state(ScopeKind::account, "ACC1", TradingState::halted, "operator alice: margin call");
  EXPECT_EQ(text(d.buy("B2", "10", "100")), "HALTED (operator alice: margin call) account=ACC1");
  EXPECT_EQ(text(d.replace("B1", "B3", '1', "5", "100")), "HALTED (operator alice: margin call) account=ACC1");
  EXPECT_EQ(text(d.submit(cancel_of("B1", "X1"))), "accepted");
  d.engine().set_state(ScopeKind::account, "ACC1", TradingState::active, "operator alice: resumed");
  EXPECT_EQ(text(d.buy("B4", "10", "100")), "accepted");
}

TEST(TradingControls, TheStrictestStateAmongTheOrdersScopesApplies) {
  Desk d(OrderLimits{});
  d.engine().set_state(ScopeKind::global, "", TradingState::reduce_only, "operator bob: end of day");
  d.engine().set_state(ScopeKind::client, "alpha", TradingState::halted, "operator bob: strategy review");
  EXPECT_EQ(text(d.buy("B1", "10", "100")), "HALTED (operator bob: strategy review) client=alpha");
  d.engine().set_state(ScopeKind::client, "alpha", TradingState::active, "");
  EXPECT_EQ(text(d.buy("B2", "10", "100")), "REDUCE_ONLY (operator bob: end of day) global");
  d.engine().set_state(ScopeKind::venue, "other", TradingState::halted, "another venue");
  d.engine().set_state(ScopeKind::global, "", TradingState::active, "");
  EXPECT_EQ(text(d.buy("B3", "10", "100")), "accepted") << "a halt on another venue does not apply";
}

TEST(TradingControls, ReduceOnlyPassesOrdersThatShrinkThePositionWorstCase) {
  Desk d(OrderLimits{});
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  d.fill("B1", "100", "100", 0, '2');
  d.engine().set_state(ScopeKind::venue, "sim", TradingState::reduce_only, "venue in closing auction");
  EXPECT_EQ(text(d.buy("B2", "1", "100")), "REDUCE_ONLY (venue in closing auction) venue=sim");
  EXPECT_EQ(text(d.sell("S1", "101", "100")), "REDUCE_ONLY (venue in closing auction) venue=sim")
      << "would turn the long into a short";
  EXPECT_EQ(text(d.sell("S2", "60", "100")), "accepted");
  EXPECT_EQ(text(d.sell("S3", "41", "100")), "REDUCE_ONLY (venue in closing auction) venue=sim")
      << "with S2 open, 41 more could leave a short";
  EXPECT_EQ(text(d.sell("S4", "40", "100")), "accepted");
}

TEST(TradingControls, ALossPastTheLimitTripsTheStopAtTheMarkThatCrossesIt) {
  EngineConfig c = with_equity("10000");
  LossLimits losses;
  losses.max_daily_loss = money("1000");
  losses.stop.cooldown_ns = 300 * kSecond;
  c.controls.losses = losses;
  Desk d(std::move(c));
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  d.fill("B1", "100", "100", 0, '2');
  EXPECT_FALSE(d.engine().review("ACC1", 0, Desk::kDay));
  d.portfolio().set_mark("IBM", px("90"), 0);  // -1000: at the limit
  EXPECT_FALSE(d.engine().review("ACC1", kSecond, Desk::kDay));
  d.portfolio().set_mark("IBM", px("89.99"), 0);  // -1001
  const auto trips = d.engine().review_all(2 * kSecond, Desk::kDay);
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].first, "ACC1");
  EXPECT_EQ(trips[0].second, "DAILY_LOSS 1001 > 1000");
  EXPECT_EQ(text(d.sell("S1", "100", "89.99", "IBM", 3 * kSecond)),
            "EMERGENCY_STOP (DAILY_LOSS 1001 > 1000) account=ACC1");
  EXPECT_EQ(text(d.submit(cancel_of("B1", "X1"), 3 * kSecond)), "accepted");

  const uint32_t acc = d.portfolio().intern_account("ACC1");
  TradingControls& controls = d.engine().controls();
  controls.account_stop(acc)->acted();  // the orders were pulled
  EXPECT_EQ(controls.reset(acc, "ACC1", "alice", "reviewed", 100 * kSecond, Desk::kDay),
            "the emergency stop is cooling down (202 s left)");
  EXPECT_EQ(controls.reset(acc, "ACC1", "alice", "reviewed", 302 * kSecond, Desk::kDay), std::nullopt);
  EXPECT_EQ(text(d.sell("S2", "100", "89.99", "IBM", 303 * kSecond)), "accepted");
}

TEST(TradingControls, ACautionZoneScalesTheMaximumOrderSize) {
  EngineConfig c = with_equity("10000");
  OrderLimits g;
  g.equity = money("10000");
  g.max_qty = qty("100");
  c.book.set(ScopeKind::global, "", g);
  LossLimits losses;
  losses.zones = {{*Percent::parse("5"), TradingState::active, *Ratio::parse("0.5")}};
  c.controls.losses = losses;
  Desk d(std::move(c));
  ASSERT_EQ(text(d.buy("B1", "100", "100")), "accepted");
  d.fill("B1", "100", "100", 0, '2');
  d.portfolio().set_mark("IBM", px("95"), 0);  // -500: 5% down
  EXPECT_FALSE(d.engine().review("ACC1", 0, Desk::kDay));
  EXPECT_EQ(text(d.buy("B2", "51", "95")), "MAX_ORDER_QTY 51 > 50 global");
  EXPECT_EQ(text(d.buy("B3", "50", "95")), "accepted");
}

TEST(TradingControls, RepeatedRateLimitBreachesTripTheStop) {
  EngineConfig c = with_equity("10000");
  c.flow.per_account[0] = RateLimit{1, kSecond, 1};
  LossLimits losses;
  losses.max_rate_limit_breaches = 2;
  c.controls.losses = losses;
  Desk d(std::move(c));
  EXPECT_FALSE(d.engine().review("ACC1", 0, Desk::kDay));  // starts the account's monitor
  ASSERT_EQ(text(d.buy("B1", "1", "100")), "accepted");
  EXPECT_EQ(text(d.buy("B2", "1", "100")), "RATE_LIMIT over 1/1s burst 1 account=ACC1");
  EXPECT_EQ(text(d.buy("B3", "1", "100")), "RATE_LIMIT over 1/1s burst 1 account=ACC1");
  EXPECT_EQ(text(d.buy("B4", "1", "100", "IBM", 2 * kSecond)),
            "EMERGENCY_STOP (RATE_LIMIT breached 2 times within 60s) account=ACC1");
}

}  // namespace
}  // namespace fixguard::risk
