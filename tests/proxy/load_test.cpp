// Load: 50 strategy sessions send orders steadily for 60 seconds through one
// fixguard (a process of its own) to the venue simulator. Every order
// reaches the venue exactly once and is answered exactly once (an ack and a
// fill); fixguard's memory is sampled throughout and must stay flat, and
// it logs nothing per order.
#include "persistence/journal.h"
#include "tests/support/proxy_fixture.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>
#include <set>
#include <thread>

namespace fixguard::testing {
namespace {

constexpr int kSessions = 50;
constexpr auto kDuration = std::chrono::seconds(60);
constexpr auto kEvery = std::chrono::milliseconds(50);  // per session: 20 orders/s, 1,000/s in all

std::string name_of(int i) { return "s" + std::to_string(100 + i).substr(1); }

std::size_t lines_in(const std::string& path) {
  std::ifstream f(path);
  return static_cast<std::size_t>(
      std::count(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>(), '\n'));
}

// Resident memory of a process, in KiB: its own (heap, stacks: RssAnon) and
// that of files it maps (RssFile: the write log's files, whose size is
// bounded by their own rule, and the libraries).
struct Resident {
  int64_t anon_kib = 0, file_kib = 0;
};
Resident resident(pid_t pid) {
  Resident r;
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("RssAnon:", 0) == 0) r.anon_kib = std::stoll(line.substr(8));
    if (line.rfind("RssFile:", 0) == 0) r.file_kib = std::stoll(line.substr(8));
  }
  return r;
}

