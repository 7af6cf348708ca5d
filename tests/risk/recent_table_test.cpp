#include "risk/recent_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

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

// Few home slots, so keys pile up in long probe runs that expiry cuts.
struct CrowdingHash {
  std::size_t operator()(int64_t k) const { return static_cast<std::size_t>(k % 3); }
};

TEST(RecentTable, AgreesWithAPlainMapWhileKeysExpireFromCrowdedRuns) {
  RecentTable<int64_t, CrowdingHash> t(16);
  std::map<int64_t, int64_t> last;  // key -> last touch
  std::mt19937_64 rng(7);
  constexpr int64_t kHorizon = 50;
  int64_t now = 0;
  for (int i = 0; i < 20000; ++i) {
    now += static_cast<int64_t>(rng() % 3);
    const auto key = static_cast<int64_t>(rng() % 40);
    std::optional<int64_t> expected;
    if (const auto it = last.find(key); it != last.end() && now - it->second < kHorizon) expected = it->second;
    ASSERT_EQ(t.touch(key, now, kHorizon), expected) << "touch " << i << " key " << key;
    last[key] = now;
  }
  std::size_t live = 0;
  for (const auto& [key, time] : last) live += now - time < kHorizon;
  EXPECT_EQ(t.size(), live) << "expired keys are removed, not kept";
}

}  // namespace
}  // namespace fixguard::risk
