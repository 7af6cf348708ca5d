#include "config/config.h"
#include "risk/engine.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <map>

namespace fixguard::config {
namespace {

std::string with_risk(const std::string& risk) { return testing::two_client_yaml(9880, 9878, "FIX.4.4", "", risk); }

// A limit buy of `qty` `symbol` at `price` for `account`.
risk::OrderRequest limit_buy(const char* symbol, int64_t qty, const char* price, const char* account = "") {
  risk::OrderRequest o;
  o.cl_ord_id = "X";
  o.account = account;
  o.symbol = symbol;
  o.side = '1';
  o.ord_type = '2';
  o.quantity = risk::Quantity::from_int(qty);
  o.price = risk::Price::parse(price);
  return o;
}
risk::OrderRequest buy_ibm(const char* account, int64_t qty) { return limit_buy("IBM", qty, "1", account); }

std::string error_of(const std::string& yaml) {
  testing::TempDir dir;
  try {
    testing::make_config(yaml, dir.path());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(RiskConfig, ParsesLimitsByScopeIntoExactValues) {
  testing::TempDir dir;
  const Config c = testing::make_config(with_risk(R"(risk:
  mode: observe
  limits:
    global: { max_order_qty: 100000 }
    accounts:
      ACC1: { max_notional: "1000000.5", allowed_sides: [buy, sell], allowed_ord_types: [limit, "P"] }
    instruments:
      "IBM@XNYS": { price_tick: 0.01, lot_size: 100 }
    groups:
      tech: { symbols: [IBM, MSFT], max_order_qty: 500 }
)"),
                                        dir.path());
  EXPECT_EQ(c.risk.mode, RiskConfig::Mode::observe);
  ASSERT_EQ(c.risk.limits.size(), 4u);
  EXPECT_EQ(c.risk.limits[0].kind, risk::ScopeKind::global);
  EXPECT_EQ(c.risk.limits[1].name, "ACC1");
  EXPECT_EQ(c.risk.limits[1].limits.max_notional->to_string(), "1000000.5");
  EXPECT_EQ(*c.risk.limits[1].limits.allowed_sides, "12");
  EXPECT_EQ(*c.risk.limits[1].limits.allowed_ord_types, "2P");
  EXPECT_EQ(c.risk.limits[2].limits.tick->to_string(), "0.01");
  EXPECT_EQ(c.risk.group_members.size(), 2u);

  // The book built from it applies the group's limit to IBM.
  risk::Engine engine(c.risk.engine());
  const risk::OrderRequest o = buy_ibm("ACC1", 600);
  const auto d = engine.decide(o, "sim", "alpha", 0, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(risk::describe(*d), "MAX_ORDER_QTY 600 > 500 group=tech");
  EXPECT_EQ(d->limits_version, c.risk.limits_version);
  EXPECT_EQ(c.risk.limits_version.size(), 16u);  // a fingerprint of the section
}

TEST(RiskConfig, ParsesFlowLimits) {
  testing::TempDir dir;
  const Config c = testing::make_config(with_risk(R"(risk:
  duplicate_window_ms: 1000
  min_order_interval_ms: 50
  rate_limits:
    per_client: { new: { rate: 10, burst: 20 }, cancel: { rate: 100, interval_ms: 60000 } }
    per_symbol: { replace: { rate: 5 } }
)"),
                                        dir.path());
  EXPECT_EQ(c.risk.flow.duplicate_window_ns, 1'000'000'000);
  EXPECT_EQ(c.risk.flow.min_interval_ns, 50'000'000);
  EXPECT_EQ(c.risk.flow.per_client[0].rate, 10);
  EXPECT_EQ(c.risk.flow.per_client[0].interval_ns, 1'000'000'000);
  EXPECT_EQ(c.risk.flow.per_client[0].burst, 20);
  EXPECT_FALSE(c.risk.flow.per_client[1].enabled());
  EXPECT_EQ(c.risk.flow.per_client[2].interval_ns, 60'000'000'000);
  EXPECT_EQ(c.risk.flow.per_client[2].burst, 100);  // burst defaults to the rate
  EXPECT_EQ(c.risk.flow.per_symbol[1].rate, 5);
  EXPECT_EQ(error_of(with_risk("risk: { rate_limits: { per_client: { new: { burst: 5 } } } }\n")),
            "risk.rate_limits.per_client.new.rate: required key is missing");
  EXPECT_EQ(error_of(with_risk("risk: { rate_limits: { per_desk: {} } }\n")), "risk.rate_limits.per_desk: unknown key");
}

TEST(RiskConfig, ParsesPositionExposureAndTurnoverLimits) {
  testing::TempDir dir;
  const Config c = testing::make_config(with_risk(R"(risk:
  limits_version: desk-2026-11-22
  limits:
    accounts:
      ACC1: { max_long_qty: 1000, max_short_notional: "2500.5", max_open_orders: 20, max_positions: 3,
              max_gross_exposure: 1000000, equity: 250000, max_leverage: 4, buying_power: true,
              max_daily_notional: 5000000, max_minute_orders: 60, max_daily_fills: 0 }
    groups:
      tech: { symbols: [IBM], max_group_net_exposure: 100000, max_instrument_leverage: "0.5" }
)"),
                                        dir.path());
  EXPECT_EQ(c.risk.limits_version, "desk-2026-11-22");
  const risk::OrderLimits& acc = c.risk.limits[0].limits;
  EXPECT_EQ(acc.max_long_qty->to_string(), "1000");
  EXPECT_EQ(acc.max_short_notional->to_string(), "2500.5");
  EXPECT_EQ(*acc.max_open_orders, 20);
  EXPECT_EQ(*acc.max_positions, 3);
  EXPECT_EQ(acc.equity->to_string(), "250000");
  EXPECT_EQ(acc.max_leverage->to_string(), "4");
  EXPECT_TRUE(acc.buying_power);
  EXPECT_EQ(*acc.max_minute_orders, 60);
  EXPECT_EQ(*acc.max_daily_fills, 0);  // zero: no new order at all
  EXPECT_EQ(c.risk.limits[1].limits.max_group_net_exposure->to_string(), "100000");
  EXPECT_EQ(c.risk.limits[1].limits.max_instrument_leverage->to_string(), "0.5");

  EXPECT_EQ(error_of(with_risk("risk: { limits: { accounts: { ACC1: { max_group_gross_exposure: 5 } } } }\n")),
            "risk.limits.accounts.ACC1.max_group_gross_exposure: only a group (limits.groups) can set it");
  EXPECT_EQ(
      error_of(with_risk("risk: { limits: { instruments: { IBM: { equity: 5 } } } }\n")),
      "risk.limits.instruments.IBM.equity: is set for the whole account: global, a venue, a client or an account");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { max_leverage: 0 } } }\n")),
            "risk.limits.global.max_leverage: must be above zero, got '0'");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { max_open_orders: -1 } } }\n")),
            "risk.limits.global.max_open_orders: must be between 0 and 1000000000000, got -1");
}

TEST(RiskConfig, AClientSessionIsBoundToItsAccounts) {
  testing::TempDir dir;
  const Config c = testing::make_config(
      with_risk("risk: { limits: { clients: { alpha: { allowed_accounts: [ACC1, \"ACC 3\"] } } } }\n"), dir.path());
  ASSERT_EQ(c.risk.limits.size(), 1u);
  ASSERT_TRUE(c.risk.limits[0].limits.allowed_accounts);
  EXPECT_EQ(*c.risk.limits[0].limits.allowed_accounts, (risk::SymbolSet{"ACC1", "ACC 3"}));
  risk::Engine engine(c.risk.engine());
  const risk::OrderRequest o = buy_ibm("ACC2", 1);
  const auto d = engine.decide(o, "sim", "alpha", 0, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(risk::describe(*d), "ACCOUNT_NOT_ALLOWED ACC2 not in [allowed list] client=alpha");
  EXPECT_FALSE(engine.decide(o, "sim", "beta", 0, 0)) << "another session is not bound";
  EXPECT_EQ(error_of(with_risk("risk: { limits: { clients: { alpha: { allowed_accounts: [ACC1, \"\"] } } } }\n")),
            "risk.limits.clients.alpha.allowed_accounts[1]: expected a name");
  // A list that allows nothing would refuse every order: a halt written by mistake.
  for (const char* key : {"allowed_accounts", "allowed_symbols", "allowed_ord_types", "allowed_sides"})
    EXPECT_EQ(error_of(with_risk(std::string("risk: { limits: { clients: { alpha: { ") + key + ": [] } } } }\n")),
              std::string("risk.limits.clients.alpha.") + key +
                  ": is empty: it would refuse every order (leave it out to allow any; to stop trading, halt the "
                  "scope)");
}

TEST(RiskConfig, AnInstrumentNamesTheFieldsItIsTradedBy) {
  testing::TempDir dir;
  const Config c = testing::make_config(
      with_risk("risk: { limits: { instruments: { IBM: { instrument_fields: { SecurityID: US0378331005, 22: 4, "
                "MaturityMonthYear: \"202612\", OptAttribute: A } } } } }\n"),
      dir.path());
  ASSERT_EQ(c.risk.limits.size(), 1u);
  using Fields = std::vector<std::pair<std::size_t, std::string>>;
  EXPECT_EQ(c.risk.limits[0].limits.instrument_fields, (Fields{{risk::instrument_field_index(48), "US0378331005"},
                                                               {risk::instrument_field_index(22), "4"},
                                                               {risk::instrument_field_index(200), "202612"},
                                                               {risk::instrument_field_index(206), "A"}}));
  EXPECT_EQ(error_of(with_risk("risk: { limits: { accounts: { ACC1: { instrument_fields: { 48: X } } } } }\n")),
            "risk.limits.accounts.ACC1.instrument_fields: only an instrument (limits.instruments) can set it");
  EXPECT_EQ(
      error_of(with_risk("risk: { limits: { instruments: { IBM: { instrument_fields: { SecurityType: CS } } } } }\n")),
      "risk.limits.instruments.IBM.instrument_fields.SecurityType: is not a field that names an instrument (expected "
      "one of SecurityID (48), SecurityIDSource (22), SymbolSfx (65), MaturityMonthYear (200), MaturityDay (205), "
      "MaturityDate (541), PutOrCall (201), StrikePrice (202), OptAttribute (206))");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { instruments: { IBM: { instrument_fields: { 48: \"\" } } } } }\n")),
            "risk.limits.instruments.IBM.instrument_fields.48: expected the value the field must have");
  EXPECT_EQ(error_of(with_risk(
                "risk: { limits: { instruments: { IBM: { instrument_fields: { 48: X, SecurityID: Y } } } } }\n")),
            "risk.limits.instruments.IBM.instrument_fields.SecurityID: names a field already set");
  EXPECT_EQ(error_of(with_risk(
                "risk: { limits: { instruments: { ESZ6: { instrument_fields: { ContractMultiplier: 50 } } } } }\n")),
            "risk.limits.instruments.ESZ6.instrument_fields.ContractMultiplier: is compared with "
            "risk.contract_multipliers, which also scales the amounts: set it there");
}

TEST(RiskConfig, ContractMultipliersScaleEveryAmountOfTheirSymbol) {
  testing::TempDir dir;
  const Config c = testing::make_config(
      with_risk("risk: { contract_multipliers: { ESZ6: 50 }, limits: { global: { max_notional: 1000000 } } }\n"),
      dir.path());
  EXPECT_EQ(c.risk.contract_multipliers,
            (std::map<std::string, risk::Multiplier, std::less<>>{{"ESZ6", risk::Multiplier::from_int(50)}}));
  risk::Engine engine(c.risk.engine());
  risk::OrderRequest o = limit_buy("ESZ6", 10, "2000");
  EXPECT_FALSE(engine.decide(o, "sim", "alpha", 0, 0));
  o.price = risk::Price::parse("2000.25");
  const auto d = engine.decide(o, "sim", "alpha", 0, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(risk::describe(*d), "MAX_NOTIONAL 1000125 > 1000000 global");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: { ES@XCME: 50 } }\n")),
            "risk.contract_multipliers.ES@XCME: expected a Symbol (55): a multiplier is the same on every exchange");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: { ESZ6: 0.000000001 } }\n")),
            "risk.contract_multipliers.ESZ6: expected an exact decimal (at most 8 places), got '0.000000001'");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: { ESZ6: fifty } }\n")),
            "risk.contract_multipliers.ESZ6: expected an exact decimal (at most 8 places), got 'fifty'");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: { ESZ6: 0 } }\n")),
            "risk.contract_multipliers.ESZ6: must be above zero, got '0'");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: { ESZ6: -50 } }\n")),
            "risk.contract_multipliers.ESZ6: must be above zero, got '-50'");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: { ESZ6: 1000000000.5 } }\n")),
            "risk.contract_multipliers.ESZ6: must be at most 1000000000, got '1000000000.5'");
  EXPECT_EQ(error_of(with_risk("risk: { contract_multipliers: [ESZ6] }\n")),
            "risk.contract_multipliers: expected a mapping of symbols to multipliers");
}

