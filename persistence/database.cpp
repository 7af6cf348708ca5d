#include "persistence/database.h"

#include "persistence/wal_vfs.h"

#include <SQLiteCpp/Transaction.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fixguard::persistence {
namespace {

SQLite::Database open(const std::string& path) {
  try {
    // One thread uses the connection (see the class): no SQLite mutex per call.
    return SQLite::Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 0, wal_vfs());
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot open database " + path + ": " + e.what());
  }
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS fix_session (
  session       TEXT PRIMARY KEY,
  creation_us   INTEGER NOT NULL,
  next_sender   INTEGER NOT NULL,
  next_target   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS fix_message (
  session  TEXT NOT NULL,
  seqnum   INTEGER NOT NULL,
  message  BLOB NOT NULL,
  PRIMARY KEY (session, seqnum)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS clordid_seen (
  client   TEXT NOT NULL,
  day      INTEGER NOT NULL,
  clordid  BLOB NOT NULL,
  PRIMARY KEY (client, day, clordid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trading_controls (
  kind           TEXT NOT NULL,
  name           TEXT NOT NULL,
  state          TEXT NOT NULL,
  state_reason   TEXT NOT NULL,
  zone           TEXT NOT NULL,
  zone_reason    TEXT NOT NULL,
  size_factor    TEXT,
  peak           TEXT,
  day_start      TEXT,
  monitor_day    INTEGER,
  stop_phase     TEXT NOT NULL,
  stop_reason    TEXT NOT NULL,
  tripped_at_ns  INTEGER NOT NULL,
  tripped_day    INTEGER NOT NULL,
  last_reset     TEXT NOT NULL,
  equity         TEXT,
  updated_us     INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS operator_action (
  id        INTEGER PRIMARY KEY,
  at_us     INTEGER NOT NULL,
  operator  TEXT NOT NULL,
  action    TEXT NOT NULL,
  scope     TEXT NOT NULL,
  reason    TEXT NOT NULL,
  outcome   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unrouted_message (
  id           INTEGER PRIMARY KEY,
  received_us  INTEGER NOT NULL,
  session      TEXT NOT NULL,
  reason       TEXT NOT NULL,
  message      BLOB NOT NULL
);
)sql";

}  // namespace

Database::Database(const std::string& path) : path_(path), db_(open(path)) {
  try {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA busy_timeout=5000");
    db_.exec(kSchema);
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot prepare database " + path + ": " + e.what());
  }
}

std::optional<std::string> Database::sync() const { return sync_wal(path_); }

void Database::write(Write w) {
  if (on_pending_) {
    pending_.push_back(std::move(w));
    if (pending_.size() == 1) on_pending_();
    return;
  }
  SQLite::Transaction tx(db_);
  w(*this);
  tx.commit();
}

void Database::batch(std::function<void()> on_pending) { on_pending_ = std::move(on_pending); }

std::optional<std::string> Database::commit() {
  if (pending_.empty()) return std::nullopt;
  try {
    SQLite::Transaction tx(db_);
    for (const Write& w : pending_) w(*this);
    tx.commit();
    pending_.clear();
    return std::nullopt;
  } catch (const std::exception& e) {
    // A statement left mid-step would hold its lock into the next try.
    for (auto& [sql, s] : prepared_) try {
        s->reset();
      } catch (const std::exception&) {
      }
    return std::string(e.what());
  }
}

SQLite::Statement& Database::prepared(const char* sql) {
  std::unique_ptr<SQLite::Statement>& s = prepared_[sql];
  if (!s) s = std::make_unique<SQLite::Statement>(db_, sql);
  s->reset();
  s->clearBindings();
  return *s;
}

std::optional<std::string> sync_wal(const std::string& path) {
  const std::string wal = path + "-wal";
  const int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    return "cannot open " + wal + " to sync it: " + std::strerror(errno);
  }
  std::optional<std::string> why;
  if (::fdatasync(fd) != 0) why = "cannot sync " + wal + ": " + std::strerror(errno);
  ::close(fd);
  return why;
}

}  // namespace fixguard::persistence
