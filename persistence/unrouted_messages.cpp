#include "persistence/unrouted_messages.h"

#include <stdexcept>

namespace fixguard::persistence {

UnroutedMessages::UnroutedMessages(Database& db)
    : db_(db),
      insert_(db.sql(), "INSERT INTO unrouted_message(received_us, session, reason, message) VALUES(?, ?, ?, ?)") {}

void UnroutedMessages::add(const UnroutedMessage& m) {
  try {
    insert_.reset();
    insert_.bind(1, m.received_us);
    insert_.bind(2, m.session);
    insert_.bind(3, m.reason);
    insert_.bind(4, m.message.data(), static_cast<int>(m.message.size()));
    insert_.exec();
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot keep unrouted message: ") + e.what());
  }
}

std::vector<UnroutedMessage> UnroutedMessages::all() const {
  std::vector<UnroutedMessage> out;
  SQLite::Statement q(db_.sql(), "SELECT received_us, session, reason, message FROM unrouted_message ORDER BY id");
  while (q.executeStep()) {
    const SQLite::Column raw = q.getColumn(3);
    out.push_back(UnroutedMessage{
        q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
        std::string(static_cast<const char*>(raw.getBlob()), static_cast<std::size_t>(raw.getBytes()))});
  }
  return out;
}

}  // namespace fixguard::persistence
