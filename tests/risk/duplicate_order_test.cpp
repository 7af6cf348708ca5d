#include "risk/flow_controls.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(DuplicateOrder, TheSameSignalAgainWithinTheWindowIsRejected) {
  FlowLimits l;
  l.duplicate_window_ns = 1'000'000'000;
  NamedFlow f(l);
  EXPECT_FALSE(f.admit(order("100", "10"), "alpha", 0));
  const auto d = f.admit(order("100", "10"), "alpha", 250'000'000);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "DUPLICATE_ORDER again after 250ms < 1s account=ACC1");
  // At the window's end it is a new signal.
  EXPECT_FALSE(f.admit(order("100", "10"), "alpha", 1'250'000'000));
}

TEST(DuplicateOrder, AnyDifferenceInContentIsANewOrder) {
  FlowLimits l;
  l.duplicate_window_ns = 1'000'000'000;
  NamedFlow f(l);
  EXPECT_FALSE(f.admit(order("100", "10"), "alpha", 0));
  EXPECT_FALSE(f.admit(order("101", "10"), "alpha", 1));
  EXPECT_FALSE(f.admit(order("100", "10.01"), "alpha", 2));
  OrderRequest sell = order("100", "10");
  sell.side = '2';
  EXPECT_FALSE(f.admit(sell, "alpha", 3));
  OrderRequest other_account = order("100", "10");
  other_account.account = "ACC2";
  EXPECT_FALSE(f.admit(other_account, "alpha", 4));
  OrderRequest cancel = order("100", "10");
  cancel.kind = RequestKind::cancel;
  EXPECT_FALSE(f.admit(cancel, "alpha", 5)) << "cancels are never duplicates of orders";
}

}  // namespace
}  // namespace fixguard::risk
