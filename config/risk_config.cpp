#include "config/risk_config.h"

#include "config/yaml_reader.h"

#include <algorithm>
#include <map>
#include <set>

namespace fixguard::config {
namespace {

using detail::describe;
using detail::join;
using detail::key_text;
using detail::MapReader;

template <class T>
std::optional<T> decimal(MapReader& r, const std::string& key, bool positive) {
  if (!r.has(key)) return std::nullopt;
  const std::string text = r.string(key);
  const auto v = T::parse(text);
  if (!v)
    throw ConfigError(r.path_of(key), "expected an exact decimal (at most " + std::to_string(T::kDigits) +
                                          " places), got '" + text + "'");
  if (positive ? v->units() <= 0 : v->units() < 0)
    throw ConfigError(r.path_of(key),
                      std::string("must be ") + (positive ? "above zero" : "zero or more") + ", got '" + text + "'");
  return v;
}

std::vector<std::string> string_list(MapReader& r, const std::string& key) {
  const YAML::Node list = r.get(key);
  if (!list.IsSequence()) throw ConfigError(r.path_of(key), "expected a list, got " + describe(list));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].IsScalar() || list[i].Scalar().empty())
      throw ConfigError(r.path_of(key) + "[" + std::to_string(i) + "]", "expected a name");
    out.push_back(list[i].Scalar());
  }
  return out;
}

// An allowed_* list: one that names nothing would refuse every order,
// which is a halt (`fixguard halt`), not a list; most likely a mistake.
std::vector<std::string> allowed_list(MapReader& r, const std::string& key) {
  std::vector<std::string> out = string_list(r, key);
  if (out.empty())
    throw ConfigError(r.path_of(key),
                      "is empty: it would refuse every order (leave it out to allow any; to stop trading, halt the "
                      "scope)");
  return out;
}

// Names (or FIX values) of OrdType, TimeInForce or Side -> FIX characters.
std::optional<std::string> fix_values(MapReader& r, const std::string& key, const std::map<std::string, char>& names) {
  if (!r.has(key)) return std::nullopt;
  std::string chars;
  const auto items = allowed_list(r, key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto it = names.find(items[i]);
    if (it != names.end()) {
      chars += it->second;
    } else if (items[i].size() == 1) {
      chars += items[i][0];  // a FIX value written as is
    } else {
      std::string known;
      for (const auto& [n, c] : names) known += (known.empty() ? "" : ", ") + n;
      throw ConfigError(r.path_of(key) + "[" + std::to_string(i) + "]",
                        "unknown value '" + items[i] + "' (expected one of " + known + ", or a FIX value)");
    }
  }
  return chars;
}

const std::map<std::string, char> kOrdTypes = {
    {"market", '1'}, {"limit", '2'}, {"stop", '3'}, {"stop_limit", '4'}, {"pegged", 'P'}};
const std::map<std::string, char> kTimeInForce = {{"day", '0'}, {"gtc", '1'}, {"opg", '2'}, {"ioc", '3'},
                                                  {"fok", '4'}, {"gtx", '5'}, {"gtd", '6'}, {"close", '7'}};
const std::map<std::string, char> kSides = {{"buy", '1'},       {"sell", '2'},       {"buy_minus", '3'},
                                            {"sell_plus", '4'}, {"sell_short", '5'}, {"sell_short_exempt", '6'}};

