// ClOrdIDs seen per client session and trading day: a ClOrdID is used once.
//
// Pure and in memory; fixguard persists every entry before the order it
// belongs to is forwarded, and loads them back on start.
#pragma once

#include "risk/limits.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace fixguard::risk {

// Thread: one thread (the io thread) at a time.
class ClOrdIdRegistry {
 public:
  bool seen(std::string_view client, int32_t day, std::string_view cl_ord_id) const;
  // Remembers the ID; false if it was already there.
  bool remember(std::string_view client, int32_t day, std::string_view cl_ord_id);
  // Forgets every day before `day`.
  void forget_before(int32_t day);
  std::size_t size() const;

 private:
  using Ids = std::unordered_set<std::string, StringHash, std::equal_to<>>;
  using Clients = std::unordered_map<std::string, Ids, StringHash, std::equal_to<>>;
  std::unordered_map<int32_t, Clients> days_;
};

}  // namespace fixguard::risk
