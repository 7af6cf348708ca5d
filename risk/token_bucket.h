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
  TokenBucket(const RateLimit& limit, int64_t now_ns) : credit_(limit.burst * limit.interval_ns), last_ns_(now_ns) {}

  // Takes one token if there is one. Credit is kept in 1/interval_ns tokens,
  // so refilling never rounds.
  bool take(const RateLimit& limit, int64_t now_ns) {
    const int64_t capacity = limit.burst * limit.interval_ns;
    if (now_ns > last_ns_) {
      // Beyond this the bucket is full anyway; the cap keeps the product in range.
      const int64_t elapsed = std::min(now_ns - last_ns_, capacity / limit.rate + 1);
      credit_ = std::min(capacity, credit_ + elapsed * limit.rate);
      last_ns_ = now_ns;
    }
    if (credit_ < limit.interval_ns) return false;
    credit_ -= limit.interval_ns;
    return true;
  }

 private:
  int64_t credit_;
  int64_t last_ns_;
};

}  // namespace fixguard::risk
