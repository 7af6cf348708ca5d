#include "risk/clordid_registry.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace fixguard::risk {
namespace {

TEST(ClOrdIdRegistry, AnIdIsUsedOncePerClientAndDay) {
  ClOrdIdRegistry r;
  EXPECT_FALSE(r.seen("alpha", 100, "C1"));
  EXPECT_TRUE(r.remember("alpha", 100, "C1"));
  EXPECT_TRUE(r.seen("alpha", 100, "C1"));
  EXPECT_FALSE(r.remember("alpha", 100, "C1"));
  // Another client, or another day, has its own IDs.
  EXPECT_FALSE(r.seen("beta", 100, "C1"));
  EXPECT_FALSE(r.seen("alpha", 101, "C1"));
  EXPECT_EQ(r.size(), 1u);
}

TEST(ClOrdIdRegistry, OldDaysAreForgotten) {
  ClOrdIdRegistry r;
  r.remember("alpha", 99, "OLD");
  r.remember("alpha", 100, "NEW");
  r.forget_before(100);
  EXPECT_FALSE(r.seen("alpha", 99, "OLD"));
  EXPECT_TRUE(r.seen("alpha", 100, "NEW"));
}

TEST(StringSet, HoldsEveryStringOnceThroughManyGrowths) {
  StringSet s;
  std::set<std::string> model;  // the same strings in a set we trust
  std::mt19937 rng(7);
  const auto make = [&](int i) {
    // Short, empty, and longer than one length byte can say (> 127).
    const int kind = i % 5;
    return kind == 0   ? std::string()
           : kind == 1 ? std::string(static_cast<std::size_t>(128 + i % 300), static_cast<char>('a' + i % 26))
                       : "ID" + std::to_string(rng() % 30000);
  };
  for (int i = 0; i < 50000; ++i) {
    const std::string id = make(i);
    EXPECT_EQ(s.insert(id), model.insert(id).second) << i;
  }
  EXPECT_EQ(s.size(), model.size());
  for (const std::string& id : model) EXPECT_TRUE(s.contains(id)) << id.size();
  EXPECT_FALSE(s.contains("ID30000"));
  EXPECT_FALSE(s.contains(std::string(600, 'a')));
}

TEST(StringSet, KeepsStringsOfAnyLengthAcrossItsBlocks) {
  StringSet s;
  std::vector<std::string> kept;
  // Enough to fill many 64 KiB blocks, with strings longer than a block
  // (a block of their own) and strings that end a block exactly or nearly.
  for (int i = 0; i < 20000; ++i) {
    const std::size_t length = i % 1000 == 999 ? 70000 + i : static_cast<std::size_t>(i % 61);
    std::string id(length, static_cast<char>('a' + i % 26));
    id += std::to_string(i);
    ASSERT_TRUE(s.insert(id)) << i;
    kept.push_back(std::move(id));
  }
  for (const std::string& id : kept) {
    EXPECT_TRUE(s.contains(id)) << id.size();
    EXPECT_FALSE(s.insert(id)) << id.size();
  }
  EXPECT_EQ(s.size(), kept.size());
  EXPECT_FALSE(s.contains(kept.front() + "x"));
}

TEST(StringSet, GrowsAFewStringsPerInsertAndFindsEachMeanwhile) {
  StringSet s;
  const auto id = [](std::size_t i) { return "C" + std::to_string(i * 7919); };
  std::size_t n = 0;
  for (; !(s.growing() && s.size() > 50000); ++n) ASSERT_TRUE(s.insert(id(n)));
  // 65,537: the table of 131,072 slots was half full; its slots move 8 an
  // insert, of a new string or of one seen before.
  EXPECT_EQ(s.size(), 65537u);
  std::size_t inserts_while_growing = 0;
  while (s.growing() && inserts_while_growing < 100000) {
    for (std::size_t k = 0; k < n; k += 499) ASSERT_TRUE(s.contains(id(k))) << k;
    if (inserts_while_growing % 2 == 0)
      ASSERT_TRUE(s.insert(id(n++)));
    else
      ASSERT_FALSE(s.insert(id(n / 2)));  // moved or not yet: there once
    ++inserts_while_growing;
  }
  EXPECT_EQ(inserts_while_growing, 131072u / 8u);
  EXPECT_EQ(s.size(), n);
  for (std::size_t k = 0; k < n; ++k) ASSERT_TRUE(s.contains(id(k))) << k;
  EXPECT_FALSE(s.contains(id(n)));
}

}  // namespace
}  // namespace fixguard::risk
