#include "risk/flow_controls.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

constexpr int64_t kSecond = 1'000'000'000;

FlowLimits per_client_new(int64_t rate, int64_t burst) {
  FlowLimits l;
  l.per_client[0] = RateLimit{rate, kSecond, burst};
  return l;
}

TEST(RateLimit, TheBurstPassesTheNextOneFails) {
  NamedFlow f(per_client_new(10, 3));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(f.admit(order("1"), "alpha", 0)) << i;
  const auto d = f.admit(order("1"), "alpha", 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "RATE_LIMIT over 10/1s burst 3 client=alpha");
}

TEST(RateLimit, TokensComeBackAtTheRateExactly) {
  NamedFlow f(per_client_new(10, 1));  // one token every 100 ms
  EXPECT_FALSE(f.admit(order("1"), "alpha", 0));
  EXPECT_TRUE(f.admit(order("1"), "alpha", 100'000'000 - 1));   // one ns early
  EXPECT_FALSE(f.admit(order("1"), "alpha", 200'000'000 - 1));  // the early one's credit was kept
}

TEST(RateLimit, TheLargestBurstOverADayIsKeptExactly) {
  // The config's largest burst and interval: burst x interval in ns is past
  // 64 bits (before, it wrapped negative and the bucket refused everything).
  FlowLimits l;
  l.per_client[0] = RateLimit{1'000'000, 86'400 * kSecond, 1'000'000};
  NamedFlow f(l);
  for (int i = 0; i < 1'000'000; ++i) ASSERT_FALSE(f.admit(order("1"), "alpha", 0)) << i;
  EXPECT_TRUE(f.admit(order("1"), "alpha", 0));
  EXPECT_TRUE(f.admit(order("1"), "alpha", 86'400'000 - 1));  // a token every 86.4 ms: one ns early
  EXPECT_FALSE(f.admit(order("1"), "alpha", 86'400'000));
  EXPECT_TRUE(f.admit(order("1"), "alpha", 86'400'000));
}

TEST(RateLimit, RejectedRequestsCountAndCancelsHaveTheirOwnBucket) {
  FlowLimits l = per_client_new(1, 1);
  l.per_client[2] = RateLimit{100, kSecond, 100};  // cancels
  NamedFlow f(l);
  EXPECT_FALSE(f.admit(order("1"), "alpha", 0));
  EXPECT_TRUE(f.admit(order("1"), "alpha", 0));
  OrderRequest cancel = order("1");
  cancel.kind = RequestKind::cancel;
  EXPECT_FALSE(f.admit(cancel, "alpha", 0)) << "a cancel waited on the new-order bucket";
  // Another session has its own bucket.
  EXPECT_FALSE(f.admit(order("1"), "beta", 0));
}

TEST(RateLimit, PerAccountAndPerSymbolBucketsAreNamed) {
  FlowLimits l;
  l.per_account[0] = RateLimit{5, kSecond, 1};
  l.per_symbol[1] = RateLimit{5, 60 * kSecond, 1};
  NamedFlow f(l);
  EXPECT_FALSE(f.admit(order("1"), "alpha", 0));
  EXPECT_EQ(describe(*f.admit(order("1"), "beta", 0)), "RATE_LIMIT over 5/1s burst 1 account=ACC1");
  OrderRequest g = order("1");
  g.kind = RequestKind::replace;
  EXPECT_FALSE(f.admit(g, "alpha", 0));
  EXPECT_EQ(describe(*f.admit(g, "alpha", 0)), "RATE_LIMIT over 5/60s burst 1 instrument=IBM");
}

TEST(MinOrderInterval, OrdersOnOneSymbolMustBeSpacedOut) {
  FlowLimits l;
  l.min_interval_ns = 50'000'000;
  NamedFlow f(l);
  EXPECT_FALSE(f.admit(order("1"), "alpha", 0));
  EXPECT_FALSE(f.admit(order("2"), "alpha", 50'000'000));  // exactly the interval passes
  const auto d = f.admit(order("3"), "alpha", 60'000'000);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "MIN_ORDER_INTERVAL 10ms < 50ms instrument=IBM");
  OrderRequest msft = order("1");
  msft.symbol = "MSFT";
  EXPECT_FALSE(f.admit(msft, "alpha", 60'000'000));
}

}  // namespace
}  // namespace fixguard::risk
