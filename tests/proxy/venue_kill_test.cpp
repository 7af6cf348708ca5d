// The venue simulator, a process of its own, killed with SIGKILL while two
// strategies trade, then started again on its own session store: fixguard
// forwards no order twice, rejects (saying why) what arrives while the venue
// is away or unconfirmed, asks for the status of what was open, and every
// strategy hears a final state for every order it sent.
#include "persistence/journal.h"
#include "tests/support/proxy_fixture.h"

#include <signal.h>

#include <atomic>
#include <iostream>
#include <map>
#include <set>
#include <thread>

namespace fixguard::testing {
namespace {

using persistence::JournalEntry;

// A final word on an order: filled, cancelled, rejected, or its status.
bool is_final(const std::string& m) {
  const std::string s = field(m, 39);
  return field(m, 35) == "8" && (s == "2" || s == "4" || s == "8" || field(m, 150) == "I");
}

TEST(VenueKill, KilledMidFlowAndRestartedNoOrderIsForwardedTwiceAndEveryOrderGetsAnAnswer) {
  TempDir dir;
  const uint16_t listen_port = free_port(), venue_port = free_port();
  const std::string yaml = two_client_yaml(listen_port, venue_port);
  std::ofstream(dir.file("fixguard.yaml")) << yaml;
  const config::Config cfg = make_config(yaml, dir.path());
  const std::vector<std::string> venue_args = {
      "venue", "--config", dir.file("fixguard.yaml"), "--store", dir.file("venue-store"), "--fill", "full"};
  LogCapture log;
  auto venue = std::make_unique<FixguardProcess>(venue_args, dir.file("venue.log"));
  GatewayRunner gateway(cfg);
  ASSERT_TRUE(log.wait_for("venue session logged on", 10000));
  proxy::StrategyPeer::Options so;
  so.port = listen_port;
  proxy::StrategyPeer strategy(cfg.clients, so);
  strategy.start();
  for (const char* c : {"alpha", "beta"}) ASSERT_TRUE(strategy.wait_logged_on(c, 10000)) << c;

  // Both strategies send steadily until told to stop.
  std::atomic<bool> stop{false};
  std::map<std::string, int> sent;  // per client, written by the sender only
  std::thread sender([&] {
    for (int n = 1; !stop; ++n) {
      for (const char* c : {"alpha", "beta"})
        if (strategy.send(c, new_order("K" + std::to_string(n), "1", "100"))) sent[c] = n;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  struct Join {
    std::atomic<bool>& stop;
    std::thread& t;
    ~Join() {
      stop = true;
      if (t.joinable()) t.join();
    }
  } join{stop, sender};

  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  venue->stop(SIGKILL);
  ASSERT_TRUE(log.wait_for("venue connection closed", kWait));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // orders keep coming: rejected
  const std::size_t logons = [&] {
    std::size_t n = 0;
    for (const std::string& l : log.lines()) n += l.find("venue session logged on") != std::string::npos;
    return n;
  }();
  venue = std::make_unique<FixguardProcess>(venue_args, dir.file("venue.log"));
  ASSERT_TRUE(eventually(
      [&] {
        std::size_t n = 0;
        for (const std::string& l : log.lines()) n += l.find("venue session logged on") != std::string::npos;
        return n > logons;
      },
      10000))
      << "fixguard did not log on to the restarted venue";
  std::this_thread::sleep_for(std::chrono::milliseconds(700));  // and trade again
  stop = true;
  sender.join();

  // Every order sent gets a final answer.
  std::map<std::string, std::set<std::string>> answered;  // client -> ClOrdIDs
  std::map<std::string, std::string> refused_text;        // "client/id" -> fixguard's reject Text
  int filled = 0, statuses = 0;
  for (const char* c : {"alpha", "beta"}) {
    ASSERT_TRUE(eventually(
        [&] {
          std::set<std::string> ids;
          for (const std::string& m : strategy.received(c))
            if (is_final(m)) ids.insert(field(m, 11));
          return ids.size() >= static_cast<std::size_t>(sent[c]);
        },
        20000))
        << c << " did not hear of every order";
    for (const std::string& m : strategy.received(c)) {
      if (!is_final(m)) continue;
      answered[c].insert(field(m, 11));
      filled += field(m, 39) == "2";
      statuses += field(m, 150) == "I";
      const std::string text = field(m, 58);
      if (field(m, 39) == "8" && (text.rfind("venue sim is", 0) == 0))
        refused_text[std::string(c) + "/" + field(m, 11)] = text;
    }
    for (int n = 1; n <= sent[c]; ++n) EXPECT_TRUE(answered[c].count("K" + std::to_string(n))) << c << " K" << n;
  }
  EXPECT_GT(refused_text.size(), 0u) << "no order arrived while the venue was away: the kill was not mid-flow";
  EXPECT_GT(filled, 0);
  std::cout << "sent " << sent["alpha"] + sent["beta"] << " orders: " << filled << " filled, " << refused_text.size()
            << " refused while the venue was away or unconfirmed, " << statuses << " status answers\n";
  strategy.stop(false);

  // fixguard sent each order to the venue once as a new message (a resend
  // the venue asked for carries PossDupFlag), and none it refused.
  // The restarted venue's reports have ExecIDs of their own: none repeats
  // one of its first run's (FIX has a venue's ExecIDs unique; fixguard
  // tells a report it has applied by its ExecID).
  std::map<std::string, int> forwarded;
  std::map<std::string, int> exec_ids;
  persistence::JournalReader(cfg.journal.path).each([&](const JournalEntry& e) {
    if (e.kind == JournalEntry::Kind::out && e.msg_type == "D" && field(e.raw, 43) != "Y") ++forwarded[e.cl_ord_id];
    if (e.kind == JournalEntry::Kind::venue && e.msg_type == "8" && field(e.raw, 43) != "Y")
      ++exec_ids[field(e.raw, 17)];
  });
  for (const auto& [id, n] : forwarded) EXPECT_EQ(n, 1) << id << " forwarded " << n << " times";
  EXPECT_GT(exec_ids.size(), 0u);
  for (const auto& [id, n] : exec_ids) EXPECT_EQ(n, 1) << "ExecID " << id << " in " << n << " reports";
  for (const auto& [key, text] : refused_text) {
    const std::string client = key.substr(0, key.find('/')), id = key.substr(key.find('/') + 1);
    EXPECT_FALSE(forwarded.count(client + "-" + id)) << key << " refused (" << text << ") and forwarded";
  }
}

}  // namespace
}  // namespace fixguard::testing
