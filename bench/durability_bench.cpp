// What each journal durability costs end to end: a QuickFIX strategy sends
// orders through fixguard to the venue simulator, which acks and fills each.
// Round trip: one order at a time, D out to the fill back (p50, p99).
// Pipelined: 1,000 orders sent at once, until the last fill is back.
//
//   build/bench/fixguard_bench --benchmark_filter=Durability
#include "bench/percentiles.h"
#include "fix/log.h"
#include "proxy/gateway.h"
#include "proxy/sample_orders.h"
#include "proxy/strategy_peer.h"
#include "proxy/venue_simulator.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fixguard::bench {
namespace {

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

// fixguard in front of the simulator, with one strategy logged on.
class Rig {
 public:
  // Through fixguard with durability normal or full, or `direct` to the
  // simulator (the strategy takes fixguard's place on the venue session).
  enum class Path { normal, full, direct };
  explicit Rig(Path path) {
    const bool full = path == Path::full;
    const char* tmp = std::getenv("TMPDIR");
    dir_ = std::filesystem::path(tmp ? tmp : "/tmp") / ("fixguard-durability-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const uint16_t listen = free_port(), venue = free_port();
    std::ofstream(dir_ / "fixguard.yaml")
        << "listen: \"127.0.0.1:" << listen << "\"\n"
        << "database: fixguard.db\n"
        << "journal: { durability: " << (full ? "full" : "normal") << " }\n"
        << "venues:\n  - { name: sim, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: VENUE, "
        << "connect: \"127.0.0.1:" << venue << "\", heartbeat_interval: 30 }\n"
        << "clients:\n  - { name: alpha, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: ALPHA, "
        << "venue: sim }\n";
    config_ = config::Config::from_file((dir_ / "fixguard.yaml").string(), FIXGUARD_SPECS_DIR);
    proxy::SimulatorOptions o;
    o.fill = proxy::SimulatorOptions::Fill::full;
    venue_ = std::make_unique<proxy::VenueSimulator>(config_, o);
    venue_->start();
    proxy::StrategyPeer::Options so;
    config::ClientConfig client = config_.clients[0];
    if (path == Path::direct) {
      so.port = venue;
      client.sender_comp_id = "VENUE";
      client.target_comp_id = "FIXGUARD";
    } else {
      gateway_ = std::make_unique<proxy::Gateway>(config_, io_);
      gateway_->start();
      thread_ = std::thread([this] { io_.run(); });
      so.port = listen;
    }
    strategy_ = std::make_unique<proxy::StrategyPeer>(std::vector<config::ClientConfig>{client}, so);
    strategy_->start();
    if (!venue_->wait_logged_on(10000) || !strategy_->wait_logged_on("alpha", 10000))
      throw std::runtime_error("the sessions did not log on");
  }
  ~Rig() {
    strategy_->stop(false);
    if (gateway_) {
      boost::asio::post(io_, [this] { gateway_->stop(std::chrono::milliseconds(100), [this] { io_.stop(); }); });
      thread_.join();
      gateway_.reset();
    }
    venue_->stop();
    std::filesystem::remove_all(dir_);
  }
  // Sends `n` orders at once; true once all of them are filled.
  bool trade(int n) {
    for (int i = 0; i < n; ++i)
      if (!strategy_->send("alpha", proxy::new_order("B" + std::to_string(++sent_), "1", "100"))) return false;
    return strategy_->wait_count("alpha", 2 * static_cast<std::size_t>(sent_), 30000);  // an ack and a fill each
  }

 private:
  std::filesystem::path dir_;
  config::Config config_;
  std::unique_ptr<proxy::VenueSimulator> venue_;
  boost::asio::io_context io_;
  std::unique_ptr<proxy::Gateway> gateway_;
  std::thread thread_;
  std::unique_ptr<proxy::StrategyPeer> strategy_;
  int sent_ = 0;
};

// Args: path (0 durability normal, 1 full, 2 direct), orders sent at once.
void BM_Durability(benchmark::State& state) {
  log::set_level(log::Level::warn);
  const int batch = static_cast<int>(state.range(1));
  Rig rig(static_cast<Rig::Path>(state.range(0)));
  rig.trade(100);  // warm-up
  std::vector<int64_t> samples;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    if (!rig.trade(batch)) state.SkipWithError("orders were not filled");
    samples.push_back(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * batch);
  report_percentiles(state, samples, {{"p50_us", 0.50}, {"p99_us", 0.99}}, 1000);
}
BENCHMARK(BM_Durability)
    ->ArgNames({"path", "orders"})
    ->ArgsProduct({{2, 0, 1}, {1, 1000}})
    ->MinTime(3.0)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace fixguard::bench