// A bond quoted in percent of its face amount, traded in face amounts: its
// multiplier is 0.01, so 1,000,000 at 99.5 is 995,000 of notional.
TEST(RiskConfig, AContractMultiplierMayBeAFraction) {
  testing::TempDir dir;
  const Config c = testing::make_config(with_risk("risk: { contract_multipliers: { UST10Y: 0.01, MBTZ6: 0.1 },\n"
                                                  "        limits: { global: { max_notional: 1000000 } } }\n"),
                                        dir.path());
  EXPECT_EQ(c.risk.contract_multipliers.at("UST10Y"), *risk::Multiplier::parse("0.01"));
  EXPECT_EQ(c.risk.contract_multipliers.at("MBTZ6"), *risk::Multiplier::parse("0.1"));
  risk::Engine engine(c.risk.engine());
  risk::OrderRequest o = limit_buy("UST10Y", 1000000, "99.5");
  o.cl_ord_id = "B1";
  EXPECT_FALSE(engine.decide(o, "sim", "alpha", 0, 0));  // 995,000
  o.cl_ord_id = "B2";
  o.quantity = risk::Quantity::from_int(1005100);
  const auto d = engine.decide(o, "sim", "alpha", 0, 0);
  ASSERT_TRUE(d);
  EXPECT_EQ(risk::describe(*d), "MAX_NOTIONAL 1000074.5 > 1000000 global");
}

