// The journal's cost on the order path: an order's entries appended and
// committed, as the proxy does once per inbound message, for each
// durability. Reported per commit (p50, p99) and as entries per second.
//
//   build/bench/fixguard_bench --benchmark_filter=Journal
#include "bench/percentiles.h"
#include "persistence/journal.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fixguard::bench {
namespace {

persistence::JournalEntry sample(int n) {
  persistence::JournalEntry e;
  e.at_us = 1'764'600'000'000'000 + n;
  e.day = 20423;
  e.client = "alpha";
  e.venue = "sim";
  e.msg_type = "D";
  e.cl_ord_id = "C" + std::to_string(n);
  e.account = "ACC1";
  e.symbol = "IBM";
  e.outcome = "accepted";
  e.limits_version = "desk-1";
  e.mode = "enforce";
  e.raw =
      "8=FIX.4.4\x01"
      "9=134\x01"
      "35=D\x01"
      "34=" +
      std::to_string(n) +
      "\x01"
      "49=ALPHA\x01"
      "52=20261201-20:52:05.438\x01"
      "56=FIXGUARD\x01"
      "1=ACC1\x01"
      "11=" +
      e.cl_ord_id +
      "\x01"
      "21=1\x01"
      "38=100\x01"
      "40=2\x01"
      "44=100.25\x01"
      "54=1\x01"
      "55=IBM\x01"
      "60=20261201-20:52:05.438\x01"
      "10=096\x01";
  return e;
}

// Args: durability (0 normal, 1 full), entries per commit.
void BM_JournalCommit(benchmark::State& state) {
  const auto durability =
      state.range(0) ? persistence::Journal::Durability::full : persistence::Journal::Durability::normal;
  const int per_commit = static_cast<int>(state.range(1));
  const char* tmp = std::getenv("TMPDIR");
  const std::filesystem::path dir = std::filesystem::path(tmp ? tmp : "/tmp") / "fixguard-journal-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<int64_t> samples;
  samples.reserve(1 << 20);
  {
    persistence::Journal journal((dir / "journal.db").string(), durability);
    int n = 0;
    for (auto _ : state) {
      for (int i = 0; i < per_commit; ++i) journal.append(sample(++n));
      const auto start = std::chrono::steady_clock::now();
      // full: the commit, then the one sync a group of work ends with.
      if (!journal.commit() || (durability == persistence::Journal::Durability::full && !journal.sync()))
        state.SkipWithError(journal.fault().c_str());
      samples.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * per_commit);
  }
  std::filesystem::remove_all(dir);
  report_percentiles(state, samples, {{"commit_p50_us", 0.50}, {"commit_p99_us", 0.99}}, 1000);
}
BENCHMARK(BM_JournalCommit)
    ->ArgNames({"full", "entries"})
    ->Args({0, 2})
    ->Args({1, 2})
    ->Args({0, 64})
    ->Args({1, 64})
    ->MinTime(2.0)
    ->UseRealTime();

}  // namespace
}  // namespace fixguard::bench
