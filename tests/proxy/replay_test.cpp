// `fixguard replay` on logs written by real QuickFIX sessions: a strategy
// trades through fixguard (no limits, so everything passes live) with
// QuickFIX's FileLog on, and the replay decides its recorded orders under
// limits, on the log's clock.
#include "proxy/replay.h"
#include "persistence/journal.h"
#include "proxy/admin_client.h"
#include "proxy/operator_action.h"
#include "tests/support/proxy_fixture.h"

#include <filesystem>
#include <fstream>
#include <thread>

namespace fixguard::testing {
namespace {

// The replay's limits: at most 100 a order, 2,500 traded a day, one new
// order a second per account.
constexpr const char* kReplayLimits = R"(risk:
  limits:
    accounts: { ACC1: { max_order_qty: 100, max_daily_notional: 2500 } }
  rate_limits:
    per_account: { new: { rate: 1, burst: 1 } }
)";

class ReplayTest : public ProxyTest {
 protected:
  void SetUp() override {
    start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::full));
    std::filesystem::create_directories(dir.file("logs"));
    proxy::StrategyPeer::Options o;
    o.port = listen_port;
    o.log_dir = dir.file("logs");
    strategy = std::make_unique<proxy::StrategyPeer>(std::vector<config::ClientConfig>{*cfg.find_client("alpha")}, o);
    strategy->start();
    ASSERT_TRUE(strategy->wait_logged_on("alpha", kWait));
  }
  // An order of ACC1 for IBM at 100, stamped `transact_time`; waits for its fill.
  void trade(const std::string& id, const std::string& qty, const std::string& transact_time) {
    FIX::Message m = new_order(id, qty, "100");
    m.setField(FIX::Account("ACC1"));
    m.setField(FIX::StringField(FIX::FIELD::TransactTime, transact_time));
    ASSERT_TRUE(strategy->send("alpha", m));
    ASSERT_TRUE(wait_er("alpha", id, "F")) << id;
  }
  // The recorded flow: five orders on one trading day, one on the next.
  void record() {
    trade("R1", "10", "20261130-23:59:50.000");
    trade("R2", "10", "20261130-23:59:50.100");  // too soon after R1
    trade("R3", "10", "20261130-23:59:52.000");
    trade("R4", "500", "20261130-23:59:53.000");  // too large
    trade("R5", "10", "20261130-23:59:55.000");   // over the day's notional
    trade("R6", "10", "20261201-00:00:05.000");   // a new day
    stop_all();
  }
  std::string log_file() const { return dir.file("logs/FIX.4.4-ALPHA-FIXGUARD.messages.current.log"); }
  std::string write_config(const std::string& name, const std::string& risk) const {
    std::ofstream(dir.file(name)) << two_client_yaml(listen_port, venue_port, "FIX.4.4", "", risk);
    return dir.file(name);
  }
  CommandResult replay(const std::string& args) { return run_fixguard("replay " + args); }
  // "R1 accepted", "R2 rejected RATE_LIMIT", ... from CSV output.
  static std::vector<std::string> decisions(const std::string& csv) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("2026-", 0) != 0) continue;  // the header, the summary line
      std::vector<std::string> f;
      std::istringstream fields(line);
      std::string v;
      while (std::getline(fields, v, ',')) f.push_back(v);
      // time,client,msg_type,cl_ord_id,account,symbol,side,quantity,price,outcome,rule,...
      out.push_back(f.at(3) + " " + f.at(9) + (f.at(10).empty() ? "" : " " + f.at(10)));
    }
    return out;
  }
};

