// Pre-trade checks through the proxy: a real strategy's order breaks a
// limit, gets a FIX reject naming rule, limit and observed value, and the
// venue never sees it.
#include "tests/support/proxy_fixture.h"

#include <chrono>
#include <thread>

namespace fixguard::testing {
namespace {

const std::string kLimits = R"(risk:
  limits:
    accounts:
      ACC1: { max_order_qty: 1000 }
    clients:
      alpha: { allowed_ord_types: [limit] }
    instruments:
      IBM: { price_tick: 0.01 }
)";

FIX::Message for_account(FIX::Message m) {
  m.setField(FIX::Account("ACC1"));
  return m;
}

class RiskChecks : public ProxyTest {
 protected:
  void SetUp() override {
    start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits), fills(proxy::SimulatorOptions::Fill::none));
    connect({"alpha"});
  }
};

TEST_F(RiskChecks, AnOrderOverTheLimitIsRejectedAndNeverReachesTheVenue) {
  ASSERT_TRUE(strategy->send("alpha", for_account(new_order("BIG", "1500", "10"))));
  const auto rejected = wait_er("alpha", "BIG", "8");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(field(*rejected, 39), "8");
  EXPECT_EQ(field(*rejected, 103), "3");
  EXPECT_EQ(field(*rejected, 58), "MAX_ORDER_QTY 1500 > 1000 account=ACC1");
  EXPECT_EQ(field(*rejected, 1), "ACC1");
  // Exactly at the limit passes.
  ASSERT_TRUE(strategy->send("alpha", for_account(new_order("OK", "1000", "10"))));
  ASSERT_TRUE(wait_er("alpha", "OK", "0"));
  ASSERT_EQ(venue->received("D").size(), 1u);
  EXPECT_EQ(field(venue->received("D")[0], 11), "alpha-OK");
}

TEST_F(RiskChecks, AReplaceOverTheLimitGetsAnOrderCancelReject) {
  ASSERT_TRUE(strategy->send("alpha", for_account(new_order("R1", "100", "10"))));
  ASSERT_TRUE(wait_er("alpha", "R1", "0"));
  ASSERT_TRUE(strategy->send("alpha", for_account(replace("R2", "R1", "5000", "10"))));
  const auto cxl = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9"; }, kWait);
  ASSERT_TRUE(cxl);
  EXPECT_EQ(field(*cxl, 434), "2");
  EXPECT_EQ(field(*cxl, 102), "99");
  EXPECT_EQ(field(*cxl, 41), "R1");
  EXPECT_EQ(field(*cxl, 58), "MAX_ORDER_QTY 5000 > 1000 account=ACC1");
  EXPECT_TRUE(venue->received("G").empty());
  // Cancels are never refused by limits.
  ASSERT_TRUE(strategy->send("alpha", for_account(cancel("R3", "R1", "100"))));
  EXPECT_TRUE(wait_er("alpha", "R3", "4"));
}

TEST_F(RiskChecks, AReplaceWithoutAccountIsCheckedAgainstItsOriginalOrdersAccount) {
  ASSERT_TRUE(strategy->send("alpha", for_account(new_order("R1", "100", "10"))));
  ASSERT_TRUE(wait_er("alpha", "R1", "0"));
  // No Account (1) on the replace: ACC1's limit still holds.
  ASSERT_TRUE(strategy->send("alpha", replace("R2", "R1", "5000", "10")));
  const auto cxl = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9" && field(m, 11) == "R2"; }, kWait);
  ASSERT_TRUE(cxl);
  EXPECT_EQ(field(*cxl, 58), "MAX_ORDER_QTY 5000 > 1000 account=ACC1");
  EXPECT_TRUE(venue->received("G").empty());
  // Within it, the replace passes and replaces the original in the state.
  ASSERT_TRUE(strategy->send("alpha", replace("R3", "R1", "200", "10")));
  ASSERT_TRUE(wait_er("alpha", "R3", "5"));
  const auto orders = gateway->call([](proxy::Gateway& g) {
    std::vector<std::string> out;
    g.engine().portfolio().for_each_order([&](const risk::OpenOrder& o) {
      out.push_back(g.engine().portfolio().account_name(g.engine().portfolio().positions()[o.position].account) + " " +
                    o.cl_ord_id + " " + o.order_qty.to_string());
    });
    return out;
  });
  EXPECT_EQ(orders, std::vector<std::string>{"ACC1 R3 200"}) << "one order, in ACC1";
}

