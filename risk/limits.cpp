#include "risk/limits.h"

#include <algorithm>
#include <type_traits>
#include <utility>

namespace fixguard::risk {
namespace {

// What case twins share: ASCII letters in lower case.
constexpr char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t named_index(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::venue:
      return 0;
    case ScopeKind::client:
      return 1;
    case ScopeKind::account:
      return 2;
    case ScopeKind::group:
      return 3;
    default:
      return 0;
  }
}

}  // namespace

std::string_view scope_kind_name(ScopeKind kind) {
  switch (kind) {
    case ScopeKind::global:
      return "global";
    case ScopeKind::venue:
      return "venue";
    case ScopeKind::client:
      return "client";
    case ScopeKind::account:
      return "account";
    case ScopeKind::group:
      return "group";
    case ScopeKind::instrument:
      return "instrument";
  }
  return "?";
}

namespace {

template <class T>
bool is_set(const std::optional<T>& v) {
  return v.has_value();
}
bool is_set(bool flag) { return flag; }

// Folds field number I of `in` into `out`, as kLimitRules says.
template <std::size_t I>
void combine_field(ScopeEntry& out, const ScopeEntry& in, uint8_t from) {
  constexpr auto field = std::get<I>(kLimitFields);
  constexpr uint64_t bit = uint64_t{1} << I;
  if (!(in.present & bit)) return;
  auto& dst = out.limits.*field;
  const auto& src = in.limits.*field;
  bool take = !(out.present & bit);
  if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(src)>, bool>) {
    if (!take) {
      switch (kLimitRules[I]) {
        case Tightest::lowest:
          take = *src < *dst;
          break;
        case Tightest::highest:
          take = *src > *dst;
          break;
        case Tightest::most_specific:
          take = true;
          break;
        case Tightest::first:
          break;
      }
    }
  }
  if (!take) return;
  dst = src;
  out.source[I] = from;
  out.present |= bit;
}

template <std::size_t... I>
void combine_fields(ScopeEntry& out, const ScopeEntry& in, uint8_t from, std::index_sequence<I...>) {
  (combine_field<I>(out, in, from), ...);
}

}  // namespace

uint32_t LimitBook::intern_symbol(const std::string& symbol) {
  const auto [it, fresh] = symbol_keys_.try_emplace(symbol, static_cast<uint32_t>(symbol_keys_.size()));
  if (fresh) remember_spelling(symbol);
  return it->second;
}

void LimitBook::remember_spelling(const std::string& symbol) { spellings_.try_emplace(folded(symbol), symbol); }

std::string LimitBook::folded(std::string_view symbol) {
  std::string out(symbol);
  for (char& c : out) c = lower_ascii(c);
  return out;
}

void LimitBook::Instrument::add_exchange_limits(ApplicableLimits& out, std::string_view exchange) const {
  if (exchange.empty() || by_exchange.empty()) return;
  if (const auto e = by_exchange.find(exchange); e != by_exchange.end()) {
    out.add(&e->second);
    return;
  }
  const auto same_folded = [](char a, char b) { return lower_ascii(a) == lower_ascii(b); };
  for (const auto& [name, entry] : by_exchange)
    if (std::equal(name.begin(), name.end(), exchange.begin(), exchange.end(), same_folded)) {
      out.set_exchange_case_twin(name);
      return;
    }
}

std::string_view LimitBook::case_twin(std::string_view symbol) const {
  if (spellings_.empty() || configures(symbol)) return {};
  const auto it = spellings_.find(folded(symbol));
  return it == spellings_.end() ? std::string_view() : std::string_view(it->second);
}

void LimitBook::compile(ScopeEntry& entry) {
  const OrderLimits& l = entry.limits;
  entry.present = 0;
  std::size_t i = 0;
  std::apply([&](auto... field) { ((entry.present |= (is_set(l.*field) ? uint64_t{1} << i : 0), ++i), ...); },
             kLimitFields);
  auto bits = [&](const SymbolSet& symbols) {
    std::vector<uint64_t> out;
    for (const std::string& symbol : symbols) {
      const uint32_t key = intern_symbol(symbol);
      if (out.size() <= key / 64) out.resize(key / 64 + 1);
      out[key / 64] |= uint64_t{1} << (key % 64);
    }
    return out;
  };
  entry.allowed = l.allowed_symbols ? bits(*l.allowed_symbols) : std::vector<uint64_t>();
  entry.restricted = bits(l.restricted_symbols);
  entry.ord_types = CharSet(l.allowed_ord_types.value_or(""));
  entry.time_in_force = CharSet(l.allowed_time_in_force.value_or(""));
  entry.sides = CharSet(l.allowed_sides.value_or(""));
  if (l.allowed_symbols || l.allowed_accounts || !l.restricted_symbols.empty() || l.allowed_ord_types ||
      l.allowed_time_in_force || l.allowed_sides || !l.instrument_fields.empty())
    entry.present |= kPermissionsBit;
}

