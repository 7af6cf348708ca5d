#include "risk/order_size.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(PriceTick, OnTheGridPassesOffItFails) {
  LimitBook book;
  OrderLimits l;
  l.tick = px("0.05");
  book.set(ScopeKind::instrument, "IBM", l);
  EXPECT_FALSE(check_order_size(order("1", "150.25"), applicable(book, order("1")), std::nullopt, false));
  const auto d = check_order_size(order("1", "150.26"), applicable(book, order("1")), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->rule, Rule::price_tick);
  EXPECT_EQ(describe(*d), "PRICE_TICK 150.26 not a multiple of 0.05 instrument=IBM");
}

TEST(PriceTick, AppliesToTheStopPriceToo) {
  LimitBook book;
  OrderLimits l;
  l.tick = px("0.01");
  book.set(ScopeKind::global, "", l);
  OrderRequest stop = order("1", "10");
  stop.stop_price = px("9.995");
  const auto d = check_order_size(stop, applicable(book, stop), std::nullopt, false);
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "PRICE_TICK 9.995 not a multiple of 0.01 global");
}

TEST(PriceTick, AnInstrumentOnOneExchangeHasItsOwnTick) {
  LimitBook book;
  OrderLimits anywhere, xnys;
  anywhere.tick = px("0.01");
  xnys.tick = px("0.05");
  book.set(ScopeKind::instrument, "IBM", anywhere);
  book.set(ScopeKind::instrument, "IBM@XNYS", xnys);
  OrderRequest o = order("1", "150.02");
  EXPECT_FALSE(check_order_size(o, applicable(book, o), std::nullopt, false));
  o.exchange = "XNYS";
  EXPECT_TRUE(check_order_size(o, applicable(book, o), std::nullopt, false));
}

}  // namespace
}  // namespace fixguard::risk
