// The one SQLite file (WAL mode) that holds fixguard's persistent state: FIX
// session stores for every session, ClOrdIDs used, trading controls,
// operator actions, and messages that could not be routed.
//
// Writes go through write(): in the gateway they are batched, so that the
// work of one turn of the event loop (a read of many messages, a timer)
// costs one transaction, committed before anything it sent can leave (see
// proxy/write_barrier.h).
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

  // A write: statements run inside a transaction the Database opens.
  using Write = std::function<void(Database&)>;
  // Runs `w` in a transaction of its own at once (throws what it throws),
  // or, once batching is on, keeps it to run at the next commit().
  void write(Write w);
  // From now on writes wait for commit(), which runs all of them, in order,
  // in one transaction: many writes, one commit. `on_pending` is called
  // when a write waits and none did before (to schedule the commit).
  void batch(std::function<void()> on_pending);
  // Runs the waiting writes in one transaction. Returns why not, if it
  // could not: nothing of them is written then, and all of them wait, in
  // order, for the next commit (as SQLite may undo a whole transaction on
  // a full disk, they are kept in memory until one succeeds).
  std::optional<std::string> commit();
  std::size_t pending() const { return pending_.size(); }
  // A statement prepared once per `sql` (a string that lives as long as
  // the program: its address is the key), reset and unbound.
  SQLite::Statement& prepared(const char* sql);

 private:
  std::string path_;
  SQLite::Database db_;
  std::map<const char*, std::unique_ptr<SQLite::Statement>> prepared_;
  std::function<void()> on_pending_;  // set: batching
  std::vector<Write> pending_;
};

// Puts every transaction committed so far to the SQLite file at `path` (WAL
// mode, synchronous=NORMAL) on the disk: one fdatasync of its write-ahead
// log, which holds every commit since the last checkpoint (a checkpoint
// syncs what it moves). Many commits, one sync: this is group commit.
// Returns why not, if it could not; a missing log has nothing to sync.
std::optional<std::string> sync_wal(const std::string& path);

}  // namespace fixguard::persistence
