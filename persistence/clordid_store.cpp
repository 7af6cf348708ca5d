#include "persistence/clordid_store.h"

#include <stdexcept>

namespace fixguard::persistence {

namespace {

constexpr const char* kInsert = "INSERT OR IGNORE INTO clordid_seen(client, day, clordid) VALUES(?, ?, ?)";

}  // namespace

ClOrdIdStore::ClOrdIdStore(Database& db) : db_(db) {}

void ClOrdIdStore::add(const std::string& client, int32_t day, std::string_view cl_ord_id) {
  try {
    db_.write([client, day, id = std::string(cl_ord_id)](Statements& s) {
      s.add(kInsert, {client, int64_t{day}, Statements::Blob{id}});
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot record ClOrdID: ") + e.what());
  }
}

void ClOrdIdStore::load_since(int32_t day,
                              const std::function<void(const std::string&, int32_t, const std::string&)>& f) const {
  if (const auto why = db_.settle()) throw std::runtime_error("cannot write ClOrdIDs: " + *why);
  SQLite::Statement q(db_.sql(), "SELECT client, day, clordid FROM clordid_seen WHERE day >= ?");
  q.bind(1, day);
  while (q.executeStep()) {
    const SQLite::Column id = q.getColumn(2);
    f(q.getColumn(0).getString(), q.getColumn(1).getInt(),
      std::string(static_cast<const char*>(id.getBlob()), static_cast<std::size_t>(id.getBytes())));
  }
}

}  // namespace fixguard::persistence
