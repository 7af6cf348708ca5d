// Post-trade state: open orders, positions, average cost, realized and
// unrealized P&L, exposure and turnover per account and instrument, kept up
// to date from what fixguard forwards and what venues report back.
//
// Everything is counted at its worst case: an open order as if it filled at
// its limit price (a market order at the reference price it was sent at), a
// replace in flight as the larger of the old and the new order until the
// venue confirms or refuses it, a cancel in flight not at all until the venue
// confirms it. Positions are valued at the instrument's mark (the last fill
// or a price an operator pushed), or at cost without one.
//
// Accounts are the Account (1) text; orders without one share the book "".
// Orders are known by (client session, ClOrdID), with every ClOrdID a chain
// of replaces and cancels gave them. Sums are kept incrementally, so reading
// any of them is a lookup. Thread: one thread at a time.
#pragma once

#include "risk/decimal.h"
#include "risk/flat_index.h"
#include "risk/limits.h"
#include "risk/name_table.h"
#include "risk/notional.h"
#include "risk/order.h"

#include <array>
#include <climits>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fixguard::risk {

// What an ExecutionReport (35=8) says, as far as state goes.
struct Execution {
  std::string_view cl_ord_id;       // 11
  std::string_view orig_cl_ord_id;  // 41
  char exec_type = 0;               // 150
  char ord_status = 0;              // 39
  // ExecTransType (20, FIX 4.2 and before): 0 new, 1 cancel, 2 correct, 3
  // status. Only a new one is a new fill; absent, it is new.
  char trans_type = '0';
  Quantity last_qty;                   // 32
  Price last_px;                       // 31
  std::string_view exec_id;            // 17
  std::string_view exec_ref_id;        // 19: the fill a trade cancel or correction names
  std::optional<Quantity> leaves_qty;  // 151
  std::optional<Price> price;          // 44: the order's limit price
  // For a fill of an order fixguard does not know (sent before a restart):
  std::string_view account;  // 1
  std::string_view symbol;   // 55
  char side = 0;             // 54
};

// What a report that cancels or corrects an earlier fill (ExecType H or G;
// ExecTransType 1 or 2 in FIX 4.2) did to the position.
enum class TradeCorrection : uint8_t {
  none,     // the report is neither
  applied,  // the fill it names was taken back (corrected: and booked again as corrected)
  unknown,  // no fill with that ExecRefID is kept: not applied
  refused,  // that ExecID named two fills, its fill was taken back already,
            // or the report's instrument or side is not the fill's: not applied
};

struct ExecutionOutcome {
  std::optional<uint32_t> account;  // of the order or fill, if known
  TradeCorrection correction = TradeCorrection::none;
  bool traded = false;  // a fill, or a corrected one, was booked at the report's LastPx
  bool moved = false;   // a position changed
};

// What a report does to an earlier fill: 'H' a trade cancel (ExecType H,
// or ExecTransType 1 in FIX 4.2), 'G' a correction (G, or 2), 0 neither.
char trade_correction(const Execution& e);

// Open quantity and its notional on one side of the book.
struct OpenSide {
  Quantity qty;
  Notional notional;
};

struct PositionState {
  uint32_t account = 0;
  uint32_t instrument = 0;
  Quantity qty;                    // signed: filled buys minus filled sells
  Notional cost;                   // signed cost basis of `qty` (qty x average price)
  Notional realized;               // P&L of closed quantity
  std::array<OpenSide, 2> open{};  // counted open orders: [0] buys, [1] sells
  int32_t open_orders = 0;
  // Derived from the above and the mark (Portfolio keeps them current).
  Notional value;                                   // qty at the mark, or `cost` without a mark
  Notional worst_long;                              // value + open buys
  Notional worst_short;                             // value - open sells
  Notional gross;                                   // max(|worst_long|, |worst_short|)
  bool active = false;                              // holds a position or an open order
  Multiplier multiplier = Multiplier::from_int(1);  // the instrument's: amounts are price x qty x this

  Quantity worst_long_qty() const { return qty + open[0].qty; }
  Quantity worst_short_qty() const { return qty - open[1].qty; }
  // Recomputes the derived fields.
  void derive(std::optional<Price> mark);
};

