#include "risk/clordid_registry.h"

namespace fixguard::risk {

bool ClOrdIdRegistry::seen(std::string_view client, int32_t day, std::string_view cl_ord_id) const {
  const auto d = days_.find(day);
  if (d == days_.end()) return false;
  const auto c = d->second.find(client);
  return c != d->second.end() && c->second.contains(cl_ord_id);
}

bool ClOrdIdRegistry::remember(std::string_view client, int32_t day, std::string_view cl_ord_id) {
  Clients& clients = days_[day];
  auto c = clients.find(client);
  if (c == clients.end()) c = clients.emplace(std::string(client), Ids()).first;
  return c->second.emplace(cl_ord_id).second;
}

void ClOrdIdRegistry::forget_before(int32_t day) {
  for (auto it = days_.begin(); it != days_.end();) it = it->first < day ? days_.erase(it) : std::next(it);
}

std::size_t ClOrdIdRegistry::size() const {
  std::size_t n = 0;
  for (const auto& [day, clients] : days_)
    for (const auto& [client, ids] : clients) n += ids.size();
  return n;
}

}  // namespace fixguard::risk
