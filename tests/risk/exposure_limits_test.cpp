// MAX_GROSS_EXPOSURE, MAX_NET_EXPOSURE, MAX_GROUP_GROSS_EXPOSURE,
// MAX_GROUP_NET_EXPOSURE.
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(MaxGrossExposure, SumsEveryInstrumentsWorstSide) {
  OrderLimits l;
  l.max_gross_exposure = money("10000");
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "40", "100", "IBM"));
  ASSERT_FALSE(d.sell("S1", "60", "100", "MSFT"));  // 4000 + 6000
  EXPECT_EQ(text(d.buy("B2", "1", "0.01", "AAPL")), "MAX_GROSS_EXPOSURE 10000.01 > 10000 account=ACC1");
  // Selling IBM against the open buy does not add to IBM's worst side.
  EXPECT_EQ(text(d.sell("S2", "40", "100", "IBM")), "accepted");
}

TEST(MaxGrossExposure, AnOpenSellLimitedBelowTheMarketCountsAtTheMarket) {
  OrderLimits l;
  l.max_gross_exposure = money("10000");
  Desk d{l};
  d.portfolio().set_mark("IBM", px("100"), 0);
  EXPECT_EQ(text(d.sell("S1", "101", "0.01", "IBM")), "MAX_GROSS_EXPOSURE 10100 > 10000 account=ACC1");
  ASSERT_FALSE(d.sell("S2", "50", "0.01", "IBM"));  // 5000, not 0.5
  // ...and it stays counted so while open.
  EXPECT_EQ(text(d.buy("B1", "60", "100", "MSFT")), "MAX_GROSS_EXPOSURE 11000 > 10000 account=ACC1");
  EXPECT_EQ(text(d.buy("B2", "50", "100", "MSFT")), "accepted");
}

TEST(MaxNetExposure, LongsAndShortsOffset) {
  OrderLimits l;
  l.max_net_exposure = money("5000");
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "50", "100", "IBM"));
  ASSERT_FALSE(d.sell("S1", "50", "100", "MSFT"));  // all buys fill: +5000; all sells fill: -5000
  EXPECT_EQ(text(d.buy("B2", "1", "0.01", "AAPL")), "MAX_NET_EXPOSURE 5000.01 > 5000 account=ACC1");
}

TEST(MaxNetExposure, ReducingOrdersPassWhenTheMarketTookTheAccountOver) {
  OrderLimits l;
  l.max_net_exposure = money("1000");
  Desk d{l};
  d.buy("B1", "10", "100");
  d.fill("B1", "10", "100", 0, '2');
  d.portfolio().set_mark("IBM", px("150"), 0);  // 1500 > 1000
  EXPECT_EQ(text(d.sell("S1", "5", "150")), "accepted");
  EXPECT_EQ(text(d.buy("B2", "1", "150")), "MAX_NET_EXPOSURE 1650 > 1000 account=ACC1");
}

EngineConfig grouped(OrderLimits tech) {
  EngineConfig c;
  c.book.set(ScopeKind::group, "tech", std::move(tech));
  c.book.add_to_group("IBM", "tech");
  c.book.add_to_group("MSFT", "tech");
  return c;
}

TEST(MaxGroupGrossExposure, OnlyTheGroupsInstrumentsCount) {
  OrderLimits tech;
  tech.max_group_gross_exposure = money("3000");
  Desk d{grouped(tech)};
  ASSERT_FALSE(d.buy("B1", "10", "100", "IBM"));
  ASSERT_FALSE(d.buy("B2", "100", "100", "XOM"));  // not in tech
  ASSERT_FALSE(d.sell("S1", "10", "200", "MSFT"));
  // Orders against an instrument's worse side do not add to its gross.
  EXPECT_EQ(text(d.buy("B3", "0.0001", "100", "MSFT")), "accepted");
  EXPECT_EQ(text(d.sell("S2", "0.00000001", "1", "IBM")), "accepted");
  EXPECT_EQ(text(d.buy("B4", "0.01", "1", "IBM")), "MAX_GROUP_GROSS_EXPOSURE 3000.01 > 3000 group=tech");
}

TEST(MaxGroupNetExposure, AtTheLimitPassesOneUnitOverFails) {
  OrderLimits tech;
  tech.max_group_net_exposure = money("1000");
  Desk d{grouped(tech)};
  ASSERT_FALSE(d.buy("B1", "10", "100", "IBM"));
  EXPECT_EQ(text(d.buy("B2", "0.00000001", "1", "MSFT")), "MAX_GROUP_NET_EXPOSURE 1000.00000001 > 1000 group=tech");
  EXPECT_EQ(text(d.sell("S1", "10", "100", "MSFT")), "accepted");  // all sells fill: -1000
  EXPECT_EQ(text(d.sell("S2", "0.00000001", "1", "MSFT")), "MAX_GROUP_NET_EXPOSURE 1000.00000001 > 1000 group=tech");
}

}  // namespace
}  // namespace fixguard::risk
