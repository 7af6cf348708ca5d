#include "risk/engine.h"

#include "risk/order_size.h"
#include "risk/permissions.h"
#include "risk/portfolio_checks.h"
#include "risk/price_collar.h"

namespace fixguard::risk {
namespace {

// Whether the order leaves its position smaller, worst case: a buy only
// covers a short, a sell only sells down a long.
bool reduces(const Impact& im) {
  if (im.side == 0) return im.before.qty.units() < 0 && im.after.worst_long_qty().units() <= 0;
  return im.before.qty.units() > 0 && im.after.worst_short_qty().units() >= 0;
}

// The refusal of an order that its scopes' trading state does not let through.
Decision refused(const TradingControls::Standing& standing) {
  return Decision{standing.rule, Amount::of_text(standing.reason), Decision::Relation::because, Amount(),
                  standing.scope};
}

// A caution zone scales the maximum order size by `factor`.
std::optional<Decision> check_caution(const OrderRequest& o, const ApplicableLimits& l, Ratio factor) {
  if (o.kind == RequestKind::cancel) return std::nullopt;
  const auto max = l.lowest<&OrderLimits::max_qty>();
  if (!max) return std::nullopt;
  const auto scaled = static_cast<int64_t>(static_cast<__int128>(max->value.units()) * factor.units() / Ratio::kOne);
  if (o.quantity.units() <= scaled) return std::nullopt;
  return Decision{Rule::max_order_qty, Amount::of(o.quantity), Decision::Relation::above,
                  Amount::of(Quantity::from_units(scaled)), max->scope()};
}

}  // namespace

Engine::Engine(EngineConfig config)
    : config_(std::move(config)), flow_(config_.flow), portfolio_(config_.book), controls_(config_.controls) {}

void Engine::reconfigure(EngineConfig next) {
  ++version_number_;
  // The portfolio holds a reference to config_.book: the object stays, its
  // contents change.
  config_.book = std::move(next.book);
  config_.flow = next.flow;
  flow_.set_limits(config_.flow);
  config_.allow_missing_reference = next.allow_missing_reference;
  config_.limits_version = next.limits_version + "#" + std::to_string(version_number_);
  config_.controls = next.controls;
  controls_.reconfigure(std::move(next.controls));
  const LimitBook& book = config_.book;
  for (SessionEntry& s : sessions_)
    s.limits =
        combine_scopes({book.global(), book.find(ScopeKind::venue, s.venue), book.find(ScopeKind::client, s.client)});
  account_limits_.clear();
  instruments_.clear();
}

Price Engine::valuation(const OrderRequest& order, std::optional<Price> reference) {
  if (const auto price = measured_price(order, reference)) return *price;
  return order.stop_price.value_or(Price());
}

std::size_t Engine::PairHash::operator()(const std::pair<std::string_view, std::string_view>& p) const {
  const std::hash<std::string_view> h;
  return h(p.first) * 31 + h(p.second);
}

Engine::Session Engine::session(std::string_view venue, std::string_view client) {
  if (const auto it = session_ids_.find(std::pair(venue, client)); it != session_ids_.end()) return {it->second};
  const auto index = static_cast<uint32_t>(sessions_.size());
  SessionEntry& s = sessions_.emplace_back();
  s.venue = venue;
  s.client = client;
  s.client_key = client_keys_.try_emplace(s.client, static_cast<uint32_t>(client_keys_.size())).first->second;
  const LimitBook& book = config_.book;
  s.limits = combine_scopes({book.global(), book.find(ScopeKind::venue, venue), book.find(ScopeKind::client, client)});
  s.venue_state = controls_.venue_state(venue);
  s.client_state = controls_.client_state(client);
  session_ids_.emplace(std::pair(s.venue, s.client), index);
  return {index};
}

void Engine::prefetch_limits(uint32_t account, uint32_t instrument) const {
  // The first lines of an entry: its mask, then the limits a decision reads.
  auto entry = [](const ScopeEntry* e) {
    if (!e) return;
    __builtin_prefetch(e);
    __builtin_prefetch(&e->limits);
  };
  if (account < account_limits_.size() && account_limits_[account]) entry(*account_limits_[account]);
  if (instrument < instruments_.size() && instruments_[instrument]) {
    const InstrumentEntry& i = *instruments_[instrument];
    entry(i.limits.get());
    for (std::size_t g = 0; g < i.exposure_group_count; ++g) entry(i.exposure_groups[g]);
  }
}

const ScopeEntry* Engine::account_limits(uint32_t account) {
  if (account >= account_limits_.size()) account_limits_.resize(std::size_t{account} + 1);
  auto& entry = account_limits_[account];
  if (!entry) entry = config_.book.find(ScopeKind::account, portfolio_.account_name(account));
  return *entry;
}

const Engine::InstrumentEntry& Engine::instrument(uint32_t instrument, std::string_view symbol) {
  if (instrument >= instruments_.size()) instruments_.resize(std::size_t{instrument} + 1);
  auto& entry = instruments_[instrument];
  if (!entry) {
    InstrumentEntry& e = entry.emplace();
    const LimitBook& book = config_.book;
    e.book = book.instrument(symbol);
    e.symbol_key = book.symbol_key(symbol);
    e.multiplier = book.multiplier(symbol);
    e.case_twin = case_twin_of(instrument, symbol);
    if (e.book) {
      std::vector<const ScopeEntry*> scopes;
      for (std::size_t g = 0; g < e.book->groups.size(); ++g) {
        const ScopeEntry* group = book.find(ScopeKind::group, e.book->groups[g]);
        scopes.push_back(group);
        if (group && sets_group_exposure(*group)) {
          e.exposure_groups[e.exposure_group_count] = group;
          e.ordinals[e.exposure_group_count++] = static_cast<uint8_t>(g);
        }
      }
      if (e.book->any_exchange) scopes.push_back(&*e.book->any_exchange);
      e.limits = combine_scopes(scopes);
    }
  }
  return *entry;
}

std::string_view Engine::case_twin_of(uint32_t instrument, std::string_view symbol) {
  const LimitBook& book = config_.book;
  // A spelling the book configures is the instrument, whatever was seen.
  if (book.configures(symbol)) return {};
  if (const std::string_view configured = book.case_twin(symbol); !configured.empty()) return configured;
  for (; folded_upto_ < portfolio_.instruments(); ++folded_upto_)
    seen_spellings_.try_emplace(LimitBook::folded(portfolio_.instrument_name(folded_upto_)), folded_upto_);
  const auto seen = seen_spellings_.find(LimitBook::folded(symbol));
  if (seen == seen_spellings_.end() || seen->second == instrument) return {};
  return twin_names_.emplace_back(portfolio_.instrument_name(seen->second));
}

std::optional<Decision> Engine::decide(const OrderRequest& order, Session session, int64_t now_ns, int32_t day) {
  const SessionEntry& s = sessions_[session.index];
  const uint32_t account = portfolio_.intern_account(order.account);
  const uint32_t instrument_id = portfolio_.intern_instrument(order.symbol);
  // The state of a desk this size is mostly out of cache: ask for all of it
  // now, in two rounds (what the first brings names what the second needs),
  // so that the misses overlap instead of following one another.
  const FlowKeys keys{s.client_key, account, instrument_id, s.client};
  flow_.prefetch(order, keys);
  portfolio_.prefetch(account, instrument_id);
  controls_.prefetch(account);
  if (account < account_limits_.size()) __builtin_prefetch(&account_limits_[account]);
  if (instrument_id < instruments_.size()) __builtin_prefetch(&instruments_[instrument_id]);
  std::optional<Decision> d = flow_.admit(order, keys, now_ns);
  prefetch_limits(account, instrument_id);
  portfolio_.prefetch_position(account, instrument_id);
  const std::string& account_name = portfolio_.account_name(account);
  if (d && d->rule == Rule::rate_limit) {
    watch(account, now_ns, day);
    controls_.on_rate_limit_breach(account, account_name, now_ns, day);
  }
  const TradingControls::Standing standing =
      controls_.standing(*s.venue_state, s.venue, *s.client_state, s.client, account, account_name);
  if (!d && order.kind != RequestKind::cancel && standing.state == TradingState::halted) d = refused(standing);
  if (!d) {
    const InstrumentEntry& instrument = this->instrument(instrument_id, order.symbol);
    ApplicableLimits limits;
    limits.set_symbol_key(instrument.symbol_key);
    limits.set_multiplier(instrument.multiplier);
    limits.set_case_twin(instrument.case_twin);
    limits.add(s.limits.get());
    limits.add(account_limits(account));
    limits.add(instrument.limits.get());
    for (std::size_t g = 0; g < instrument.exposure_group_count; ++g)
      limits.add_group(instrument.exposure_groups[g], instrument.ordinals[g]);
    if (instrument.book) instrument.book->add_exchange_limits(limits, order.exchange);
    std::optional<Price> reference = portfolio_.mark(instrument_id);
    // A reference older than max_reference_age_ms is none at all.
    const auto max_age = reference ? limits.lowest<&OrderLimits::max_reference_age_ms>() : std::nullopt;
    int64_t age_ns = 0;
    bool stale = false;  // the reference was too old: a NO_REFERENCE_PRICE below says so
    if (max_age) {
      const int64_t set_at = portfolio_.mark_time(instrument_id);
      age_ns = set_at == Portfolio::kUndated ? INT64_MAX : saturated_sub(now_ns, set_at);
      stale = age_ns > max_age->value * 1'000'000;
      if (stale) reference.reset();
    }
    const bool allow_missing = config_.allow_missing_reference;
    d = check_permissions(order, limits);
    if (!d) d = check_order_size(order, limits, reference, allow_missing);
    if (!d && standing.size_factor) d = check_caution(order, limits, *standing.size_factor);
    if (!d) d = check_price_collar(order, limits, reference, allow_missing);
    if (!d && order.kind != RequestKind::cancel) {
      const Impact impact =
          portfolio_.what_if(s.client, order, account, instrument_id, valuation(order, reference), reference);
      if (standing.state == TradingState::reduce_only && !reduces(impact)) d = refused(standing);
      if (!d) d = check_position(order, limits, impact);
      if (!d) d = check_exposure(order, limits, impact, portfolio_);
      if (!d) d = check_turnover(order, limits, impact, now_ns, day);
    }
    if (d && d->rule == Rule::no_reference_price && stale)
      d = Decision{
          Rule::stale_reference_price,
          age_ns == INT64_MAX ? Amount::of_text("undated") : Amount::of_duration(age_ns / 1'000'000 * 1'000'000),
          Decision::Relation::above, Amount::of_duration(max_age->value * 1'000'000), max_age->scope()};
  }
  if (d) d->limits_version = config_.limits_version;
  return d;
}

void Engine::set_state(ScopeKind kind, std::string_view name, TradingState state, std::string reason) {
  if (kind == ScopeKind::account)
    controls_.set_account_state(portfolio_.intern_account(name), state, std::move(reason));
  else
    controls_.set_state(kind, name, state, std::move(reason));
}

std::optional<std::string> Engine::review(std::string_view account, int64_t now_ns, int32_t day) {
  if (!controls_.losses(account)) return std::nullopt;
  return review(portfolio_.intern_account(account), now_ns, day);
}

std::optional<std::string> Engine::review(uint32_t account, int64_t now_ns, int32_t day) {
  const std::string& name = portfolio_.account_name(account);
  if (!controls_.losses(name)) return std::nullopt;
  const std::optional<Notional> start = start_equity(account);
  if (!start) return std::nullopt;
  const AccountState& state = portfolio_.account(account);
  return controls_.review(account, name, *start, *start + state.pnl(), state.unrealized, now_ns, day);
}

std::optional<Notional> Engine::start_equity(uint32_t account) {
  if (const auto set = controls_.equity(account)) return set;
  const ScopeEntry* scope = account_limits(account);
  std::optional<Notional> start = scope ? scope->limits.equity : std::nullopt;
  if (!start && config_.book.global()) start = config_.book.global()->limits.equity;
  return start;
}

std::optional<Notional> Engine::equity(uint32_t account) {
  const std::optional<Notional> start = start_equity(account);
  if (!start) return std::nullopt;
  return *start + portfolio_.account(account).pnl();
}

std::vector<std::pair<std::string, std::string>> Engine::review_all(int64_t now_ns, int32_t day) {
  std::vector<std::pair<std::string, std::string>> trips;
  for (uint32_t id = 0; id < portfolio_.accounts(); ++id)
    if (auto reason = review(id, now_ns, day)) trips.emplace_back(portfolio_.account_name(id), std::move(*reason));
  return trips;
}

void Engine::sent(const OrderRequest& order, std::string_view client, int64_t now_ns, int32_t day) {
  portfolio_.on_sent(client, order, valuation(order), now_ns, day);
}

ExecutionOutcome Engine::on_execution(std::string_view client, const Execution& e, int64_t now_ns, int32_t day) {
  const ExecutionOutcome out = portfolio_.on_execution(client, e, now_ns, day);
  const std::optional<uint32_t>& account = out.account;
  if (account) {
    watch(*account, now_ns, day);
    if (e.exec_type == '8')
      controls_.on_venue_reject(*account, portfolio_.account_name(*account), now_ns, day);
    else if (e.exec_type == '0' || out.traded)
      controls_.on_venue_accept(*account);
  }
  // A trade moves the mark; a bust does not, but changes P&L.
  if (out.traded && e.last_px.units() > 0 && !e.symbol.empty()) {
    set_mark(e.symbol, e.last_px, now_ns, day);
  } else if (out.moved && account) {
    review(*account, now_ns, day);
  }
  return out;
}

void Engine::on_refused(std::string_view client, std::string_view cl_ord_id, bool by_venue, int64_t now_ns,
                        int32_t day) {
  const std::optional<uint32_t> account = portfolio_.on_refused(client, cl_ord_id);
  if (account && by_venue) {
    watch(*account, now_ns, day);
    controls_.on_venue_reject(*account, portfolio_.account_name(*account), now_ns, day);
  }
}

void Engine::watch(uint32_t account, int64_t now_ns, int32_t day) {
  if (!controls_.monitor(account)) review(account, now_ns, day);
}

void Engine::set_mark(std::string_view symbol, Price price, int64_t now_ns, int32_t day) {
  portfolio_.set_mark(symbol, price, now_ns);
  const auto instrument = portfolio_.find_instrument(symbol);
  if (!instrument) return;
  for (uint32_t p : portfolio_.positions_of(*instrument)) review(portfolio_.positions()[p].account, now_ns, day);
}

bool Engine::trip(std::string_view account, std::string reason, int64_t now_ns, int32_t day) {
  if (account.empty()) return controls_.trip_global(std::move(reason), now_ns, day);
  return controls_.trip(portfolio_.intern_account(account), account, std::move(reason), now_ns, day);
}

std::optional<std::string> Engine::reset(std::string_view account, std::string_view operator_name,
                                         std::string_view reason, int64_t now_ns, int32_t day) {
  if (account.empty()) return controls_.reset_global(operator_name, reason, now_ns, day);
  const auto id = portfolio_.find_account(account);
  if (!id || !controls_.account_stop(*id)) return "the emergency stop is not tripped";
  return controls_.reset(*id, account, operator_name, reason, now_ns, day);
}

std::vector<ProtectionAlert> Engine::review_protective_stops(int64_t now_ns) {
  std::vector<ProtectionAlert> alerts = protective_stops_.review(
      portfolio_,
      [this](const std::string& account) -> const ProtectiveStopRule* {
        const LossLimits* limits = controls_.losses(account);
        return limits && limits->protective_stop ? &*limits->protective_stop : nullptr;
      },
      now_ns);
  for (const ProtectionAlert& a : alerts)
    if (a.action == ProtectiveStopRule::Action::reduce_only)
      set_state(ScopeKind::account, a.account, TradingState::reduce_only, a.describe());
  return alerts;
}

void Engine::set_equity(std::string_view account, Notional equity, int64_t now_ns, int32_t day) {
  const uint32_t id = portfolio_.intern_account(account);
  controls_.set_equity(id, equity);
  review(id, now_ns, day);
}

void Engine::acted(const Pull& pull) {
  controls_.acted(pull, pull.kind == ScopeKind::account ? portfolio_.find_account(pull.name) : std::nullopt);
}

std::vector<ControlsRecord> Engine::take_changes() {
  return controls_.take_changes([this](uint32_t id) -> const std::string& { return portfolio_.account_name(id); });
}

void Engine::restore(const std::vector<ControlsRecord>& records) {
  for (const ControlsRecord& r : records)
    controls_.restore(r,
                      r.kind == ScopeKind::account ? std::optional(portfolio_.intern_account(r.name)) : std::nullopt);
}

}  // namespace fixguard::risk
