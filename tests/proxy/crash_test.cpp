// Crash safety: fixguard, a process of its own, is killed with SIGKILL at
// random moments while a strategy streams orders that the venue fills, and
// started again (journal durability normal and full by turns), 20 times over
// 10,000 orders. After each restart: no order reached the venue twice, every
// order the venue got is in the journal as accepted, fixguard's position
// equals the venue's fills, a ClOrdID used before is refused, and the
// journal's hash chain holds.
#include "config/config.h"
#include "persistence/journal.h"
#include "proxy/admin_client.h"
#include "proxy/strategy_peer.h"
#include "proxy/venue_simulator.h"
#include "tests/support/proxy_fixture.h"

#include <atomic>
#include <csignal>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace fixguard::testing {
namespace {

constexpr int kTrials = 20;
constexpr int kOrders = 10000;

class CrashSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("admin.token")) << "crash-test-token-0123456789\n";
    write_config(false);
    cfg = config::Config::from_file(dir.file("fixguard.yaml"), specs_dir());
    venue = std::make_unique<proxy::VenueSimulator>(cfg, fills(proxy::SimulatorOptions::Fill::full));
    venue->start();
  }
  void TearDown() override {
    if (strategy) strategy->stop(false);
    fixguard.reset();
    if (venue) venue->stop();
  }

  // Durability normal or full: the trials take turns.
  void write_config(bool full) {
    std::ofstream(dir.file("fixguard.yaml"))
        << two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                           "admin: { listen: \"127.0.0.1:" + std::to_string(admin_port) +
                               "\", token_file: admin.token }\n"
                               "risk: { unique_clordid: true }\n" +
                               (full ? "journal: { durability: full }\n" : ""));
  }
  void start_fixguard(bool full = false) {
    write_config(full);
    fixguard = std::make_unique<FixguardProcess>(dir.file("fixguard.yaml"), dir.file("fixguard.log"));
    // Ready: its venue session logged on (an order sent before that is
    // rejected, not forwarded).
    ASSERT_TRUE(eventually([&] { return admin("/ready").status == 200; }, 10000)) << log_tail();
    if (!strategy) {
      proxy::StrategyPeer::Options o;
      o.port = listen_port;
      strategy = std::make_unique<proxy::StrategyPeer>(std::vector<config::ClientConfig>{*cfg.find_client("alpha")}, o);
      strategy->start();
    }
    ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000)) << log_tail();
  }
  // A refused connection (fixguard not up yet) answers 0.
  proxy::AdminReply admin(const std::string& path) {
    try {
      return proxy::admin_call(*cfg.admin, "GET", path, {});
    } catch (const std::exception& e) {
      return proxy::AdminReply{0, e.what()};
    }
  }
  // A journal record of an order (D) leaving for the venue.
  static bool is_order_sent(const persistence::JournalEntry& e) {
    return e.kind == persistence::JournalEntry::Kind::out && e.msg_type == "D";
  }
  std::vector<persistence::JournalEntry> orders_sent() {
    std::vector<persistence::JournalEntry> out;
    persistence::JournalReader(cfg.journal.path).each([&](const persistence::JournalEntry& e) {
      if (is_order_sent(e)) out.push_back(e);
    });
    return out;
  }
  std::string log_tail() {
    std::ifstream in(dir.file("fixguard.log"));
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return all.size() > 3000 ? all.substr(all.size() - 3000) : all;
  }
  // fixguard's position in ACC1 IBM, from its operator interface.
  std::string position() {
    const std::string state = admin("/state").body;
    const std::string key = "\"account\":\"ACC1\",\"symbol\":\"IBM\",\"qty\":\"";
    const auto at = state.find(key);
    if (at == std::string::npos) return "0";
    return state.substr(at + key.size(), state.find('"', at + key.size()) - at - key.size());
  }
  FIX::Message order(int n) {
    FIX::Message m = new_order("C" + std::to_string(n), "1", "100");
    m.setField(FIX::Account("ACC1"));
    return m;
  }

  // Everything the issue asks after a restart, once the stream has settled.
  // What fixguard's log and journal say of order `id`.
  std::string trace(const std::string& id) {
    std::string out;
    std::ifstream in(dir.file("fixguard.log"));
    for (std::string line; std::getline(in, line);)
      if (line.find(id + " ") != std::string::npos || line.find(id + "\x01") != std::string::npos ||
          line.find("=" + id + "|") != std::string::npos || line.find("ClOrdID=" + id + ":") != std::string::npos ||
          line.find("SIGKILL") != std::string::npos || line.find("rebuilt") != std::string::npos)
        out += "  log: " + line + "\n";
    persistence::JournalReader(cfg.journal.path).each([&](const persistence::JournalEntry& e) {
      if (e.cl_ord_id == id || e.cl_ord_id == "alpha-" + id || e.raw.find("=alpha-" + id + "\x01") != std::string::npos)
        out += "  journal " + std::to_string(e.seq) + " " + std::string(persistence::kind_name(e.kind)) + " " +
               e.outcome + " " + e.text + " " + e.raw.substr(0, 160) + "\n";
    });
    return out;
  }

  // Which of the first `sent` orders neither reached the venue nor were
  // rejected, with the trace of the first few.
  std::string unanswered(int sent) {
    std::set<std::string> answered;
    for (const std::string& d : venue->received("D")) answered.insert(field(d, 11).substr(6));  // "alpha-"
    for (const auto& [id, text] : rejected()) answered.insert(id);
    std::string out;
    int traced = 0;
    for (int n = 0; n < sent; ++n) {
      const std::string id = "C" + std::to_string(n);
      if (answered.count(id)) continue;
      out += "unanswered " + id + "\n";
      if (traced++ < 3) out += trace(id);
    }
    return out;
  }

  // The strategy's orders fixguard rejected (while the venue session was
  // not up yet, or its open orders not yet confirmed), with their Text.
  std::map<std::string, std::string> rejected() {
    std::map<std::string, std::string> out;
    for (const std::string& m : strategy->received("alpha"))
      if (field(m, 35) == "8" && field(m, 39) == "8" && field(m, 58).rfind("DUPLICATE_CLORDID", 0) != 0)
        out[field(m, 11)] = field(m, 58);
    return out;
  }

  void check(int trial, int sent) {
    SCOPED_TRACE("after restart " + std::to_string(trial));
    // Every order the strategy sent (resent by the strategy if fixguard died
    // before reading it) reaches the venue or is rejected with a reason,
    // and fixguard's position catches up with the venue's fills (one lot
    // each).
    const auto answered = [&] { return venue->received("D").size() + rejected().size(); };
    ASSERT_TRUE(eventually([&] { return answered() >= static_cast<std::size_t>(sent); }, 20000))
        << "the venue got " << venue->received("D").size() << " and fixguard rejected " << rejected().size() << " of "
        << sent << " orders\n"
        << unanswered(sent) << log_tail();
    for (const auto& [id, text] : rejected())
      EXPECT_TRUE(text.rfind("venue sim is not connected", 0) == 0 || text.rfind("venue sim is reconciling", 0) == 0)
          << id << ": " << text << "\n"
          << trace(id);
    ASSERT_TRUE(eventually([&] { return position() == std::to_string(venue->received("D").size()); }, 20000))
        << "fixguard " << position() << " vs venue fills " << venue->received("D").size() << "\n"
        << log_tail();
    const std::vector<std::string> at_venue = venue->received("D");
    std::set<std::string> ids;
    for (const std::string& d : at_venue) ids.insert(field(d, 11));
    EXPECT_EQ(ids.size(), at_venue.size()) << "an order reached the venue twice";
    for (const auto& [id, text] : rejected()) EXPECT_FALSE(ids.count("alpha-" + id)) << id << " rejected and forwarded";

    std::set<std::string> accepted, left;
    persistence::JournalReader(cfg.journal.path).each([&](const persistence::JournalEntry& e) {
      if (e.kind == persistence::JournalEntry::Kind::order && e.outcome == "accepted") accepted.insert(e.cl_ord_id);
      if (is_order_sent(e)) left.insert(e.cl_ord_id);
    });
    for (const std::string& id : ids) {
      EXPECT_TRUE(accepted.count(id.substr(6))) << id << " not in the journal";
      EXPECT_TRUE(left.count(id)) << id << ": the journal does not record it leaving\n" << trace(id.substr(6));
    }

    const int reused = next_reuse_++;
    ASSERT_TRUE(strategy->send("alpha", order(reused)));
    const auto reject = strategy->wait_for(
        "alpha",
        [&](const std::string& m) {
          return field(m, 11) == "C" + std::to_string(reused) && field(m, 39) == "8" &&
                 field(m, 58).rfind("DUPLICATE_CLORDID", 0) == 0;
        },
        kWait);
    EXPECT_TRUE(reject) << "C" << reused << " used again was not refused";

    const auto verdict = persistence::JournalReader(cfg.journal.path).verify();
    EXPECT_TRUE(verdict.intact) << verdict.problem;
    EXPECT_EQ(venue->received("D").size(), at_venue.size());
  }

  TempDir dir;
  uint16_t listen_port = free_port(), venue_port = free_port(), admin_port = free_port();
  config::Config cfg;
  std::unique_ptr<proxy::VenueSimulator> venue;
  std::unique_ptr<FixguardProcess> fixguard;
  std::unique_ptr<proxy::StrategyPeer> strategy;
  int next_reuse_ = 0;
};

