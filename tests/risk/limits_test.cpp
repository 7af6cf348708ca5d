#include "risk/limits.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(LimitBook, CollectsTheScopesOfAnOrderWidestFirst) {
  LimitBook book;
  const OrderLimits any;
  book.set(ScopeKind::global, "", any);
  book.set(ScopeKind::venue, "sim", any);
  book.set(ScopeKind::venue, "other", any);
  book.set(ScopeKind::client, "alpha", any);
  book.set(ScopeKind::account, "ACC1", any);
  book.set(ScopeKind::group, "tech", any);
  book.set(ScopeKind::instrument, "IBM", any);
  book.set(ScopeKind::instrument, "IBM@XNYS", any);
  book.set(ScopeKind::instrument, "MSFT", any);
  ASSERT_TRUE(book.add_to_group("IBM", "tech"));
  OrderRequest o = order("1");
  o.exchange = "XNYS";
  const ApplicableLimits a = applicable(book, o);
  std::vector<std::string> seen;
  for (std::size_t i = 0; i < a.size(); ++i)
    seen.push_back(std::string(scope_kind_name(a.scope(i).kind)) + "=" + std::string(a.scope(i).name));
  EXPECT_EQ(seen, (std::vector<std::string>{"global=", "venue=sim", "client=alpha", "account=ACC1", "group=tech",
                                            "instrument=IBM", "instrument=IBM"}));
}

TEST(LimitBook, ASymbolBelongsToABoundedNumberOfGroups) {
  LimitBook book;
  for (std::size_t i = 0; i < LimitBook::kMaxGroupsPerSymbol; ++i)
    EXPECT_TRUE(book.add_to_group("IBM", "g" + std::to_string(i)));
  EXPECT_TRUE(book.add_to_group("IBM", "g0"));  // already there
  EXPECT_FALSE(book.add_to_group("IBM", "one-too-many"));
}

}  // namespace
}  // namespace fixguard::risk