// instrument_fields: {SecurityID: US0378331005, SecurityIDSource: 4}, keys
// by FIX name or tag, each one of risk::kInstrumentFieldTags.
std::vector<std::pair<std::size_t, std::string>> instrument_fields(MapReader& r) {
  using risk::kInstrumentFieldNames;
  using risk::kInstrumentFieldTags;
  const std::string path = r.path_of("instrument_fields");
  const YAML::Node fields = r.get("instrument_fields");
  if (!fields.IsMap()) throw ConfigError(path, "expected a mapping of FIX fields to values, got " + describe(fields));
  std::vector<std::pair<std::size_t, std::string>> out;
  for (const auto& kv : fields) {
    const std::string key = key_text(kv.first, path);
    const auto named = std::find(kInstrumentFieldNames.begin(), kInstrumentFieldNames.end(), key);
    int tag = named != kInstrumentFieldNames.end() ? kInstrumentFieldTags[named - kInstrumentFieldNames.begin()] : -1;
    if (tag < 0 && !key.empty() && key.size() <= 4 && key.find_first_not_of("0123456789") == std::string::npos)
      tag = std::stoi(key);
    if (tag == 231)
      throw ConfigError(join(path, key),
                        "is compared with risk.contract_multipliers, which also scales the amounts: set it there");
    const int index = risk::instrument_field_index(tag);
    if (index < 0) {
      std::string known;
      for (std::size_t i = 0; i < kInstrumentFieldTags.size(); ++i)
        if (kInstrumentFieldTags[i] != 231)
          known += (known.empty() ? "" : ", ") + std::string(kInstrumentFieldNames[i]) + " (" +
                   std::to_string(kInstrumentFieldTags[i]) + ")";
      throw ConfigError(join(path, key), "is not a field that names an instrument (expected one of " + known + ")");
    }
    if (!kv.second.IsScalar() || kv.second.Scalar().empty())
      throw ConfigError(join(path, key), "expected the value the field must have");
    for (const auto& [i, value] : out)
      if (i == static_cast<std::size_t>(index)) throw ConfigError(join(path, key), "names a field already set");
    out.emplace_back(static_cast<std::size_t>(index), kv.second.Scalar());
  }
  return out;
}

std::optional<int64_t> count(MapReader& r, const std::string& key) {
  if (!r.has(key)) return std::nullopt;
  return r.integer(key, 0, 1000000000000, std::nullopt);
}

// FNV-1a, 64 bits, as 16 hex digits: names a set of limits.
std::string fingerprint(const std::string& text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  static const char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 15];
  return out;
}

