#include "risk/recent_table.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

TEST(RecentTable, RemembersEveryKeyWithinTheHorizonAcrossGrowth) {
  RecentTable<int64_t> t(16);
  for (int64_t k = 0; k < 10000; ++k) EXPECT_FALSE(t.touch(k, 100 + k, 1000000));
  EXPECT_GE(t.capacity(), 10000u);
  for (int64_t k = 0; k < 10000; ++k) {
    const auto before = t.touch(k, 20000, 1000000);
    ASSERT_TRUE(before) << k;
    EXPECT_EQ(*before, 100 + k);
  }
}

TEST(RecentTable, ForgetsKeysPastTheHorizonAndReusesTheirSlots) {
  RecentTable<int64_t> t(16);
  EXPECT_FALSE(t.touch(7, 0, 10));
  EXPECT_EQ(t.touch(7, 9, 10), 0);   // 9 ns later: within 10
  EXPECT_FALSE(t.touch(7, 19, 10));  // 10 ns after the last touch: past it
  // A steady flow of fresh keys, each expiring quickly, keeps the table small.
  for (int64_t k = 0; k < 100000; ++k) t.touch(1000 + k, 100 + k, 5);
  EXPECT_LE(t.capacity(), 64u);
}

}  // namespace
}  // namespace fixguard::risk
