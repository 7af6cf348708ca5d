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

}  // namespace

std::size_t FlowControls::ContentHash::operator()(const Content& c) const {
  uint64_t h = (uint64_t{c.account} << 32 | c.instrument) * 0x9E3779B97F4A7C15ull;
  for (uint64_t v : {static_cast<uint64_t>(c.side), static_cast<uint64_t>(c.quantity), static_cast<uint64_t>(c.price)})
    h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
  return static_cast<std::size_t>(h ^ (h >> 31));
}

bool FlowControls::take(Buckets& buckets, uint32_t key, const RateLimit& limit, int64_t now_ns) {
  if (key >= buckets.size()) buckets.resize(std::size_t{key} + 1);
  std::optional<TokenBucket>& bucket = buckets[key];
  if (!bucket) bucket.emplace(limit, now_ns);
  return bucket->take(limit, now_ns);
}

void FlowControls::prefetch(const OrderRequest& o, const FlowKeys& keys) const {
  const std::size_t k = kind_index(o.kind);
  auto bucket = [](const Buckets& buckets, uint32_t key) {
    if (key < buckets.size()) __builtin_prefetch(&buckets[key]);
  };
  if (limits_.per_account[k].enabled()) bucket(account_buckets_[k], keys.account);
  if (limits_.per_symbol[k].enabled()) bucket(symbol_buckets_[k], keys.instrument);
  if (o.kind == RequestKind::cancel) return;
  if (limits_.min_interval_ns > 0) last_order_index_.prefetch(uint64_t{keys.client} << 32 | keys.instrument);
  if (limits_.duplicate_window_ns > 0) last_content_.prefetch(content_of(o, keys));
}

std::optional<Decision> FlowControls::admit(const OrderRequest& o, const FlowKeys& keys, int64_t now_ns) {
  using R = Decision::Relation;
  const std::size_t k = kind_index(o.kind);
  // Every bucket is charged, so a burst that breaks one limit still counts
  // against the others.
  const bool client_ok =
      !limits_.per_client[k].enabled() || take(client_buckets_[k], keys.client, limits_.per_client[k], now_ns);
  const bool account_ok =
      !limits_.per_account[k].enabled() || take(account_buckets_[k], keys.account, limits_.per_account[k], now_ns);
  const bool symbol_ok =
      !limits_.per_symbol[k].enabled() || take(symbol_buckets_[k], keys.instrument, limits_.per_symbol[k], now_ns);
  auto rate_reject = [&](const RateLimit& l, ScopeKind kind, std::string_view name) {
    return Decision{Rule::rate_limit, Amount::of_count(l.burst), R::over_rate, Amount::of_rate(l.rate, l.interval_ns),
                    Scope{kind, name}};
  };
  if (!client_ok) return rate_reject(limits_.per_client[k], ScopeKind::client, keys.client_name);
  if (!account_ok) return rate_reject(limits_.per_account[k], ScopeKind::account, o.account);
  if (!symbol_ok) return rate_reject(limits_.per_symbol[k], ScopeKind::instrument, o.symbol);

  if (o.kind == RequestKind::cancel) return std::nullopt;  // the rest is about adding risk

  if (limits_.min_interval_ns > 0) {
    const auto next = static_cast<uint32_t>(last_order_.size());
    const uint32_t index = last_order_index_.insert(uint64_t{keys.client} << 32 | keys.instrument, next);
    if (index == next) {
      last_order_.push_back(now_ns);
    } else {
      const int64_t since = now_ns - last_order_[index];
      last_order_[index] = now_ns;
      if (since < limits_.min_interval_ns)
        return Decision{Rule::min_order_interval, Amount::of_duration(since), R::below,
                        Amount::of_duration(limits_.min_interval_ns), Scope{ScopeKind::instrument, o.symbol}};
    }
  }

  if (limits_.duplicate_window_ns > 0) {
    if (const auto before = last_content_.touch(content_of(o, keys), now_ns, limits_.duplicate_window_ns))
      return Decision{Rule::duplicate_order, Amount::of_duration(now_ns - *before), R::again_within,
                      Amount::of_duration(limits_.duplicate_window_ns), Scope{ScopeKind::account, o.account}};
  }
  return std::nullopt;
}

}  // namespace fixguard::risk
