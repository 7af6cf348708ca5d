#include "risk/portfolio.h"

#include <algorithm>
#include <cstddef>

namespace fixguard::risk {
namespace {

constexpr int64_t kSecond = 1000000000;

Notional max_of(Notional a, Notional b) { return a < b ? b : a; }
Quantity max_of(Quantity a, Quantity b) { return a < b ? b : a; }
Quantity min_of(Quantity a, Quantity b) { return a < b ? a : b; }

// c * part / whole for 0 <= part <= whole, whole > 0, truncated toward zero.
// Exact when part == whole; otherwise off by less than one 10^-16 unit,
// which stays in the cost basis until the position closes.
__int128 scale(__int128 c, int64_t part, int64_t whole) {
  const __int128 q = c / whole;
  const __int128 r = c % whole;
  return q * part + r * part / whole;  // |r * part| < 2^126
}

int64_t abs64(int64_t v) { return v < 0 ? saturated_sub<int64_t>(0, v) : v; }  // a saturated position too

// Whole seconds, rounded down.
int64_t seconds(int64_t ns) { return ns / kSecond - (ns % kSecond < 0 ? 1 : 0); }
std::size_t slot(int64_t second) { return static_cast<std::size_t>(((second % 60) + 60) % 60); }

bool is_fill(const Execution& e) {
  // A cancel, correction or status report (ExecTransType 1, 2, 3) may carry
  // LastQty too: it is not a new fill.
  return (e.exec_type == 'F' || e.exec_type == '1' || e.exec_type == '2') && e.trans_type == '0' &&
         e.last_qty.units() > 0;
}

bool is_terminal(const Execution& e) {
  for (char c : {e.exec_type, e.ord_status})
    if (c == '2' || c == '4' || c == 'C' || c == '3') return true;
  return false;
}

}  // namespace

char trade_correction(const Execution& e) {
  if (e.exec_type == 'G' || e.trans_type == '2') return 'G';
  if (e.exec_type == 'H' || e.trans_type == '1') return 'H';
  return 0;
}

void PositionState::derive(std::optional<Price> mark) {
  value = mark ? Notional::of(*mark, qty, multiplier) : cost;
  worst_long = value + open[0].notional;
  worst_short = value - open[1].notional;
  gross = max_of(worst_long.abs(), worst_short.abs());
  active = !qty.is_zero() || open_orders > 0;
}

Notional ExposureSums::net() const { return max_of(long_sum.abs(), short_sum.abs()); }

ExposureSums ExposureSums::swapped(const PositionState& before, const PositionState& after) const {
  return ExposureSums{gross - before.gross + after.gross, long_sum - before.worst_long + after.worst_long,
                      short_sum - before.worst_short + after.worst_short};
}

AccountState::Totals AccountState::today(int32_t today) const {
  if (today != day) return {};
  return {day_traded, day_orders, day_fills};
}

AccountState::Totals AccountState::last_minute(int64_t now_ns) const {
  const int64_t now_s = seconds(now_ns);
  if (latest_second == INT64_MIN || now_s - latest_second >= 60) return {};
  const Totals gone = left_by(now_s);
  return {minute_sum.traded - gone.traded, minute_sum.orders - gone.orders, minute_sum.fills - gone.fills};
}

AccountState::Totals AccountState::left_by(int64_t now_s) const {
  // The buckets of seconds (latest - 60, now - 60].
  Totals t;
  for (int64_t s = latest_second - 59; s <= now_s - 60; ++s) {
    const Second& b = minute[slot(s)];
    if (b.second != s) continue;
    t.traded = t.traded + b.traded;
    t.orders += b.orders;
    t.fills += b.fills;
  }
  return t;
}

void AccountState::count_minute(int64_t now_ns, Notional traded, int32_t orders, int32_t fills) {
  int64_t now_s = seconds(now_ns);
  if (latest_second != INT64_MIN && now_s < latest_second) {
    now_s = latest_second;
  } else if (now_s > latest_second) {
    if (latest_second == INT64_MIN || now_s - latest_second >= 60) {
      minute_sum = {};  // every bucket is stale
    } else {
      const Totals gone = left_by(now_s);
      minute_sum = {minute_sum.traded - gone.traded, minute_sum.orders - gone.orders, minute_sum.fills - gone.fills};
    }
    latest_second = now_s;
  }
  Second& b = minute[slot(now_s)];
  if (b.second != now_s) b = Second{Notional(), now_s, 0, 0};  // stale: not in the sum
  b.traded = b.traded + traded;
  b.orders += orders;
  b.fills += fills;
  minute_sum.traded = minute_sum.traded + traded;
  minute_sum.orders += orders;
  minute_sum.fills += fills;
}

OpenSide OpenOrder::counted() const {
  const Notional now = Notional::of(price, leaves, multiplier);
  if (!replacing) return {leaves, now};
  return {max_of(leaves, new_leaves), max_of(now, Notional::of(new_price, new_leaves, multiplier))};
}

uint32_t Portfolio::intern_account(std::string_view name) {
  const uint32_t id = account_ids_.intern(name);
  if (id == accounts_.size()) accounts_.emplace_back();
  return id;
}

uint32_t Portfolio::intern_instrument(std::string_view symbol) {
  const uint32_t id = instrument_ids_.intern(symbol);
  if (id < instruments_.size()) return id;
  Instrument& i = instruments_.emplace_back();
  i.name = symbol;
  if (const Multiplier m = book_.multiplier(symbol); !m.is_zero()) i.multiplier = m;
  for (const std::string& group : book_.groups_of(symbol)) {
    const auto g = group_ids_.try_emplace(group, static_cast<uint32_t>(group_ids_.size())).first;
    i.groups.push_back(g->second);
  }
  return id;
}

std::optional<uint32_t> Portfolio::find_position(std::string_view account, std::string_view symbol) const {
  const auto a = account_ids_.find(account);
  const auto i = instrument_ids_.find(symbol);
  if (!a || !i) return std::nullopt;
  return position_index_.find(pair_key(*a, *i));
}

uint32_t Portfolio::position_index(std::string_view account, std::string_view symbol) {
  const uint32_t a = intern_account(account);
  const uint32_t i = intern_instrument(symbol);
  const auto next = static_cast<uint32_t>(positions_.size());
  const uint32_t index = position_index_.insert(pair_key(a, i), next);
  if (index == next) {
    PositionState& p = positions_.emplace_back();
    p.account = a;
    p.instrument = i;
    p.multiplier = instruments_[i].multiplier;
    p.derive(instruments_[i].mark);
    instruments_[i].positions.push_back(index);
  }
  return index;
}

std::optional<uint32_t> Portfolio::find_order(std::string_view client, std::string_view cl_ord_id) const {
  const auto c = order_ids_.find(client);
  if (c == order_ids_.end()) return std::nullopt;
  const auto o = c->second.find(cl_ord_id);
  if (o == c->second.end()) return std::nullopt;
  return o->second;
}

AccountState& Portfolio::today(uint32_t account, int32_t day) {
  AccountState& a = accounts_[account];
  if (a.day != day) {
    a.day = day;
    a.day_traded = Notional();
    a.day_orders = 0;
    a.day_fills = 0;
  }
  return a;
}

template <class Change>
void Portfolio::change_position(uint32_t index, Change&& change) {
  PositionState& p = positions_[index];
  const PositionState before = p;
  change(p);
  const Instrument& instrument = instruments_[p.instrument];
  p.derive(instrument.mark);
  AccountState& a = accounts_[p.account];
  a.exposure = a.exposure.swapped(before, p);
  a.realized = a.realized - before.realized + p.realized;
  a.unrealized = a.unrealized - (before.value - before.cost) + (p.value - p.cost);
  a.open_notional =
      a.open_notional - (before.open[0].notional + before.open[1].notional) + (p.open[0].notional + p.open[1].notional);
  a.open_orders += p.open_orders - before.open_orders;
  a.positions += int{p.active} - int{before.active};
  for (uint32_t g : instrument.groups) {
    const auto next = static_cast<uint32_t>(group_sums_.size());
    const uint32_t index = group_index_.insert(pair_key(p.account, g), next);
    if (index == next) group_sums_.emplace_back();
    group_sums_[index] = group_sums_[index].swapped(before, p);
  }
}

template <class Change>
void Portfolio::change_order(uint32_t index, Change&& change) {
  OpenOrder& o = orders_[index];
  const OpenSide before = o.counted();
  change(o);
  const OpenSide after = o.counted();
  change_position(o.position, [&](PositionState& p) {
    OpenSide& side = p.open[o.sell ? 1 : 0];
    side.qty = side.qty - before.qty + after.qty;
    side.notional = side.notional - before.notional + after.notional;
  });
}

void Portfolio::alias(uint32_t order, std::string_view client, std::string_view cl_ord_id) {
  auto c = order_ids_.find(client);
  if (c == order_ids_.end()) c = order_ids_.emplace(std::string(client), Ids()).first;
  c->second.insert_or_assign(std::string(cl_ord_id), order);
  orders_[order].ids.emplace_back(cl_ord_id);
}

void Portfolio::remove_order(uint32_t index) {
  OpenOrder& o = orders_[index];
  const OpenSide counted = o.counted();
  change_position(o.position, [&](PositionState& p) {
    OpenSide& side = p.open[o.sell ? 1 : 0];
    side.qty = side.qty - counted.qty;
    side.notional = side.notional - counted.notional;
    --p.open_orders;
  });
  if (const auto c = order_ids_.find(o.client); c != order_ids_.end()) {
    for (const std::string& id : o.ids)
      if (const auto it = c->second.find(id); it != c->second.end() && it->second == index) c->second.erase(it);
  }
  o = OpenOrder();
  free_orders_.push_back(index);
}

Portfolio::FillRecord Portfolio::book(uint32_t position, bool sell, Quantity qty, Price price) {
  const Notional realized_before = positions_[position].realized;
  change_position(position, [&](PositionState& p) {
    const int64_t t = sell ? -qty.units() : qty.units();
    const int64_t q = p.qty.units();
    if (q == 0 || (q > 0) == (t > 0)) {
      p.qty = Quantity::from_units(saturated_add(q, t));
      p.cost = p.cost + Notional::of(price, Quantity::from_units(t), p.multiplier);
      return;
    }
    // Closes some or all of the position, then opens the rest the other way.
    const int64_t closing = std::min(abs64(t), abs64(q));
    const int64_t signed_closing = t > 0 ? closing : -closing;
    const Notional removed = Notional::from_units(scale(p.cost.units(), closing, abs64(q)));
    p.realized = p.realized - (removed + Notional::of(price, Quantity::from_units(signed_closing), p.multiplier));
    p.qty = Quantity::from_units(saturated_add(q, signed_closing));
    p.cost = p.cost - removed;
    if (const int64_t rest = t - signed_closing; rest != 0) {
      p.qty = Quantity::from_units(saturated_add(p.qty.units(), rest));
      p.cost = p.cost + Notional::of(price, Quantity::from_units(rest), p.multiplier);
    }
  });
  const auto realized = static_cast<unsigned __int128>((positions_[position].realized - realized_before).units());
  FillRecord f;
  f.qty = sell ? -qty.units() : qty.units();
  f.price = price.units();
  f.realized_low = static_cast<uint64_t>(realized);
  f.realized_high = static_cast<int64_t>(realized >> 64);
  f.position = position;
  return f;
}

Portfolio::FillRecord Portfolio::fill(uint32_t position, bool sell, Quantity qty, Price price, int64_t now_ns,
                                      int32_t day) {
  const FillRecord f = book(position, sell, qty, price);
  AccountState& a = today(positions_[position].account, day);
  const Notional traded = Notional::of(price, qty, positions_[position].multiplier).abs();
  a.day_traded = a.day_traded + traded;
  ++a.day_fills;
  a.count_minute(now_ns, traded, 0, 1);
  return f;
}

// The fill's quantity leaves the position, with the cost and the realized
// P&L it booked: what it added to total P&L, qty x (mark - price), goes.
void Portfolio::take_back(const FillRecord& f) {
  change_position(f.position, [&](PositionState& p) {
    const Notional realized = f.realized();
    p.qty = Quantity::from_units(saturated_sub(p.qty.units(), f.qty));
    p.cost = p.cost - (realized + Notional::of(Price::from_units(f.price), Quantity::from_units(f.qty), p.multiplier));
    p.realized = p.realized - realized;
  });
}

void Portfolio::keep_fills_of(int32_t day) {
  if (day <= fills_day_) return;
  const auto roll = [next = day == fills_day_ + 1](auto& days) {
    days[1] = next ? std::move(days[0]) : std::decay_t<decltype(days[0])>{};
    days[0] = {};
  };
  roll(fills_);
  roll(corrections_);
  fills_day_ = day;
}

Portfolio::FillRecord* Portfolio::find_fill(uint64_t key) {
  for (DayFills& kept : fills_)
    if (FillRecord* f = kept.find(key)) return f;
  return nullptr;
}

void Portfolio::remember_fill(std::string_view client, std::string_view exec_id, const FillRecord& f, int32_t day) {
  if (exec_id.empty()) return;
  keep_fills_of(day);
  const uint64_t key = scoped_key(client, exec_id);
  DayFills& today = fills_[0];
  const auto next = static_cast<uint32_t>(today.records.size());
  const uint32_t at = today.index.insert(key, next);
  if (at == next) today.records.push_back(f);
  if (at != next || fills_[1].find(key)) today.records[at].ambiguous = true;
}

void Portfolio::remember_correction(std::string_view client, std::string_view exec_id, uint64_t fill, int32_t day) {
  if (exec_id.empty()) return;
  keep_fills_of(day);
  const uint64_t key = scoped_key(client, exec_id);
  if (key == fill) return;
  // An ExecID already a fill's names that fill, which now stands for two
  // (a later cancel or correction of it is not applied).
  if (FillRecord* other = find_fill(key)) {
    other->ambiguous = true;
    return;
  }
  corrections_[0].try_emplace(key, fill);
}

TradeCorrection Portfolio::correct_trade(std::string_view client, const Execution& e, bool cancel,
                                         std::optional<uint32_t> order, std::optional<uint32_t>& account,
                                         int64_t now_ns, int32_t day) {
  if (e.exec_ref_id.empty()) return TradeCorrection::unknown;
  // The fill's own ExecID, or that of a correction of it.
  uint64_t key = scoped_key(client, e.exec_ref_id);
  FillRecord* found = find_fill(key);
  if (!found)
    for (const auto& kept : corrections_)
      if (const auto at = kept.find(key); at != kept.end()) {
        key = at->second;
        found = find_fill(key);
        break;
      }
  if (!found) return TradeCorrection::unknown;
  FillRecord& f = *found;
  const PositionState& p = positions_[f.position];
  if (f.ambiguous || f.taken_back || (!e.symbol.empty() && e.symbol != instruments_[p.instrument].name) ||
      (e.side != 0 && is_sell(e.side) != (f.qty < 0)))
    return TradeCorrection::refused;
  if (!cancel && (e.last_qty.units() <= 0 || e.last_px.units() <= 0)) return TradeCorrection::refused;
  take_back(f);
  account = p.account;
  const int64_t before = abs64(f.qty);
  if (cancel) {
    f.taken_back = true;
  } else {
    f = book(f.position, f.qty < 0, e.last_qty, e.last_px);
    remember_correction(client, e.exec_id, key, day);
  }
  // An open order gets back what the fill took off it (or gives up what a
  // larger correction adds).
  const int64_t returned = before - (cancel ? 0 : e.last_qty.units());
  if (!order && returned > 0 && (e.ord_status == '0' || e.ord_status == '1') && e.leaves_qty &&
      e.leaves_qty->units() > 0) {
    // Done here, open again at the venue: counted open for what it says is
    // left. (A "replace" of an order not known counts as a new order, and
    // not as one more of the day's.)
    OrderRequest again;
    again.kind = RequestKind::replace;
    again.cl_ord_id = e.cl_ord_id;
    again.account = account_ids_.name(p.account);
    again.symbol = instruments_[p.instrument].name;
    again.side = e.side != 0 ? e.side : (f.qty < 0 ? '2' : '1');
    again.ord_type = e.price ? '2' : '1';
    again.quantity = *e.leaves_qty;
    again.price = e.price;
    // Measured as a new order would be (measured_price), else at the fill's price.
    const Price at = e.price ? *measured_price(again, mark(p.instrument)) : Price::from_units(f.price);
    on_sent(client, again, at, now_ns, day);
  }
  if (order && returned != 0)
    change_order(*order, [&](OpenOrder& o) {
      const Quantity q = Quantity::from_units(abs64(returned));
      if (returned > 0) {
        o.leaves = min_of(o.leaves + q, o.order_qty);
        if (o.replacing) o.new_leaves = min_of(o.new_leaves + q, o.new_order_qty);
      } else {
        o.leaves = o.leaves - min_of(q, o.leaves);
        if (o.replacing) o.new_leaves = o.new_leaves - min_of(q, o.new_leaves);
      }
    });
  return TradeCorrection::applied;
}

void Portfolio::set_mark(std::string_view symbol, Price price, int64_t at_ns) {
  const uint32_t id = intern_instrument(symbol);
  instruments_[id].mark = price;
  instruments_[id].mark_ns = at_ns;
  for (uint32_t p : instruments_[id].positions) change_position(p, [](PositionState&) {});
}

int64_t Portfolio::mark_time(std::string_view symbol) const {
  const auto id = instrument_ids_.find(symbol);
  return id ? instruments_[*id].mark_ns : kUndated;
}

std::optional<Price> Portfolio::mark(std::string_view symbol) const {
  const auto id = instrument_ids_.find(symbol);
  return id ? instruments_[*id].mark : std::nullopt;
}

namespace {

// Starts loading the `bytes` of an object from `p` on.
void prefetch_bytes(const void* p, std::size_t bytes) {
  const char* c = static_cast<const char*>(p);
  for (std::size_t at = 0; at < bytes; at += 64) __builtin_prefetch(c + at);
}

}  // namespace

void Portfolio::prefetch(uint32_t account, uint32_t instrument) const {
  // What a decision reads of the account comes before its minute buckets.
  if (account < accounts_.size()) prefetch_bytes(&accounts_[account], offsetof(AccountState, minute));
  if (instrument < instruments_.size()) prefetch_bytes(&instruments_[instrument], sizeof(Instrument));
  position_index_.prefetch(pair_key(account, instrument));
}

void Portfolio::prefetch_position(uint32_t account, uint32_t instrument) const {
  if (const auto pos = position_index_.find(pair_key(account, instrument)))
    prefetch_bytes(&positions_[*pos], sizeof(PositionState));
  if (instrument < instruments_.size())
    for (const uint32_t g : instruments_[instrument].groups) group_index_.prefetch(pair_key(account, g));
}

Impact Portfolio::what_if(std::string_view client, const OrderRequest& order, uint32_t account, uint32_t instrument,
                          Price valuation, std::optional<Price> mark) const {
  Impact im;
  im.side = is_sell(order.side) ? 1 : 0;
  im.account = &accounts_[account];
  im.account_id = account;
  im.instrument_id = instrument;
  const std::optional<uint32_t> pos = position_index_.find(pair_key(account, instrument));
  if (pos) {
    im.before = positions_[*pos];
  } else {
    im.before.multiplier = instruments_[instrument].multiplier;
  }
  im.after = im.before;
  const Multiplier m = im.before.multiplier;
  if (order.kind == RequestKind::cancel) return im;

  OpenSide added{order.quantity, Notional::of(valuation, order.quantity, m)};
  im.adds_order = true;
  if (order.kind == RequestKind::replace) {
    const auto target = find_order(client, order.orig_cl_ord_id);
    if (target && pos && orders_[*target].position == *pos && orders_[*target].sell == (im.side == 1)) {
      // Counted as the larger of the order as it stands and as replaced.
      const OpenOrder& o = orders_[*target];
      const Quantity cum = o.order_qty - o.leaves;
      const Quantity new_leaves = max_of(order.quantity - cum, Quantity());
      const OpenSide now{o.leaves, Notional::of(o.price, o.leaves, m)};
      const OpenSide replaced{max_of(now.qty, new_leaves),
                              max_of(now.notional, Notional::of(valuation, new_leaves, m))};
      const OpenSide counted = o.counted();
      added = {replaced.qty - counted.qty, replaced.notional - counted.notional};
      im.adds_order = false;
    }
  }
  OpenSide& side = im.after.open[static_cast<std::size_t>(im.side)];
  side.qty = side.qty + added.qty;
  side.notional = side.notional + added.notional;
  if (im.adds_order) ++im.after.open_orders;
  im.after.derive(mark);
  im.added = added.notional;
  return im;
}

void Portfolio::on_sent(std::string_view client, const OrderRequest& order, Price valuation, int64_t now_ns,
                        int32_t day) {
  const bool sell = is_sell(order.side);
  if (order.kind == RequestKind::cancel) {
    if (const auto target = find_order(client, order.orig_cl_ord_id)) alias(*target, client, order.cl_ord_id);
    return;
  }
  const uint32_t pos = position_index(order.account, order.symbol);
  if (order.kind == RequestKind::replace) {
    const auto target = find_order(client, order.orig_cl_ord_id);
    if (target && orders_[*target].position == pos && orders_[*target].sell == sell) {
      change_order(*target, [&](OpenOrder& o) {
        o.replacing = true;
        o.new_order_qty = order.quantity;
        o.new_leaves = max_of(order.quantity - (o.order_qty - o.leaves), Quantity());
        o.new_price = valuation;
        o.pending_cl_ord_id = order.cl_ord_id;
      });
      alias(*target, client, order.cl_ord_id);
      return;
    }
    // A replace of an order fixguard does not know counts as a new one.
  }
  uint32_t index;
  if (free_orders_.empty()) {
    index = static_cast<uint32_t>(orders_.size());
    orders_.emplace_back();
  } else {
    index = free_orders_.back();
    free_orders_.pop_back();
  }
  OpenOrder& o = orders_[index];
  o.position = pos;
  o.sell = sell;
  o.side = order.side;
  o.ord_type = order.ord_type;
  o.order_qty = o.leaves = order.quantity;
  o.price = valuation;
  o.multiplier = positions_[pos].multiplier;
  o.client = client;
  o.cl_ord_id = order.cl_ord_id;
  o.live = true;
  const OpenSide counted = o.counted();
  change_position(pos, [&](PositionState& p) {
    OpenSide& side = p.open[sell ? 1 : 0];
    side.qty = side.qty + counted.qty;
    side.notional = side.notional + counted.notional;
    ++p.open_orders;
  });
  alias(index, client, order.cl_ord_id);
  if (order.kind == RequestKind::new_order) {
    AccountState& a = today(positions_[pos].account, day);
    ++a.day_orders;
    a.count_minute(now_ns, Notional(), 1, 0);
  }
}

ExecutionOutcome Portfolio::on_execution(std::string_view client, const Execution& e, int64_t now_ns, int32_t day) {
  auto index = find_order(client, e.cl_ord_id);
  if (!index && !e.orig_cl_ord_id.empty()) index = find_order(client, e.orig_cl_ord_id);
  ExecutionOutcome out;
  std::optional<uint32_t>& account = out.account;
  if (index) account = positions_[orders_[*index].position].account;
  if (is_fill(e)) {
    if (index) {
      const OpenOrder& o = orders_[*index];
      remember_fill(client, e.exec_id, fill(o.position, o.sell, e.last_qty, e.last_px, now_ns, day), day);
      change_order(*index, [&](OpenOrder& o) {
        o.leaves = o.leaves - min_of(e.last_qty, o.leaves);
        if (o.replacing) o.new_leaves = o.new_leaves - min_of(e.last_qty, o.new_leaves);
      });
      out.traded = out.moved = true;
    } else if (!e.symbol.empty()) {
      // Sent before fixguard's state began: the position must still follow.
      const uint32_t position = position_index(e.account, e.symbol);
      remember_fill(client, e.exec_id, fill(position, is_sell(e.side), e.last_qty, e.last_px, now_ns, day), day);
      account = positions_[position].account;
      out.traded = out.moved = true;
    }
  } else if (const char kind = trade_correction(e)) {
    out.correction = correct_trade(client, e, kind == 'H', index, account, now_ns, day);
    out.moved = out.correction == TradeCorrection::applied;
    out.traded = out.moved && kind == 'G';
  }
  if (!index) return out;
  OpenOrder& o = orders_[*index];
  if (e.exec_type == '8') {
    if (o.replacing && e.cl_ord_id == o.pending_cl_ord_id) {
      change_order(*index, [](OpenOrder& o) { o.replacing = false; });
    } else {
      remove_order(*index);
    }
    return out;
  }
  if (e.exec_type == '5' && o.replacing) {
    change_order(*index, [](OpenOrder& o) {
      o.order_qty = o.new_order_qty;
      o.leaves = o.new_leaves;
      o.price = o.new_price;
      o.cl_ord_id = o.pending_cl_ord_id;
      o.replacing = false;
    });
  }
  if (is_terminal(e) || (!o.replacing && o.leaves.is_zero())) remove_order(*index);
  return out;
}

void Portfolio::on_cancel_reject(std::string_view client, std::string_view cl_ord_id) {
  const auto index = find_order(client, cl_ord_id);
  if (!index) return;
  if (orders_[*index].replacing && orders_[*index].pending_cl_ord_id == cl_ord_id)
    change_order(*index, [](OpenOrder& o) { o.replacing = false; });
}

std::optional<uint32_t> Portfolio::on_refused(std::string_view client, std::string_view cl_ord_id) {
  const auto index = find_order(client, cl_ord_id);
  if (!index) return std::nullopt;
  const OpenOrder& o = orders_[*index];
  const uint32_t account = positions_[o.position].account;
  if (o.replacing && o.pending_cl_ord_id == cl_ord_id) {
    change_order(*index, [](OpenOrder& o) { o.replacing = false; });
  } else if (o.cl_ord_id == cl_ord_id && o.leaves == o.order_qty) {
    remove_order(*index);  // never reached the venue's book
  }
  return account;
}

const AccountState* Portfolio::account(std::string_view name) const {
  const auto id = account_ids_.find(name);
  return id ? &accounts_[*id] : nullptr;
}

const PositionState* Portfolio::position(std::string_view account, std::string_view symbol) const {
  const auto p = find_position(account, symbol);
  return p ? &positions_[*p] : nullptr;
}

const ExposureSums* Portfolio::group(std::string_view account, std::string_view group) const {
  const auto a = account_ids_.find(account);
  const auto g = group_ids_.find(group);
  if (!a || g == group_ids_.end()) return nullptr;
  const auto index = group_index_.find(pair_key(*a, g->second));
  return index ? &group_sums_[*index] : nullptr;
}

const ExposureSums* Portfolio::group(const Impact& impact, std::size_t ordinal) const {
  const std::vector<uint32_t>& groups = instruments_[impact.instrument_id].groups;
  if (ordinal >= groups.size()) return nullptr;
  const auto index = group_index_.find(pair_key(impact.account_id, groups[ordinal]));
  return index ? &group_sums_[*index] : nullptr;
}

const OpenOrder* Portfolio::order(std::string_view client, std::string_view cl_ord_id) const {
  const auto index = find_order(client, cl_ord_id);
  return index ? &orders_[*index] : nullptr;
}

}  // namespace fixguard::risk
