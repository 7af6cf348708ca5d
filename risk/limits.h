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
#include "risk/hashing.h"
#include "risk/notional.h"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace fixguard::risk {

enum class ScopeKind : uint8_t { global, venue, client, account, group, instrument };
std::string_view scope_kind_name(ScopeKind kind);

struct Scope {
  ScopeKind kind = ScopeKind::global;
  std::string_view name;  // views a name owned by the LimitBook
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
  std::optional<SymbolSet> allowed_accounts;  // Account (1) values; an order without one is refused
  SymbolSet restricted_symbols;
  std::optional<std::string> allowed_ord_types, allowed_time_in_force, allowed_sides;
  // Instrument scopes: values an order's instrument fields must have (index
  // in kInstrumentFieldTags, value). A field an order carries that no scope
  // names here refuses it (see risk/order.h).
  std::vector<std::pair<std::size_t, std::string>> instrument_fields;

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
  // A reference price older than this is no reference at all (a price feed
  // that stopped must not leave the collars on yesterday's prices).
  std::optional<int64_t> max_reference_age_ms;
};

// How the scopes that set one limit combine: the lowest value wins (a
// maximum), the highest (a minimum), the most specific scope's, or the first
// (widest) scope that turns a flag on.
enum class Tightest : uint8_t { lowest, highest, most_specific, first };

// The OrderLimits fields that each hold one limit, listed once with how they
// combine: the book records which of them a scope sets, so looking a limit
// up skips every scope that does not set it, and scopes that always apply
// together can be combined ahead of time.
inline constexpr auto kLimitFields = std::make_tuple(
    &OrderLimits::min_qty, &OrderLimits::max_qty, &OrderLimits::lot, &OrderLimits::min_notional,
    &OrderLimits::max_notional, &OrderLimits::tick, &OrderLimits::collar_percent, &OrderLimits::collar_ticks,
    &OrderLimits::max_long_qty, &OrderLimits::max_short_qty, &OrderLimits::max_long_notional,
    &OrderLimits::max_short_notional, &OrderLimits::max_open_orders, &OrderLimits::max_open_orders_per_instrument,
    &OrderLimits::max_positions, &OrderLimits::max_gross_exposure, &OrderLimits::max_net_exposure,
    &OrderLimits::max_group_gross_exposure, &OrderLimits::max_group_net_exposure, &OrderLimits::equity,
    &OrderLimits::max_leverage, &OrderLimits::max_instrument_leverage, &OrderLimits::buying_power,
    &OrderLimits::max_daily_notional, &OrderLimits::max_minute_notional, &OrderLimits::max_daily_orders,
    &OrderLimits::max_minute_orders, &OrderLimits::max_daily_fills, &OrderLimits::max_minute_fills,
    &OrderLimits::max_reference_age_ms);
inline constexpr std::size_t kLimitFieldCount = std::tuple_size_v<decltype(kLimitFields)>;
// How each of kLimitFields combines, in the same order.
// clang-format off
inline constexpr std::array<Tightest, kLimitFieldCount> kLimitRules = [] {
  using enum Tightest;
  return std::array<Tightest, kLimitFieldCount>{
      highest, lowest, most_specific, highest,  // min_qty .. min_notional
      lowest,  most_specific, lowest, lowest,   // max_notional .. collar_ticks
      lowest,  lowest, lowest,                  // max_long_qty .. max_long_notional
      lowest,  lowest, lowest,                  // max_short_notional .. max_open_orders_per_instrument
      lowest,  lowest, lowest,                  // max_positions .. max_net_exposure
      lowest,  lowest, most_specific,           // max_group_gross_exposure .. equity
      lowest,  lowest, first,                   // max_leverage .. buying_power
      lowest,  lowest, lowest,                  // max_daily_notional .. max_daily_orders
      lowest,  lowest, lowest,                  // max_minute_orders .. max_minute_fills
      lowest};                                  // max_reference_age_ms
}();
// clang-format on
static_assert(kLimitFieldCount < 64, "a scope's mask has one bit per field and one for permissions");
// Set in a scope's mask when it sets any permission list.
inline constexpr uint64_t kPermissionsBit = uint64_t{1} << kLimitFieldCount;

template <std::size_t I, auto Field>
constexpr bool is_limit_field() {
  constexpr auto candidate = std::get<I>(kLimitFields);
  if constexpr (std::is_same_v<std::remove_const_t<decltype(candidate)>, decltype(Field)>)
    return candidate == Field;
  else
    return false;
}

