// A randomized run of the risk engine against an independent model.
//
// Orders, replaces, cancels, partial and full fills, venue rejects, refused
// replaces and cancels, trade corrections (a past fill's price corrected,
// naming the fill or its last correction), price moves and trading-day rolls
// are drawn at random against randomly drawn limits; three of the instruments
// are contracts whose amounts are at a multiplier (one a fraction). The model keeps what a
// venue would know (its live orders, the raw fills, the marks) and
// recomputes every measure from them by brute force. After every event:
//  - the engine's incremental state equals the model's recomputation;
//  - measures the market cannot move (position quantities, open orders,
//    positions, orders per day and minute) are within every limit (traded
//    notional is not among them: a fill at the old price of a replace in
//    flight can add more than the larger-of-old-and-new counted);
//  - an accepted order took no measure over a limit (or, where the market
//    had already taken it over, no further), and a rejected one would have:
//    the rule the engine names is breached in the model.
#include "risk/engine.h"
#include "tests/risk/risk_test_support.h"

#include <functional>

#include <gtest/gtest.h>

#include <cstdio>
#include <deque>
#include <map>
#include <random>
#include <set>

namespace fixguard::risk {
namespace {

using namespace test;

constexpr int64_t kSecond = 1000000000;
const char* const kAccounts[] = {"A1", "A2", "A3", "A4"};
const char* const kSymbols[] = {"S1", "S2", "S3", "S4", "S5", "S6"};
const char* const kGroups[] = {"G1", "G2"};
// Contracts: every amount of S2 is price x quantity x 3, of S5 x 10, of S6
// x 0.25.
Multiplier multiplier_of(const std::string& symbol) {
  if (symbol == "S6") return Multiplier::from_units(Multiplier::kOne / 4);
  return Multiplier::from_int(symbol == "S2" ? 3 : symbol == "S5" ? 10 : 1);
}

Price at_least_a_cent(int64_t units) { return Price::from_units(std::max<int64_t>(units, Price::kOne / 100)); }
Quantity maxq(Quantity a, Quantity b) { return a < b ? b : a; }
Notional maxn(Notional a, Notional b) { return a < b ? b : a; }
// What an order limited at `price` counts at: a sell limited below the mark at the mark.
Price measured_at(bool sell, Price price, Price mark) { return sell && mark > price ? mark : price; }

// ---- The venue's view -------------------------------------------------------

struct VenueOrder {
  std::string id;
  std::string account, symbol;
  bool sell = false;
  Quantity qty, leaves;
  Price price;
  Price measured;  // what it counts at: a sell limited below the mark, at the mark when sent
  bool replacing = false;
  std::string replace_id;
  Quantity replace_qty;
  Price replace_price, replace_measured;
  std::string cancel_id;

  Quantity replace_leaves() const { return maxq(replace_qty - (qty - leaves), Quantity()); }
  OpenSide counted() const {
    const Multiplier m = multiplier_of(symbol);
    if (!replacing) return {leaves, Notional::of(measured, leaves, m)};
    return {maxq(leaves, replace_leaves()),
            maxn(Notional::of(measured, leaves, m), Notional::of(replace_measured, replace_leaves(), m))};
  }
};

struct Fill {
  std::string account;
  int64_t second;
  int32_t day;
  Notional notional;
};

// ---- Measures, recomputed from the venue's view -----------------------------

struct PositionMeasures {
  Quantity worst_long_qty, worst_short_qty;  // short as a positive quantity
  Notional worst_long, worst_short, gross;   // worst_short signed
  int64_t open_orders = 0;
  bool active = false;
};

struct AccountMeasures {
  std::map<std::string, PositionMeasures> positions;
  Notional gross, long_sum, short_sum, open_notional, pnl;
  std::map<std::string, ExposureSums> groups;
  int64_t open_orders = 0, positions_active = 0;
};

class Model {
 public:
  std::map<std::string, Price> marks;
  std::deque<VenueOrder> orders;                                // live
  std::map<std::pair<std::string, std::string>, Quantity> qty;  // (account, symbol)
  std::map<std::pair<std::string, std::string>, Notional> cash;
  mutable std::map<std::string, std::vector<std::string>> groups_of;

