// The operator interface end to end: HTTP with the token, the state and
// metrics it reports, and the actions, also through `fixguard ctl` run as a
// separate process against the running gateway.
#include "persistence/operator_actions.h"
#include "proxy/admin_client.h"
#include "tests/support/proxy_fixture.h"

#include <fstream>

namespace fixguard::testing {
namespace {

using proxy::SimulatorOptions;

constexpr const char* kToken = "s3cret-admin-token-0123456789";

class Admin : public ProxyTest {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("admin.token")) << kToken << "\n";
    yaml = two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                           "admin: { listen: \"127.0.0.1:" + std::to_string(admin_port) +
                               "\", token_file: admin.token }\n" + risk_section("1000"));
    write_config(yaml);
    start_file(dir.file("fixguard.yaml"), fills(SimulatorOptions::Fill::none));
    connect({"alpha"});
  }

  static std::string risk_section(const std::string& max_qty) {
    return "risk:\n  limits_version: desk-1\n"
           "  limits: { accounts: { ACC1: { max_order_qty: " +
           max_qty +
           ", equity: 50000 } } }\n"
           "  profiles: { defensive: { accounts: { ACC1: { max_order_qty: 10 } } } }\n"
           "  controls: { losses: { max_daily_loss: 5000 }, global_stop: { cooldown_s: 300 } }\n";
  }
  void write_config(const std::string& text) { std::ofstream(dir.file("fixguard.yaml")) << text; }

  proxy::AdminReply get(const std::string& path, const std::string& token = kToken) {
    config::AdminConfig a = *cfg.admin;
    a.token = token;
    return proxy::admin_call(a, "GET", path, {});
  }
  proxy::AdminReply post(const std::string& path, const std::map<std::string, std::string>& form) {
    return proxy::admin_call(*cfg.admin, "POST", path, form);
  }
  CommandResult ctl(const std::string& args) {
    return run_fixguard("ctl --config " + dir.file("fixguard.yaml") + " " + args);
  }

  std::string answer_text(const std::string& id) {
    const auto r = strategy->wait_for(
        "alpha", [&](const std::string& m) { return field(m, 11) == id && field(m, 35) == "8"; }, kWait);
    if (!r) return "(no answer)";
    return field(*r, 39) == "8" ? field(*r, 58) : "accepted";
  }
  FIX::Message order(const std::string& id, const std::string& qty = "10") {
    FIX::Message m = new_order(id, qty, "100");
    m.setField(FIX::Account("ACC1"));
    return m;
  }

  uint16_t admin_port = free_port();
  std::string yaml;
};

TEST_F(Admin, HealthAndReadyAreOpenEverythingElseNeedsTheToken) {
  LogCapture logs;
  EXPECT_EQ(get("/health", "").status, 200);
  const proxy::AdminReply ready = get("/ready", "");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "{\"ready\":true}\n");
  EXPECT_EQ(get("/state", "").status, 401);
  EXPECT_EQ(get("/state", "s3cret-admin-token-012345678X").status, 401);
  EXPECT_EQ(get("/metrics", "short").status, 401);
  EXPECT_EQ(post("/halt", {{"scope", "global"}, {"operator", "alice"}}).status, 400) << "no reason";
  EXPECT_TRUE(logs.contains("missing or wrong token"));
  for (const std::string& line : logs.lines()) EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
  const proxy::AdminReply state = get("/state");
  EXPECT_EQ(state.status, 200);
  EXPECT_NE(
      state.body.find("{\"name\":\"alpha\",\"logged_on\":true,\"state\":\"ACTIVE\",\"reason\":\"\",\"venue\":\"sim\"}"),
      std::string::npos)
      << state.body;
}

TEST_F(Admin, CtlHaltsAndResumesAnAccountAndEveryActionIsRecorded) {
  const CommandResult halt = ctl("halt --scope account --name ACC1 --operator alice --reason 'margin call'");
  EXPECT_EQ(halt.status, 0) << halt.output;
  ASSERT_TRUE(strategy->send("alpha", order("H1")));
  EXPECT_EQ(answer_text("H1"), "HALTED (operator alice: margin call) account=ACC1");
  const CommandResult state = ctl("state");
  EXPECT_EQ(state.status, 0);
  EXPECT_NE(state.output.find("\"name\":\"ACC1\""), std::string::npos) << state.output;
  EXPECT_NE(state.output.find("\"state\":\"HALTED\",\"reason\":\"operator alice: margin call\""), std::string::npos);

  const CommandResult bad = ctl("halt --scope client --name nobody --operator alice --reason x");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.output.find("no client session nobody"), std::string::npos) << bad.output;

  EXPECT_EQ(ctl("resume --scope account --name ACC1 --operator alice --reason 'margin posted'").status, 0);
  ASSERT_TRUE(strategy->send("alpha", order("H2")));
  EXPECT_EQ(answer_text("H2"), "accepted");

  gateway->stop();
  gateway.reset();
  persistence::Database db(cfg.database);
  const auto actions = persistence::OperatorActions(db).all();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].operator_name, "alice");
  EXPECT_EQ(actions[0].action, "halt");
  EXPECT_EQ(actions[0].scope, "account ACC1");
  EXPECT_EQ(actions[0].reason, "margin call");
  EXPECT_EQ(actions[0].outcome, "done");
  EXPECT_EQ(actions[1].action, "resume");
}

