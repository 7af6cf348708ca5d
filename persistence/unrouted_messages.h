// Messages from a venue that match no client order: kept, never dropped.
#pragma once

#include "persistence/database.h"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fixguard::persistence {

struct UnroutedMessage {
  int64_t received_us = 0;
  std::string session;
  std::string reason;
  std::string message;  // the raw FIX as received
};

// Thread: the io thread.
class UnroutedMessages {
 public:
  explicit UnroutedMessages(Database& db);
  // Throws std::runtime_error if the row cannot be written.
  void add(const UnroutedMessage& m);
  std::vector<UnroutedMessage> all() const;

 private:
  Database& db_;
};

}  // namespace fixguard::persistence
