// A token bucket with exact integer arithmetic: `rate` tokens per
// `interval_ns`, holding at most `burst`. Time is a parameter (ns on any
// monotonic clock, or a log's timestamps in replay).
#pragma once

#include <algorithm>
#include <cstdint>

namespace fixguard::risk {

struct RateLimit {
  int64_t rate = 0;         // tokens per interval
  int64_t interval_ns = 0;  // e.g. 1'000'000'000 for "per second"
  int64_t burst = 0;        // capacity in tokens
  bool enabled() const { return rate > 0 && interval_ns > 0 && burst > 0; }
};

class TokenBucket {
 public:
  // Starts full.
  TokenBucket(const RateLimit& limit, int64_t now_ns) : credit_(capacity(limit)), last_ns_(now_ns) {}

  // Takes one token if there is one. Credit is kept in 1/interval_ns tokens,
  // so refilling never rounds.
  bool take(const RateLimit& limit, int64_t now_ns) {
    if (now_ns > last_ns_) {
      credit_ = std::min(capacity(limit), credit_ + static_cast<__int128>(now_ns - last_ns_) * limit.rate);
      last_ns_ = now_ns;
    }
    if (credit_ < limit.interval_ns) return false;
    credit_ -= limit.interval_ns;
    return true;
  }

 private:
  // In 128 bits: a large burst over a day-long interval (10^6 x 8.64e13 ns)
  // is past 64.
  static __int128 capacity(const RateLimit& limit) { return static_cast<__int128>(limit.burst) * limit.interval_ns; }

  __int128 credit_;
  int64_t last_ns_;
};

}  // namespace fixguard::risk