risk::OrderLimits parse_limits(MapReader& r, risk::ScopeKind kind) {
  risk::OrderLimits l;
  l.min_qty = decimal<risk::Quantity>(r, "min_order_qty", true);
  l.max_qty = decimal<risk::Quantity>(r, "max_order_qty", true);
  l.lot = decimal<risk::Quantity>(r, "lot_size", true);
  l.tick = decimal<risk::Price>(r, "price_tick", true);
  l.collar_percent = decimal<risk::Percent>(r, "collar_percent", true);
  if (r.has("collar_ticks")) {
    l.collar_ticks = r.integer("collar_ticks", 1, 1000000000, std::nullopt);
    if (!l.tick) throw ConfigError(r.path_of("collar_ticks"), "needs price_tick in the same scope");
  }
  l.min_notional = decimal<risk::Notional>(r, "min_notional", true);
  l.max_notional = decimal<risk::Notional>(r, "max_notional", true);
  if (l.min_qty && l.max_qty && *l.min_qty > *l.max_qty)
    throw ConfigError(r.path_of("min_order_qty"), "is above max_order_qty");
  if (l.min_notional && l.max_notional && *l.min_notional > *l.max_notional)
    throw ConfigError(r.path_of("min_notional"), "is above max_notional");
  if (r.has("allowed_symbols")) {
    const auto symbols = allowed_list(r, "allowed_symbols");
    l.allowed_symbols = risk::SymbolSet(symbols.begin(), symbols.end());
  }
  if (r.has("allowed_accounts")) {
    const auto accounts = allowed_list(r, "allowed_accounts");
    l.allowed_accounts = risk::SymbolSet(accounts.begin(), accounts.end());
  }
  if (r.has("restricted_symbols")) {
    const auto symbols = string_list(r, "restricted_symbols");
    l.restricted_symbols = risk::SymbolSet(symbols.begin(), symbols.end());
  }
  l.allowed_ord_types = fix_values(r, "allowed_ord_types", kOrdTypes);
  l.allowed_time_in_force = fix_values(r, "allowed_time_in_force", kTimeInForce);
  l.allowed_sides = fix_values(r, "allowed_sides", kSides);
  if (r.has("instrument_fields")) {
    if (kind != risk::ScopeKind::instrument)
      throw ConfigError(r.path_of("instrument_fields"), "only an instrument (limits.instruments) can set it");
    l.instrument_fields = instrument_fields(r);
  }

  l.max_long_qty = decimal<risk::Quantity>(r, "max_long_qty", false);
  l.max_short_qty = decimal<risk::Quantity>(r, "max_short_qty", false);
  l.max_long_notional = decimal<risk::Notional>(r, "max_long_notional", false);
  l.max_short_notional = decimal<risk::Notional>(r, "max_short_notional", false);
  l.max_open_orders = count(r, "max_open_orders");
  l.max_open_orders_per_instrument = count(r, "max_open_orders_per_instrument");
  l.max_positions = count(r, "max_positions");
  l.max_gross_exposure = decimal<risk::Notional>(r, "max_gross_exposure", false);
  l.max_net_exposure = decimal<risk::Notional>(r, "max_net_exposure", false);
  for (const char* key : {"max_group_gross_exposure", "max_group_net_exposure"})
    if (r.has(key) && kind != risk::ScopeKind::group)
      throw ConfigError(r.path_of(key), "only a group (limits.groups) can set it");
  l.max_group_gross_exposure = decimal<risk::Notional>(r, "max_group_gross_exposure", false);
  l.max_group_net_exposure = decimal<risk::Notional>(r, "max_group_net_exposure", false);
  if (r.has("equity") && (kind == risk::ScopeKind::group || kind == risk::ScopeKind::instrument))
    throw ConfigError(r.path_of("equity"), "is set for the whole account: global, a venue, a client or an account");
  l.equity = decimal<risk::Notional>(r, "equity", false);
  l.max_leverage = decimal<risk::Ratio>(r, "max_leverage", true);
  l.max_instrument_leverage = decimal<risk::Ratio>(r, "max_instrument_leverage", true);
  l.buying_power = r.boolean("buying_power", false);
  l.max_daily_notional = decimal<risk::Notional>(r, "max_daily_notional", false);
  l.max_minute_notional = decimal<risk::Notional>(r, "max_minute_notional", false);
  l.max_daily_orders = count(r, "max_daily_orders");
  l.max_minute_orders = count(r, "max_minute_orders");
  l.max_daily_fills = count(r, "max_daily_fills");
  l.max_minute_fills = count(r, "max_minute_fills");
  if (r.has("max_reference_age_ms")) l.max_reference_age_ms = r.integer("max_reference_age_ms", 1, 7 * 86400000, 0);
  return l;
}

// The scoped limits of a `limits:` section (or a profile). `members`
// collects group members where groups may list symbols (null: they may not).
std::vector<ScopedLimits> parse_scopes(MapReader& lr, std::vector<std::pair<std::string, std::string>>* members) {
  std::vector<ScopedLimits> out;
  if (lr.has("global")) {
    MapReader g(lr.get("global"), lr.path_of("global"));
    out.push_back({risk::ScopeKind::global, "", parse_limits(g, risk::ScopeKind::global)});
    g.finish();
  }
  const std::pair<const char*, risk::ScopeKind> sections[] = {{"venues", risk::ScopeKind::venue},
                                                              {"clients", risk::ScopeKind::client},
                                                              {"accounts", risk::ScopeKind::account},
                                                              {"instruments", risk::ScopeKind::instrument},
                                                              {"groups", risk::ScopeKind::group}};
  for (const auto& [section, kind] : sections) {
    if (!lr.has(section)) continue;
    const YAML::Node scopes = lr.get(section);
    if (!scopes.IsMap()) throw ConfigError(lr.path_of(section), "expected a mapping of names to limits");
    for (const auto& kv : scopes) {
      const std::string name = key_text(kv.first, lr.path_of(section));
      MapReader s(kv.second, join(lr.path_of(section), name));
      risk::OrderLimits limits = parse_limits(s, kind);
      if (kind == risk::ScopeKind::group && members) {
        const auto symbols = string_list(s, "symbols");
        for (const std::string& symbol : symbols) members->emplace_back(symbol, name);
      }
      s.finish();
      out.push_back({kind, name, std::move(limits)});
    }
  }
  return out;
}

