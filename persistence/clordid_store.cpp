#include "persistence/clordid_store.h"

#include <stdexcept>

namespace fixguard::persistence {

ClOrdIdStore::ClOrdIdStore(Database& db)
    : db_(db), insert_(db.sql(), "INSERT OR IGNORE INTO clordid_seen(client, day, clordid) VALUES(?, ?, ?)") {}

void ClOrdIdStore::add(const std::string& client, int32_t day, std::string_view cl_ord_id) {
  try {
    insert_.reset();
    insert_.bind(1, client);
    insert_.bind(2, day);
    insert_.bind(3, cl_ord_id.data(), static_cast<int>(cl_ord_id.size()));
    insert_.exec();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot record ClOrdID: ") + e.what());
  }
}

void ClOrdIdStore::load_since(int32_t day,
                              const std::function<void(const std::string&, int32_t, const std::string&)>& f) const {
  SQLite::Statement q(db_.sql(), "SELECT client, day, clordid FROM clordid_seen WHERE day >= ?");
  q.bind(1, day);
  while (q.executeStep()) {
    const SQLite::Column id = q.getColumn(2);
    f(q.getColumn(0).getString(), q.getColumn(1).getInt(),
      std::string(static_cast<const char*>(id.getBlob()), static_cast<std::size_t>(id.getBytes())));
  }
}

}  // namespace fixguard::persistence
