#include "risk/permissions.h"
#include "tests/risk/risk_test_support.h"

#include <gtest/gtest.h>

namespace fixguard::risk {
namespace {

using namespace test;

TEST(SymbolNotAllowed, OnlyListedSymbolsPass) {
  LimitBook book;
  OrderLimits l;
  l.allowed_symbols = SymbolSet{"IBM", "MSFT"};
  book.set(ScopeKind::account, "ACC1", l);
  OrderRequest o = order("1");
  EXPECT_FALSE(check_permissions(o, applicable(book, o)));
  o.symbol = "TSLA";
  const auto d = check_permissions(o, applicable(book, o));
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "SYMBOL_NOT_ALLOWED TSLA not in [allowed list] account=ACC1");
  EXPECT_EQ(info(d->rule).ord_rej_reason, 1);
}

TEST(SymbolRestricted, RestrictedSymbolsFailWhateverElseAllows) {
  LimitBook book;
  OrderLimits global, account;
  global.allowed_symbols = SymbolSet{"IBM"};
  account.restricted_symbols = SymbolSet{"IBM"};
  book.set(ScopeKind::global, "", global);
  book.set(ScopeKind::account, "ACC1", account);
  const auto d = check_permissions(order("1"), applicable(book, order("1")));
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "SYMBOL_RESTRICTED IBM is restricted account=ACC1");
}

TEST(OrdTypeNotAllowed, NoMarketOrders) {
  LimitBook book;
  OrderLimits l;
  l.allowed_ord_types = "2";
  book.set(ScopeKind::client, "alpha", l);
  OrderRequest o = order("1");
  EXPECT_FALSE(check_permissions(o, applicable(book, o)));
  o.ord_type = '1';
  const auto d = check_permissions(o, applicable(book, o));
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "ORD_TYPE_NOT_ALLOWED 1 not in [2] client=alpha");
}

TEST(TimeInForceNotAllowed, OnlyDayAndIoc) {
  LimitBook book;
  OrderLimits l;
  l.allowed_time_in_force = "03";
  book.set(ScopeKind::venue, "sim", l);
  OrderRequest o = order("1");
  o.time_in_force = '3';
  EXPECT_FALSE(check_permissions(o, applicable(book, o)));
  o.time_in_force = '1';
  const auto d = check_permissions(o, applicable(book, o));
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "TIME_IN_FORCE_NOT_ALLOWED 1 not in [03] venue=sim");
}

TEST(SideNotAllowed, NoShortSales) {
  LimitBook book;
  OrderLimits l;
  l.allowed_sides = "12";
  book.set(ScopeKind::account, "ACC1", l);
  OrderRequest o = order("1");
  o.side = '5';
  const auto d = check_permissions(o, applicable(book, o));
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "SIDE_NOT_ALLOWED 5 not in [12] account=ACC1");
  o.kind = RequestKind::cancel;  // taking risk off is never refused
  EXPECT_FALSE(check_permissions(o, applicable(book, o)));
}

// A client session bound to its accounts: naming another, or none, would
// escape the limits set for them.
TEST(AccountNotAllowed, OnlyListedAccountsPassAndAMissingOneFails) {
  LimitBook book;
  OrderLimits l;
  l.allowed_accounts = SymbolSet{"ACC1", "ACC3"};
  book.set(ScopeKind::client, "alpha", l);
  OrderRequest o = order("1");
  EXPECT_FALSE(check_permissions(o, applicable(book, o)));
  o.account = "ACC2";
  const auto other = check_permissions(o, applicable(book, o));
  ASSERT_TRUE(other);
  EXPECT_EQ(describe(*other), "ACCOUNT_NOT_ALLOWED ACC2 not in [allowed list] client=alpha");
  EXPECT_EQ(info(other->rule).ord_rej_reason, 15);
  o.account = "";
  const auto none = check_permissions(o, applicable(book, o));
  ASSERT_TRUE(none);
  EXPECT_EQ(describe(*none), "ACCOUNT_NOT_ALLOWED (none) not in [allowed list] client=alpha");
  o.kind = RequestKind::cancel;  // taking risk off is never refused
  EXPECT_FALSE(check_permissions(o, applicable(book, o)));
}

