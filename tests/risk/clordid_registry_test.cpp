#include "risk/clordid_registry.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fixguard::risk
