// The one SQLite file (WAL mode) that holds fixguard's persistent state: FIX
// session stores for every session, ClOrdIDs used, trading controls,
// operator actions, and messages that could not be routed.
//
// Writes go through write(), as statements with their parameters. In the
// gateway they are batched: the writes of one turn of the event loop (a
// read of many messages, a timer) cost one append to the journal's write
// log, which this file shares (one sync for both), made before anything
// that turn sent can leave (see proxy/write_barrier.h), and the log's
// thread applies them to the SQLite file behind the order path (see
// write_log.h).
#pragma once

#include "persistence/write_log.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fixguard::persistence {

// The statements of one write, encoded: as they wait, are logged and are
// applied.
class Statements {
 public:
  struct Blob {
    std::string_view bytes;
  };
  struct Null {};
  using Param = std::variant<Null, int64_t, std::string_view, Blob>;  // NULL, an integer, text, bytes
  // `sql`: an INSERT, UPDATE or DELETE with a `?` for each of `params`.
  void add(std::string_view sql, std::initializer_list<Param> params);
  const std::string& encoded() const { return encoded_; }

 private:
  std::string encoded_;
};

// Statements prepared on one connection, by their text.
using StatementCache = std::map<std::string, std::unique_ptr<SQLite::Statement>, std::less<>>;
// Runs the statements `encoded` on `db` (inside the caller's transaction).
// Throws what fails.
void run_statements(SQLite::Database& db, StatementCache& cache, std::string_view encoded);

// Owns the connection. Thread: all use happens on the thread that drives the
// sessions (the io thread); tests may use it from their own thread only while
// fixguard is not running on it.
class Database {
 public:
  // Opens or creates the file, switches it to WAL and creates the schema.
  // Its writes that a write log holds and the file does not yet are
  // applied: from its own log, and from the log of the SQLite file at
  // `shared_log` (as its part 1) if given. Throws std::runtime_error naming
  // the file when it cannot.
  explicit Database(const std::string& path, const std::string& shared_log = "");

  // How a write log applies this file's writes (see batch()).
  static WriteLog::MakeApplier applier();

  SQLite::Database& sql() { return db_; }
  const std::string& path() const { return path_; }
  // Puts every write committed so far on the disk (see sync_wal). Returns
  // why not, if it could not. Batched writes are on the disk when commit()
  // returns if batch() was told to sync.
  std::optional<std::string> sync() const;

  // A write: adds the statements to run (when it runs: a write of what is
  // current then; it may run again if its batch is tried again).
  using Write = std::function<void(Statements&)>;
  // Runs `w`'s statements in a transaction of their own at once (throws
  // what fails), or, once batching is on, keeps `w` for the next commit().
  void write(Write w);
  // The same for a write that only commit() makes, never settle(): how far
  // a FIX session has read its peer. A read in the middle of a batch (a
  // ResendRequest answered from the store) must not store that number
  // ahead of what the messages read caused (an order still waiting to be
  // forwarded): after a crash the peer would not send them again.
  void write_at_commit(Write w);
  // From now on writes wait for commit(), which appends all of them, in
  // order, to the file's write log at once, for its thread to apply:
  // `sync`: each commit is synced to the disk. `on_pending` is called when
  // a write waits and none did before (to schedule the commit). Throws
  // std::runtime_error when the log cannot be opened.
  void batch(std::function<void()> on_pending, bool sync);
  // The same, appending to `shared` (as its part `part`, this file), which
  // must outlive the batching; its owner syncs it, and sync() does nothing.
  void batch(std::function<void()> on_pending, WriteLog& shared, std::size_t part);
  // A settle() that commits waiting writes first runs `first`: the gateway
  // writes the journal there, as its flush does before commit(), so that
  // what this file holds of a batch follows the journal's record of it.
  void settle_after(std::function<void()> first) { settle_first_ = std::move(first); }
  // Appends the waiting writes to the write log. Returns why not, if it
  // could not: nothing of them is written then, and all of them wait, in
  // order, for the next commit.
  std::optional<std::string> commit();
  // Commits the waiting writes but those of write_at_commit(), which wait
  // on in order, then waits until everything committed is in the SQLite
  // file, for a read to see it. Returns why not.
  std::optional<std::string> settle();
  std::size_t pending() const { return pending_.size(); }
  // A statement prepared once per `sql` (a string that lives as long as
  // the program: its address is the key), reset and unbound. For reads:
  // settle() first.
  SQLite::Statement& prepared(const char* sql);
  // The write log, once batching is on (for its stats).
  const WriteLog* log() const { return writes_log(); }

 private:
  std::string path_;
  SQLite::Database db_;
  std::map<const char*, std::unique_ptr<SQLite::Statement>> prepared_;
  StatementCache writes_;             // statements of unbatched writes
  std::function<void()> on_pending_;  // set: batching
  bool commit_asked_ = false;         // on_pending_ called since the last commit()
  struct Pending {
    Write write;
    bool at_commit;  // from write_at_commit()
  };
  std::vector<Pending> pending_;
  std::function<void()> settle_first_;
  void queue(Write w, bool at_commit);
  // Appends the waiting writes (but those of write_at_commit() unless
  // `all`) to the write log.
  std::optional<std::string> append(bool all);
  std::unique_ptr<WriteLog> log_;  // from batch(), when the log is this file's own
  WriteLog* shared_ = nullptr;     // from batch(), when it is shared
  std::size_t part_ = 0;           // in shared_
  WriteLog* writes_log() const { return log_ ? log_.get() : shared_; }
};

// Puts every transaction committed so far to the SQLite file at `path` (WAL
// mode, synchronous=NORMAL) on the disk: one fdatasync of its write-ahead
// log, which holds every commit since the last checkpoint (a checkpoint
// syncs what it moves). Many commits, one sync: this is group commit.
// Returns why not, if it could not; a missing log has nothing to sync.
std::optional<std::string> sync_wal(const std::string& path);

}  // namespace fixguard::persistence