TEST_F(ReplayTest, RecordedOrdersAreDecidedOnTheLogsClockWithADailyReset) {
  record();
  ASSERT_TRUE(std::filesystem::exists(log_file()));
  const std::string limits = write_config("limits.yaml", kReplayLimits);
  const CommandResult r = replay(log_file() + " --config " + limits + " --clock transact --show all --format csv");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(decisions(r.output),
            (std::vector<std::string>{"R1 accepted", "R2 rejected RATE_LIMIT", "R3 accepted",
                                      "R4 rejected MAX_ORDER_QTY", "R5 rejected MAX_DAILY_NOTIONAL", "R6 accepted"}))
      << r.output;
  EXPECT_NE(r.output.find("lines without FIX skipped"), std::string::npos) << r.output;

  // The table's summary counts the rejects by rule.
  const CommandResult table = replay(log_file() + " --config " + limits + " --clock transact");
  EXPECT_NE(table.output.find("orders 6: accepted 3, rejected 3, dropped 0; venue reports applied 6"),
            std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("MAX_DAILY_NOTIONAL          1"), std::string::npos) << table.output;

  // The report, for people who would rather look: totals, a chart, the rejects.
  const CommandResult html =
      replay(log_file() + " --config " + limits + " --clock transact --html " + dir.file("replay.html"));
  ASSERT_EQ(html.status, 0) << html.output;
  std::ifstream in(dir.file("replay.html"));
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("orders 6: accepted 3, rejected 3"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("</i>MAX_DAILY_NOTIONAL</span>"), std::string::npos) << "in the chart's legend";
  EXPECT_NE(page.find("<td>R4</td>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);

  // On the clock of sending, the orders came within a second or so of
  // each other, on one day: the rate limit decides differently.
  const CommandResult sent = replay(log_file() + " --config " + limits + " --show all --format csv");
  EXPECT_NE(decisions(sent.output), decisions(r.output)) << sent.output;
}

TEST_F(ReplayTest, CompareListsTheOrdersTwoConfigsDecideDifferently) {
  record();
  const std::string limits = write_config("limits.yaml", kReplayLimits);
  // Without the rate limit: R2 passes, so R3 is the one over the day's notional.
  const std::string other = write_config("other.yaml", R"(risk:
  limits:
    accounts: { ACC1: { max_order_qty: 100, max_daily_notional: 2500 } }
)");
  const CommandResult r =
      replay(log_file() + " --config " + limits + " --compare " + other + " --clock transact --format csv");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(",R2,ACC1,IBM,rejected,RATE_LIMIT,"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(",R3,ACC1,IBM,accepted,,,rejected,MAX_DAILY_NOTIONAL,"), std::string::npos) << r.output;
  EXPECT_EQ(decisions(r.output).size(), 2u) << r.output;
  const CommandResult table = replay(log_file() + " --config " + limits + " --compare " + other + " --clock transact");
  EXPECT_NE(table.output.find("2 orders decided differently"), std::string::npos) << table.output;
  EXPECT_NE(table.output.find("RATE_LIMIT                     1        0"), std::string::npos) << table.output;
}

TEST_F(ReplayTest, RawStreamsWithOtherSeparatorsAndNoiseAreRead) {
  record();
  // The same messages as a raw stream: '|' between fields, no timestamps,
  // two per line, with lines of noise between.
  std::ifstream in(log_file());
  std::ofstream out(dir.file("raw.txt"));
  std::string line, pending;
  int n = 0;
  while (std::getline(in, line)) {
    std::string message = line.substr(line.find("8=FIX"));
    for (char& c : message)
      if (c == '\x01') c = '|';
    pending += message;
    if (++n % 2 == 0) {
      out << pending << "\n# not FIX\n";
      pending.clear();
    }
  }
  out << pending << "\n";
  out.close();
  const std::string limits = write_config("limits.yaml", kReplayLimits);
  const CommandResult r =
      replay(dir.file("raw.txt") + " --config " + limits + " --clock transact --show all --format csv");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(decisions(r.output).size(), 6u) << r.output;
  EXPECT_NE(r.output.find("R4,ACC1,IBM,1,500,100,rejected,MAX_ORDER_QTY"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(std::to_string(n / 2) + " lines without FIX skipped"), std::string::npos) << r.output;
}

TEST_F(ReplayTest, LiveSendsTheLogsOrdersToARunningFixguardAndReportsWhatCameBack) {
  record();
  // Another fixguard, with a size limit, in a directory of its own.
  std::filesystem::create_directories(dir.file("live"));
  const std::string live = dir.file("live/fixguard.yaml");
  std::ofstream(live) << two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                                         "risk: { limits: { accounts: { ACC1: { max_order_qty: 100 } } } }\n");
  start_file(live, fills(proxy::SimulatorOptions::Fill::full));
  const CommandResult r = replay(log_file() + " --config " + live + " --live 127.0.0.1:" + std::to_string(listen_port) +
                                 " --speed 0 --show all --format csv");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(decisions(r.output), (std::vector<std::string>{"R1 accepted", "R2 accepted", "R3 accepted",
                                                           "R4 rejected MAX_ORDER_QTY", "R5 accepted", "R6 accepted"}))
      << r.output;
  EXPECT_EQ(venue->received("D").size(), 5u) << "the rejected one never reached the venue";
  EXPECT_NE(r.output.find("6 orders sent to 127.0.0.1:"), std::string::npos) << r.output;
}

// A NewOrderSingle from ALPHA for account ACC1 (a PossResend with `resend`).
std::string new_order_text(const std::string& id, const std::string& qty, bool resend = false) {
  return std::string(
             "8=FIX.4.4\x01"
             "35=D\x01"
             "49=ALPHA\x01"
             "56=FIXGUARD\x01") +
         (resend ? "97=Y\x01" : "") + "11=" + id +
         "\x01"
         "1=ACC1\x01"
         "55=IBM\x01"
         "54=1\x01"
         "38=" +
         qty +
         "\x01"
         "40=2\x01"
         "44=100\x01"
         "60=20261130-10:00:00\x01";
}

// The venue's fill of all of `id` (10 at 100) to ALPHA.
std::string fill_text(const std::string& id) {
  return "8=FIX.4.4\x01"
         "35=8\x01"
         "49=FIXGUARD\x01"
         "56=ALPHA\x01"
         "37=O1\x01"
         "17=E1\x01"
         "11=" +
         id +
         "\x01"
         "150=F\x01"
         "39=2\x01"
         "1=ACC1\x01"
         "55=IBM\x01"
         "54=1\x01"
         "38=10\x01"
         "32=10\x01"
         "31=100\x01"
         "14=10\x01"
         "151=0\x01"
         "6=100\x01";
}

// A Replay under a config with `risk` as its risk section, fed a message a
// second from 2026-11-29 (UTC) on.
class Replayer {
 public:
  explicit Replayer(const std::string& risk)
      : config_(make_config(two_client_yaml(1, 2, "FIX.4.4", "", risk), dir_.path())), replay(config_) {}
  // An order's outcome ("accepted", "rejected RULE"); "none" for a report.
  std::string feed(const std::string& message, proxy::Replay::Forward forward = proxy::Replay::Forward::as_decided) {
    at_ns += 1'000'000'000;
    const proxy::ReplayedOrder* r = replay.feed(message, at_ns, forward);
    return r ? r->outcome + (r->rule.empty() ? "" : " " + r->rule) : std::string("none");
  }

 private:
  TempDir dir_;
  config::Config config_;

 public:
  proxy::Replay replay;
  int64_t at_ns = 1'796'000'000'000'000'000;
};

// The config's reference prices count from the replay's first message on,
// as the live proxy's from its start: with max_reference_age_ms they go
// stale as the log's clock runs, until a fill refreshes them.
TEST(ReplayReferencePrices, AreDatedByTheFirstMessageAndGoStale) {
  Replayer r(
      "risk: { reference_prices: { IBM: 100 }, limits: { global: { max_reference_age_ms: 2500 }, "
      "instruments: { IBM: { collar_percent: 5 } } } }\n");
  EXPECT_EQ(r.feed(new_order_text("A", "10")), "accepted");
  EXPECT_EQ(r.feed(new_order_text("B", "10")), "accepted");
  EXPECT_EQ(r.feed(new_order_text("C", "10")), "accepted") << "2 s old";
  EXPECT_EQ(r.feed(new_order_text("D", "10")), "rejected STALE_REFERENCE_PRICE") << "3 s old";
  EXPECT_EQ(r.feed(fill_text("A")), "none");  // a fill at 100: the reference again
  EXPECT_EQ(r.feed(new_order_text("E", "10")), "accepted");
}

// Possible resends (PossDup or PossResend of a ClOrdID seen), decided as
// live: a rejected order's gets its reject again (one refused for want of
// a venue, its refusal), a forwarded order's is dropped, one accepted and
// found unsent at a restart is decided anew.
TEST(ReplayResends, AreDecidedAsLive) {
  Replayer r("risk: { unique_clordid: true, limits: { accounts: { ACC1: { max_order_qty: 100 } } } }\n");
  const auto feed = [&](const std::string& id, const std::string& qty, bool resend,
                        proxy::Replay::Forward forward = proxy::Replay::Forward::as_decided) {
    return r.feed(new_order_text(id, qty, resend), forward);
  };
  EXPECT_EQ(feed("BIG", "150", false), "rejected MAX_ORDER_QTY");
  EXPECT_EQ(feed("BIG", "150", true), "rejected MAX_ORDER_QTY") << "the same reject again";
  EXPECT_EQ(feed("SENT", "10", false), "accepted");
  EXPECT_EQ(feed("SENT", "10", false), "rejected DUPLICATE_CLORDID");
  EXPECT_EQ(feed("SENT", "10", true), "dropped") << "forwarded once: its reuse's reject does not change that";
  // The order's fill still applies: the reuse's reject is not the order's.
  EXPECT_EQ(r.feed(fill_text("SENT")), "none");
  EXPECT_EQ(r.replay.totals().reports, 1);
  EXPECT_EQ(feed("NOVENUE", "10", false, proxy::Replay::Forward::never), "accepted");
  r.replay.refused("alpha", "NOVENUE", "venue sim is not connected");
  EXPECT_EQ(feed("NOVENUE", "10", true), "rejected") << "refused live: refused again, unchecked";
  EXPECT_EQ(r.replay.totals().by_rule.count(""), 1u);
  EXPECT_EQ(feed("LOST", "10", false), "accepted");
  r.replay.unsent("alpha", "LOST", r.at_ns);
  EXPECT_EQ(feed("LOST", "10", true), "accepted") << "found unsent at a restart: decided anew";
  EXPECT_EQ(r.replay.totals().rejected, 4);
  EXPECT_EQ(r.replay.totals().dropped, 1);
}

TEST(ReplayReports, OfAnOrderReusingTheClOrdIDOfARejectedOneApply) {
  // ClOrdIDs not unique: X is rejected, then X again is accepted and sent;
  // its fill is the second X's and applies.
  Replayer r("risk: { limits: { accounts: { ACC1: { max_order_qty: 100 } } } }\n");
  EXPECT_EQ(r.feed(new_order_text("X", "150")), "rejected MAX_ORDER_QTY");
  EXPECT_EQ(r.feed(new_order_text("X", "10")), "accepted");
  r.feed(fill_text("X"));
  EXPECT_EQ(r.replay.totals().reports, 1) << "the fill of the X that was sent";
}

TEST(ReplayReports, AResentFillIsNotAppliedTwiceAndABustTakesItsFillBack) {
  // ACC1 may be long 15 at most: after a fill of 10, an order for 5 passes
  // and one for 10 does not, unless the fill is busted.
  Replayer r("risk: { limits: { accounts: { ACC1: { max_long_qty: 15 } } } }\n");
  const auto with = [](std::string m, const std::string& from, const std::string& to) {
    return m.replace(m.find(from), from.size(), to);
  };
  EXPECT_EQ(r.feed(new_order_text("A", "10")), "accepted");
  EXPECT_EQ(r.feed(fill_text("A")), "none");
  // The same fill resent (a session-level resend, then an application-level
  // one): not applied again.
  EXPECT_EQ(r.feed(with(fill_text("A"), "35=8\x01",
                        "35=8\x01"
                        "43=Y\x01")),
            "none");
  EXPECT_EQ(r.feed(with(fill_text("A"), "35=8\x01",
                        "35=8\x01"
                        "97=Y\x01")),
            "none");
  EXPECT_EQ(r.replay.totals().reports, 1);
  EXPECT_EQ(r.replay.totals().resent, 2);
  EXPECT_EQ(r.feed(new_order_text("B", "5")), "accepted");
  EXPECT_EQ(r.feed(new_order_text("C", "10")), "rejected MAX_LONG_QTY");
  // The venue busts A's fill: long 0, with B's 5 open.
  const std::string bust = with(with(fill_text("A"), "17=E1\x01",
                                     "17=E2\x01"
                                     "19=E1\x01"),
                                "150=F", "150=H");
  EXPECT_EQ(r.feed(bust), "none");
  EXPECT_EQ(r.feed(new_order_text("D", "10")), "accepted");
}

// Determinism: a live run through fixguard, then its journal replayed.
constexpr const char* kLiveLimits = R"(risk:
  unique_clordid: true
  limits:
    accounts: { ACC1: { max_order_qty: 100 } }
  rate_limits:
    per_account: { new: { rate: 20, burst: 3 } }
)";

class JournalReplay : public ProxyTest {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("fixguard.yaml")) << two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLiveLimits);
    start_file(dir.file("fixguard.yaml"), fills(proxy::SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
  FIX::Message order(const std::string& id, const std::string& qty) {
    FIX::Message m = new_order(id, qty, "100");
    m.setField(FIX::Account("ACC1"));
    return m;
  }
  // Bursts that the rate limit cuts, sizes over the limit, a ClOrdID used
  // twice, fills in between, possible resends of a rejected and of an
  // accepted order: what was decided depends on the timing.
  void trade() {
    int n = 0;
    for (int burst = 0; burst < 4; ++burst) {
      for (int i = 0; i < 6; ++i) {
        ++n;
        const std::string qty = n % 5 == 0 ? "150" : n % 7 == 0 ? "60" : "10";
        ASSERT_TRUE(strategy->send("alpha", order("D" + std::to_string(n), qty)));
      }
      ASSERT_TRUE(strategy->send("alpha", order("D1", "10")));  // used before
      std::this_thread::sleep_for(std::chrono::milliseconds(120));
    }
    ASSERT_TRUE(strategy->wait_for(
        "alpha", [&](const std::string& m) { return field(m, 11) == "D24"; }, kWait));
    // D5 (150) was rejected: its resend is rejected again. D1 was accepted:
    // its resend is dropped.
    for (const std::string id : {"D5", "D1"}) {
      FIX::Message again = order(id, id == "D5" ? "150" : "10");
      again.getHeader().setField(FIX::PossResend(true));
      ASSERT_TRUE(strategy->send("alpha", again));
    }
    ASSERT_TRUE(eventually(
        [&] {
          int rejects = 0;
          for (const auto& m : received("alpha")) rejects += field(m, 11) == "D5" && field(m, 150) == "8";
          return rejects == 2;
        },
        kWait));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the last fills
    stop_all();
  }
  std::string journal() const { return dir.file("fixguard-journal.db"); }
};

TEST_F(JournalReplay, AReplayOfTheJournalReproducesEveryDecision) {
  trade();
  int recorded = 0, rate_limited = 0;
  persistence::JournalReader(journal()).each([&](const persistence::JournalEntry& e) {
    if (e.kind != persistence::JournalEntry::Kind::order) return;
    ++recorded;
    rate_limited += e.rule == "RATE_LIMIT";
  });
  ASSERT_EQ(recorded, 30);
  ASSERT_GT(rate_limited, 0) << "the flow must exercise the timing";
  const CommandResult r = run_fixguard("replay " + journal() + " --show all --format csv");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("30 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
}

TEST_F(JournalReplay, AChangedLimitIsAMismatchAtTheFirstOrderItDecidesOtherwise) {
  trade();
  // D7 (60) was the first order between 50 and 100: accepted live.
  std::ofstream(dir.file("tighter.yaml")) << two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                                                             R"(risk:
  unique_clordid: true
  limits:
    accounts: { ACC1: { max_order_qty: 50 } }
  rate_limits:
    per_account: { new: { rate: 20, burst: 3 } }
)");
  int64_t d7 = 0;
  std::string d7_outcome;
  persistence::JournalReader(journal()).each([&](const persistence::JournalEntry& e) {
    if (e.kind == persistence::JournalEntry::Kind::order && e.cl_ord_id == "D7") {
      d7 = e.seq;
      d7_outcome = e.outcome;
    }
  });
  ASSERT_GT(d7, 0);
  const CommandResult r = run_fixguard("replay " + journal() + " --config " + dir.file("tighter.yaml"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(d7_outcome, "accepted");
  EXPECT_NE(r.output.find("the first at journal entry " + std::to_string(d7) + " ("), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("D ClOrdID=D7): recorded accepted, replayed rejected MAX_ORDER_QTY"), std::string::npos)
      << r.output;
}

// A restart empties what fixguard keeps only in memory (a slow rate
// limit's bucket here): the replay of its journal restarts likewise.
class JournalReplayRestart : public ProxyTest {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("fixguard.yaml")) << two_client_yaml(listen_port, venue_port, "FIX.4.4", "", R"(risk:
  unique_clordid: true
  rate_limits:
    per_account: { new: { rate: 1, interval_ms: 600000, burst: 5 } }
)");
    start_file(dir.file("fixguard.yaml"), fills(proxy::SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
  void trade(const std::string& id) {
    FIX::Message m = new_order(id, "10", "100");
    m.setField(FIX::Account("ACC1"));
    ASSERT_TRUE(strategy->send("alpha", m));
    ASSERT_TRUE(strategy->wait_for(
        "alpha",
        [&](const std::string& r) { return field(r, 11) == id && (field(r, 39) == "2" || field(r, 39) == "8"); },
        kWait))
        << id;
  }
};

TEST_F(ProxyTest, AReplayRefusesAgainTheResendOfAnOrderRefusedLiveForWantOfAVenue) {
  // Live: N1 passes the checks (it takes a token) and is refused, the venue
  // being down; its resend once the venue is back gets that refusal again
  // without being checked (no token); N2 takes the second token, N3 finds
  // none. The replay must do the same: a resend decided anew there would
  // take N2's token.
  cfg = make_config(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", R"(risk:
  unique_clordid: true
  rate_limits:
    per_account: { new: { rate: 1, interval_ms: 600000, burst: 2 } }
)"),
                    dir.path());
  gateway = std::make_unique<GatewayRunner>(cfg);  // no venue listening yet
  connect({"alpha"});
  const auto order = [](const std::string& id, bool resend) {
    FIX::Message m = new_order(id, "10", "100");
    m.setField(FIX::Account("ACC1"));
    if (resend) m.getHeader().setField(FIX::PossResend(true));
    return m;
  };
  const auto rejects_of = [&](const std::string& id) {
    std::vector<std::string> texts;
    for (const auto& m : received("alpha"))
      if (field(m, 11) == id && field(m, 150) == "8") texts.push_back(field(m, 58));
    return texts;
  };
  ASSERT_TRUE(strategy->send("alpha", order("N1", false)));
  ASSERT_TRUE(eventually([&] { return rejects_of("N1").size() == 1; }, kWait));
  venue = std::make_unique<proxy::VenueSimulator>(cfg, fills(proxy::SimulatorOptions::Fill::full));
  venue->start();
  ASSERT_TRUE(venue->wait_logged_on(kWait));
  ASSERT_TRUE(strategy->send("alpha", order("N1", true)));
  ASSERT_TRUE(eventually([&] { return rejects_of("N1").size() == 2; }, kWait));
  EXPECT_EQ(rejects_of("N1"), (std::vector<std::string>{"venue sim is not connected", "venue sim is not connected"}));
  ASSERT_TRUE(strategy->send("alpha", order("N2", false)));
  ASSERT_TRUE(wait_er("alpha", "N2", "F"));
  ASSERT_TRUE(strategy->send("alpha", order("N3", false)));
  ASSERT_TRUE(eventually([&] { return rejects_of("N3").size() == 1; }, kWait));
  EXPECT_EQ(rejects_of("N3")[0].rfind("RATE_LIMIT", 0), 0u) << rejects_of("N3")[0];
  EXPECT_EQ(venue->received("D").size(), 1u) << "N2 only";
  stop_all();

  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db") + " --show all --format csv");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("4 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
  // Each order's row: ..., outcome (10th column), rule, ...
  std::vector<std::string> rows;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    if (cells.size() > 10 && cells[2] == "D") rows.push_back(cells[3] + " " + cells[9] + " " + cells[10]);
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"N1 accepted ", "N1 rejected ", "N2 accepted ", "N3 rejected RATE_LIMIT"}))
      << r.output;
}

TEST_F(ProxyTest, InObserveModeAnOrderRefusedForWantOfAVenueReplaysAsNeverSent) {
  // Observe mode forwards what the checks would reject, so the replay takes
  // an observed order as sent; one refused because the venue was down never
  // left. Had the replay counted N1 as open, N2 would be over the limit of
  // one open order there, and not live.
  cfg = make_config(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                                    "risk: { mode: observe, limits: { global: { max_open_orders: 1 } } }\n"),
                    dir.path());
  gateway = std::make_unique<GatewayRunner>(cfg);  // no venue listening yet
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("N1", "10", "100")));
  const auto refused = wait_er("alpha", "N1", "8");
  ASSERT_TRUE(refused);
  EXPECT_EQ(field(*refused, 58), "venue sim is not connected");
  venue = std::make_unique<proxy::VenueSimulator>(cfg, fills(proxy::SimulatorOptions::Fill::none));
  venue->start();
  ASSERT_TRUE(venue->wait_logged_on(kWait));
  ASSERT_TRUE(strategy->send("alpha", new_order("N2", "10", "100")));
  ASSERT_TRUE(wait_er("alpha", "N2", "0"));
  stop_all();
  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("2 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
}

