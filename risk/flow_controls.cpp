#include "risk/flow_controls.h"

namespace fixguard::risk {
namespace {

std::size_t kind_index(RequestKind k) {
  switch (k) {
    case RequestKind::new_order:
      return 0;
    case RequestKind::replace:
      return 1;
    case RequestKind::cancel:
      return 2;
  }
  return 0;
}

// Entries older than this many windows are swept when a map grows.
constexpr std::size_t kSweepAt = 100000;

template <class Map>
void sweep(Map& map, int64_t now_ns, int64_t keep_ns) {
  if (map.size() < kSweepAt) return;
  for (auto it = map.begin(); it != map.end();) it = now_ns - it->second > keep_ns ? map.erase(it) : std::next(it);
}

}  // namespace

std::size_t FlowControls::ContentHash::operator()(const Content& c) const {
  uint64_t h = (uint64_t{c.account} << 32 | c.symbol) * 0x9E3779B97F4A7C15ull;
  for (uint64_t v : {static_cast<uint64_t>(c.side), static_cast<uint64_t>(c.quantity), static_cast<uint64_t>(c.price)})
    h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
  return static_cast<std::size_t>(h ^ (h >> 31));
}

uint32_t FlowControls::name_id(std::string_view name) {
  if (const auto it = name_ids_.find(name); it != name_ids_.end()) return it->second;
  const auto id = static_cast<uint32_t>(name_ids_.size());
  name_ids_.emplace(std::string(name), id);
  return id;
}

bool FlowControls::take(Buckets& buckets, std::string_view key, const RateLimit& limit, int64_t now_ns) {
  auto it = buckets.find(key);
  if (it == buckets.end()) it = buckets.emplace(std::string(key), TokenBucket(limit, now_ns)).first;
  return it->second.take(limit, now_ns);
}

std::optional<Decision> FlowControls::admit(const OrderRequest& o, std::string_view client, int64_t now_ns) {
  using R = Decision::Relation;
  const std::size_t k = kind_index(o.kind);
  // Every bucket is charged, so a burst that breaks one limit still counts
  // against the others.
  const bool client_ok =
      !limits_.per_client[k].enabled() || take(client_buckets_[k], client, limits_.per_client[k], now_ns);
  const bool account_ok =
      !limits_.per_account[k].enabled() || take(account_buckets_[k], o.account, limits_.per_account[k], now_ns);
  const bool symbol_ok =
      !limits_.per_symbol[k].enabled() || take(symbol_buckets_[k], o.symbol, limits_.per_symbol[k], now_ns);
  auto rate_reject = [&](const RateLimit& l, ScopeKind kind, std::string_view name) {
    return Decision{Rule::rate_limit, Amount::of_count(l.burst), R::over_rate, Amount::of_rate(l.rate, l.interval_ns),
                    Scope{kind, name}};
  };
  if (!client_ok) return rate_reject(limits_.per_client[k], ScopeKind::client, client);
  if (!account_ok) return rate_reject(limits_.per_account[k], ScopeKind::account, o.account);
  if (!symbol_ok) return rate_reject(limits_.per_symbol[k], ScopeKind::instrument, o.symbol);

  if (o.kind == RequestKind::cancel) return std::nullopt;  // the rest is about adding risk

  if (limits_.min_interval_ns > 0) {
    key_.assign(client).append("\x01").append(o.symbol);
    auto [it, fresh] = last_order_.try_emplace(key_, now_ns);
    if (!fresh) {
      const int64_t since = now_ns - it->second;
      it->second = now_ns;
      if (since < limits_.min_interval_ns)
        return Decision{Rule::min_order_interval, Amount::of_duration(since), R::below,
                        Amount::of_duration(limits_.min_interval_ns), Scope{ScopeKind::instrument, o.symbol}};
    }
    sweep(last_order_, now_ns, limits_.min_interval_ns);
  }

  if (limits_.duplicate_window_ns > 0) {
    const Content content{name_id(o.account), name_id(o.symbol), o.side, o.quantity.units(),
                          o.price ? o.price->units() : INT64_MIN};
    if (const auto before = last_content_.touch(content, now_ns, limits_.duplicate_window_ns))
      return Decision{Rule::duplicate_order, Amount::of_duration(now_ns - *before), R::again_within,
                      Amount::of_duration(limits_.duplicate_window_ns), Scope{ScopeKind::account, o.account}};
  }
  return std::nullopt;
}

}  // namespace fixguard::risk