// Worst-case exposure summed over positions.
struct ExposureSums {
  Notional gross;      // sum of the positions' gross
  Notional long_sum;   // sum of worst_long
  Notional short_sum;  // sum of worst_short
  // max(|long_sum|, |short_sum|): the net exposure in its worse direction.
  Notional net() const;
  // The sums with one position's contribution `before` replaced by `after`.
  ExposureSums swapped(const PositionState& before, const PositionState& after) const;
};

struct AccountState {
  ExposureSums exposure;
  Notional realized;
  Notional unrealized;     // sum of (value - cost)
  Notional open_notional;  // counted notional of open orders, both sides
  int32_t open_orders = 0;
  int32_t positions = 0;  // active positions
  // Today (the trading day passed in); stale when `day` is another.
  int32_t day = INT32_MIN;
  Notional day_traded;
  int64_t day_orders = 0;
  int64_t day_fills = 0;
  struct Totals {
    Notional traded;
    int64_t orders = 0;
    int64_t fills = 0;
  };
  // The rolling minute, in one-second buckets, and their sum. Every bucket
  // counted in `minute_sum` is of a second in (latest_second - 60,
  // latest_second]; a bucket of an older second is stale and counts for
  // nothing. Reading the minute subtracts the buckets that have left it
  // since, so it costs little for a busy account or a quiet one. (The
  // buckets come last: a decision reads only what is above them.)
  Totals minute_sum;
  int64_t latest_second = INT64_MIN;
  struct Second {
    Notional traded;
    int64_t second = INT64_MIN;
    int32_t orders = 0;
    int32_t fills = 0;
  };
  std::array<Second, 60> minute{};

  Totals today(int32_t today) const;
  Totals last_minute(int64_t now_ns) const;
  // Counts a fill or an order at `now_ns`. Time that runs backwards counts
  // in the newest second.
  void count_minute(int64_t now_ns, Notional traded, int32_t orders, int32_t fills);
  Notional pnl() const { return realized + unrealized; }

 private:
  // What the buckets hold that have left the minute ending at `now_s`
  // since the one ending at latest_second (now_s - latest_second < 60).
  Totals left_by(int64_t now_s) const;
};

struct OpenOrder {
  uint32_t position = 0;  // index into the portfolio's positions
  bool sell = false;
  char side = 0;      // 54 as sent
  char ord_type = 0;  // 40 as sent
  Quantity order_qty, leaves;
  Price price;                                      // what its notional counts at
  Multiplier multiplier = Multiplier::from_int(1);  // its instrument's contract multiplier
  bool replacing = false;
  Quantity new_order_qty, new_leaves;
  Price new_price;
  std::string client;
  std::string cl_ord_id;          // the ClOrdID the order goes by now
  std::string pending_cl_ord_id;  // of the replace in flight
  std::vector<std::string> ids;   // every ClOrdID that refers to it
  bool live = false;

  // What it adds to its side: the larger of old and new while replacing.
  OpenSide counted() const;
};

// How one order would change its position, for the checks to compare.
struct Impact {
  const AccountState* account = nullptr;
  uint32_t account_id = 0;
  uint32_t instrument_id = 0;
  PositionState before, after;
  bool adds_order = false;  // a new open order (a D, or a G for an unknown order)
  int side = 0;             // 0 buy, 1 sell
  Notional added;           // change in counted open notional
};

class Portfolio {
 public:
  // Group membership comes from `book`, which must outlive the portfolio.
  explicit Portfolio(const LimitBook& book) : book_(book) {}
  Portfolio(const Portfolio&) = delete;
  Portfolio& operator=(const Portfolio&) = delete;

  // Numbers for account and instrument names, made on first sight (which
  // allocates) and kept for the portfolio's life.
  uint32_t intern_account(std::string_view name);
  uint32_t intern_instrument(std::string_view symbol);

  // Marks: positions in `symbol` are revalued.
  // The instrument's reference price is `price` from `at_ns` on (kUndated:
  // a price without a time, such as the config's before a replay's first
  // message).
  void set_mark(std::string_view symbol, Price price, int64_t at_ns);
  static constexpr int64_t kUndated = INT64_MIN;
  std::optional<Price> mark(std::string_view symbol) const;
  std::optional<Price> mark(uint32_t instrument) const { return instruments_[instrument].mark; }
  // When the mark was set (kUndated if it has no time, or there is none).
  int64_t mark_time(uint32_t instrument) const { return instruments_[instrument].mark_ns; }
  int64_t mark_time(std::string_view symbol) const;