TEST_F(RiskChecks, PermissionsAndTicksAreEnforced) {
  FIX::Message market = new_order("MKT", "10", "10");
  market.setField(FIX::OrdType(FIX::OrdType_MARKET));
  market.removeField(FIX::FIELD::Price);
  ASSERT_TRUE(strategy->send("alpha", market));
  const auto by_type = wait_er("alpha", "MKT", "8");
  ASSERT_TRUE(by_type);
  EXPECT_EQ(field(*by_type, 58), "ORD_TYPE_NOT_ALLOWED 1 not in [2] client=alpha");
  EXPECT_EQ(field(*by_type, 103), "11");

  ASSERT_TRUE(strategy->send("alpha", new_order("TICK", "10", "10.005")));
  const auto by_tick = wait_er("alpha", "TICK", "8");
  ASSERT_TRUE(by_tick);
  EXPECT_EQ(field(*by_tick, 58), "PRICE_TICK 10.005 not a multiple of 0.01 instrument=IBM");
  EXPECT_EQ(field(*by_tick, 103), "18");
  EXPECT_TRUE(venue->received("D").empty());
}

TEST_F(RiskChecks, AQuantityThatIsNotAnExactDecimalIsRejectedNotRounded) {
  ASSERT_TRUE(strategy->send("alpha", new_order("ODD", "1.123456789", "10")));
  const auto rejected = wait_er("alpha", "ODD", "8");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(field(*rejected, 58), "INVALID_ORDER OrderQty (38) '1.123456789' is not a decimal with at most 8 places");
  EXPECT_TRUE(venue->received("D").empty());
}

// alpha is bound to ACC1: an order naming another account, or none, cannot
// slip past ACC1's limits; a replace without Account acts on ACC1.
TEST_F(ProxyTest, AClientBoundToItsAccountsCannotTradeOthers) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk:\n  limits:\n    clients: { alpha: { allowed_accounts: [ACC1] } }\n"
                        "    accounts: { ACC1: { max_order_qty: 1000 } }\n"),
        fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha", "beta"});
  FIX::Message other = new_order("OTHER", "5000", "10");
  other.setField(FIX::Account("ACC2"));
  ASSERT_TRUE(strategy->send("alpha", other));
  const auto refused = wait_er("alpha", "OTHER", "8");
  ASSERT_TRUE(refused);
  EXPECT_EQ(field(*refused, 58), "ACCOUNT_NOT_ALLOWED ACC2 not in [allowed list] client=alpha");
  EXPECT_EQ(field(*refused, 103), "15");
  ASSERT_TRUE(strategy->send("alpha", new_order("NONE", "5000", "10")));
  const auto none = wait_er("alpha", "NONE", "8");
  ASSERT_TRUE(none);
  EXPECT_EQ(field(*none, 58), "ACCOUNT_NOT_ALLOWED (none) not in [allowed list] client=alpha");

  ASSERT_TRUE(strategy->send("alpha", for_account(new_order("MINE", "100", "10"))));
  ASSERT_TRUE(wait_er("alpha", "MINE", "0"));
  ASSERT_TRUE(strategy->send("alpha", replace("MINE2", "MINE", "5000", "10")));  // no Account: ACC1's limit
  const auto cxl = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9" && field(m, 11) == "MINE2"; }, kWait);
  ASSERT_TRUE(cxl);
  EXPECT_EQ(field(*cxl, 58), "MAX_ORDER_QTY 5000 > 1000 account=ACC1");
  // beta is not bound.
  ASSERT_TRUE(strategy->send("beta", other));
  ASSERT_TRUE(wait_er("beta", "OTHER", "0"));
  ASSERT_EQ(venue->received("D").size(), 2u);
  EXPECT_EQ(field(venue->received("D")[0], 11), "alpha-MINE");
  EXPECT_TRUE(venue->received("G").empty());
}