  AccountMeasures measure(const std::string& account) const {
    AccountMeasures m;
    std::map<std::string, std::array<OpenSide, 2>> open;
    std::map<std::string, int64_t> open_count;
    for (const VenueOrder& o : orders) {
      if (o.account != account) continue;
      OpenSide& s = open[o.symbol][o.sell ? 1 : 0];
      const OpenSide c = o.counted();
      s.qty = s.qty + c.qty;
      s.notional = s.notional + c.notional;
      ++open_count[o.symbol];
    }
    for (const char* symbol : kSymbols) {
      const auto key = std::make_pair(account, std::string(symbol));
      const Quantity q = qty.count(key) ? qty.at(key) : Quantity();
      const auto& sides = open[symbol];
      PositionMeasures p;
      const Notional value = Notional::of(marks.at(symbol), q, multiplier_of(symbol));
      p.worst_long_qty = q + sides[0].qty;
      p.worst_short_qty = Quantity() - (q - sides[1].qty);
      p.worst_long = value + sides[0].notional;
      p.worst_short = value - sides[1].notional;
      p.gross = maxn(p.worst_long.abs(), p.worst_short.abs());
      p.open_orders = open_count[symbol];
      p.active = !q.is_zero() || p.open_orders > 0;
      m.gross = m.gross + p.gross;
      m.long_sum = m.long_sum + p.worst_long;
      m.short_sum = m.short_sum + p.worst_short;
      m.open_notional = m.open_notional + sides[0].notional + sides[1].notional;
      m.pnl = m.pnl + value + (cash.count(key) ? cash.at(key) : Notional());
      m.open_orders += p.open_orders;
      m.positions_active += p.active ? 1 : 0;
      for (const std::string& g : groups_of[symbol]) {
        ExposureSums& s = m.groups[g];
        s.gross = s.gross + p.gross;
        s.long_sum = s.long_sum + p.worst_long;
        s.short_sum = s.short_sum + p.worst_short;
      }
      m.positions[symbol] = p;
    }
    return m;
  }

  // Totals per account and day, and the fills and orders of the last minute.
  std::map<std::pair<std::string, int32_t>, AccountState::Totals> days;
  std::deque<Fill> recent_fills;
  std::deque<std::pair<std::string, int64_t>> recent_orders;  // account, second