TEST(RiskConfig, AReferencePriceHasAMaximumAge) {
  testing::TempDir dir;
  const Config c =
      testing::make_config(with_risk("risk: { limits: { global: { max_reference_age_ms: 5000 } } }\n"), dir.path());
  ASSERT_EQ(c.risk.limits.size(), 1u);
  EXPECT_EQ(c.risk.limits[0].limits.max_reference_age_ms, 5000);
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { max_reference_age_ms: 0 } } }\n")),
            "risk.limits.global.max_reference_age_ms: must be between 1 and 604800000, got 0");
}

TEST(RiskConfig, ErrorsNameTheKey) {
  EXPECT_EQ(error_of(with_risk("risk: { limits: { accounts: { ACC1: { max_order_qty: lots } } } }\n")),
            "risk.limits.accounts.ACC1.max_order_qty: expected an exact decimal (at most 8 places), got 'lots'");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { max_order_qty: 0 } } }\n")),
            "risk.limits.global.max_order_qty: must be above zero, got '0'");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { max_order_size: 5 } } }\n")),
            "risk.limits.global.max_order_size: unknown key");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { allowed_sides: [buy, sideways] } } }\n")),
            "risk.limits.global.allowed_sides[1]: unknown value 'sideways' (expected one of buy, buy_minus, sell, "
            "sell_plus, sell_short, sell_short_exempt, or a FIX value)");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { global: { min_order_qty: 10, max_order_qty: 5 } } }\n")),
            "risk.limits.global.min_order_qty: is above max_order_qty");
  EXPECT_EQ(error_of(with_risk("risk: { mode: lenient }\n")), "risk.mode: expected enforce or observe, got 'lenient'");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { instruments: { IBM: { collar_ticks: 5 } } } }\n")),
            "risk.limits.instruments.IBM.collar_ticks: needs price_tick in the same scope");
  EXPECT_EQ(error_of(with_risk("risk: { reference_prices: { IBM: cheap } }\n")),
            "risk.reference_prices.IBM: expected an exact decimal (at most 8 places), got 'cheap'");
  EXPECT_EQ(error_of(with_risk("risk: { limits: { groups: { tech: { max_order_qty: 5 } } } }\n")),
            "risk.limits.groups.tech.symbols: expected a list, got nothing");
}

}  // namespace
}  // namespace fixguard::config