risk::EmergencyStop::Settings stop_settings(MapReader& r) {
  risk::EmergencyStop::Settings s;
  s.cooldown_ns = r.integer("cooldown_s", 0, 7 * 86400, 0) * 1'000'000'000;
  s.lockout_until_next_day = r.boolean("lockout_until_next_day", false);
  return s;
}

risk::LossLimits parse_losses(MapReader& r) {
  risk::LossLimits l;
  l.max_daily_loss = decimal<risk::Notional>(r, "max_daily_loss", true);
  l.max_daily_loss_percent = decimal<risk::Percent>(r, "max_daily_loss_percent", true);
  l.equity_floor = decimal<risk::Notional>(r, "equity_floor", false);
  l.max_drawdown_percent = decimal<risk::Percent>(r, "max_drawdown_percent", true);
  l.max_open_loss_percent = decimal<risk::Percent>(r, "max_open_loss_percent", true);
  if (r.has("drawdown_zones")) {
    const YAML::Node zones = r.get("drawdown_zones");
    if (!zones.IsSequence()) throw ConfigError(r.path_of("drawdown_zones"), "expected a list of zones");
    for (std::size_t i = 0; i < zones.size(); ++i) {
      MapReader z(zones[i], r.path_of("drawdown_zones") + "[" + std::to_string(i) + "]");
      risk::DrawdownZone zone;
      if (!z.has("at_percent")) throw ConfigError(z.path_of("at_percent"), "is required");
      zone.drawdown = *decimal<risk::Percent>(z, "at_percent", true);
      const std::string state = z.string("state", std::string("active"));
      if (state == "reduce_only")
        zone.state = risk::TradingState::reduce_only;
      else if (state == "halted")
        zone.state = risk::TradingState::halted;
      else if (state != "active")
        throw ConfigError(z.path_of("state"), "expected active, reduce_only or halted, got '" + state + "'");
      zone.size_factor = decimal<risk::Ratio>(z, "size_factor", true);
      if (zone.size_factor && *zone.size_factor > risk::Ratio::from_int(1))
        throw ConfigError(z.path_of("size_factor"), "must be at most 1 (it scales max_order_qty down)");
      if (zone.state == risk::TradingState::active && !zone.size_factor)
        throw ConfigError(z.path(), "a zone sets a state (reduce_only, halted) or a size_factor");
      if (!l.zones.empty() && !(l.zones.back().drawdown < zone.drawdown))
        throw ConfigError(z.path_of("at_percent"), "zones must be listed by rising at_percent");
      z.finish();
      l.zones.push_back(zone);
    }
  }
  l.max_consecutive_rejects = count(r, "max_consecutive_rejects");
  l.max_rate_limit_breaches = count(r, "max_rate_limit_breaches");
  l.rate_breach_window_ns = r.integer("rate_breach_window_ms", 1, 86400000, 60000) * 1'000'000;
  l.stop = stop_settings(r);
  l.flatten_on_trip = r.boolean("flatten_on_trip", false);
  if (r.has("protective_stop")) {
    MapReader p(r.get("protective_stop"), r.path_of("protective_stop"));
    risk::ProtectiveStopRule rule;
    rule.grace_ns = p.integer("grace_s", 0, 86400, std::nullopt) * 1'000'000'000;
    const std::string action = p.string("action", std::string("alert"));
    if (action == "reduce_only")
      rule.action = risk::ProtectiveStopRule::Action::reduce_only;
    else if (action == "flatten")
      rule.action = risk::ProtectiveStopRule::Action::flatten;
    else if (action != "alert")
      throw ConfigError(p.path_of("action"), "expected alert, reduce_only or flatten, got '" + action + "'");
    p.finish();
    l.protective_stop = rule;
  }
  return l;
}