// Where `Field` is in kLimitFields (a compile error if it is not there).
template <auto Field, std::size_t I = 0>
constexpr std::size_t field_index() {
  if constexpr (I == kLimitFieldCount) {
    static_assert(I != kLimitFieldCount, "not a field listed in kLimitFields");
    return 0;
  } else if constexpr (is_limit_field<I, Field>()) {
    return I;
  } else {
    return field_index<Field, I + 1>();
  }
}
template <auto Field>
constexpr uint64_t field_bit() {
  return uint64_t{1} << field_index<Field>();
}

struct ScopeEntry;

// A limit and where it was set.
template <class T>
struct Bound {
  T value;
  const ScopeEntry* entry = nullptr;
  std::size_t field = 0;  // index in kLimitFields
  // The scope that set it (looked up only when a reject names it).
  Scope scope() const;
};

// Symbols as numbers: every symbol a permission list names gets a key, so a
// list is a bitset and testing it hashes nothing. Symbols no list names
// share kNoSymbol.
inline constexpr uint32_t kNoSymbol = UINT32_MAX;

// A set of ASCII characters (FIX enumeration values), as bits.
class CharSet {
 public:
  CharSet() = default;
  explicit CharSet(std::string_view chars) {
    for (const char c : chars)
      if (static_cast<unsigned char>(c) < 128) bits_[c / 64] |= uint64_t{1} << (c % 64);
  }
  bool contains(char c) const { return static_cast<unsigned char>(c) < 128 && (bits_[c / 64] >> (c % 64) & 1); }

 private:
  std::array<uint64_t, 2> bits_{};
};

// The limits of one scope as the book keeps them, or of several scopes
// combined (see combine_scopes).
struct ScopeEntry {
  // What a decision reads of every entry comes first.
  Scope scope;           // its name views the book's copy; of the last scope when combined
  uint64_t present = 0;  // the field_bit of every field set, and kPermissionsBit
  bool combined = false;
  // Combined entries only: which of `sources` set each field, the scopes
  // combined, and those with permission lists (which are not combined).
  std::array<uint8_t, kLimitFieldCount> source{};
  std::vector<Scope> sources;
  std::vector<const ScopeEntry*> permission_scopes;
  OrderLimits limits;
  std::vector<uint64_t> allowed, restricted;  // allowed_symbols, restricted_symbols by symbol key
  CharSet ord_types, time_in_force, sides;    // allowed_ord_types, ... as sets

  // The scope that set field number `i`.
  Scope field_scope(std::size_t i) const { return combined ? sources[source[i]] : scope; }
  // Whether allowed_symbols (which must be set) holds the symbol with `key`.
  bool allows(uint32_t key) const { return has(allowed, key); }
  bool restricts(uint32_t key) const { return has(restricted, key); }

 private:
  static bool has(const std::vector<uint64_t>& bits, uint32_t key) {
    return key / 64 < bits.size() && (bits[key / 64] >> (key % 64) & 1);
  }
};

template <class T>
Scope Bound<T>::scope() const {
  return entry->field_scope(field);
}

// Whether a group's entry sets a group exposure limit.
inline bool sets_group_exposure(const ScopeEntry& group) {
  return (group.present & (field_bit<&OrderLimits::max_group_gross_exposure>() |
                           field_bit<&OrderLimits::max_group_net_exposure>())) != 0;
}

// `scopes` (book entries, widest first, nulls skipped) as one entry that gives every
// lookup the same answer as the scopes one by one. Null if all are null.
std::unique_ptr<ScopeEntry> combine_scopes(const std::vector<const ScopeEntry*>& scopes);

// The scopes that apply to one order, widest first, and the order's symbol
// key. Holds pointers into the LimitBook (or entries combined from it),
// which must outlive it and not change meanwhile. No allocation.
class ApplicableLimits {
 public:
  static constexpr std::size_t kMaxScopes = 16;