  // What `order` from `client` would do, valued at `valuation`, where
  // `account` and `instrument` are the order's (interned). `mark` is the
  // instrument's mark. No change, no allocation.
  Impact what_if(std::string_view client, const OrderRequest& order, uint32_t account, uint32_t instrument,
                 Price valuation, std::optional<Price> mark) const;
  // Start loading what what_if and the checks read of an (interned) account
  // and instrument, so that the misses overlap instead of following one
  // another: first the account, the instrument and where their position is
  // indexed; then, once that is in cache, the position and the group sums.
  // Hints only: nothing changes.
  void prefetch(uint32_t account, uint32_t instrument) const;
  void prefetch_position(uint32_t account, uint32_t instrument) const;

  // `order` was forwarded to the venue.
  void on_sent(std::string_view client, const OrderRequest& order, Price valuation, int64_t now_ns, int32_t day);
  // The venue reported on an order of `client` (ids as the client knows
  // them).
  //
  // Each fill is kept by its ExecID (for `day` and the day before), so that a
  // trade cancel (bust) or correction naming it by ExecRefID takes it back from
  // its position: the quantity, and the cost and realized P&L it booked. A
  // correction then books the corrected LastQty and LastPx in its place; a
  // later cancel or correction may name the fill or the correction (its
  // ExecID). Total P&L comes out as if the fill had never been; the split
  // between realized and unrealized too, unless the position closed and
  // reopened in between. The day's traded notional and fill counts keep the
  // fill (a limit on them stays on the safe side). An open order gets back the
  // quantity taken off it; an order already done that the report says is open
  // again (OrdStatus new or partially filled, LeavesQty) is counted open again
  // for its LeavesQty, at its Price (else the fill's).
  ExecutionOutcome on_execution(std::string_view client, const Execution& e, int64_t now_ns, int32_t day);
  // The venue refused the G or F with this ClOrdID (OrderCancelReject).
  void on_cancel_reject(std::string_view client, std::string_view cl_ord_id);
  // The venue refused a forwarded D, G or F outright (session-level or
  // business reject), or fixguard could not forward it after all. The
  // account number of the order, if it is known.
  std::optional<uint32_t> on_refused(std::string_view client, std::string_view cl_ord_id);

  // Reading (null when there is no state yet).
  const AccountState* account(std::string_view name) const;
  const AccountState& account(uint32_t id) const { return accounts_[id]; }  // an interned account
  const PositionState* position(std::string_view account, std::string_view symbol) const;
  const ExposureSums* group(std::string_view account, std::string_view group) const;
  // The same for the account an Impact names and the instrument's group
  // number `ordinal` (its place in LimitBook::groups_of), without hashing.
  const ExposureSums* group(const Impact& impact, std::size_t ordinal) const;
  const OpenOrder* order(std::string_view client, std::string_view cl_ord_id) const;
  std::size_t open_orders() const { return orders_.size() - free_orders_.size(); }
  // A replace or cancel without Account (1) acts on its original order's
  // account: when fixguard knows the original, `order.account` becomes its
  // account, copied into `storage` (which must outlive the order's use).
  void take_original_account(OrderRequest& order, std::string_view client, std::string& storage) const {
    if (order.kind == RequestKind::new_order || !order.account.empty()) return;
    const auto o = find_order(client, order.orig_cl_ord_id);
    if (!o) return;
    storage = account_name(positions_[orders_[*o].position].account);
    order.account = storage;
  }
  const std::vector<PositionState>& positions() const { return positions_; }
  const std::string& account_name(uint32_t id) const { return account_ids_.name(id); }
  std::size_t accounts() const { return accounts_.size(); }
  std::size_t instruments() const { return instruments_.size(); }
  const std::string& instrument_name(uint32_t id) const { return instruments_[id].name; }
  std::optional<uint32_t> find_account(std::string_view name) const { return account_ids_.find(name); }
  std::optional<uint32_t> find_instrument(std::string_view symbol) const { return instrument_ids_.find(symbol); }
  // The positions (indexes into positions()) held in an instrument.
  const std::vector<uint32_t>& positions_of(uint32_t instrument) const { return instruments_[instrument].positions; }
  // Calls f(const OpenOrder&) for every open order.
  template <class F>
  void for_each_order(F f) const {
    for (const OpenOrder& o : orders_)
      if (o.live) f(o);
  }