TEST_F(Admin, CtlMakesAnAccountReduceOnlyAndFlattensItByHand) {
  venue->set_fill(SimulatorOptions::Fill::full);
  ASSERT_TRUE(strategy->send("alpha", order("B1", "30")));
  ASSERT_TRUE(wait_er("alpha", "B1", "F"));
  const CommandResult reduce = ctl("reduce-only --scope account --name ACC1 --operator dora --reason 'near limit'");
  EXPECT_EQ(reduce.status, 0) << reduce.output;
  ASSERT_TRUE(strategy->send("alpha", order("B2", "5")));
  EXPECT_EQ(answer_text("B2"), "REDUCE_ONLY (operator dora: near limit) account=ACC1");
  FIX::Message sell = order("S1", "10");
  sell.setField(FIX::Side(FIX::Side_SELL));
  ASSERT_TRUE(strategy->send("alpha", sell));
  EXPECT_EQ(answer_text("S1"), "accepted");
  ASSERT_TRUE(wait_er("alpha", "S1", "F"));

  const CommandResult flatten = ctl("flatten --scope account --name ACC1 --operator dora --reason 'end of test'");
  EXPECT_EQ(flatten.status, 0) << flatten.output;
  ASSERT_TRUE(venue->wait_received("D", 3, kWait));
  const std::string flat = venue->received("D")[2];
  EXPECT_EQ(field(flat, 11).rfind("alpha-FGF-", 0), 0u) << flat;
  EXPECT_EQ(field(flat, 54), "2");
  EXPECT_EQ(field(flat, 38), "20");
  EXPECT_TRUE(eventually(
      [&] {
        return gateway->call([](proxy::Gateway& g) {
          const risk::PositionState* p = g.engine().portfolio().position("ACC1", "IBM");
          return p && p->qty.is_zero();
        });
      },
      kWait));
  const CommandResult none = ctl("flatten --scope account --name NOBODY --operator dora --reason x");
  EXPECT_EQ(none.status, 1);
  EXPECT_NE(none.output.find("no open position of NOBODY could be closed"), std::string::npos) << none.output;
}

TEST_F(Admin, AHaltWithCancelPullsTheOpenOrders) {
  ASSERT_TRUE(strategy->send("alpha", order("O1")));
  ASSERT_TRUE(wait_er("alpha", "O1", "0"));
  EXPECT_EQ(post("/halt", {{"scope", "client"},
                           {"name", "alpha"},
                           {"cancel", "true"},
                           {"operator", "bob"},
                           {"reason", "strategy misbehaving"}})
                .status,
            200);
  ASSERT_TRUE(venue->wait_received("F", 1, kWait));
  EXPECT_EQ(field(venue->received("F")[0], 41), "alpha-O1");
  EXPECT_TRUE(strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 150) == "4" && field(m, 41) == "O1"; }, kWait));
}

TEST_F(Admin, TheKillSwitchTripsAndAResetWaitsForTheCooldown) {
  EXPECT_EQ(post("/trip", {{"scope", "global"}, {"operator", "bob"}, {"reason", "runaway"}}).status, 200);
  ASSERT_TRUE(strategy->send("alpha", order("K1")));
  EXPECT_EQ(answer_text("K1"), "EMERGENCY_STOP (operator bob: runaway) global");
  EXPECT_EQ(post("/trip", {{"scope", "global"}, {"operator", "bob"}, {"reason", "again"}}).status, 409);
  const proxy::AdminReply reset = post("/reset", {{"scope", "global"}, {"operator", "bob"}, {"reason", "fixed"}});
  EXPECT_EQ(reset.status, 409);
  EXPECT_NE(reset.body.find("cooling down"), std::string::npos) << reset.body;
  EXPECT_NE(
      get("/state").body.find("\"emergency_stop\":{\"phase\":\"COOLING_DOWN\",\"reason\":\"operator bob: runaway\""),
      std::string::npos);
}

