// The one SQLite file (WAL mode) that holds fixguard's persistent state: FIX
// session stores for every session, and messages that could not be routed.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace fixguard::persistence {

// Owns the connection. Thread: all use happens on the thread that drives the
// sessions (the io thread); tests may use it from their own thread only while
// fixguard is not running on it.
class Database {
 public:
  // Opens or creates the file, switches it to WAL and creates the schema.
  // Throws std::runtime_error naming the file when it cannot.
  explicit Database(const std::string& path);

  SQLite::Database& sql() { return db_; }
  const std::string& path() const { return path_; }
  // Puts every write committed so far on the disk (see sync_wal). Returns
  // why not, if it could not.
  std::optional<std::string> sync() const;

 private:
  std::string path_;
  SQLite::Database db_;
};

// Puts every transaction committed so far to the SQLite file at `path` (WAL
// mode, synchronous=NORMAL) on the disk: one fdatasync of its write-ahead
// log, which holds every commit since the last checkpoint (a checkpoint
// syncs what it moves). Many commits, one sync: this is group commit.
// Returns why not, if it could not; a missing log has nothing to sync.
std::optional<std::string> sync_wal(const std::string& path);

}  // namespace fixguard::persistence