TEST_F(ProxyTest, InObserveModeTheFillsOfAnOrderTheChecksWouldRejectApplyInTheReplay) {
  // Observe mode forwarded BIG (over the size limit) and it filled: no order
  // is open when N comes. Had the replay ignored BIG's fill, BIG would stay
  // open there and N would be over the limit of one open order.
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk: { mode: observe, limits: { global: { max_order_qty: 100, max_open_orders: 1 } } }\n"),
        fills(proxy::SimulatorOptions::Fill::full));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("BIG", "150", "100")));
  ASSERT_TRUE(wait_er("alpha", "BIG", "F"));
  ASSERT_TRUE(strategy->send("alpha", new_order("N", "10", "100")));
  ASSERT_TRUE(wait_er("alpha", "N", "F"));
  stop_all();
  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("2 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
}

TEST_F(JournalReplayRestart, AReplayRestartsWhereFixguardDid) {
  for (int i = 1; i <= 6; ++i) trade("L" + std::to_string(i));  // five pass, the sixth is over the rate
  gateway->stop();
  gateway = std::make_unique<GatewayRunner>(cfg);  // a fresh bucket
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  for (int i = 7; i <= 12; ++i) trade("L" + std::to_string(i));
  stop_all();
  int rate_limited = 0;
  persistence::JournalReader(dir.file("fixguard-journal.db")).each([&](const persistence::JournalEntry& e) {
    rate_limited += e.kind == persistence::JournalEntry::Kind::order && e.rule == "RATE_LIMIT";
  });
  ASSERT_EQ(rate_limited, 2) << "L6 and L12";
  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("12 orders compared with their recorded decisions, 0 mismatches; 1 restarts of fixguard"),
            std::string::npos)
      << r.output;
}