// The journal records the message that left with the batch after it; a
// crash before that batch leaves the order accepted with no record of what
// left. The restart finds it in the venue session's store and records it.
TEST_F(CrashSafety, AnOrderThatLeftJustBeforeACrashIsRecordedAsSentAtTheRestart) {
  venue->set_answer_orders(false);  // no answer: nothing starts fixguard's next batch
  start_fixguard();
  ASSERT_TRUE(strategy->send("alpha", order(1)));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  fixguard->stop(SIGKILL);

  start_fixguard();
  ASSERT_TRUE(eventually([&] { return !orders_sent().empty(); }, kWait)) << trace("C1") << log_tail();
  const std::vector<persistence::JournalEntry> out = orders_sent();
  ASSERT_EQ(out.size(), 1u) << trace("C1");
  EXPECT_EQ(out[0].raw, venue->received("D").at(0)) << "the message as it left";
  EXPECT_EQ(out[0].client, "alpha");
  EXPECT_EQ(out[0].venue, "sim");
  EXPECT_NE(out[0].text.find("recorded at the restart"), std::string::npos) << out[0].text;
  EXPECT_EQ(venue->received("D").size(), 1u) << "sent once";
  // A second restart finds it recorded: not recorded again.
  fixguard->stop(SIGTERM);
  start_fixguard();
  ASSERT_EQ(admin("/health").status, 200);
  EXPECT_EQ(orders_sent().size(), 1u) << trace("C1");
  const auto verdict = persistence::JournalReader(cfg.journal.path).verify();
  EXPECT_TRUE(verdict.intact) << verdict.problem;
}

