// The trading controls on disk: each scope's trading state, an account's
// drawdown zone, peak and day-start equity, and the emergency stops with
// their trip time, so that a restart finds them as they were.
//
// Written whenever one changes (the router saves what the engine reports
// changed after each message); read back once on start.
#pragma once

#include "persistence/database.h"
#include "risk/trading_controls.h"

#include <SQLiteCpp/Statement.h>

#include <vector>

namespace fixguard::persistence {

// Thread: the io thread.
class ControlsStore {
 public:
  explicit ControlsStore(Database& db);
  // Writes the records in one transaction. Throws std::runtime_error when
  // they cannot be written.
  void save(const std::vector<risk::ControlsRecord>& records, int64_t now_us);
  // Every record kept; throws std::runtime_error naming a row that cannot
  // be read back (a value that does not parse).
  std::vector<risk::ControlsRecord> load() const;

 private:
  Database& db_;
};

}  // namespace fixguard::persistence