  void add_fill(const std::string& account, int64_t second, int32_t day, Notional n) {
    AccountState::Totals& t = days[{account, day}];
    t.traded = t.traded + n;
    ++t.fills;
    recent_fills.push_back({account, second, day, n});
  }
  void add_order(const std::string& account, int64_t second, int32_t day) {
    ++days[{account, day}].orders;
    recent_orders.emplace_back(account, second);
  }
  void forget_before(int64_t now_s) {
    while (!recent_fills.empty() && recent_fills.front().second <= now_s - 60) recent_fills.pop_front();
    while (!recent_orders.empty() && recent_orders.front().second <= now_s - 60) recent_orders.pop_front();
  }
  AccountState::Totals today(const std::string& account, int32_t day) const {
    const auto it = days.find({account, day});
    return it == days.end() ? AccountState::Totals{} : it->second;
  }
  AccountState::Totals minute(const std::string& account, int64_t now_s) const {
    AccountState::Totals t;
    for (const Fill& f : recent_fills) {
      if (f.account == account && f.second > now_s - 60 && f.second <= now_s) {
        t.traded = t.traded + f.notional;
        ++t.fills;
      }
    }
    for (const auto& [a, second] : recent_orders)
      if (a == account && second > now_s - 60 && second <= now_s) ++t.orders;
    return t;
  }
};

// ---- Limits -------------------------------------------------------------------

struct Draws {
  std::mt19937_64 rng;
  explicit Draws(uint64_t seed) : rng(seed) {}
  int64_t uniform(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); }
  bool chance(int percent) { return uniform(0, 99) < percent; }
};

// Account-wide limits at the global or an account scope; per-position ones
// anywhere; group ones on groups.
EngineConfig draw_limits(Draws& r) {
  EngineConfig c;
  std::map<std::pair<ScopeKind, std::string>, OrderLimits> scopes;
  auto account_scope = [&]() -> OrderLimits& {
    if (r.chance(50)) return scopes[{ScopeKind::global, ""}];
    return scopes[{ScopeKind::account, kAccounts[r.uniform(0, 3)]}];
  };
  auto any_scope = [&]() -> OrderLimits& {
    switch (r.uniform(0, 3)) {
      case 0:
        return scopes[{ScopeKind::global, ""}];
      case 1:
        return scopes[{ScopeKind::account, kAccounts[r.uniform(0, 3)]}];
      case 2:
        return scopes[{ScopeKind::instrument, kSymbols[r.uniform(0, 5)]}];
      default:
        return scopes[{ScopeKind::group, kGroups[r.uniform(0, 1)]}];
    }
  };
  auto money_in = [&](int64_t lo, int64_t hi) { return Notional::of(Price::from_int(r.uniform(lo, hi)), qty("1")); };
  for (int i = 0; i < 3; ++i) {
    if (r.chance(60)) any_scope().max_long_qty = Quantity::from_int(r.uniform(100, 800));
    if (r.chance(60)) any_scope().max_short_qty = Quantity::from_int(r.uniform(100, 800));
    if (r.chance(50)) any_scope().max_long_notional = money_in(10000, 80000);
    if (r.chance(50)) any_scope().max_short_notional = money_in(10000, 80000);
    if (r.chance(50)) any_scope().max_open_orders_per_instrument = r.uniform(2, 12);
    if (r.chance(50)) any_scope().max_instrument_leverage = Ratio::from_int(r.uniform(1, 3));
    if (r.chance(50)) account_scope().max_open_orders = r.uniform(5, 40);
    if (r.chance(40)) account_scope().max_positions = r.uniform(2, 5);
    if (r.chance(50)) account_scope().max_gross_exposure = money_in(50000, 300000);
    if (r.chance(50)) account_scope().max_net_exposure = money_in(30000, 200000);
    if (r.chance(50)) account_scope().max_leverage = Ratio::from_int(r.uniform(1, 6));
    if (r.chance(30)) account_scope().buying_power = true;
    if (r.chance(40)) account_scope().max_daily_notional = money_in(500000, 3000000);
    if (r.chance(40)) account_scope().max_minute_notional = money_in(50000, 300000);
    if (r.chance(40)) account_scope().max_daily_orders = r.uniform(300, 1500);
    if (r.chance(40)) account_scope().max_minute_orders = r.uniform(4, 20);
    if (r.chance(30)) account_scope().max_daily_fills = r.uniform(300, 1500);
    if (r.chance(30)) account_scope().max_minute_fills = r.uniform(4, 20);
    if (r.chance(50))
      scopes[{ScopeKind::group, kGroups[r.uniform(0, 1)]}].max_group_gross_exposure = money_in(30000, 150000);
    if (r.chance(50))
      scopes[{ScopeKind::group, kGroups[r.uniform(0, 1)]}].max_group_net_exposure = money_in(20000, 100000);
  }
  scopes[{ScopeKind::global, ""}].equity = money_in(20000, 100000);
  if (r.chance(50)) scopes[{ScopeKind::account, "A1"}].equity = money_in(5000, 50000);
  for (auto& [scope, limits] : scopes) c.book.set(scope.first, scope.second, limits);
  for (const char* s : {"S1", "S2", "S3"}) c.book.add_to_group(s, "G1");
  for (const char* s : {"S3", "S4"}) c.book.add_to_group(s, "G2");
  for (const char* s : kSymbols)
    if (multiplier_of(s) != Multiplier::from_int(1)) c.book.set_multiplier(s, multiplier_of(s));
  return c;
}

// ---- The run --------------------------------------------------------------------

class RandomizedEngine : public ::testing::TestWithParam<uint64_t> {
 protected:
  static constexpr int kEvents = 15000;