// Limits are kept per Symbol: an order that names its instrument by more
// (SecurityID, a share class) reaches the venue only as the instrument's
// configuration names it, or the venue could trade another instrument than
// the one the limits were checked for; nor does one that spells its Symbol
// in other letter case.
TEST_F(ProxyTest, AnOrderNamingAnotherInstrumentBeyondItsSymbolIsRefused) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk:\n  limits:\n    instruments:\n"
                        "      IBM: { max_order_qty: 1000, instrument_fields: { SecurityID: US0378331005, 22: 4 } }\n"),
        fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  const auto with = [](FIX::Message m, std::initializer_list<std::pair<int, const char*>> fields) {
    for (const auto& [tag, value] : fields) m.setField(tag, value);
    return m;
  };
  ASSERT_TRUE(strategy->send("alpha", with(new_order("ISIN", "100", "10"), {{48, "US0378331005"}, {22, "4"}})));
  ASSERT_TRUE(wait_er("alpha", "ISIN", "0"));
  ASSERT_TRUE(strategy->send("alpha", with(new_order("MSFT", "100", "10"), {{48, "US5949181045"}, {22, "4"}})));
  const auto other = wait_er("alpha", "MSFT", "8");
  ASSERT_TRUE(other);
  EXPECT_EQ(field(*other, 58), "INSTRUMENT_MISMATCH 48=US5949181045 != 48=US0378331005 instrument=IBM");
  EXPECT_EQ(field(*other, 103), "1");
  ASSERT_TRUE(strategy->send("alpha", with(new_order("CLASS", "100", "10"), {{65, "B"}})));
  const auto share_class = wait_er("alpha", "CLASS", "8");
  ASSERT_TRUE(share_class);
  EXPECT_EQ(field(*share_class, 58), "INSTRUMENT_MISMATCH 65=B not configured instrument=IBM");
  // So is a Symbol that spells IBM but for letter case.
  ASSERT_TRUE(strategy->send("alpha", new_order("LOWER", "100", "10", "ibm")));
  const auto lower = wait_er("alpha", "LOWER", "8");
  ASSERT_TRUE(lower);
  EXPECT_EQ(field(*lower, 58), "INSTRUMENT_MISMATCH 55=ibm is IBM but for letter case instrument=ibm");
  EXPECT_EQ(field(*lower, 103), "1");
  // A replace is held to the same.
  ASSERT_TRUE(strategy->send("alpha", with(replace("ISIN2", "ISIN", "200", "10"), {{48, "US5949181045"}})));
  const auto cxl = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9" && field(m, 11) == "ISIN2"; }, kWait);
  ASSERT_TRUE(cxl);
  EXPECT_EQ(field(*cxl, 58), "INSTRUMENT_MISMATCH 48=US5949181045 != 48=US0378331005 instrument=IBM");
  ASSERT_EQ(venue->received("D").size(), 1u);
  EXPECT_EQ(field(venue->received("D")[0], 48), "US0378331005");
  EXPECT_TRUE(venue->received("G").empty());
}