// Operator actions on the engine (halt, resume, trip, reset, mark, equity)
// are journaled with what they did, and the replay takes them again.
class JournalReplayOperator : public ProxyTest {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("admin.token")) << "operator-token-0123456789abcdef\n";
    std::ofstream(dir.file("fixguard.yaml"))
        << two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                           "admin: { listen: \"127.0.0.1:" + std::to_string(admin_port) +
                               "\", token_file: admin.token }\n"
                               "risk:\n  unique_clordid: true\n"
                               "  limits: { accounts: { ACC1: { max_order_qty: 1000, equity: 50000 } } }\n"
                               "  controls: { global_stop: { cooldown_s: 0 } }\n");
    start_file(dir.file("fixguard.yaml"), fills(proxy::SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
  // The order's outcome as the strategy heard it: "accepted" or the reject's rule.
  std::string trade(const std::string& id) {
    FIX::Message m = new_order(id, "10", "100");
    m.setField(FIX::Account("ACC1"));
    if (!strategy->send("alpha", m)) return "(not sent)";
    const auto r = strategy->wait_for(
        "alpha",
        [&](const std::string& x) { return field(x, 11) == id && (field(x, 39) == "2" || field(x, 39) == "8"); },
        kWait);
    if (!r) return "(no answer)";
    return field(*r, 39) == "2" ? "accepted" : field(*r, 58).substr(0, field(*r, 58).find(' '));
  }
  void act(const std::string& what, std::map<std::string, std::string> form) {
    form["operator"] = "ops";
    form["reason"] = "test " + what;
    const proxy::AdminReply r = proxy::admin_call(*cfg.admin, "POST", "/" + what, form);
    ASSERT_EQ(r.status, 200) << what << ": " << r.body;
  }
  uint16_t admin_port = free_port();
};

TEST(OperatorAction, ItsJournalTextReadsBackAsItWas) {
  const proxy::OperatorAction a{"halt", "account", "ACC=1", "ops", "line one\nline \\two\\n", ""};
  const auto back = proxy::OperatorAction::parse(a.to_text());
  ASSERT_TRUE(back.has_value()) << a.to_text();
  EXPECT_EQ(back->why, a.why);
  EXPECT_EQ(back->name, a.name);
  EXPECT_EQ(back->to_text(), a.to_text());
  EXPECT_FALSE(proxy::OperatorAction::parse("what=halt\n").has_value()) << "members missing";
  EXPECT_FALSE(proxy::OperatorAction::parse("operator ops from 127.0.0.1: halt").has_value());
}

TEST_F(JournalReplayOperator, TheOperatorsActionsAreTakenAgain) {
  std::vector<std::string> live;
  live.push_back(trade("P1"));
  act("halt", {{"scope", "account"}, {"name", "ACC1"}});
  live.push_back(trade("P2"));
  act("resume", {{"scope", "account"}, {"name", "ACC1"}});
  live.push_back(trade("P3"));
  act("mark", {{"symbol", "IBM"}, {"price", "101"}});
  act("equity", {{"scope", "account"}, {"name", "ACC1"}, {"equity", "60000"}});
  act("trip", {{"scope", "global"}});
  live.push_back(trade("P4"));
  act("reset", {{"scope", "global"}});
  live.push_back(trade("P5"));
  stop_all();
  ASSERT_EQ(live, (std::vector<std::string>{"accepted", "HALTED", "accepted", "EMERGENCY_STOP", "accepted"}));
  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db") + " --show all --format csv");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("5 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("6 actions on the engine taken again"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("P2,ACC1,IBM,1,10,100,rejected,HALTED"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("P4,ACC1,IBM,1,10,100,rejected,EMERGENCY_STOP"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace fixguard::testing
