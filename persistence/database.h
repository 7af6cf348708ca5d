// The one SQLite file (WAL mode) that holds fixguard's persistent state: FIX
// session stores for every session, and messages that could not be routed.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <mutex>
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

 private:
  std::string path_;
  SQLite::Database db_;
};

}  // namespace fixguard::persistence
