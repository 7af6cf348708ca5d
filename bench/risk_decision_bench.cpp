// The risk engine's decision path with every check on, over a desk of
// 10,000 open orders, 1,000 instruments and 1,000 accounts
// (bench/decision_book.h). Each decision is timed on its own; p50, p99 and
// p99.9 are reported as counters (in ns, including ~20 ns of clock reads).
//
//   ./scripts/bench                       # both placements
//   build/bench/fixguard_bench --benchmark_filter=Decide
#include "bench/decision_book.h"
#include "bench/percentiles.h"
#include "risk/clordid_registry.h"
#include "risk/flat_index.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <charconv>
#include <chrono>

namespace fixguard::bench {
namespace {

void report(benchmark::State& state, std::vector<int64_t>& samples, std::size_t passed) {
  report_percentiles(state, samples, {{"p50_ns", 0.50}, {"p99_ns", 0.99}, {"p99.9_ns", 0.999}});
  state.counters["passed_pct"] = 100.0 * static_cast<double>(passed) / static_cast<double>(samples.size());
}

// New orders that pass every check: the whole path runs.
void BM_DecideNewOrder(benchmark::State& state) {
  DecisionBook book;
  for (std::size_t i = 0; i < book.requests.size(); ++i) book.decide(i);  // warm: every key seen
  std::vector<int64_t> samples;
  samples.reserve(1 << 22);
  std::size_t i = 0, passed = 0;
  for (auto _ : state) {
    const risk::OrderRequest order = book.stage(i++);
    const auto start = std::chrono::steady_clock::now();
    const auto d = book.decide(order);
    const auto end = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(d);
    passed += !d.has_value();
    if (samples.size() < samples.capacity())
      samples.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
  }
  report(state, samples, passed);
}
BENCHMARK(BM_DecideNewOrder)->Iterations(2000000);

// Recording an accepted order and its fill: the state updates that follow a
// decision (not on the decision path itself).
void BM_SendAndFill(benchmark::State& state) {
  DecisionBook book;
  std::size_t i = 0;
  std::vector<std::string> ids;
  ids.reserve(1 << 21);
  for (auto _ : state) {
    risk::OrderRequest o = book.requests[i++ % book.requests.size()];
    state.PauseTiming();
    ids.push_back("F" + std::to_string(i));
    o.cl_ord_id = ids.back();
    state.ResumeTiming();
    book.engine->sent(o, "alpha", book.now_ns, DecisionBook::kDay);
    risk::Execution e;
    e.cl_ord_id = o.cl_ord_id;
    e.exec_type = 'F';
    e.ord_status = '2';
    e.last_qty = o.quantity;
    e.last_px = *o.price;
    book.engine->portfolio().on_execution("alpha", e, book.now_ns, DecisionBook::kDay);
  }
}
BENCHMARK(BM_SendAndFill)->Iterations(200000);

// The tables that grow with the day, filled from empty with 2,000,000
// entries: each insert timed on its own, the longest reported (the growths,
// a table moved into one twice its size) beside p50 and p99.9.
template <typename Insert>
void time_inserts(benchmark::State& state, Insert insert) {
  constexpr std::size_t kEntries = 2000000;
  std::vector<int64_t> samples;
  samples.reserve(kEntries);
  int64_t longest = 0;
  for (auto _ : state) {
    uint64_t key = 0x9e3779b97f4a7c15ull;
    for (std::size_t i = 0; i < kEntries; ++i) {
      key = key * 6364136223846793005ull + 1442695040888963407ull;  // spread as hashes are
      const auto start = std::chrono::steady_clock::now();
      insert(key, i);
      const auto end = std::chrono::steady_clock::now();
      const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
      longest = std::max(longest, ns);
      if (samples.size() < samples.capacity()) samples.push_back(ns);
    }
  }
  report_percentiles(state, samples, {{"p50_ns", 0.50}, {"p99.9_ns", 0.999}});
  state.counters["longest_us"] = static_cast<double>(longest) / 1000.0;
}

// The index of a day's applied reports (two per order), of its fills, and of
// the risk state's keys.
void BM_FlatIndexInsert(benchmark::State& state) {
  risk::FlatIndex index;
  time_inserts(state, [&](uint64_t key, std::size_t i) {
    benchmark::DoNotOptimize(index.insert(key, static_cast<uint32_t>(i)));
  });
}
BENCHMARK(BM_FlatIndexInsert)->Iterations(1)->Unit(benchmark::kMillisecond);

// The day's ClOrdIDs of one client (unique_clordid), 12 to 21 characters.
void BM_ClOrdIdInsert(benchmark::State& state) {
  risk::StringSet ids;
  char text[24];
  time_inserts(state, [&](uint64_t key, std::size_t) {
    const char* end = std::to_chars(text, text + sizeof text, key >> 4).ptr;
    benchmark::DoNotOptimize(ids.insert(std::string_view(text, static_cast<std::size_t>(end - text))));
  });
}
BENCHMARK(BM_ClOrdIdInsert)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fixguard::bench

BENCHMARK_MAIN();
