#include "risk/flat_index.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

namespace fixguard::risk {
namespace {

// Keys spread as the callers' hashes are.
std::vector<uint64_t> random_keys(std::size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> keys(n);
  for (uint64_t& k : keys) {
    do k = rng();
    while (k == FlatIndex::kEmpty);
  }
  return keys;
}

TEST(FlatIndex, KeepsEveryEntryAndItsFirstValueThroughEveryGrowth) {
  FlatIndex index;
  std::unordered_map<uint64_t, uint32_t> expected;
  const std::vector<uint64_t> keys = random_keys(300000, 1);
  for (uint32_t i = 0; i < keys.size(); ++i) {
    // Every fifth insert is of a key seen before: it keeps its first value.
    const uint64_t key = i % 5 == 4 ? keys[i / 2] : keys[i];
    const auto [at, added] = expected.try_emplace(key, i);
    ASSERT_EQ(index.insert(key, i), at->second) << "insert " << i;
    ASSERT_EQ(index.size(), expected.size()) << "insert " << i;
    // A key from long before (moved, or still to move) is found as it was.
    const uint64_t earlier = keys[(i * 7919u) % (i + 1)];
    const auto e = expected.find(earlier);
    if (e != expected.end()) {
      ASSERT_EQ(index.find(earlier), e->second) << "insert " << i;
    }
  }
  for (const auto& [key, value] : expected) ASSERT_EQ(index.find(key), value);
  for (const uint64_t key : random_keys(10000, 2)) {
    if (!expected.count(key)) EXPECT_FALSE(index.find(key).has_value());
  }
}

TEST(FlatIndex, GrowsAFewSlotsPerInsertNotAllAtOnce) {
  FlatIndex index;
  const std::vector<uint64_t> keys = random_keys(200000, 3);
  std::size_t i = 0;
  // Fill until a growth starts with a large table behind it.
  for (; !(index.growing() && index.size() > 100000); ++i) index.insert(keys[i], static_cast<uint32_t>(i));
  const std::size_t started_at = index.size();  // 131,073: the table of 262,144 slots was half full
  // The move goes on over many inserts (a few old slots each), every entry
  // found meanwhile, in whichever table it is.
  std::size_t inserts_while_growing = 0;
  while (index.growing() && i < keys.size()) {
    for (std::size_t k = 0; k < i; k += 997) ASSERT_EQ(index.find(keys[k]), static_cast<uint32_t>(k)) << k;
    ASSERT_EQ(index.insert(keys[i], static_cast<uint32_t>(i)), static_cast<uint32_t>(i));
    ++i;
    ++inserts_while_growing;
  }
  // 262,144 old slots, 8 a insert.
  EXPECT_EQ(inserts_while_growing, 262144u / 8u) << "growth began at " << started_at << " entries";
  for (std::size_t k = 0; k < i; ++k) ASSERT_EQ(index.find(keys[k]), static_cast<uint32_t>(k)) << k;
  EXPECT_EQ(index.size(), i);
}

TEST(FlatIndex, ACopyMadeWhileGrowingHoldsEveryEntry) {
  FlatIndex index;
  const std::vector<uint64_t> keys = random_keys(5000, 4);
  std::size_t i = 0;
  for (; !(index.growing() && index.size() > 2000); ++i) index.insert(keys[i], static_cast<uint32_t>(i));
  FlatIndex copy = index;
  for (std::size_t k = 0; k < i; ++k) ASSERT_EQ(copy.find(keys[k]), static_cast<uint32_t>(k)) << k;
  // The two go on apart.
  for (std::size_t k = i; k < keys.size(); ++k) copy.insert(keys[k], static_cast<uint32_t>(k));
  EXPECT_EQ(copy.size(), keys.size());
  EXPECT_EQ(index.size(), i);
  EXPECT_FALSE(index.find(keys.back()).has_value());
  EXPECT_EQ(copy.find(keys.back()), static_cast<uint32_t>(keys.size() - 1));
}

TEST(FlatIndex, TheKeyNoSlotCanHoldIsKeptAsItsNeighbour) {
  FlatIndex index;
  EXPECT_EQ(index.insert(FlatIndex::kEmpty, 7), 7u);
  EXPECT_EQ(index.find(FlatIndex::kEmpty), 7u);
  EXPECT_EQ(index.insert(FlatIndex::kEmpty - 1, 8), 7u);  // one more collision
  EXPECT_EQ(index.size(), 1u);
  EXPECT_FALSE(index.find(0).has_value());
}

}  // namespace
}  // namespace fixguard::risk