  // Whether `rule` is breached by going from `b` to `a` on `account`/`symbol`
  // under `l` (the order's limits); `new_order` for a D.
  bool breached(Rule rule, const ApplicableLimits& l, const std::string& account, const std::string& symbol,
                const AccountMeasures& b, const AccountMeasures& a, bool new_order) const {
    const PositionMeasures& pb = b.positions.at(symbol);
    const PositionMeasures& pa = a.positions.at(symbol);
    auto over = [](const auto& before, const auto& after, const auto& limit) {
      return after > before && after > limit;
    };
    const AccountState::Totals day = model_.today(account, day_);
    const AccountState::Totals min = model_.minute(account, now_ / kSecond);
    const auto equity = l.most_specific<&OrderLimits::equity>();
    const Notional eq = equity ? equity->value + b.pnl : Notional();
    auto lev = [&](Notional gross) { return gross.units() * Ratio::kOne; };
    auto room = [&](Ratio r) { return eq.units() * r.units(); };
    switch (rule) {
      case Rule::max_long_qty:
        if (auto m = l.lowest<&OrderLimits::max_long_qty>())
          return over(pb.worst_long_qty, pa.worst_long_qty, m->value);
        return false;
      case Rule::max_short_qty:
        if (auto m = l.lowest<&OrderLimits::max_short_qty>())
          return over(pb.worst_short_qty, pa.worst_short_qty, m->value);
        return false;
      case Rule::max_long_notional:
        if (auto m = l.lowest<&OrderLimits::max_long_notional>()) return over(pb.worst_long, pa.worst_long, m->value);
        return false;
      case Rule::max_short_notional:
        if (auto m = l.lowest<&OrderLimits::max_short_notional>())
          return over(Notional() - pb.worst_short, Notional() - pa.worst_short, m->value);
        return false;
      case Rule::max_open_orders:
        if (auto m = l.lowest<&OrderLimits::max_open_orders>()) return over(b.open_orders, a.open_orders, m->value);
        return false;
      case Rule::max_open_orders_instrument:
        if (auto m = l.lowest<&OrderLimits::max_open_orders_per_instrument>())
          return over(pb.open_orders, pa.open_orders, m->value);
        return false;
      case Rule::max_positions:
        if (auto m = l.lowest<&OrderLimits::max_positions>())
          return over(b.positions_active, a.positions_active, m->value);
        return false;
      case Rule::max_gross_exposure:
        if (auto m = l.lowest<&OrderLimits::max_gross_exposure>()) return over(b.gross, a.gross, m->value);
        return false;
      case Rule::max_net_exposure:
        if (auto m = l.lowest<&OrderLimits::max_net_exposure>())
          return over(ExposureSums{b.gross, b.long_sum, b.short_sum}.net(),
                      ExposureSums{a.gross, a.long_sum, a.short_sum}.net(), m->value);
        return false;
      case Rule::max_group_gross_exposure:
      case Rule::max_group_net_exposure:
        for (std::size_t i = 0; i < l.groups(); ++i) {
          const std::string g(l.group(i).entry->scope.name);
          const ExposureSums gb = b.groups.count(g) ? b.groups.at(g) : ExposureSums{};
          const ExposureSums ga = a.groups.count(g) ? a.groups.at(g) : ExposureSums{};
          const OrderLimits& gl = l.group(i).entry->limits;
          if (rule == Rule::max_group_gross_exposure && gl.max_group_gross_exposure &&
              over(gb.gross, ga.gross, *gl.max_group_gross_exposure))
            return true;
          if (rule == Rule::max_group_net_exposure && gl.max_group_net_exposure &&
              over(gb.net(), ga.net(), *gl.max_group_net_exposure))
            return true;
        }
        return false;
      case Rule::max_leverage:
        if (auto m = l.lowest<&OrderLimits::max_leverage>())
          return a.gross > b.gross && (eq.units() <= 0 ? a.gross.units() > 0 : lev(a.gross) > room(m->value));
        return false;
      case Rule::max_instrument_leverage:
        if (auto m = l.lowest<&OrderLimits::max_instrument_leverage>())
          return pa.gross > pb.gross && (eq.units() <= 0 ? pa.gross.units() > 0 : lev(pa.gross) > room(m->value));
        return false;
      case Rule::buying_power:
        return l.any<&OrderLimits::buying_power>() && over(b.gross, a.gross, eq);
      case Rule::max_daily_notional:
        if (auto m = l.lowest<&OrderLimits::max_daily_notional>())
          return over(day.traded + b.open_notional, day.traded + a.open_notional, m->value);
        return false;
      case Rule::max_minute_notional:
        if (auto m = l.lowest<&OrderLimits::max_minute_notional>())
          return over(min.traded + b.open_notional, min.traded + a.open_notional, m->value);
        return false;
      case Rule::max_daily_orders:
        if (auto m = l.lowest<&OrderLimits::max_daily_orders>()) return new_order && day.orders + 1 > m->value;
        return false;
      case Rule::max_minute_orders:
        if (auto m = l.lowest<&OrderLimits::max_minute_orders>()) return new_order && min.orders + 1 > m->value;
        return false;
      case Rule::max_daily_fills:
        if (auto m = l.lowest<&OrderLimits::max_daily_fills>()) return new_order && day.fills >= m->value;
        return false;
      case Rule::max_minute_fills:
        if (auto m = l.lowest<&OrderLimits::max_minute_fills>()) return new_order && min.fills >= m->value;
        return false;
      default:
        return false;
    }
  }