// Limits are kept per Symbol: an order that names its instrument by more
// (SecurityID, a share class, a maturity, a strike) passes only where the
// instrument's configuration names the same value, or it could trade what
// the limits of another instrument were checked for.
TEST(InstrumentMismatch, FieldsBeyondSymbolMustBeTheConfiguredOnes) {
  LimitBook book;
  OrderLimits ibm, on_xnys;
  ibm.instrument_fields = {{instrument_field_index(48), "US0378331005"}, {instrument_field_index(22), "4"}};
  on_xnys.instrument_fields = {{instrument_field_index(202), "150"}};
  book.set(ScopeKind::instrument, "IBM", ibm);
  book.set(ScopeKind::instrument, "IBM@XNYS", on_xnys);
  OrderRequest o = order("1");
  const auto set = [&](int tag, std::string_view value) { o.set_instrument_field(instrument_field_index(tag), value); };
  const auto refusal = [&] {
    const auto d = check_permissions(o, applicable(book, o));
    return d ? describe(*d) : std::string();
  };
  EXPECT_EQ(refusal(), "") << "Symbol alone";
  set(48, "US0378331005");
  set(22, "4");
  EXPECT_EQ(refusal(), "");
  set(48, "US5949181045");
  EXPECT_EQ(refusal(), "INSTRUMENT_MISMATCH 48=US5949181045 != 48=US0378331005 instrument=IBM");
  set(48, "US0378331005");
  set(65, "B");  // a share class no scope names
  EXPECT_EQ(refusal(), "INSTRUMENT_MISMATCH 65=B not configured instrument=IBM");
  o.clear_instrument_field(instrument_field_index(65));
  set(202, "150.00");  // a strike is a number: only IBM@XNYS names it
  EXPECT_EQ(refusal(), "INSTRUMENT_MISMATCH 202=150.00 not configured instrument=IBM");
  o.exchange = "XNYS";
  EXPECT_EQ(refusal(), "");
  set(202, "155");
  EXPECT_EQ(refusal(), "INSTRUMENT_MISMATCH 202=155 != 202=150 instrument=IBM");
  o.kind = RequestKind::cancel;  // taking risk off is never refused
  EXPECT_EQ(refusal(), "");
  // Where nothing is configured for the instrument, any such field refuses.
  OrderRequest msft = order("1");
  msft.symbol = "MSFT";
  msft.set_instrument_field(instrument_field_index(200), "202612");
  const auto d = check_permissions(msft, applicable(book, msft));
  ASSERT_TRUE(d);
  EXPECT_EQ(describe(*d), "INSTRUMENT_MISMATCH 200=202612 not configured instrument=MSFT");
  EXPECT_EQ(info(d->rule).ord_rej_reason, 1);
  // ContractMultiplier (231) may say what the symbol's multiplier is.
  msft.clear_instrument_field(instrument_field_index(200));
  msft.set_instrument_field(instrument_field_index(231), "50.0");
  EXPECT_EQ(describe(*check_permissions(msft, applicable(book, msft))),
            "INSTRUMENT_MISMATCH 231=50.0 not configured instrument=MSFT");
  book.set_multiplier("MSFT", Multiplier::from_int(50));
  EXPECT_FALSE(check_permissions(msft, applicable(book, msft)));
  msft.set_instrument_field(instrument_field_index(231), "20");
  EXPECT_EQ(describe(*check_permissions(msft, applicable(book, msft))),
            "INSTRUMENT_MISMATCH 231=20 != 50 instrument=MSFT");
  book.set_multiplier("MSFT", *Multiplier::parse("0.01"));
  EXPECT_EQ(describe(*check_permissions(msft, applicable(book, msft))),
            "INSTRUMENT_MISMATCH 231=20 != 0.01 instrument=MSFT");
  msft.set_instrument_field(instrument_field_index(231), "0.010");
  EXPECT_FALSE(check_permissions(msft, applicable(book, msft)));
}