 private:
  struct Instrument {
    std::string name;
    Multiplier multiplier = Multiplier::from_int(1);  // from the book, fixed once interned
    std::optional<Price> mark;
    int64_t mark_ns = kUndated;  // when it was set
    std::vector<uint32_t> groups;
    std::vector<uint32_t> positions;
  };
  using Ids = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;
  static uint64_t pair_key(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }

  // What one fill did to its position, for a bust or correction to undo.
  // (Four words and a tag: a hash node of 64 bytes.)
  struct FillRecord {
    int64_t qty = 0;  // units, signed: bought positive, sold negative
    int64_t price = 0;
    uint64_t realized_low = 0;  // the realized P&L it booked, in two halves
    int64_t realized_high = 0;
    uint32_t position = 0;
    bool taken_back = false;
    bool ambiguous = false;  // its ExecID came twice
    Notional realized() const {
      return Notional::from_units(
          static_cast<__int128>(static_cast<unsigned __int128>(realized_high) << 64 | realized_low));
    }
  };

  uint32_t position_index(std::string_view account, std::string_view symbol);
  std::optional<uint32_t> find_position(std::string_view account, std::string_view symbol) const;
  std::optional<uint32_t> find_order(std::string_view client, std::string_view cl_ord_id) const;
  AccountState& today(uint32_t account, int32_t day);
  // Applies a change to one position: derived fields and every sum they feed.
  template <class Change>
  void change_position(uint32_t index, Change&& change);
  // Applies a change to one open order: its side's counted sums follow.
  template <class Change>
  void change_order(uint32_t index, Change&& change);
  void alias(uint32_t order, std::string_view client, std::string_view cl_ord_id);
  void remove_order(uint32_t index);
  // Books a fill on its position (book) and counts it as traded (fill).
  FillRecord book(uint32_t position, bool sell, Quantity qty, Price price);
  FillRecord fill(uint32_t position, bool sell, Quantity qty, Price price, int64_t now_ns, int32_t day);
  void take_back(const FillRecord& f);
  // The fills (and corrections) of `day` and the day before are kept.
  void keep_fills_of(int32_t day);
  FillRecord* find_fill(uint64_t key);
  void remember_fill(std::string_view client, std::string_view exec_id, const FillRecord& f, int32_t day);
  // A correction's own ExecID, for a later cancel or correction naming it.
  void remember_correction(std::string_view client, std::string_view exec_id, uint64_t fill, int32_t day);
  // Takes back the fill `e` names (a cancel) or books it as corrected;
  // `order` is the open order it reports on, `account` set to the fill's.
  TradeCorrection correct_trade(std::string_view client, const Execution& e, bool cancel, std::optional<uint32_t> order,
                                std::optional<uint32_t>& account, int64_t now_ns, int32_t day);

  const LimitBook& book_;
  NameTable account_ids_, instrument_ids_;
  Ids group_ids_;
  std::vector<AccountState> accounts_;
  std::vector<Instrument> instruments_;
  std::vector<PositionState> positions_;
  FlatIndex position_index_;  // (account, instrument) -> positions_
  FlatIndex group_index_;     // (account, group) -> group_sums_
  std::vector<ExposureSums> group_sums_;
  std::vector<OpenOrder> orders_;
  std::vector<uint32_t> free_orders_;
  std::unordered_map<std::string, Ids, StringHash, std::equal_to<>> order_ids_;  // client -> ClOrdID -> order
  // A day's fills by a hash of (client, ExecID), checked against the
  // report's instrument and side: the records in a deque (they stay where
  // they are as it grows), found through a FlatIndex (which grows a little
  // per insert), so that no fill waits for the day's others to move.
  struct DayFills {
    FlatIndex index;  // hash -> records
    std::deque<FillRecord> records;
    FillRecord* find(uint64_t key) {
      const std::optional<uint32_t> i = index.find(key);
      return i ? &records[*i] : nullptr;
    }
  };
  std::array<DayFills, 2> fills_;  // [0] of fills_day_, [1] of the day before
  // Corrections by the same hash of their own ExecID: the key of the fill
  // they corrected (in fills_), by the same two days.
  std::array<std::unordered_map<uint64_t, uint64_t>, 2> corrections_;
  int32_t fills_day_ = INT32_MIN;
};

}  // namespace fixguard::risk