TEST(Load, FiftySessionsForAMinuteLoseNothingDuplicateNothingAndMemoryStaysFlat) {
  TempDir dir;
  const uint16_t listen_port = free_port(), venue_port = free_port();
  std::ostringstream y;
  y << "listen: \"127.0.0.1:" << listen_port << "\"\n"
    << "database: fixguard.db\n"
    << "risk: { unique_clordid: true }\n"
    << "venues:\n  - { name: sim, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: VENUE,\n"
    << "      connect: \"127.0.0.1:" << venue_port << "\", heartbeat_interval: 30 }\n"
    << "clients:\n";
  for (int i = 0; i < kSessions; ++i)
    y << "  - { name: " << name_of(i) << ", begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: S"
      << name_of(i).substr(1) << ", venue: sim }\n";
  std::ofstream(dir.file("fixguard.yaml")) << y.str();
  const config::Config cfg = make_config(y.str(), dir.path());

  proxy::SimulatorOptions o;
  o.fill = proxy::SimulatorOptions::Fill::full;
  proxy::VenueSimulator venue(cfg, o);
  venue.start();
  FixguardProcess fixguard(dir.file("fixguard.yaml"), dir.file("fixguard.log"));
  ASSERT_TRUE(venue.wait_logged_on(10000));
  proxy::StrategyPeer::Options so;
  so.port = listen_port;
  proxy::StrategyPeer strategy(cfg.clients, so);
  strategy.start();
  for (const config::ClientConfig& c : cfg.clients) ASSERT_TRUE(strategy.wait_logged_on(c.name, 10000)) << c.name;

  const std::size_t log_lines_before = lines_in(dir.file("fixguard.log"));
  // Steady sending, each session on its own schedule; memory sampled every
  // 5 seconds.
  std::vector<int> sent(kSessions, 0);
  std::vector<Resident> rss;
  std::vector<int64_t> answered;  // orders answered in full (ack and fill) at each sample
  const auto answered_now = [&] {
    std::size_t reports = 0;
    for (int i = 0; i < kSessions; ++i) reports += strategy.received_count(name_of(i));
    return static_cast<int64_t>(reports / 2);
  };
  const auto start = std::chrono::steady_clock::now();
  auto next_sample = start;
  for (auto tick = start; tick - start < kDuration; tick += kEvery) {
    std::this_thread::sleep_until(tick);
    for (int i = 0; i < kSessions; ++i)
      ASSERT_TRUE(strategy.send(name_of(i), new_order("L" + std::to_string(++sent[i]), "1", "100")));
    if (tick >= next_sample) {
      rss.push_back(resident(fixguard.pid()));
      answered.push_back(answered_now());
      next_sample += std::chrono::seconds(5);
    }
  }
  const int total = std::accumulate(sent.begin(), sent.end(), 0);

  // Every order answered: an ack and a fill each.
  for (int i = 0; i < kSessions; ++i)
    ASSERT_TRUE(strategy.wait_count(name_of(i), 2 * static_cast<std::size_t>(sent[i]), 60000)) << name_of(i);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // anything extra would arrive now
  // The last sample with nothing in flight: what fixguard keeps, not what
  // a busy machine left queued in it at the last send.
  rss.push_back(resident(fixguard.pid()));
  answered.push_back(answered_now());
  for (int i = 0; i < kSessions; ++i) {
    std::map<std::string, std::string> states;  // ClOrdID -> OrdStatus values, in order
    for (const std::string& m : strategy.received(name_of(i)))
      if (field(m, 35) == "8") states[field(m, 11)] += field(m, 39);
    EXPECT_EQ(states.size(), static_cast<std::size_t>(sent[i])) << name_of(i);
    for (const auto& [id, s] : states) EXPECT_EQ(s, "02") << name_of(i) << " " << id << ": lost or duplicated";
  }
  // Nothing is logged per order at the default level (info).
  const std::size_t logged = lines_in(dir.file("fixguard.log")) - log_lines_before;
  EXPECT_LT(logged, 50u) << logged << " log lines for " << total << " orders";
  const std::vector<std::string> at_venue = venue.received("D");
  std::set<std::string> unique;
  for (const std::string& d : at_venue) unique.insert(field(d, 11));
  EXPECT_EQ(at_venue.size(), static_cast<std::size_t>(total));
  EXPECT_EQ(unique.size(), at_venue.size()) << "an order reached the venue twice";

  // Memory: over the second half (sessions up, caches full), fixguard's own
  // memory may grow only by the day's records it must keep: each order's
  // ClOrdID (unique for the day), its two ExecIDs (a resend is not applied
  // twice: a 64-bit hash each, 32 bytes with its node and bucket) and its
  // fill by ExecID (a bust takes it back: 64 bytes and its hash bucket),
  // about 210 bytes an order. A message kept per order would be more than
  // the bound. The pages of mapped files are reported, not bounded here: the
  // write log's files hold what the applier has yet to apply, which on a
  // loaded machine may be megabytes for a while (a file left over 4 MB is
  // cut back when emptied), not a growth per order.
  std::string anon_samples, file_samples;
  for (const Resident& r : rss) {
    anon_samples += " " + std::to_string(r.anon_kib / 1024);
    file_samples += " " + std::to_string(r.file_kib / 1024);
  }
  const std::size_t half = rss.size() / 2;
  const int64_t growth_kib = rss.back().anon_kib - rss[half].anon_kib;
  // Per order fixguard answered between the two samples (a loaded
  // machine may lag behind the sending).
  const int64_t orders_in_half = answered.back() - answered[half];
  ASSERT_GT(orders_in_half, total / 4);
  const int64_t bytes_per_order = growth_kib * 1024 / orders_in_half;
  const std::string samples = "own memory every 5 s (MiB):" + anon_samples + "; mapped files:" + file_samples;
  std::cout << "load: " << total << " orders from " << kSessions << " sessions in " << kDuration.count()
            << " s; fixguard's " << samples << "; second half: " << bytes_per_order
            << " bytes of its own per order answered\n";
  RecordProperty("orders", total);
  RecordProperty("anon_first_kib", static_cast<int>(rss.front().anon_kib));
  RecordProperty("anon_last_kib", static_cast<int>(rss.back().anon_kib));
  RecordProperty("file_last_kib", static_cast<int>(rss.back().file_kib));
  RecordProperty("bytes_per_order", static_cast<int>(bytes_per_order));
  EXPECT_LT(bytes_per_order, 288) << "fixguard grew " << growth_kib << " KiB for " << orders_in_half << " orders ("
                                  << samples << ")";
  strategy.stop(false);
}

}  // namespace
}  // namespace fixguard::testing
