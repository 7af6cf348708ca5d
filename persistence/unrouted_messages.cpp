#include "persistence/unrouted_messages.h"

#include <stdexcept>

namespace fixguard::persistence {
namespace {

constexpr const char* kInsert =
    "INSERT INTO unrouted_message(received_us, session, reason, message) VALUES(?, ?, ?, ?)";

}  // namespace

UnroutedMessages::UnroutedMessages(Database& db) : db_(db) {}

void UnroutedMessages::add(const UnroutedMessage& m) {
  try {
    db_.write([m](Statements& s) {
      s.add(kInsert, {int64_t{m.received_us}, m.session, m.reason, Statements::Blob{m.message}});
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot keep unrouted message: ") + e.what());
  }
}

std::vector<UnroutedMessage> UnroutedMessages::all() const {
  std::vector<UnroutedMessage> out;
  if (const auto why = db_.settle()) throw std::runtime_error("cannot write unrouted messages: " + *why);
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
