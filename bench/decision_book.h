// A risk engine loaded as a busy desk: every check configured, 1,000
// accounts, 1,000 instruments in 50 groups, 10,000 open orders and a
// position in every instrument of 200 accounts. Shared by the decision
// benchmark and the test that the decision path does not allocate.
#pragma once

#include "risk/engine.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace fixguard::bench {

struct DecisionBook {
  static constexpr int kAccounts = 1000;
  static constexpr int kInstruments = 1000;
  static constexpr int kGroups = 50;
  static constexpr int kOpenOrders = 10000;
  static constexpr int64_t kStepNs = 1000000;  // 1 ms of simulated time between decisions
  static constexpr int32_t kDay = 20000;

  std::vector<std::string> accounts, symbols, ids;
  std::unique_ptr<risk::Engine> engine;
  risk::Engine::Session session;             // alpha on venue sim
  std::vector<risk::OrderRequest> requests;  // new orders that pass every check
  int64_t now_ns = 1000000000;

  static std::string name(const char* prefix, int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%04d", prefix, i);
    return buf;
  }

  explicit DecisionBook(std::size_t request_count = 1 << 16) {
    using namespace risk;
    for (int i = 0; i < kAccounts; ++i) accounts.push_back(name("ACC", i));
    for (int i = 0; i < kInstruments; ++i) symbols.push_back(name("SYM", i));
    auto money = [](int64_t whole) { return *Notional::parse(std::to_string(whole)); };

    EngineConfig c;
    OrderLimits g;  // every check on, none tight enough to bind
    g.min_qty = Quantity::from_int(1);
    g.max_qty = Quantity::from_int(100000);
    g.lot = Quantity::from_int(1);
    g.min_notional = money(1);
    g.max_notional = money(10000000);
    g.collar_percent = Percent::from_int(50);
    g.allowed_symbols = SymbolSet(symbols.begin(), symbols.end());
    g.restricted_symbols = SymbolSet{"HALTED1", "HALTED2"};
    g.allowed_ord_types = "12";
    g.allowed_time_in_force = "013";
    g.allowed_sides = "125";
    g.max_long_qty = g.max_short_qty = Quantity::from_int(10000000);
    g.max_long_notional = g.max_short_notional = money(1000000000);
    g.max_open_orders = 100000;
    g.max_open_orders_per_instrument = 10000;
    g.max_positions = 100000;
    g.max_gross_exposure = g.max_net_exposure = money(100000000000);
    g.equity = money(10000000000);
    g.max_leverage = Ratio::from_int(10);
    g.max_instrument_leverage = Ratio::from_int(5);
    g.buying_power = true;
    g.max_daily_notional = g.max_minute_notional = money(1000000000000);
    g.max_daily_orders = g.max_minute_orders = g.max_daily_fills = g.max_minute_fills = 1000000000;
    c.book.set(ScopeKind::global, "", g);
    OrderLimits venue, client;
    venue.max_qty = Quantity::from_int(90000);
    client.max_notional = money(9000000);
    c.book.set(ScopeKind::venue, "sim", venue);
    c.book.set(ScopeKind::client, "alpha", client);
    for (const std::string& a : accounts) {
      OrderLimits l;
      l.max_long_qty = Quantity::from_int(5000000);
      l.max_gross_exposure = money(50000000000);
      c.book.set(ScopeKind::account, a, l);
    }
    for (int i = 0; i < kInstruments; ++i) {
      OrderLimits l;
      l.tick = Price::from_units(Price::kOne / 100);
      l.max_short_qty = Quantity::from_int(5000000);
      c.book.set(ScopeKind::instrument, symbols[static_cast<std::size_t>(i)], l);
      c.book.add_to_group(symbols[static_cast<std::size_t>(i)], name("GRP", i % kGroups));
    }
    for (int i = 0; i < kGroups; ++i) {
      OrderLimits l;
      l.max_group_gross_exposure = l.max_group_net_exposure = money(10000000000);
      c.book.set(ScopeKind::group, name("GRP", i), l);
    }
    c.flow.duplicate_window_ns = 1000000000;
    c.flow.min_interval_ns = 1;
    for (auto* per : {&c.flow.per_client, &c.flow.per_account, &c.flow.per_symbol})
      for (RateLimit& r : *per) r = RateLimit{1000000, 1000000000, 1000000};
    c.limits_version = "bench";
    engine = std::make_unique<Engine>(std::move(c));
    session = engine->session("sim", "alpha");

    std::mt19937_64 rng(42);
    auto pick = [&](int n) { return static_cast<std::size_t>(std::uniform_int_distribution<int>(0, n - 1)(rng)); };
    for (std::size_t i = 0; i < symbols.size(); ++i) engine->portfolio().set_mark(symbols[i], Price::from_int(100), 0);
    ids.reserve(kOpenOrders + request_count);
    for (int i = 0; i < kOpenOrders + 20000; ++i) ids.push_back(name("ORD", i));
    auto order = [&](std::size_t id, std::size_t account, std::size_t symbol, bool sell, int64_t qty, int64_t cents) {
      OrderRequest o;
      o.cl_ord_id = ids[id];
      o.account = accounts[account];
      o.symbol = symbols[symbol];
      o.side = sell ? '2' : '1';
      o.ord_type = '2';
      o.quantity = Quantity::from_int(qty);
      o.price = Price::from_units(cents * (Price::kOne / 100));
      return o;
    };
    // 10,000 open orders; fills give 200 accounts a position in every instrument they trade.
    for (int i = 0; i < kOpenOrders; ++i) {
      const OrderRequest o = order(static_cast<std::size_t>(i), pick(kAccounts), pick(kInstruments), i % 2 == 1,
                                   1 + static_cast<int64_t>(pick(500)), 9000 + static_cast<int64_t>(pick(2000)));
      engine->sent(o, "alpha", now_ns, kDay);
    }
    for (int i = 0; i < 20000; ++i) {
      const std::size_t id = static_cast<std::size_t>(kOpenOrders + i);
      const OrderRequest o =
          order(id, pick(200), pick(kInstruments), i % 3 == 0, 1 + static_cast<int64_t>(pick(100)), 10000);
      engine->sent(o, "alpha", now_ns, kDay);
      risk::Execution e;
      e.cl_ord_id = ids[id];
      e.exec_type = 'F';
      e.ord_status = '2';
      e.last_qty = o.quantity;
      e.last_px = *o.price;
      engine->portfolio().on_execution("alpha", e, now_ns, kDay);
    }
    // The requests to decide: spread over every account and instrument.
    requests.reserve(request_count);
    for (std::size_t i = 0; i < request_count; ++i)
      requests.push_back(order(i % ids.size(), pick(kAccounts), pick(kInstruments), i % 2 == 1,
                               1 + static_cast<int64_t>(pick(300)), 9500 + static_cast<int64_t>(pick(1000))));
  }

  // Request `i` as if just decoded from a message: its text is copied into
  // one buffer (as a received frame would hold it), so a decision finds it
  // in cache, as it would in the proxy.
  risk::OrderRequest stage(std::size_t i) {
    risk::OrderRequest o = requests[i % requests.size()];
    std::size_t at = 0;
    for (std::string_view* field : {&o.cl_ord_id, &o.account, &o.symbol}) {
      const std::size_t n = std::min(field->size(), message_.size() - at);
      std::copy_n(field->data(), n, message_.data() + at);
      *field = std::string_view(message_.data() + at, n);
      at += n;
    }
    return o;
  }

  // Decides `order` at the next step of simulated time.
  std::optional<risk::Decision> decide(const risk::OrderRequest& order) {
    now_ns += kStepNs;
    return engine->decide(order, session, now_ns, kDay);
  }
  std::optional<risk::Decision> decide(std::size_t i) { return decide(stage(i)); }

 private:
  std::array<char, 256> message_{};
};

}  // namespace fixguard::bench
