#include "risk/limits.h"

#include <algorithm>

namespace fixguard::risk {
namespace {

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

void LimitBook::set(ScopeKind kind, const std::string& name, OrderLimits limits) {
  if (kind == ScopeKind::global) {
    global_ = std::move(limits);
  } else if (kind == ScopeKind::instrument) {
    const auto at = name.find('@');
    Instrument& i = instruments_[name.substr(0, at)];
    if (at == std::string::npos)
      i.any_exchange = std::move(limits);
    else
      i.by_exchange[name.substr(at + 1)] = std::move(limits);
  } else {
    named_[named_index(kind)][name] = std::move(limits);
  }
}

bool LimitBook::add_to_group(const std::string& symbol, const std::string& group) {
  auto& groups = groups_of_[symbol];
  if (std::find(groups.begin(), groups.end(), group) != groups.end()) return true;
  if (groups.size() >= kMaxGroupsPerSymbol) return false;
  groups.push_back(group);
  return true;
}

const std::vector<std::string>& LimitBook::groups_of(std::string_view symbol) const {
  static const std::vector<std::string> kNone;
  const auto it = groups_of_.find(symbol);
  return it == groups_of_.end() ? kNone : it->second;
}

const OrderLimits* LimitBook::find(ScopeKind kind, std::string_view name, std::string_view* stored_name) const {
  const Map& map = named_[named_index(kind)];
  const auto it = map.find(name);
  if (it == map.end()) return nullptr;
  *stored_name = it->first;
  return &it->second;
}

ApplicableLimits LimitBook::applicable(std::string_view venue, std::string_view client, std::string_view account,
                                       std::string_view symbol, std::string_view exchange) const {
  ApplicableLimits out;
  if (global_) out.add(Scope{ScopeKind::global, ""}, &*global_);
  const std::pair<ScopeKind, std::string_view> named[] = {
      {ScopeKind::venue, venue}, {ScopeKind::client, client}, {ScopeKind::account, account}};
  for (const auto& [kind, name] : named) {
    std::string_view stored;
    if (const OrderLimits* l = find(kind, name, &stored)) out.add(Scope{kind, stored}, l);
  }
  if (const auto g = groups_of_.find(symbol); g != groups_of_.end()) {
    for (const std::string& group : g->second) {
      std::string_view stored;
      if (const OrderLimits* l = find(ScopeKind::group, group, &stored)) out.add(Scope{ScopeKind::group, stored}, l);
    }
  }
  if (const auto i = instruments_.find(symbol); i != instruments_.end()) {
    if (i->second.any_exchange) out.add(Scope{ScopeKind::instrument, i->first}, &*i->second.any_exchange);
    if (!exchange.empty())
      if (const auto e = i->second.by_exchange.find(exchange); e != i->second.by_exchange.end())
        out.add(Scope{ScopeKind::instrument, i->first}, &e->second);
  }
  return out;
}

}  // namespace fixguard::risk