  static constexpr Rule kPortfolioRules[] = {Rule::max_long_qty,
                                             Rule::max_short_qty,
                                             Rule::max_long_notional,
                                             Rule::max_short_notional,
                                             Rule::max_open_orders,
                                             Rule::max_open_orders_instrument,
                                             Rule::max_positions,
                                             Rule::max_gross_exposure,
                                             Rule::max_net_exposure,
                                             Rule::max_group_gross_exposure,
                                             Rule::max_group_net_exposure,
                                             Rule::max_leverage,
                                             Rule::max_instrument_leverage,
                                             Rule::buying_power,
                                             Rule::max_daily_notional,
                                             Rule::max_minute_notional,
                                             Rule::max_daily_orders,
                                             Rule::max_minute_orders,
                                             Rule::max_daily_fills,
                                             Rule::max_minute_fills};

  // Decides `o` (for venue order `v` as it would stand if accepted) and
  // checks the decision against the model. Returns whether it was accepted.
  bool decide(const OrderRequest& o, const std::function<void()>& apply, const std::function<void()>& undo) {
    const std::string account(o.account), symbol(o.symbol);
    const AccountMeasures before = model_.measure(account);
    apply();
    const AccountMeasures after = model_.measure(account);
    undo();
    const auto d = engine_->decide(o, "sim", "alpha", now_, day_);
    const ApplicableLimits l = engine_->book().applicable("sim", "alpha", o.account, o.symbol, o.exchange);
    const bool new_order = o.kind == RequestKind::new_order;
    if (d) {
      ++rejected_[d->rule];
      EXPECT_TRUE(breached(d->rule, l, account, symbol, before, after, new_order))
          << "rejected without cause: " << describe(*d) << " at event " << event_;
      return false;
    }
    for (Rule rule : kPortfolioRules)
      EXPECT_FALSE(breached(rule, l, account, symbol, before, after, new_order))
          << "accepted although " << info(rule).id << " is breached, at event " << event_;
    engine_->sent(o, "alpha", now_, day_);
    apply();
    return true;
  }