// A futures contract counts at its multiplier: 10 ESZ6 at 2,000 is 1,000,000
// of notional, and a fill of it moves the position's value 50 per point. A
// bond in percent of its face, at 0.01: 1,000,000 at 99.5 is 995,000.
TEST_F(ProxyTest, AContractIsMeasuredAndCountedAtItsMultiplier) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk:\n  contract_multipliers: { ESZ6: 50, UST10Y: 0.01 }\n"
                        "  limits:\n    global: { max_notional: 1000000 }\n"),
        fills(proxy::SimulatorOptions::Fill::full));
  connect({"alpha"});
  // The account-less position in `symbol`: "quantity value".
  const auto position = [&](const std::string& symbol) {
    return gateway->call([symbol](proxy::Gateway& g) {
      const risk::PositionState* p = g.engine().portfolio().position("", symbol);
      return p ? p->qty.to_string() + " " + p->value.to_string() : std::string("none");
    });
  };
  ASSERT_TRUE(strategy->send("alpha", new_order("OVER", "10", "2000.25", "ESZ6")));
  const auto over = wait_er("alpha", "OVER", "8");
  ASSERT_TRUE(over);
  EXPECT_EQ(field(*over, 58), "MAX_NOTIONAL 1000125 > 1000000 global");
  FIX::Message at = new_order("AT", "10", "2000", "ESZ6");
  at.setField(231, "50");  // ContractMultiplier, as configured
  ASSERT_TRUE(strategy->send("alpha", at));
  ASSERT_TRUE(wait_er("alpha", "AT", "F"));
  EXPECT_EQ(position("ESZ6"), "10 1000000");
  at.setField(FIX::ClOrdID("OTHER"));
  at.setField(231, "20");
  ASSERT_TRUE(strategy->send("alpha", at));
  const auto other = wait_er("alpha", "OTHER", "8");
  ASSERT_TRUE(other);
  EXPECT_EQ(field(*other, 58), "INSTRUMENT_MISMATCH 231=20 != 50 instrument=ESZ6");
  ASSERT_EQ(venue->received("D").size(), 1u);

  ASSERT_TRUE(strategy->send("alpha", new_order("BOND_OVER", "1005100", "99.5", "UST10Y")));
  const auto bond_over = wait_er("alpha", "BOND_OVER", "8");
  ASSERT_TRUE(bond_over);
  EXPECT_EQ(field(*bond_over, 58), "MAX_NOTIONAL 1000074.5 > 1000000 global");
  FIX::Message bond = new_order("BOND", "1000000", "99.5", "UST10Y");
  bond.setField(231, "0.01");
  ASSERT_TRUE(strategy->send("alpha", bond));
  ASSERT_TRUE(wait_er("alpha", "BOND", "F"));
  EXPECT_EQ(position("UST10Y"), "1000000 995000");
  ASSERT_EQ(venue->received("D").size(), 2u);
}

// The config's reference prices count from fixguard's start; past
// max_reference_age_ms a check that needs one refuses the order, until a
// fresh price arrives (here an operator's mark).
TEST_F(ProxyTest, AReferencePriceOlderThanItsMaximumAgeIsNone) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk:\n  reference_prices: { IBM: 100 }\n"
                        "  limits:\n    instruments: { IBM: { collar_percent: 5, max_reference_age_ms: 2000 } }\n"),
        fills(proxy::SimulatorOptions::Fill::none));
  const auto started = std::chrono::steady_clock::now();  // the prices were set before
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("FRESH", "10", "104")));
  ASSERT_TRUE(wait_er("alpha", "FRESH", "0"));
  std::this_thread::sleep_until(started + std::chrono::milliseconds(2200));
  ASSERT_TRUE(strategy->send("alpha", new_order("STALE", "10", "104")));
  const auto stale = wait_er("alpha", "STALE", "8");
  ASSERT_TRUE(stale);
  EXPECT_EQ(field(*stale, 58).substr(0, 22), "STALE_REFERENCE_PRICE ");
  EXPECT_NE(field(*stale, 58).find("ms > 2s instrument=IBM"), std::string::npos) << field(*stale, 58);
  gateway->call([](proxy::Gateway& g) {
    g.engine().set_mark("IBM", risk::Price::from_int(100), proxy::Router::now_ns(), g.router().today());
    g.router().settle();
    return 0;
  });
  ASSERT_TRUE(strategy->send("alpha", new_order("MARKED", "10", "104")));
  EXPECT_TRUE(wait_er("alpha", "MARKED", "0"));
}