risk::ControlsConfig parse_controls(MapReader& r) {
  risk::ControlsConfig c;
  if (r.has("losses")) {
    MapReader l(r.get("losses"), r.path_of("losses"));
    c.losses = parse_losses(l);
    l.finish();
  }
  if (r.has("accounts")) {
    const YAML::Node accounts = r.get("accounts");
    if (!accounts.IsMap()) throw ConfigError(r.path_of("accounts"), "expected a mapping of accounts to loss limits");
    for (const auto& kv : accounts) {
      const std::string name = key_text(kv.first, r.path_of("accounts"));
      MapReader a(kv.second, join(r.path_of("accounts"), name));
      c.account_losses.emplace(name, parse_losses(a));
      a.finish();
    }
  }
  if (r.has("global_stop")) {
    MapReader g(r.get("global_stop"), r.path_of("global_stop"));
    c.global_stop = stop_settings(g);
    g.finish();
  }
  return c;
}

}  // namespace

risk::EngineConfig RiskConfig::engine(std::string_view name) const {
  if (name.empty()) name = profile;
  const std::vector<ScopedLimits>* chosen = &limits;
  if (name != "normal") {
    const auto it = profiles.find(name);
    if (it == profiles.end()) throw ConfigError("risk.profiles", "no profile named '" + std::string(name) + "'");
    chosen = &it->second;
  }
  risk::EngineConfig e;
  for (const ScopedLimits& s : *chosen) e.book.set(s.kind, s.name, s.limits);
  for (const auto& [symbol, group] : group_members) e.book.add_to_group(symbol, group);
  for (const auto& [symbol, multiplier] : contract_multipliers) e.book.set_multiplier(symbol, multiplier);
  e.flow = flow;
  e.allow_missing_reference = allow_missing_reference_price;
  e.limits_version = name == "normal" ? limits_version : limits_version + "/" + std::string(name);
  e.controls = controls;
  return e;
}

