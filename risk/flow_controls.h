// Checks on the flow of orders over time: the duplicate-content guard
// (the same account, symbol, side, quantity and price again within a
// window), token-bucket rate limits per client session, account and symbol
// (separately for new orders, replaces and cancels), and a minimum interval
// between orders of a session on one symbol.
//
// Every request counts against the buckets, whatever is decided about it
// afterwards. Thread: one thread at a time.
#pragma once

#include "risk/decision.h"
#include "risk/limits.h"
#include "risk/order.h"
#include "risk/recent_table.h"
#include "risk/token_bucket.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace fixguard::risk {

struct FlowLimits {
  int64_t duplicate_window_ns = 0;  // 0: off
  int64_t min_interval_ns = 0;      // 0: off; per client session and symbol
  // Indexed by request kind: new order, replace, cancel.
  std::array<RateLimit, 3> per_client{}, per_account{}, per_symbol{};
};

class FlowControls {
 public:
  explicit FlowControls(FlowLimits limits) : limits_(limits) {}

  // Counts the request and tells whether it breaks a flow limit.
  std::optional<Decision> admit(const OrderRequest& order, std::string_view client, int64_t now_ns);

 private:
  using Buckets = std::unordered_map<std::string, TokenBucket, StringHash, std::equal_to<>>;
  bool take(Buckets& buckets, std::string_view key, const RateLimit& limit, int64_t now_ns);

  FlowLimits limits_;
  std::array<Buckets, 3> client_buckets_, account_buckets_, symbol_buckets_;
  std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>> last_order_;  // key -> time
  // The duplicate-content guard's memory: account and symbol by number, so
  // a key is fixed-size and remembering one allocates nothing.
  struct Content {
    uint32_t account = 0, symbol = 0;
    char side = 0;
    int64_t quantity = 0, price = 0;
    bool operator==(const Content&) const = default;
  };
  struct ContentHash {
    std::size_t operator()(const Content& c) const;
  };
  uint32_t name_id(std::string_view name);
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> name_ids_;
  RecentTable<Content, ContentHash> last_content_;
  std::string key_;  // reused buffer for composite keys
};

}  // namespace fixguard::risk