TEST_F(Admin, MetricsCountOrdersRejectsAndDecisionTimes) {
  ASSERT_TRUE(strategy->send("alpha", order("M1")));
  EXPECT_EQ(answer_text("M1"), "accepted");
  ASSERT_TRUE(strategy->send("alpha", order("M2", "5000")));
  EXPECT_EQ(answer_text("M2"), "MAX_ORDER_QTY 5000 > 1000 account=ACC1");
  const proxy::AdminReply m = get("/metrics");
  ASSERT_EQ(m.status, 200);
  for (const char* line :
       {"fixguard_orders_in_total{type=\"D\"} 2\n", "fixguard_orders_forwarded_total{type=\"D\"} 1\n",
        "fixguard_orders_rejected_total{rule=\"MAX_ORDER_QTY\"} 1\n", "fixguard_decision_seconds_count 2\n",
        "fixguard_decision_seconds_bucket{le=\"+Inf\"} 2\n",
        "fixguard_session_logged_on{session=\"alpha\",side=\"client\"} 1\n",
        "fixguard_session_logged_on{session=\"beta\",side=\"client\"} 0\n",
        "fixguard_session_logged_on{session=\"sim\",side=\"venue\"} 1\n", "fixguard_emergency_stops_tripped 0\n"})
    EXPECT_NE(m.body.find(line), std::string::npos) << line << " in\n" << m.body;
  // The write log: each order's batch appended, applied behind; one log,
  // the journal's, takes the database's writes too.
  const auto value = [&](const std::string& metric) -> int64_t {
    const std::size_t at = m.body.find("\n" + metric + " ");
    return at == std::string::npos ? -1 : std::stoll(m.body.substr(at + metric.size() + 2));
  };
  const std::string label = "{file=\"journal\"}";
  EXPECT_GE(value("fixguard_write_log_appends_total" + label), 2) << m.body;
  EXPECT_GE(value("fixguard_write_log_records_applied_total" + label) + value("fixguard_write_log_backlog" + label),
            value("fixguard_write_log_appends_total" + label))
      << "at least a record per append, applied or waiting";
  EXPECT_EQ(m.body.find("{file=\"database\"}"), std::string::npos) << "one log for both files\n" << m.body;
}

TEST_F(Admin, AMarkRevaluesPositionsInTheState) {
  EXPECT_EQ(post("/mark", {{"symbol", "IBM"}, {"price", "101.5"}, {"operator", "carol"}, {"reason", "close"}}).status,
            200);
  EXPECT_EQ(post("/mark", {{"symbol", "IBM"}, {"price", "abc"}, {"operator", "carol"}, {"reason", "x"}}).status, 400);
  ASSERT_TRUE(strategy->send("alpha", order("P1")));
  ASSERT_TRUE(wait_er("alpha", "P1", "0"));
  const std::string state = get("/state").body;
  EXPECT_NE(state.find("\"open_orders\":[{\"client\":\"alpha\",\"cl_ord_id\":\"P1\",\"account\":\"ACC1\",\"symbol\":"
                       "\"IBM\",\"side\":\"1\",\"order_qty\":\"10\",\"leaves_qty\":\"10\",\"price\":\"100\"}]"),
            std::string::npos)
      << state;
  EXPECT_NE(state.find("\"mark\":\"101.5\""), std::string::npos) << state;
}

// An operator's mark, and an open sell limited below it (counted at the
// mark), come back as they were after a restart.
TEST_F(Admin, AMarkAndTheSellsMeasuredAtItSurviveARestart) {
  ASSERT_EQ(post("/mark", {{"symbol", "IBM"}, {"price", "150"}, {"operator", "carol"}, {"reason", "open"}}).status,
            200);
  FIX::Message sell = new_order("S1", "100", "0.01");
  sell.setField(FIX::Side(FIX::Side_SELL));
  sell.setField(FIX::Account("ACC1"));
  ASSERT_TRUE(strategy->send("alpha", sell));
  ASSERT_TRUE(wait_er("alpha", "S1", "0"));
  const std::string counted =
      "\"cl_ord_id\":\"S1\",\"account\":\"ACC1\",\"symbol\":\"IBM\",\"side\":\"2\",\"order_qty\":\"100\","
      "\"leaves_qty\":\"100\",\"price\":\"150\"}";
  ASSERT_NE(get("/state").body.find(counted), std::string::npos) << get("/state").body;

  gateway->kill();
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(eventually([&] { return get("/health", "").status == 200; }, kWait));
  const std::string state = get("/state").body;
  EXPECT_NE(state.find("\"mark\":\"150\""), std::string::npos) << state;
  EXPECT_NE(state.find(counted), std::string::npos) << "not at its limit, 0.01: " << state;
}

