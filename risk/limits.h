// Limits by scope, and the set of them that applies to one order.
//
// Scopes, from the widest: global, venue session, client session, account
// (tag 1), instrument group (any grouping of symbols), instrument (Symbol 55,
// or Symbol@SecurityExchange 55@207). Every limit is optional; where several
// scopes set one, the tightest wins (the lowest maximum, the highest
// minimum); tick and lot sizes come from the most specific scope that sets
// them; permission lists must all be satisfied.
#pragma once

#include "risk/decimal.h"
#include "risk/notional.h"

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fixguard::risk {

enum class ScopeKind : uint8_t { global, venue, client, account, group, instrument };
std::string_view scope_kind_name(ScopeKind kind);

struct Scope {
  ScopeKind kind = ScopeKind::global;
  std::string_view name;  // views a name owned by the LimitBook
};

// Hashing for lookups by std::string_view without building a std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using SymbolSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// What one scope sets. Character sets hold FIX values (OrdType '2', ...).
struct OrderLimits {
  std::optional<Quantity> min_qty, max_qty, lot;
  std::optional<Notional> min_notional, max_notional;
  std::optional<Price> tick;
  std::optional<Percent> collar_percent;  // limit price within this % of the reference
  std::optional<int64_t> collar_ticks;    // ... or within this many ticks of it
  std::optional<SymbolSet> allowed_symbols;
  SymbolSet restricted_symbols;
  std::optional<std::string> allowed_ord_types, allowed_time_in_force, allowed_sides;

  // Position, per account and instrument, worst case of the open orders.
  std::optional<Quantity> max_long_qty, max_short_qty;
  std::optional<Notional> max_long_notional, max_short_notional;
  std::optional<int64_t> max_open_orders;                 // per account
  std::optional<int64_t> max_open_orders_per_instrument;  // per account and instrument
  std::optional<int64_t> max_positions;                   // instruments with a position or open order
  // Exposure, per account; the group ones over the account's instruments in
  // the group that sets them.
  std::optional<Notional> max_gross_exposure, max_net_exposure;
  std::optional<Notional> max_group_gross_exposure, max_group_net_exposure;
  std::optional<Notional> equity;  // the account's equity before today's P&L
  std::optional<Ratio> max_leverage, max_instrument_leverage;
  bool buying_power = false;  // equity - committed notional must cover each order
  // Turnover and frequency, per account.
  std::optional<Notional> max_daily_notional, max_minute_notional;
  std::optional<int64_t> max_daily_orders, max_minute_orders, max_daily_fills, max_minute_fills;
};

template <class T>
struct Bound {
  T value;
  Scope scope;
};

// The scopes that apply to one order, widest first. Holds pointers into the
// LimitBook, which must outlive it and not change meanwhile. No allocation.
class ApplicableLimits {
 public:
  static constexpr std::size_t kMaxScopes = 16;

  void add(Scope scope, const OrderLimits* limits) {
    if (limits && size_ < kMaxScopes) items_[size_++] = {scope, limits};
  }
  std::size_t size() const { return size_; }
  Scope scope(std::size_t i) const { return items_[i].scope; }
  const OrderLimits& limits(std::size_t i) const { return *items_[i].limits; }

  // The lowest value any scope sets for `field` (a maximum's tightest).
  template <class T>
  std::optional<Bound<T>> lowest(std::optional<T> OrderLimits::*field) const {
    std::optional<Bound<T>> best;
    for (std::size_t i = 0; i < size_; ++i)
      if (const auto& v = items_[i].limits->*field; v && (!best || *v < best->value))
        best = Bound<T>{*v, items_[i].scope};
    return best;
  }
  // The highest value any scope sets for `field` (a minimum's tightest).
  template <class T>
  std::optional<Bound<T>> highest(std::optional<T> OrderLimits::*field) const {
    std::optional<Bound<T>> best;
    for (std::size_t i = 0; i < size_; ++i)
      if (const auto& v = items_[i].limits->*field; v && (!best || *v > best->value))
        best = Bound<T>{*v, items_[i].scope};
    return best;
  }
  // The first (widest) scope that turns `flag` on.
  std::optional<Scope> any(bool OrderLimits::*flag) const {
    for (std::size_t i = 0; i < size_; ++i)
      if (items_[i].limits->*flag) return items_[i].scope;
    return std::nullopt;
  }
  // The value of the most specific scope that sets `field`.
  template <class T>
  std::optional<Bound<T>> most_specific(std::optional<T> OrderLimits::*field) const {
    for (std::size_t i = size_; i-- > 0;)
      if (const auto& v = items_[i].limits->*field) return Bound<T>{*v, items_[i].scope};
    return std::nullopt;
  }

 private:
  struct Item {
    Scope scope;
    const OrderLimits* limits = nullptr;
  };
  std::array<Item, kMaxScopes> items_{};
  std::size_t size_ = 0;
};

// All configured limits. Thread: read-only once built.
class LimitBook {
 public:
  static constexpr std::size_t kMaxGroupsPerSymbol = 8;

  // `name` is "" for global; "SYMBOL" or "SYMBOL@EXCHANGE" for instruments.
  void set(ScopeKind kind, const std::string& name, OrderLimits limits);
  // Puts `symbol` in `group`; false if the symbol is in too many groups.
  bool add_to_group(const std::string& symbol, const std::string& group);

  // The groups `symbol` is in (empty if none).
  const std::vector<std::string>& groups_of(std::string_view symbol) const;

  // The scopes that apply to an order on `venue` from `client`.
  ApplicableLimits applicable(std::string_view venue, std::string_view client, std::string_view account,
                              std::string_view symbol, std::string_view exchange) const;

 private:
  using Hash = StringHash;
  using Map = std::unordered_map<std::string, OrderLimits, Hash, std::equal_to<>>;
  struct Instrument {
    std::optional<OrderLimits> any_exchange;
    std::unordered_map<std::string, OrderLimits, Hash, std::equal_to<>> by_exchange;
  };

  const OrderLimits* find(ScopeKind kind, std::string_view name, std::string_view* stored_name) const;

  std::optional<OrderLimits> global_;
  std::array<Map, 4> named_;  // venue, client, account, group
  std::unordered_map<std::string, Instrument, Hash, std::equal_to<>> instruments_;
  std::unordered_map<std::string, std::vector<std::string>, Hash, std::equal_to<>> groups_of_;
};

}  // namespace fixguard::risk
