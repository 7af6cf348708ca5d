// The ClOrdIDs each client session used, by trading day, on disk: written
// before the order is forwarded, read back into the registry on start.
#pragma once

#include "persistence/database.h"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <functional>
#include <string>

namespace fixguard::persistence {

// Thread: the io thread.
class ClOrdIdStore {
 public:
  explicit ClOrdIdStore(Database& db);
  // Throws std::runtime_error when the row cannot be written (with
  // batching, the commit says so instead).
  void add(const std::string& client, int32_t day, std::string_view cl_ord_id);
  // Calls `f` for every ClOrdID recorded on `day` or later.
  void load_since(
      int32_t day,
      const std::function<void(const std::string& client, int32_t day, const std::string& cl_ord_id)>& f) const;

 private:
  Database& db_;
};

}  // namespace fixguard::persistence