void LimitBook::set(ScopeKind kind, const std::string& name, const OrderLimits& limits) {
  ScopeEntry* entry;
  if (kind == ScopeKind::global) {
    global_.emplace();
    entry = &*global_;
    entry->scope = Scope{kind, ""};
  } else if (kind == ScopeKind::instrument) {
    const auto at = name.find('@');
    const auto i = instruments_.try_emplace(name.substr(0, at)).first;
    remember_spelling(i->first);
    if (at == std::string::npos) {
      entry = &i->second.any_exchange.emplace();
    } else {
      entry = &i->second.by_exchange[name.substr(at + 1)];
    }
    entry->scope = Scope{kind, i->first};
  } else {
    const auto it = named_[named_index(kind)].try_emplace(name).first;
    entry = &it->second;
    entry->scope = Scope{kind, it->first};
  }
  entry->limits = limits;
  compile(*entry);
}

bool LimitBook::add_to_group(const std::string& symbol, const std::string& group) {
  remember_spelling(symbol);
  auto& groups = instruments_[symbol].groups;
  if (std::find(groups.begin(), groups.end(), group) != groups.end()) return true;
  if (groups.size() >= kMaxGroupsPerSymbol) return false;
  groups.push_back(group);
  return true;
}

const std::vector<std::string>& LimitBook::groups_of(std::string_view symbol) const {
  static const std::vector<std::string> kNone;
  const Instrument* i = instrument(symbol);
  return i ? i->groups : kNone;
}

const ScopeEntry* LimitBook::find(ScopeKind kind, std::string_view name) const {
  const Map& map = named_[named_index(kind)];
  const auto it = map.find(name);
  return it == map.end() ? nullptr : &it->second;
}

const LimitBook::Instrument* LimitBook::instrument(std::string_view symbol) const {
  const auto it = instruments_.find(symbol);
  return it == instruments_.end() ? nullptr : &it->second;
}

uint32_t LimitBook::symbol_key(std::string_view symbol) const {
  const auto it = symbol_keys_.find(symbol);
  return it == symbol_keys_.end() ? kNoSymbol : it->second;
}

std::unique_ptr<ScopeEntry> combine_scopes(const std::vector<const ScopeEntry*>& scopes) {
  std::unique_ptr<ScopeEntry> out;
  for (const ScopeEntry* e : scopes) {
    if (!e) continue;
    if (!out) {
      out = std::make_unique<ScopeEntry>();
      out->combined = true;
    }
    const auto from = static_cast<uint8_t>(out->sources.size());
    out->sources.push_back(e->scope);
    out->scope = e->scope;
    if (e->present & kPermissionsBit) {
      out->permission_scopes.push_back(e);
      out->present |= kPermissionsBit;
    }
    combine_fields(*out, *e, from, std::make_index_sequence<kLimitFieldCount>());
  }
  return out;
}

ApplicableLimits LimitBook::applicable(std::string_view venue, std::string_view client, std::string_view account,
                                       std::string_view symbol, std::string_view exchange) const {
  ApplicableLimits out;
  out.set_symbol_key(symbol_key(symbol));
  out.set_multiplier(multiplier(symbol));
  out.set_case_twin(case_twin(symbol));
  out.add(global());
  out.add(find(ScopeKind::venue, venue));
  out.add(find(ScopeKind::client, client));
  out.add(find(ScopeKind::account, account));
  if (const Instrument* i = instrument(symbol)) {
    for (std::size_t g = 0; g < i->groups.size(); ++g) {
      const ScopeEntry* group = find(ScopeKind::group, i->groups[g]);
      out.add(group);
      if (group && sets_group_exposure(*group)) out.add_group(group, static_cast<uint8_t>(g));
    }
    if (i->any_exchange) out.add(&*i->any_exchange);
    i->add_exchange_limits(out, exchange);
  }
  return out;
}

}  // namespace fixguard::risk