  // A scope's entry, or several combined; nulls are skipped.
  void add(const ScopeEntry* entry) {
    if (!entry || size_ == kMaxScopes) return;
    entries_[size_] = entry;
    present_by_entry_[size_] = entry->present;
    ++size_;
    present_ |= entry->present;
    if (!(entry->present & kPermissionsBit)) return;
    if (!entry->combined) {
      add_permissions(entry);
    } else {
      for (const ScopeEntry* p : entry->permission_scopes) add_permissions(p);
    }
  }
  // A group of the order's symbol that sets group exposure limits, and its
  // place (`ordinal`) among the symbol's groups. Its limits must also be
  // added, alone or combined.
  void add_group(const ScopeEntry* group, uint8_t ordinal) {
    if (group && groups_size_ < kMaxScopes) groups_[groups_size_++] = {group, ordinal};
  }
  void set_symbol_key(uint32_t key) { symbol_key_ = key; }
  // The instrument's contract multiplier, zero where none is configured.
  void set_multiplier(Multiplier multiplier) { multiplier_ = multiplier; }
  // The configured or traded symbol the order's spells but for letter case
  // ("" if none); must outlive the decision.
  void set_case_twin(std::string_view twin) { case_twin_ = twin; }
  std::string_view case_twin() const { return case_twin_; }
  // The same for the order's ExDestination (207) among the exchanges its
  // symbol has limits on.
  void set_exchange_case_twin(std::string_view twin) { exchange_case_twin_ = twin; }
  std::string_view exchange_case_twin() const { return exchange_case_twin_; }

  uint32_t symbol_key() const { return symbol_key_; }
  // What the order's price x quantity is multiplied by to make money: the
  // configured contract multiplier, or 1.
  Multiplier multiplier() const { return multiplier_configured() ? multiplier_ : Multiplier::from_int(1); }
  bool multiplier_configured() const { return !multiplier_.is_zero(); }
  // The entries added, widest first (a combined entry by its last scope).
  std::size_t size() const { return size_; }
  Scope scope(std::size_t i) const { return entries_[i]->scope; }
  // The scopes with permission lists, widest first.
  std::size_t permission_scopes() const { return permissions_size_; }
  const ScopeEntry& permission_scope(std::size_t i) const { return *permissions_[i]; }
  // The groups added with add_group.
  struct Group {
    const ScopeEntry* entry = nullptr;
    uint8_t ordinal = 0;
  };
  std::size_t groups() const { return groups_size_; }
  const Group& group(std::size_t i) const { return groups_[i]; }

  // The lowest value any scope sets for `Field` (a maximum's tightest).
  template <auto Field>
  auto lowest() const {
    static_assert(kLimitRules[field_index<Field>()] == Tightest::lowest, "kLimitRules combines it otherwise");
    return pick<Field>([](const auto& v, const auto& best) { return v < best; });
  }
  // The highest value any scope sets for `Field` (a minimum's tightest).
  template <auto Field>
  auto highest() const {
    static_assert(kLimitRules[field_index<Field>()] == Tightest::highest, "kLimitRules combines it otherwise");
    return pick<Field>([](const auto& v, const auto& best) { return v > best; });
  }
  // The value of the most specific scope that sets `Field`.
  template <auto Field>
  auto most_specific() const {
    static_assert(kLimitRules[field_index<Field>()] == Tightest::most_specific, "kLimitRules combines it otherwise");
    return pick<Field>([](const auto&, const auto&) { return true; });
  }
  // The first (widest) scope that turns `Flag` on.
  template <auto Flag>
  std::optional<Scope> any() const {
    static_assert(kLimitRules[field_index<Flag>()] == Tightest::first, "kLimitRules combines it otherwise");
    constexpr uint64_t bit = field_bit<Flag>();
    if (!(present_ & bit)) return std::nullopt;
    for (std::size_t i = 0; i < size_; ++i)
      if (present_by_entry_[i] & bit) return entries_[i]->field_scope(field_index<Flag>());
    return std::nullopt;
  }

 private:
  // Scans the entries that set `Field`, widest first, keeping a value over
  // the best so far where `better(value, best)`.
  template <auto Field, class Better>
  auto pick(Better better) const {
    using T = typename std::remove_reference_t<decltype(std::declval<OrderLimits>().*Field)>::value_type;
    constexpr uint64_t bit = field_bit<Field>();
    if (!(present_ & bit)) return std::optional<Bound<T>>();
    const T* best = nullptr;
    std::size_t at = 0;
    for (std::size_t i = 0; i < size_; ++i) {
      if (!(present_by_entry_[i] & bit)) continue;
      const T& v = *(entries_[i]->limits.*Field);
      if (!best || better(v, *best)) {
        best = &v;
        at = i;
      }
    }
    return std::optional<Bound<T>>(Bound<T>{*best, entries_[at], field_index<Field>()});
  }

