// MAX_LEVERAGE, MAX_INSTRUMENT_LEVERAGE, BUYING_POWER: against equity, the
// configured equity plus the account's realized and unrealized P&L.
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

Ratio ratio(const char* s) { return *Ratio::parse(s); }

TEST(MaxLeverage, GrossExposureUpToEquityTimesTheRatio) {
  OrderLimits l;
  l.equity = money("10000");
  l.max_leverage = ratio("4");
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "400", "100"));  // 40000 = 4x
  EXPECT_EQ(text(d.buy("B2", "0.00000001", "1")), "MAX_LEVERAGE 40000.00000001 > 4x equity 10000 account=ACC1");
}

TEST(MaxLeverage, LossesShrinkEquityAndWithItTheRoomToTrade) {
  OrderLimits l;
  l.equity = money("10000");
  l.max_leverage = ratio("2");
  Desk d{l};
  d.buy("B1", "100", "100");
  d.fill("B1", "100", "100", 0, '2');
  d.portfolio().set_mark("IBM", px("90"), 0);  // -1000: equity 9000, gross 9000
  EXPECT_EQ(text(d.buy("B2", "100", "90.01")), "MAX_LEVERAGE 18001 > 2x equity 9000 account=ACC1");
  EXPECT_EQ(text(d.buy("B3", "100", "90")), "accepted");  // 18000 = 2 x 9000
}

TEST(MaxLeverage, WithoutEquityConfiguredEveryOrderThatAddsExposureIsRefused) {
  OrderLimits l;
  l.max_leverage = ratio("4");
  Desk d{l};
  EXPECT_EQ(text(d.buy("B1", "1", "1")), "MAX_LEVERAGE no equity configured account=ACC1");
}

TEST(MaxLeverage, NegativeEquityAllowsOnlyReducingOrders) {
  OrderLimits l;
  l.equity = money("100");
  l.max_leverage = ratio("10");
  Desk d{l};
  d.buy("B1", "10", "100");
  d.fill("B1", "10", "100", 0, '2');
  d.portfolio().set_mark("IBM", px("80"), 0);  // -200: equity -100
  EXPECT_EQ(text(d.buy("B2", "1", "80")), "MAX_LEVERAGE 880 > 10x equity -100 account=ACC1");
  EXPECT_EQ(text(d.sell("S1", "10", "80")), "accepted");
}

TEST(MaxInstrumentLeverage, ALowerCapForOneInstrument) {
  EngineConfig c;
  OrderLimits account;
  account.equity = money("10000");
  account.max_leverage = ratio("4");
  c.book.set(ScopeKind::account, "ACC1", account);
  OrderLimits volatile_name;
  volatile_name.max_instrument_leverage = ratio("0.5");
  c.book.set(ScopeKind::instrument, "GME", volatile_name);
  Desk d{std::move(c)};
  ASSERT_FALSE(d.buy("B1", "50", "100", "GME"));  // 5000 = 0.5x
  EXPECT_EQ(text(d.buy("B2", "0.01", "1", "GME")),
            "MAX_INSTRUMENT_LEVERAGE 5000.01 > 0.5x equity 10000 instrument=GME");
  EXPECT_EQ(text(d.buy("B3", "300", "100", "IBM")), "accepted");
}

TEST(BuyingPower, EquityMinusCommittedMustCoverTheOrder) {
  OrderLimits l;
  l.equity = money("10000");
  l.buying_power = true;
  Desk d{l};
  ASSERT_FALSE(d.buy("B1", "60", "100"));  // 6000 committed
  EXPECT_EQ(text(d.buy("B2", "40.0001", "100", "MSFT")), "BUYING_POWER 4000.01 > 4000 account=ACC1");
  ASSERT_FALSE(d.buy("B3", "40", "100", "MSFT"));
  // Realized gains add buying power.
  d.fill("B1", "60", "100", 0, '2');
  d.sell("S1", "60", "110");
  d.fill("S1", "60", "110", 0, '2');  // +600, flat in IBM
  EXPECT_EQ(text(d.buy("B4", "66.0001", "100", "AAPL")), "BUYING_POWER 6600.01 > 6600 account=ACC1");
  EXPECT_EQ(text(d.buy("B5", "66", "100", "AAPL")), "accepted");
}

}  // namespace
}  // namespace fixguard::risk