TEST_F(Admin, ABrokenReloadIsRefusedWholeAndAGoodOneAppliesAtOnceWithANewVersion) {
  LogCapture log;
  const std::string original = yaml;
  std::string broken = original;
  broken.replace(broken.find("max_order_qty: 1000"), 19, "max_order_qty: -5");
  write_config(broken);
  const CommandResult refused = ctl("reload --operator alice --reason 'tighten ACC1'");
  EXPECT_EQ(refused.status, 1);
  EXPECT_NE(refused.output.find("risk.limits.accounts.ACC1.max_order_qty: must be above zero, got '-5'"),
            std::string::npos)
      << refused.output;
  ASSERT_TRUE(strategy->send("alpha", order("L1", "1000")));
  EXPECT_EQ(answer_text("L1"), "accepted") << "the old limits stay in force";

  std::string other_section = original;
  other_section.replace(other_section.find("heartbeat_interval: 5"), 21, "heartbeat_interval: 6");
  write_config(other_section);
  const proxy::AdminReply restart_needed = post("/reload", {{"operator", "alice"}, {"reason", "x"}});
  EXPECT_EQ(restart_needed.status, 422);
  EXPECT_NE(restart_needed.body.find("only the risk section can be reloaded"), std::string::npos);
  // Positions are counted at their contract multipliers: those stay until a restart.
  std::string multiplied = original;
  multiplied.replace(multiplied.find("limits_version: desk-1\n"), 23,
                     "limits_version: desk-1\n  contract_multipliers: { IBM: 100 }\n");
  write_config(multiplied);
  const proxy::AdminReply multiplier_needs_restart = post("/reload", {{"operator", "alice"}, {"reason", "x"}});
  EXPECT_EQ(multiplier_needs_restart.status, 422);
  EXPECT_NE(multiplier_needs_restart.body.find("risk.contract_multipliers changed; that needs a restart"),
            std::string::npos)
      << multiplier_needs_restart.body;

  std::string tighter = original;
  tighter.replace(tighter.find("max_order_qty: 1000"), 19, "max_order_qty: 500");
  write_config(tighter);
  const CommandResult applied = ctl("reload --operator alice --reason 'tighten ACC1'");
  EXPECT_EQ(applied.status, 0) << applied.output;
  EXPECT_NE(applied.output.find("\"limits_version\":\"desk-1#2\""), std::string::npos) << applied.output;
  ASSERT_TRUE(strategy->send("alpha", order("L2", "501")));
  EXPECT_EQ(answer_text("L2"), "MAX_ORDER_QTY 501 > 500 account=ACC1");
  EXPECT_TRUE(log.contains("rejected D ClOrdID=L2: MAX_ORDER_QTY 501 > 500 account=ACC1 (limits desk-1#2)"));
}

TEST_F(Admin, AnOperatorSwitchesProfilesAtRuntime) {
  EXPECT_EQ(post("/profile", {{"name", "reckless"}, {"operator", "bob"}, {"reason", "x"}}).status, 404);
  const proxy::AdminReply switched = post("/profile", {{"name", "defensive"}, {"operator", "bob"}, {"reason", "CPI"}});
  EXPECT_EQ(switched.status, 200) << switched.body;
  ASSERT_TRUE(strategy->send("alpha", order("P1", "11")));
  EXPECT_EQ(answer_text("P1"), "MAX_ORDER_QTY 11 > 10 account=ACC1");
  EXPECT_NE(get("/state").body.find("\"limits_version\":\"desk-1/defensive#2\",\"profile\":\"defensive\""),
            std::string::npos);
  EXPECT_EQ(post("/profile", {{"name", "normal"}, {"operator", "bob"}, {"reason", "CPI done"}}).status, 200);
  ASSERT_TRUE(strategy->send("alpha", order("P2", "11")));
  EXPECT_EQ(answer_text("P2"), "accepted");
}

TEST_F(Admin, AnOperatorSetsAnAccountsStartingEquityAndItSurvivesARestart) {
  const CommandResult set =
      ctl("equity --scope account --name ACC1 --equity 80000 --operator alice --reason 'deposit'");
  EXPECT_EQ(set.status, 0) << set.output;
  EXPECT_NE(get("/state").body.find("\"equity\":\"80000\""), std::string::npos);
  gateway->kill();
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(eventually([&] { return get("/health", "").status == 200; }, kWait));
  const std::string state = get("/state").body;
  EXPECT_NE(state.find("\"equity\":\"80000\""), std::string::npos) << state;
  EXPECT_NE(state.find("\"peak_equity\":\"80000\",\"day_start_equity\":\"80000\""), std::string::npos) << state;
}

}  // namespace
}  // namespace fixguard::testing
