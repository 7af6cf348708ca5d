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
#include "risk/flat_index.h"
#include "risk/limits.h"
#include "risk/order.h"
#include "risk/recent_table.h"
#include "risk/token_bucket.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace fixguard::risk {

struct FlowLimits {
  int64_t duplicate_window_ns = 0;  // 0: off
  int64_t min_interval_ns = 0;      // 0: off; per client session and symbol
  // Indexed by request kind: new order, replace, cancel.
  std::array<RateLimit, 3> per_client{}, per_account{}, per_symbol{};
};

// Who a request is from and what it is on, as numbers (dense, from 0):
// the client session, the account and the instrument. Names are for the
// reject's text and view text that outlives the call.
struct FlowKeys {
  uint32_t client = 0, account = 0, instrument = 0;
  std::string_view client_name;
};

class FlowControls {
 public:
  explicit FlowControls(FlowLimits limits) : limits_(limits) {}
  // New limits from now on; buckets, intervals and the duplicate memory
  // keep what they counted.
  void set_limits(const FlowLimits& limits) { limits_ = limits; }

  // Counts the request and tells whether it breaks a flow limit. Allocates
  // only on a key's first sight.
  std::optional<Decision> admit(const OrderRequest& order, const FlowKeys& keys, int64_t now_ns);
  // Starts loading what admit() reads for this request (a hint).
  void prefetch(const OrderRequest& order, const FlowKeys& keys) const;

 private:
  // One bucket per key, by number; started on first use.
  using Buckets = std::vector<std::optional<TokenBucket>>;
  static bool take(Buckets& buckets, uint32_t key, const RateLimit& limit, int64_t now_ns);

  FlowLimits limits_;
  std::array<Buckets, 3> client_buckets_, account_buckets_, symbol_buckets_;
  FlatIndex last_order_index_;       // (client, instrument) -> last_order_
  std::vector<int64_t> last_order_;  // when the pair last sent an order
  // The duplicate-content guard's memory: fixed-size keys, so remembering
  // one allocates nothing.
  struct Content {
    uint32_t account = 0, instrument = 0;
    char side = 0;
    int64_t quantity = 0, price = 0;
    bool operator==(const Content&) const = default;
  };
  struct ContentHash {
    std::size_t operator()(const Content& c) const;
  };
  static Content content_of(const OrderRequest& o, const FlowKeys& keys) {
    return Content{keys.account, keys.instrument, o.side, o.quantity.units(), o.price ? o.price->units() : INT64_MIN};
  }
  RecentTable<Content, ContentHash> last_content_;
};

}  // namespace fixguard::risk
