// Small builders for the pure risk tests (in-memory, no I/O).
#pragma once

#include "risk/decision.h"
#include "risk/engine.h"
#include "risk/flow_controls.h"
#include "risk/limits.h"
#include "risk/order.h"

#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace fixguard::risk::test {

inline Quantity qty(const char* s) { return *Quantity::parse(s); }
inline Price px(const char* s) { return *Price::parse(s); }
inline Notional money(const char* s) { return *Notional::parse(s); }

// A limit buy of `quantity` IBM at `price` for account ACC1.
// A venue's report on `id`: with `q`, a fill of `q` at `p`.
inline Execution execution(const char* id, char exec_type, char status, const char* q = nullptr,
                           const char* p = nullptr) {
  Execution e;
  e.cl_ord_id = id;
  e.exec_type = exec_type;
  e.ord_status = status;
  if (q) e.last_qty = qty(q);
  if (p) e.last_px = px(p);
  return e;
}

inline OrderRequest order(const char* quantity, const char* price = "100") {
  OrderRequest o;
  o.kind = RequestKind::new_order;
  o.cl_ord_id = "C1";
  o.account = "ACC1";
  o.symbol = "IBM";
  o.side = '1';
  o.ord_type = '2';
  o.quantity = qty(quantity);
  o.price = px(price);
  return o;
}

// FlowControls driven by names, numbered on first sight as the engine
// numbers them.
class NamedFlow {
 public:
  explicit NamedFlow(FlowLimits limits) : flow_(limits) {}
  // `client` must outlive the returned decision.
  std::optional<Decision> admit(const OrderRequest& o, std::string_view client, int64_t now_ns) {
    return flow_.admit(o, FlowKeys{key("c:", client), key("a:", o.account), key("s:", o.symbol), client}, now_ns);
  }

 private:
  uint32_t key(const char* kind, std::string_view name) {
    const auto next = static_cast<uint32_t>(keys_.size());
    return keys_.try_emplace(kind + std::string(name), next).first->second;
  }
  FlowControls flow_;
  std::map<std::string, uint32_t> keys_;
};

// A decision as the tests compare it: the reject Text, or "accepted".
inline std::string text(const std::optional<Decision>& d) { return d ? describe(*d) : "accepted"; }

// The scopes that apply to `o` from alpha on venue sim.
inline ApplicableLimits applicable(const LimitBook& book, const OrderRequest& o) {
  return book.applicable("sim", "alpha", o.account, o.symbol, o.exchange);
}

// An engine with `limits` set at one scope, driven by one client (alpha on
// venue sim) as the proxy would drive it: decide, then send what passes.
class Desk {
 public:
  static constexpr int32_t kDay = 20000;

  explicit Desk(OrderLimits limits, ScopeKind kind = ScopeKind::account, const std::string& name = "ACC1") {
    EngineConfig c;
    c.book.set(kind, name, std::move(limits));
    engine_.emplace(std::move(c));
  }
  explicit Desk(EngineConfig c) { engine_.emplace(std::move(c)); }

  Engine& engine() { return *engine_; }
  Portfolio& portfolio() { return engine_->portfolio(); }

  std::optional<Decision> submit(const OrderRequest& o, int64_t now_ns = 0, int32_t day = kDay) {
    auto d = engine_->decide(o, "sim", "alpha", now_ns, day);
    if (!d) engine_->sent(o, "alpha", now_ns, day);
    return d;
  }
  // A limit order `id` on `symbol` for `account`; side '1' buy, '2' sell.
  static OrderRequest limit(const char* id, char side, const char* quantity, const char* price,
                            const char* symbol = "IBM", const char* account = "ACC1") {
    OrderRequest o = order(quantity, price);
    o.cl_ord_id = id;
    o.side = side;
    o.symbol = symbol;
    o.account = account;
    return o;
  }
  std::optional<Decision> buy(const char* id, const char* q, const char* p, const char* symbol = "IBM",
                              int64_t now_ns = 0) {
    return submit(limit(id, '1', q, p, symbol), now_ns);
  }
  std::optional<Decision> sell(const char* id, const char* q, const char* p, const char* symbol = "IBM",
                               int64_t now_ns = 0) {
    return submit(limit(id, '2', q, p, symbol), now_ns);
  }
  // A G replacing `orig` by `id` for `q` at `p`, same side and symbol as given.
  std::optional<Decision> replace(const char* orig, const char* id, char side, const char* q, const char* p,
                                  const char* symbol = "IBM") {
    OrderRequest o = limit(id, side, q, p, symbol);
    o.kind = RequestKind::replace;
    o.orig_cl_ord_id = orig;
    return submit(o);
  }
  // The venue reports on `id`: a fill of `q` at `p` (status partially filled,
  // or '2' filled), or with q == nullptr just `exec_type`/`status`.
  void report(const char* id, char exec_type, char status, const char* q = nullptr, const char* p = nullptr,
              int64_t now_ns = 0, const char* orig = "") {
    Execution e = execution(id, exec_type, status, q, p);
    e.orig_cl_ord_id = orig;
    portfolio().on_execution("alpha", e, now_ns, kDay);
  }
  void fill(const char* id, const char* q, const char* p, int64_t now_ns = 0, char status = '1') {
    report(id, 'F', status, q, p, now_ns);
  }

 private:
  std::optional<Engine> engine_;
};

}  // namespace fixguard::risk::test
