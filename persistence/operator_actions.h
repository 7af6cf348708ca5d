// What operators did through the admin interface: who, what, on which
// scope, why, and how it ended. Kept in the database for the audit.
#pragma once

#include "persistence/database.h"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fixguard::persistence {

struct OperatorAction {
  int64_t at_us = 0;
  std::string operator_name;
  std::string action;  // "halt", "reset", "mark", ...
  std::string scope;   // "account ACC1", "global", "IBM"
  std::string reason;
  std::string outcome;  // "done", or why it was refused
};

// Thread: the io thread.
class OperatorActions {
 public:
  explicit OperatorActions(Database& db);
  // Throws std::runtime_error if the row cannot be written.
  void add(const OperatorAction& a);
  std::vector<OperatorAction> all() const;

 private:
  Database& db_;
};

}  // namespace fixguard::persistence