// A second fixguard started on the same files (by mistake) would apply and
// empty the first one's write logs under it: it is refused, saying why, and
// the first trades on.
TEST_F(CrashSafety, ASecondFixguardOnTheSameFilesIsRefusedAndTheFirstTradesOn) {
  start_fixguard();
  ASSERT_TRUE(strategy->send("alpha", order(1)));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  FixguardProcess second(dir.file("fixguard.yaml"), dir.file("second.log"));
  EXPECT_NE(second.stop(0), 0) << "the second one ran";  // signal 0: waits for it to end by itself
  std::ifstream in(dir.file("second.log"));
  const std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(said.find("is in use: another fixguard writes these files"), std::string::npos) << said;
  ASSERT_TRUE(strategy->send("alpha", order(2)));
  EXPECT_TRUE(venue->wait_received("D", 2, kWait)) << log_tail();
  EXPECT_EQ(admin("/health").status, 200);
}

TEST_F(CrashSafety, KilledAtRandomMomentsItForwardsNothingTwiceAndLosesNothing) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  start_fixguard();
  int sent = 0;
  for (int trial = 1; trial <= kTrials; ++trial) {
    // Kill it somewhere in the next stretch of the stream.
    std::atomic<bool> killed = false;
    const int delay_ms = std::uniform_int_distribution<int>(5, 150)(rng);
    std::thread killer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      fixguard->stop(SIGKILL);
      killed = true;
    });
    const int target = kOrders * trial / kTrials;
    while (sent < target && !killed) {
      if (strategy->send("alpha", order(sent)))
        ++sent;
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    killer.join();
    start_fixguard(trial % 2 == 1);
    check(trial, sent);
  }
  while (sent < kOrders)
    if (strategy->send("alpha", order(sent))) ++sent;
  check(kTrials + 1, sent);
  EXPECT_EQ(venue->received("D").size() + rejected().size(), static_cast<std::size_t>(kOrders))
      << "every order sent reached the venue or was rejected";
  EXPECT_EQ(fixguard->stop(SIGTERM), 0);
}

}  // namespace
}  // namespace fixguard::testing