  void check_state() {
    for (const char* account : kAccounts) {
      const AccountMeasures m = model_.measure(account);
      const AccountState* a = engine_->portfolio().account(account);
      const AccountState none{};
      const AccountState& s = a ? *a : none;
      ASSERT_EQ(s.exposure.gross, m.gross) << account << " event " << event_;
      ASSERT_EQ(s.exposure.long_sum, m.long_sum) << account << " event " << event_;
      ASSERT_EQ(s.exposure.short_sum, m.short_sum) << account << " event " << event_;
      ASSERT_EQ(s.open_notional, m.open_notional) << account << " event " << event_;
      ASSERT_EQ(s.pnl(), m.pnl) << account << " event " << event_;
      ASSERT_EQ(s.open_orders, m.open_orders) << account << " event " << event_;
      ASSERT_EQ(s.positions, m.positions_active) << account << " event " << event_;
      const auto today = model_.today(account, day_);
      ASSERT_EQ(s.today(day_).traded, today.traded) << account << " event " << event_;
      ASSERT_EQ(s.today(day_).orders, today.orders) << account << " event " << event_;
      ASSERT_EQ(s.today(day_).fills, today.fills) << account << " event " << event_;
      const auto minute = model_.minute(account, now_ / kSecond);
      ASSERT_EQ(s.last_minute(now_).orders, minute.orders) << account << " event " << event_;
      ASSERT_EQ(s.last_minute(now_).traded, minute.traded) << account << " event " << event_;
      for (const auto& [g, sums] : m.groups) {
        const ExposureSums* e = engine_->portfolio().group(account, g);
        ASSERT_EQ(e ? e->gross : Notional(), sums.gross) << account << " " << g << " event " << event_;
        ASSERT_EQ(e ? e->net() : Notional(), sums.net()) << account << " " << g << " event " << event_;
      }
      // What the market cannot move stays within every limit.
      for (const auto& [symbol, p] : m.positions) {
        const ApplicableLimits l = engine_->book().applicable("sim", "alpha", account, symbol, "");
        if (auto max = l.lowest<&OrderLimits::max_long_qty>()) {
          ASSERT_LE(p.worst_long_qty, max->value);
        }
        if (auto max = l.lowest<&OrderLimits::max_short_qty>()) {
          ASSERT_LE(p.worst_short_qty, max->value);
        }
        if (auto max = l.lowest<&OrderLimits::max_open_orders_per_instrument>()) {
          ASSERT_LE(p.open_orders, max->value);
        }
        if (auto max = l.lowest<&OrderLimits::max_open_orders>()) {
          ASSERT_LE(m.open_orders, max->value);
        }
        if (auto max = l.lowest<&OrderLimits::max_positions>()) {
          ASSERT_LE(m.positions_active, max->value);
        }
        if (auto max = l.lowest<&OrderLimits::max_daily_orders>()) {
          ASSERT_LE(today.orders, max->value);
        }
        if (auto max = l.lowest<&OrderLimits::max_minute_orders>()) {
          ASSERT_LE(minute.orders, max->value);
        }
      }
    }
  }

  std::string next_id() { return "O" + std::to_string(++ids_); }

  OrderRequest request(const VenueOrder& v, RequestKind kind, const std::string& id, Quantity q,
                       std::optional<Price> price) {
    OrderRequest o;
    o.kind = kind;
    o.cl_ord_id = id;
    o.account = v.account;
    o.symbol = v.symbol;
    o.side = v.sell ? '2' : '1';
    o.ord_type = price ? '2' : '1';
    o.quantity = q;
    o.price = price;
    return o;
  }

  // `exec_id` and `ref` as ExecID and ExecRefID.
  ExecutionOutcome execution(const VenueOrder& v, char exec_type, char status, const std::string& id,
                             const std::string& orig, Quantity last = Quantity(), Price px = Price(),
                             const std::string& exec_id = "", const std::string& ref = "") {
    Execution e;
    e.exec_id = exec_id;
    e.exec_ref_id = ref;
    e.cl_ord_id = id;
    e.orig_cl_ord_id = orig;
    e.exec_type = exec_type;
    e.ord_status = status;
    e.last_qty = last;
    e.last_px = px;
    e.account = v.account;
    e.symbol = v.symbol;
    e.side = v.sell ? '2' : '1';
    return engine_->portfolio().on_execution("alpha", e, now_, day_);
  }

