#include "risk/engine.h"

#include "risk/order_size.h"
#include "risk/permissions.h"
#include "risk/portfolio_checks.h"
#include "risk/price_collar.h"

namespace fixguard::risk {

Engine::Engine(EngineConfig config) : config_(std::move(config)), flow_(config_.flow), portfolio_(config_.book) {}

Price Engine::valuation(const OrderRequest& order, std::optional<Price> reference) {
  if (order.price) return *order.price;
  if (reference) return *reference;
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
  session_ids_.emplace(std::pair(s.venue, s.client), index);
  return {index};
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

std::optional<Decision> Engine::decide(const OrderRequest& order, Session session, int64_t now_ns, int32_t day) {
  const SessionEntry& s = sessions_[session.index];
  const uint32_t account = portfolio_.intern_account(order.account);
  const uint32_t instrument_id = portfolio_.intern_instrument(order.symbol);
  std::optional<Decision> d = flow_.admit(order, FlowKeys{s.client_key, account, instrument_id, s.client}, now_ns);
  if (!d) {
    const InstrumentEntry& instrument = this->instrument(instrument_id, order.symbol);
    ApplicableLimits limits;
    limits.set_symbol_key(instrument.symbol_key);
    limits.add(s.limits.get());
    limits.add(account_limits(account));
    limits.add(instrument.limits.get());
    for (std::size_t g = 0; g < instrument.exposure_group_count; ++g)
      limits.add_group(instrument.exposure_groups[g], instrument.ordinals[g]);
    if (!order.exchange.empty() && instrument.book && !instrument.book->by_exchange.empty())
      if (const auto e = instrument.book->by_exchange.find(order.exchange); e != instrument.book->by_exchange.end())
        limits.add(&e->second);
    const std::optional<Price> reference = portfolio_.mark(instrument_id);
    const bool allow_missing = config_.allow_missing_reference;
    d = check_permissions(order, limits);
    if (!d) d = check_order_size(order, limits, reference, allow_missing);
    if (!d) d = check_price_collar(order, limits, reference, allow_missing);
    if (!d && order.kind != RequestKind::cancel) {
      const Impact impact =
          portfolio_.what_if(s.client, order, account, instrument_id, valuation(order, reference), reference);
      d = check_position(order, limits, impact);
      if (!d) d = check_exposure(order, limits, impact, portfolio_);
      if (!d) d = check_turnover(order, limits, impact, now_ns, day);
    }
  }
  if (d) d->limits_version = config_.limits_version;
  return d;
}

void Engine::sent(const OrderRequest& order, std::string_view client, int64_t now_ns, int32_t day) {
  portfolio_.on_sent(client, order, valuation(order), now_ns, day);
}

}  // namespace fixguard::risk
