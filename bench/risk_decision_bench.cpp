// The risk engine's decision path with every check on, over a desk of
// 10,000 open orders, 1,000 instruments and 1,000 accounts
// (bench/decision_book.h). Each decision is timed on its own; p50, p99 and
// p99.9 are reported as counters (in ns, including ~20 ns of clock reads).
//
//   ./scripts/bench                       # both placements
//   build/bench/fixguard_bench --benchmark_filter=Decide
#include "bench/decision_book.h"
#include "bench/percentiles.h"

#include <benchmark/benchmark.h>

#include <algorithm>
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

}  // namespace
}  // namespace fixguard::bench

BENCHMARK_MAIN();