  void step(Draws& r) {
    now_ += r.uniform(0, 2 * kSecond);
    model_.forget_before(now_ / kSecond);
    if (event_ % 7000 == 6999) {
      ++day_;
      fills_.clear();  // the portfolio keeps the day before's too; the test needs no more than today's
    }
    auto& orders = model_.orders;
    const int dice = static_cast<int>(r.uniform(0, 99));
    const bool any = !orders.empty();
    VenueOrder* pick =
        any ? &orders[static_cast<std::size_t>(r.uniform(0, static_cast<int64_t>(orders.size()) - 1))] : nullptr;
    if (dice < 30 || !any) {  // a new order
      VenueOrder v;
      v.id = next_id();
      v.account = kAccounts[r.uniform(0, 3)];
      v.symbol = kSymbols[r.uniform(0, 5)];
      v.sell = r.chance(50);
      v.qty = v.leaves = Quantity::from_int(r.uniform(1, 120));
      const bool market = r.chance(10);
      const Price mark = model_.marks.at(v.symbol);
      v.price = market ? mark : at_least_a_cent(mark.units() + r.uniform(-300, 300) * 1000000);  // +-3.00
      v.measured = measured_at(v.sell, v.price, mark);
      const OrderRequest o =
          request(v, RequestKind::new_order, v.id, v.qty, market ? std::nullopt : std::optional<Price>(v.price));
      if (decide(
              o, [&] { orders.push_back(v); }, [&] { orders.pop_back(); })) {
        model_.add_order(v.account, now_ / kSecond, day_);
        ++accepted_;
      }
    } else if (dice < 40 && !pick->replacing) {  // a replace
      const std::string id = next_id();
      const Quantity q = Quantity::from_int(r.uniform(1, 150));
      const Price p = at_least_a_cent(pick->price.units() + r.uniform(-200, 200) * 1000000);
      const Price measured = measured_at(pick->sell, p, model_.marks.at(pick->symbol));
      const OrderRequest o = request(*pick, RequestKind::replace, id, q, p);
      std::string orig = pick->id;
      OrderRequest with_orig = o;
      with_orig.orig_cl_ord_id = orig;
      VenueOrder saved = *pick;
      decide(
          with_orig,
          [&] {
            pick->replacing = true;
            pick->replace_id = id;
            pick->replace_qty = q;
            pick->replace_price = p;
            pick->replace_measured = measured;
          },
          [&] { *pick = saved; });
    } else if (dice < 46 && pick->cancel_id.empty()) {  // a cancel
      const std::string id = next_id();
      OrderRequest o = request(*pick, RequestKind::cancel, id, pick->qty, std::nullopt);
      o.orig_cl_ord_id = pick->id;
      EXPECT_FALSE(engine_->decide(o, "sim", "alpha", now_, day_));
      engine_->sent(o, "alpha", now_, day_);
      pick->cancel_id = id;
    } else if (dice < 72) {  // a fill at the order's price
      const Quantity q = Quantity::from_int(r.uniform(1, pick->leaves.units() / Quantity::kOne));
      pick->leaves = pick->leaves - q;
      const auto key = std::make_pair(pick->account, pick->symbol);
      const Notional n = Notional::of(pick->price, q, multiplier_of(pick->symbol));
      model_.qty[key] = model_.qty[key] + (pick->sell ? Quantity() - q : q);
      model_.cash[key] = model_.cash[key] + (pick->sell ? n : Notional() - n);
      model_.add_fill(pick->account, now_ / kSecond, day_, n);
      const bool done = pick->leaves.is_zero();
      const std::string exec_id = "X" + std::to_string(fills_.size()) + "-" + std::to_string(day_);
      fills_.push_back(PastFill{*pick, pick->id, exec_id, q, pick->price});
      execution(*pick, 'F', done ? '2' : '1', pick->id, "", q, pick->price, exec_id);
      if (done) erase(pick);
    } else if (dice < 80 && pick->replacing) {  // the venue answers the replace
      if (r.chance(75)) {
        const VenueOrder v = *pick;
        pick->leaves = pick->replace_leaves();
        pick->qty = pick->replace_qty;
        pick->price = pick->replace_price;
        pick->measured = pick->replace_measured;
        pick->id = pick->replace_id;
        pick->replacing = false;
        execution(*pick, '5', pick->leaves.is_zero() ? '2' : '0', pick->id, v.id);
        if (pick->leaves.is_zero()) erase(pick);
      } else {
        pick->replacing = false;
        engine_->portfolio().on_cancel_reject("alpha", pick->replace_id);
      }
    } else if (dice < 88 && !pick->cancel_id.empty()) {  // the venue answers the cancel
      if (r.chance(80)) {
        execution(*pick, '4', '4', pick->cancel_id, pick->id);
        erase(pick);
      } else {
        engine_->portfolio().on_cancel_reject("alpha", pick->cancel_id);
        pick->cancel_id.clear();
      }
    } else if (dice < 91 && pick->leaves == pick->qty && !pick->replacing) {  // the venue rejects a new order
      execution(*pick, '8', '8', pick->id, "");
      erase(pick);
    } else if (dice >= 91 && dice < 94 && !fills_.empty()) {  // the venue corrects a past fill's price
      PastFill& f = fills_[static_cast<std::size_t>(r.uniform(0, static_cast<int64_t>(fills_.size()) - 1))];
      const Price p = at_least_a_cent(f.price.units() + r.uniform(-200, 200) * 1000000);
      const auto key = std::make_pair(f.order.account, f.order.symbol);
      const Multiplier m = multiplier_of(f.order.symbol);
      const Notional change = Notional::of(p, f.qty, m) - Notional::of(f.price, f.qty, m);
      model_.cash[key] = model_.cash[key] + (f.order.sell ? change : Notional() - change);
      // Status 1: a live order stays live; the quantity, hence its leaves, is unchanged.
      const ExecutionOutcome done =
          execution(f.order, 'G', '1', f.cl_ord_id, "", f.qty, p, "C" + std::to_string(event_), f.exec_id);
      ASSERT_EQ(done.correction, TradeCorrection::applied) << f.exec_id;
      f.price = p;
      // The next correction of it names this one (by its own ExecID) or the fill, by turns.
      if (r.chance(50)) f.exec_id = "C" + std::to_string(event_);
    } else if (dice >= 94) {  // the price moves
      const std::string symbol = kSymbols[r.uniform(0, 5)];
      const Price p = Price::from_units(
          std::max<int64_t>(model_.marks[symbol].units() + r.uniform(-100, 100) * 1000000, Price::kOne));
      model_.marks[symbol] = p;
      engine_->portfolio().set_mark(symbol, p, now_);
    }
  }

