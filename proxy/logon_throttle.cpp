#include "proxy/logon_throttle.h"

#include <algorithm>

namespace fixguard::proxy {

bool LogonThrottle::full(Failures& f, int limit, Clock::time_point now) const {
  while (!f.empty() && f.front() + window_ <= now) f.pop_front();
  return limit > 0 && f.size() >= static_cast<std::size_t>(limit);
}

bool LogonThrottle::add(Failures& f, int limit, Clock::time_point now) const {
  if (limit <= 0 || full(f, limit, now)) return false;
  f.push_back(now);
  return f.size() >= static_cast<std::size_t>(limit);
}

bool LogonThrottle::address_blocked(const Address& address, Clock::time_point now) {
  const auto it = by_address_.find(address);
  return it != by_address_.end() && full(it->second, per_address_, now);
}

bool LogonThrottle::comp_id_blocked(const std::string& comp_id, const Address& address, Clock::time_point now) {
  const auto it = by_comp_id_.find(comp_id);
  if (it == by_comp_id_.end() || !full(it->second, per_comp_id_, now)) return false;
  const auto known = known_.find(comp_id);
  return known == known_.end() || std::find(known->second.begin(), known->second.end(), address) == known->second.end();
}

void LogonThrottle::succeeded(const Address& address, const std::string& comp_id) {
  std::deque<Address>& known = known_[comp_id];
  if (const auto it = std::find(known.begin(), known.end(), address); it != known.end()) known.erase(it);
  known.push_back(address);
  if (known.size() > kKnownPerCompId) known.pop_front();
}

LogonThrottle::Blocked LogonThrottle::failed(const Address& address, const std::string& comp_id,
                                             Clock::time_point now) {
  Blocked b;
  if (per_address_ > 0) {
    if (by_address_.size() >= kMaxAddresses && !by_address_.count(address)) prune(now);
    // Still full after the pruning: a flood from more addresses than the
    // table holds. The newcomer is not counted; each of its logons is still
    // checked, and refused unless it is right.
    if (by_address_.size() < kMaxAddresses || by_address_.count(address))
      b.address = add(by_address_[address], per_address_, now);
  }
  if (per_comp_id_ > 0 && !comp_id.empty()) b.comp_id = add(by_comp_id_[comp_id], per_comp_id_, now);
  return b;
}

void LogonThrottle::prune(Clock::time_point now) {
  for (auto it = by_address_.begin(); it != by_address_.end();) {
    full(it->second, per_address_, now);
    it = it->second.empty() ? by_address_.erase(it) : std::next(it);
  }
}

}  // namespace fixguard::proxy