// Limits, positions and marks are kept per Symbol as spelt, but a venue
// that ignores case trades IBM for "ibm": as another instrument, it would
// have IBM's position and limits to itself. A symbol the book configures
// is the instrument; another spelling of it is refused.
TEST(InstrumentMismatch, ASymbolSpellingAConfiguredOneButForCaseIsRefused) {
  LimitBook book;
  OrderLimits account;
  account.restricted_symbols = SymbolSet{"TSLA"};
  book.set(ScopeKind::instrument, "IBM@XNYS", OrderLimits{});
  book.set_multiplier("ESZ6", Multiplier::from_int(50));
  book.add_to_group("BRK.B", "financials");
  book.set(ScopeKind::account, "ACC1", account);
  OrderRequest o = order("1");
  const auto refusal = [&](std::string_view symbol) {
    o.symbol = symbol;
    const auto d = check_permissions(o, applicable(book, o));
    return d ? describe(*d) : std::string();
  };
  EXPECT_EQ(refusal("IBM"), "");
  EXPECT_EQ(refusal("ibm"), "INSTRUMENT_MISMATCH 55=ibm is IBM but for letter case instrument=ibm");
  EXPECT_EQ(refusal("Ibm"), "INSTRUMENT_MISMATCH 55=Ibm is IBM but for letter case instrument=Ibm");
  EXPECT_EQ(refusal("esz6"), "INSTRUMENT_MISMATCH 55=esz6 is ESZ6 but for letter case instrument=esz6");
  EXPECT_EQ(refusal("brk.b"), "INSTRUMENT_MISMATCH 55=brk.b is BRK.B but for letter case instrument=brk.b");
  EXPECT_EQ(refusal("tsla"), "INSTRUMENT_MISMATCH 55=tsla is TSLA but for letter case instrument=tsla");
  EXPECT_EQ(refusal("IBMX"), "") << "another symbol altogether";
  // An ExDestination the symbol has limits on, spelt otherwise, would trade there outside them.
  o.exchange = "xnys";
  EXPECT_EQ(refusal("IBM"), "INSTRUMENT_MISMATCH 207=xnys is XNYS but for letter case instrument=IBM");
  o.exchange = "XNYS";
  EXPECT_EQ(refusal("IBM"), "");
  o.exchange = "ARCX";
  EXPECT_EQ(refusal("IBM"), "") << "an exchange without limits of its own";
  o.exchange = "";
  EXPECT_EQ(info(check_permissions(o, applicable(book, (o.symbol = "ibm", o)))->rule).ord_rej_reason, 1);
  o.kind = RequestKind::cancel;  // taking risk off is never refused
  EXPECT_EQ(refusal("ibm"), "");
  o.kind = RequestKind::new_order;
  // A book that configures both spellings has two instruments.
  book.set(ScopeKind::instrument, "ibm", OrderLimits{});
  EXPECT_EQ(refusal("ibm"), "");
  EXPECT_EQ(refusal("IBM"), "");
  EXPECT_EQ(refusal("iBM"), "INSTRUMENT_MISMATCH 55=iBM is IBM but for letter case instrument=iBM");
}

// Where the book configures neither, the spelling seen first (an order, a
// fill, a reference price) is the instrument.
TEST(InstrumentMismatch, ASymbolSpellingATradedOneButForCaseIsRefused) {
  OrderLimits l;
  l.max_long_qty = qty("100");
  Desk desk(l, ScopeKind::global, "");
  EXPECT_EQ(text(desk.buy("B1", "100", "10", "abc")), "accepted");
  desk.fill("B1", "100", "10", 0, '2');
  EXPECT_EQ(text(desk.buy("B2", "100", "10", "ABC")),
            "INSTRUMENT_MISMATCH 55=ABC is abc but for letter case instrument=ABC")
      << "a second position of 100 at a venue that reads ABC as abc";
  EXPECT_EQ(text(desk.buy("B3", "1", "10", "abc")), "MAX_LONG_QTY 101 > 100 global");
  desk.portfolio().set_mark("XYZ", px("5"), 0);
  EXPECT_EQ(text(desk.buy("B4", "1", "5", "xyz")),
            "INSTRUMENT_MISMATCH 55=xyz is XYZ but for letter case instrument=xyz");
  // A reconfigured book that names ABC makes ABC the instrument, abc the variant.
  EngineConfig c;
  c.book.set(ScopeKind::global, "", l);
  c.book.set(ScopeKind::instrument, "ABC", OrderLimits{});
  desk.engine().reconfigure(std::move(c));
  EXPECT_EQ(text(desk.sell("S1", "1", "10", "ABC")), "accepted");
  EXPECT_EQ(text(desk.sell("S2", "1", "10", "abc")),
            "INSTRUMENT_MISMATCH 55=abc is ABC but for letter case instrument=abc");
}

}  // namespace
}  // namespace fixguard::risk