  void erase(VenueOrder* v) {
    auto& orders = model_.orders;
    for (std::size_t i = 0; i < orders.size(); ++i) {
      if (&orders[i] == v) {
        orders.erase(orders.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
    }
  }

  struct PastFill {
    VenueOrder order;  // as it was
    std::string cl_ord_id, exec_id;
    Quantity qty;
    Price price;
  };

  Model model_;
  std::vector<PastFill> fills_;  // today's
  std::optional<Engine> engine_;
  int64_t now_ = 1000 * kSecond;
  int32_t day_ = 20000;
  int event_ = 0;
  int ids_ = 0;
  int accepted_ = 0;
  std::map<Rule, int> rejected_;
};

TEST_P(RandomizedEngine, StaysWithinEveryLimitAndMatchesAnIndependentModel) {
  Draws r(GetParam());
  EngineConfig config = draw_limits(r);
  engine_.emplace(std::move(config));
  for (const char* s : kSymbols) {
    const Price p = Price::from_int(r.uniform(50, 150));
    model_.marks[s] = p;
    engine_->portfolio().set_mark(s, p, now_);
    model_.groups_of[s] = engine_->book().groups_of(s);
  }
  for (event_ = 0; event_ < kEvents; ++event_) {
    step(r);
    check_state();
    if (HasFatalFailure() || HasFailure()) FAIL() << "seed " << GetParam() << " event " << event_;
  }
  // The run exercised the checks: plenty accepted, several rules refused.
  EXPECT_GT(accepted_, kEvents / 20);
  int rules = 0;
  for (const auto& [rule, n] : rejected_) rules += n > 0;
  EXPECT_GE(rules, 3) << "seed " << GetParam();
  std::string summary = std::to_string(accepted_) + " orders accepted; rejected:";
  for (const auto& [rule, n] : rejected_) summary += " " + std::string(info(rule).id) + "=" + std::to_string(n);
  RecordProperty("summary", summary);
  std::printf("seed %llu: %s\n", static_cast<unsigned long long>(GetParam()), summary.c_str());
}

// Eight seeds of 15,000 events: 120,000 events, each seed with fresh limits.
INSTANTIATE_TEST_SUITE_P(Seeds, RandomizedEngine, ::testing::Range<uint64_t>(1, 9));

}  // namespace
}  // namespace fixguard::risk
