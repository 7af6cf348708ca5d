// Offline replay speed: a log of a million orders (QuickFIX message-log
// lines, each order followed by its fill) run through the risk checks,
// from the file to the summary.
//
//   build/bench/fixguard_bench --benchmark_filter=Replay
#include "config/config.h"
#include "proxy/replay.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fixguard::bench {
namespace {

constexpr int kOrders = 1'000'000;

std::string fix_time(int64_t ms) {
  // 2026-11-30 from 09:00:00.000 on.
  ms += 9LL * 3600 * 1000;
  char t[32];
  std::snprintf(t, sizeof t, "20261130-%02d:%02d:%02d.%03d", static_cast<int>(ms / 3600000 % 24),
                static_cast<int>(ms / 60000 % 60), static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
  return t;
}

// One line of the log; the BodyLength and CheckSum are not checked.
void line(std::ostream& out, const std::string& time, const std::string& body) {
  out << time
      << " : 8=FIX.4.4\x01"
         "9="
      << body.size() << "\x01" << body << "10=000\x01\n";
}

// One field, SOH-terminated.
std::string f(int tag, const std::string& value) { return std::to_string(tag) + "=" + value + "\x01"; }

void write_log(const std::filesystem::path& path) {
  std::ofstream out(path);
  static const char* kSymbols[] = {"IBM", "MSFT", "AAPL", "GOOG", "AMZN", "META", "NVDA", "TSLA"};
  for (int i = 0; i < kOrders; ++i) {
    const std::string t = fix_time(i / 20);  // 20 orders a millisecond
    const std::string id = "O" + std::to_string(i);
    const std::string qty = std::to_string(1 + i % 300);
    // What the order and its fill both say.
    const std::string order = f(11, id) + f(1, "ACC" + std::to_string(i % 16)) + f(55, kSymbols[i % 8]) +
                              f(54, i % 2 ? "2" : "1") + f(38, qty);
    const std::string seq = f(34, std::to_string(i + 2));
    line(out, t,
         f(35, "D") + seq + f(49, "ALPHA") + f(56, "FIXGUARD") + f(52, t) + order + f(40, "2") + f(44, "100.25") +
             f(59, "0") + f(60, t));
    line(out, t,
         f(35, "8") + seq + f(49, "FIXGUARD") + f(56, "ALPHA") + f(52, t) + f(37, "V" + id) + f(17, "E" + id) +
             f(150, "F") + f(39, "2") + order + f(32, qty) + f(31, "100.25") + f(14, qty) + f(151, "0") +
             f(6, "100.25"));
  }
}

void BM_Replay(benchmark::State& state) {
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / "fixguard-replay-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  write_log(dir / "orders.log");
  std::ofstream(dir / "fixguard.yaml") << R"(listen: "127.0.0.1:9880"
database: fixguard.db
venues:
  - { name: sim, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: VENUE, connect: "127.0.0.1:9881" }
clients:
  - { name: alpha, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: ALPHA, venue: sim }
risk:
  unique_clordid: true
  limits:
    global: { max_order_qty: 290, max_notional: 29000 }
    accounts: { ACC1: { max_long_qty: 50000, max_short_qty: 50000, max_open_orders: 100000 } }
  rate_limits:
    per_account: { new: { rate: 2000, burst: 4000 } }
)";
  const config::Config cfg = config::Config::from_file((dir / "fixguard.yaml").string(), FIXGUARD_SPECS_DIR);
  proxy::ReplayRequest request;
  request.logs = {(dir / "orders.log").string()};
  request.show = proxy::ReplayRequest::Show::none;
  int64_t orders = 0;
  for (auto _ : state) {
    std::ostringstream out, err;
    proxy::run_replay(cfg, nullptr, request, out, err);
    orders += kOrders;
    if (state.iterations() == 0) state.SetLabel(out.str().substr(0, out.str().find('\n')));
  }
  state.SetItemsProcessed(orders);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Replay)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fixguard::bench