  void add_permissions(const ScopeEntry* entry) {
    if (permissions_size_ < kMaxScopes) permissions_[permissions_size_++] = entry;
  }

  std::array<const ScopeEntry*, kMaxScopes> entries_{};
  std::array<uint64_t, kMaxScopes> present_by_entry_{};
  std::size_t size_ = 0;
  uint64_t present_ = 0;
  std::array<const ScopeEntry*, kMaxScopes> permissions_{};
  std::size_t permissions_size_ = 0;
  std::array<Group, kMaxScopes> groups_{};
  std::size_t groups_size_ = 0;
  uint32_t symbol_key_ = kNoSymbol;
  Multiplier multiplier_;
  std::string_view case_twin_;
  std::string_view exchange_case_twin_;
};

// All configured limits. Thread: read-only once built.
class LimitBook {
 public:
  static constexpr std::size_t kMaxGroupsPerSymbol = 8;

  // What the book holds for one symbol.
  struct Instrument {
    std::optional<ScopeEntry> any_exchange;
    std::unordered_map<std::string, ScopeEntry, StringHash, std::equal_to<>> by_exchange;
    std::vector<std::string> groups;

    // Adds the limits set for the symbol on `exchange` ("" for none); where
    // it has none, notes the exchange with limits that it spells but for
    // letter case ("XNYS" for "xnys"), if any.
    void add_exchange_limits(ApplicableLimits& out, std::string_view exchange) const;
  };

  // `name` is "" for global; "SYMBOL" or "SYMBOL@EXCHANGE" for instruments.
  void set(ScopeKind kind, const std::string& name, const OrderLimits& limits);
  // Puts `symbol` in `group`; false if the symbol is in too many groups.
  bool add_to_group(const std::string& symbol, const std::string& group);
  // A contract's money per price point per unit of quantity (ES: 50): every
  // amount of the symbol is price x quantity x this. Not a limit: the same
  // in every profile, and fixed while positions are counted.
  void set_multiplier(const std::string& symbol, Multiplier multiplier) {
    multipliers_[symbol] = multiplier;
    remember_spelling(symbol);
  }
  // The symbol's contract multiplier, zero where none is set (amounts count 1).
  Multiplier multiplier(std::string_view symbol) const {
    if (multipliers_.empty()) return Multiplier();
    const auto m = multipliers_.find(symbol);
    return m == multipliers_.end() ? Multiplier() : m->second;
  }

  // The groups `symbol` is in (empty if none).
  const std::vector<std::string>& groups_of(std::string_view symbol) const;

  // Lookups, each null where nothing is set.
  const ScopeEntry* global() const { return global_ ? &*global_ : nullptr; }
  // A venue, client, account or group scope.
  const ScopeEntry* find(ScopeKind kind, std::string_view name) const;
  const Instrument* instrument(std::string_view symbol) const;
  uint32_t symbol_key(std::string_view symbol) const;
  // The symbol the book configures (a scope, a group member, a multiplier,
  // a listed symbol) that `symbol` spells but for letter case ("IBM" for
  // "ibm"), or "" if none or if the book configures `symbol` itself.
  std::string_view case_twin(std::string_view symbol) const;
  // Whether the book names `symbol` anywhere (as case_twin counts).
  bool configures(std::string_view symbol) const {
    return instruments_.count(symbol) || symbol_keys_.count(symbol) || multipliers_.count(symbol);
  }
  // `symbol` with ASCII letters in lower case: what case twins share.
  static std::string folded(std::string_view symbol);

  // The scopes that apply to an order on `venue` from `client`, looked up
  // by name. (The engine keeps these lookups per account and instrument.)
  ApplicableLimits applicable(std::string_view venue, std::string_view client, std::string_view account,
                              std::string_view symbol, std::string_view exchange) const;

 private:
  using Map = std::unordered_map<std::string, ScopeEntry, StringHash, std::equal_to<>>;

  void compile(ScopeEntry& entry);
  uint32_t intern_symbol(const std::string& symbol);
  void remember_spelling(const std::string& symbol);

  std::optional<ScopeEntry> global_;
  std::array<Map, 4> named_;  // venue, client, account, group
  std::unordered_map<std::string, Instrument, StringHash, std::equal_to<>> instruments_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> symbol_keys_;
  std::unordered_map<std::string, Multiplier, StringHash, std::equal_to<>> multipliers_;
  // Configured symbols by their folded spelling (the first configured).
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> spellings_;
};

}  // namespace fixguard::risk