TEST_F(ProxyTest, ObserveModeForwardsButLogsWhatItWouldReject) {
  LogCapture log;
  std::string limits = kLimits;
  limits.replace(0, 6, "risk:\n  mode: observe\n");
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", limits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", for_account(new_order("OBS", "1500", "10"))));
  ASSERT_TRUE(wait_er("alpha", "OBS", "0"));
  EXPECT_EQ(venue->received("D").size(), 1u);
  EXPECT_TRUE(log.contains("observe mode, would reject D ClOrdID=OBS: MAX_ORDER_QTY 1500 > 1000 account=ACC1"));
}

}  // namespace
}  // namespace fixguard::testing

namespace fixguard::testing {
namespace {

TEST_F(ProxyTest, RateLimitsAndTheDuplicateGuardApplyToRealFlow) {
  const std::string limits = R"(risk:
  duplicate_window_ms: 60000
  rate_limits:
    per_client: { new: { rate: 1, interval_ms: 60000, burst: 3 } }
)";
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", limits), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("S1", "100", "10")));
  ASSERT_TRUE(wait_er("alpha", "S1", "0"));
  ASSERT_TRUE(strategy->send("alpha", new_order("S2", "100", "10")));  // the same signal again
  const auto dup = wait_er("alpha", "S2", "8");
  ASSERT_TRUE(dup);
  EXPECT_NE(field(*dup, 58).find("DUPLICATE_ORDER again after "), std::string::npos) << field(*dup, 58);
  EXPECT_NE(field(*dup, 58).find(" < 60s account="), std::string::npos) << field(*dup, 58);
  ASSERT_TRUE(strategy->send("alpha", new_order("S3", "200", "10")));  // third new order: last token
  ASSERT_TRUE(wait_er("alpha", "S3", "0"));
  ASSERT_TRUE(strategy->send("alpha", new_order("S4", "300", "10")));
  const auto limited = wait_er("alpha", "S4", "8");
  ASSERT_TRUE(limited);
  EXPECT_EQ(field(*limited, 58), "RATE_LIMIT over 1/60s burst 3 client=alpha");
  EXPECT_EQ(field(*limited, 103), "3");
  // Cancels do not wait on the new-order bucket.
  ASSERT_TRUE(strategy->send("alpha", cancel("S5", "S1")));
  EXPECT_TRUE(wait_er("alpha", "S5", "4"));
  EXPECT_EQ(venue->received("D").size(), 2u);
}

}  // namespace
}  // namespace fixguard::testing

namespace fixguard::testing {
namespace {

TEST_F(ProxyTest, ThePriceCollarFollowsTheLastFill) {
  const std::string limits = R"(risk:
  reference_prices: { IBM: 100 }
  limits:
    instruments: { IBM: { collar_percent: 5 } }
)";
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", limits), fills(proxy::SimulatorOptions::Fill::full));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("C1", "10", "105.5")));
  const auto far = wait_er("alpha", "C1", "8");
  ASSERT_TRUE(far);
  EXPECT_EQ(field(*far, 58), "PRICE_COLLAR 105.5 more than 5% from 100 instrument=IBM");
  EXPECT_EQ(field(*far, 103), "16");
  ASSERT_TRUE(strategy->send("alpha", new_order("C2", "10", "104")));
  ASSERT_TRUE(wait_er("alpha", "C2", "F"));  // filled at 104: the new reference
  ASSERT_TRUE(strategy->send("alpha", new_order("C3", "10", "109")));
  EXPECT_TRUE(wait_er("alpha", "C3", "F")) << "109 is within 5% of the last fill, 104";
}

}  // namespace
}  // namespace fixguard::testing