RiskConfig parse_risk(const YAML::Node& node, const std::string& path) {
  RiskConfig c;
  MapReader r(node, path);
  const std::string mode = r.string("mode", std::string("enforce"));
  if (mode == "observe")
    c.mode = RiskConfig::Mode::observe;
  else if (mode != "enforce")
    throw ConfigError(r.path_of("mode"), "expected enforce or observe, got '" + mode + "'");
  c.allow_missing_reference_price = r.boolean("allow_missing_reference_price", false);
  c.unique_clordid = r.boolean("unique_clordid", false);
  c.marks_file = r.string("marks_file", std::string());
  c.limits_version = r.string("limits_version", fingerprint(YAML::Dump(node)));
  if (r.has("reference_prices")) {
    const YAML::Node prices = r.get("reference_prices");
    if (!prices.IsMap()) throw ConfigError(r.path_of("reference_prices"), "expected a mapping of symbols to prices");
    MapReader pr(prices, r.path_of("reference_prices"));
    for (const auto& kv : prices) {
      const std::string symbol = key_text(kv.first, r.path_of("reference_prices"));
      c.reference_prices.emplace_back(symbol, *decimal<risk::Price>(pr, symbol, true));
    }
    pr.finish();
  }
  if (r.has("contract_multipliers")) {
    const std::string at = r.path_of("contract_multipliers");
    const YAML::Node multipliers = r.get("contract_multipliers");
    if (!multipliers.IsMap()) throw ConfigError(at, "expected a mapping of symbols to multipliers");
    MapReader mr(multipliers, at);
    for (const auto& kv : multipliers) {
      const std::string symbol = key_text(kv.first, at);
      if (symbol.empty() || symbol.find('@') != std::string::npos)
        throw ConfigError(join(at, symbol), "expected a Symbol (55): a multiplier is the same on every exchange");
      const risk::Multiplier m = *decimal<risk::Multiplier>(mr, symbol, true);
      // Above any contract's; an amount past Notional's range (about 1.7e22) saturates.
      if (m > risk::Multiplier::from_int(1000000000))
        throw ConfigError(join(at, symbol), "must be at most 1000000000, got '" + m.to_string() + "'");
      c.contract_multipliers[symbol] = m;
    }
    mr.finish();
  }
  constexpr int64_t kMs = 1000000;
  c.flow.duplicate_window_ns = r.integer("duplicate_window_ms", 0, 86400000, 0) * kMs;
  c.flow.min_interval_ns = r.integer("min_order_interval_ms", 0, 86400000, 0) * kMs;
  if (r.has("rate_limits")) {
    MapReader rl(r.get("rate_limits"), r.path_of("rate_limits"));
    const std::pair<const char*, std::array<risk::RateLimit, 3>*> dims[] = {
        {"per_client", &c.flow.per_client}, {"per_account", &c.flow.per_account}, {"per_symbol", &c.flow.per_symbol}};
    for (const auto& [dim, limits] : dims) {
      if (!rl.has(dim)) continue;
      MapReader d(rl.get(dim), rl.path_of(dim));
      const char* kinds[] = {"new", "replace", "cancel"};
      for (int k = 0; k < 3; ++k) {
        if (!d.has(kinds[k])) continue;
        MapReader b(d.get(kinds[k]), d.path_of(kinds[k]));
        risk::RateLimit& limit = (*limits)[static_cast<std::size_t>(k)];
        limit.rate = b.integer("rate", 1, 1000000, std::nullopt);
        limit.interval_ns = b.integer("interval_ms", 1, 86400000, 1000) * kMs;
        limit.burst = b.integer("burst", 1, 1000000, limit.rate);
        b.finish();
      }
      d.finish();
    }
    rl.finish();
  }
  if (r.has("limits")) {
    MapReader lr(r.get("limits"), r.path_of("limits"));
    c.limits = parse_scopes(lr, &c.group_members);
    lr.finish();
  }
  if (r.has("profiles")) {
    const YAML::Node profiles = r.get("profiles");
    if (!profiles.IsMap()) throw ConfigError(r.path_of("profiles"), "expected a mapping of names to limits");
    std::set<std::string> groups;
    for (const auto& [symbol, group] : c.group_members) groups.insert(group);
    for (const auto& kv : profiles) {
      const std::string name = key_text(kv.first, r.path_of("profiles"));
      const std::string path = join(r.path_of("profiles"), name);
      if (name == "normal") throw ConfigError(path, "normal is the name of risk.limits itself");
      MapReader pr(kv.second, path);
      std::vector<ScopedLimits> scopes = parse_scopes(pr, nullptr);
      for (const ScopedLimits& sl : scopes)
        if (sl.kind == risk::ScopeKind::group && !groups.count(sl.name))
          throw ConfigError(join(join(path, "groups"), sl.name), "no such group in risk.limits.groups");
      pr.finish();
      c.profiles.emplace(name, std::move(scopes));
    }
  }
  c.profile = r.string("profile", std::string("normal"));
  if (c.profile != "normal" && !c.profiles.count(c.profile))
    throw ConfigError(r.path_of("profile"), "no profile named '" + c.profile + "' in risk.profiles");
  if (r.has("controls")) {
    MapReader cr(r.get("controls"), r.path_of("controls"));
    c.controls = parse_controls(cr);
    cr.finish();
  }
  // A symbol in too many groups could not be checked against them all.
  std::map<std::string, int> groups_per_symbol;
  for (const auto& [symbol, group] : c.group_members)
    if (++groups_per_symbol[symbol] > static_cast<int>(risk::LimitBook::kMaxGroupsPerSymbol))
      throw ConfigError(
          r.path_of("limits.groups"),
          "symbol " + symbol + " is in more than " + std::to_string(risk::LimitBook::kMaxGroupsPerSymbol) + " groups");
  r.finish();
  return c;
}

}  // namespace fixguard::config
