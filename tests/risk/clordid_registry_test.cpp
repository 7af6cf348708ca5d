#include "risk/clordid_registry.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

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

}  // namespace
}  // namespace fixguard::risk
