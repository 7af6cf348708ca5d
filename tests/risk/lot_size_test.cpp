#include "risk/order_size.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(LotSize, MultiplesPassAnythingElseFails) {
  LimitBook book;
  OrderLimits l;
  l.lot = qty("100");
  book.set(ScopeKind::instrument, "IBM", l);
  EXPECT_FALSE(check_order_size(order("300"), applicable(book, order("300")), std::nullopt, false));
  const auto d = check_order_size(order("350"), applicable(book, order("350")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "LOT_SIZE 350 not a multiple of 100 instrument=IBM");
}

TEST(LotSize, TheMostSpecificScopeSetsIt) {
  LimitBook book;
  OrderLimits global, instrument;
  global.lot = qty("100");
  instrument.lot = qty("0.001");
  book.set(ScopeKind::global, "", global);
  book.set(ScopeKind::instrument, "IBM", instrument);
  EXPECT_FALSE(check_order_size(order("0.005"), applicable(book, order("0.005")), std::nullopt, false));
  EXPECT_TRUE(check_order_size(order("0.0055"), applicable(book, order("0.0055")), std::nullopt, false));
}

}  // namespace
}  // namespace fixguard::risk
