// Percentiles of timed samples, as Google Benchmark counters: the one way
// every benchmark here reports a latency distribution.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace fixguard::bench {

// Sorts `samples_ns` and sets each counter to its quantile, in units of
// `ns_per_unit` nanoseconds (1000: microseconds).
inline void report_percentiles(benchmark::State& state, std::vector<int64_t>& samples_ns,
                               std::initializer_list<std::pair<const char*, double>> counters, double ns_per_unit = 1) {
  if (samples_ns.empty()) return;
  std::sort(samples_ns.begin(), samples_ns.end());
  for (const auto& [name, q] : counters)
    state.counters[name] =
        static_cast<double>(samples_ns[static_cast<std::size_t>(q * static_cast<double>(samples_ns.size() - 1))]) /
        ns_per_unit;
}

}  // namespace fixguard::bench
