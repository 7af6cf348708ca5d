#include "persistence/database.h"

#include "persistence/wal_vfs.h"

#include <SQLiteCpp/Transaction.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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

enum class ParamType : uint8_t { null, integer, text, blob };

WriteLog::Applier statements_applier(SQLite::Database& db) {
  return [&db, cache = std::make_shared<StatementCache>()](const std::vector<std::string_view>& payloads) {
    for (const std::string_view p : payloads) run_statements(db, *cache, p);
  };
}

}  // namespace

void Statements::add(std::string_view sql, std::initializer_list<Param> params) {
  WriteLog::put(encoded_, sql);
  WriteLog::put(encoded_, static_cast<uint64_t>(params.size()));
  for (const Param& p : params) {
    if (std::holds_alternative<Statements::Null>(p)) {
      WriteLog::put(encoded_, static_cast<uint64_t>(ParamType::null));
    } else if (const auto* n = std::get_if<int64_t>(&p)) {
      WriteLog::put(encoded_, static_cast<uint64_t>(ParamType::integer));
      WriteLog::put(encoded_, static_cast<uint64_t>(*n));
    } else if (const auto* t = std::get_if<std::string_view>(&p)) {
      WriteLog::put(encoded_, static_cast<uint64_t>(ParamType::text));
      WriteLog::put(encoded_, *t);
    } else {
      WriteLog::put(encoded_, static_cast<uint64_t>(ParamType::blob));
      WriteLog::put(encoded_, std::get<Blob>(p).bytes);
    }
  }
}

void run_statements(SQLite::Database& db, StatementCache& cache, std::string_view encoded) {
  WriteLog::Reader in(encoded);
  while (!in.done()) {
    const std::string_view sql = in.bytes();
    auto it = cache.find(sql);
    if (it == cache.end())
      it = cache.emplace(std::string(sql), std::make_unique<SQLite::Statement>(db, std::string(sql))).first;
    SQLite::Statement& s = *it->second;
    s.reset();
    s.clearBindings();
    const uint64_t count = in.number();
    for (int i = 1; i <= static_cast<int>(count); ++i) {
      const auto type = static_cast<ParamType>(in.number());
      if (type == ParamType::null) {
        s.bind(i);
        continue;
      }
      if (type == ParamType::integer) {
        s.bind(i, static_cast<int64_t>(in.number()));
        continue;
      }
      const std::string_view v = in.bytes();
      if (type == ParamType::text)
        s.bind(i, std::string(v));
      else
        s.bind(i, v.data(), static_cast<int>(v.size()));  // a copy: `encoded` may not outlive the step
    }
    s.exec();
  }
}

Database::Database(const std::string& path, const std::string& shared_log) : path_(path), db_(open(path)) {
  try {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA busy_timeout=5000");
    db_.exec(kSchema);
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot prepare database " + path + ": " + e.what());
  }
  // What the last run appended and did not apply is read from here on.
  WriteLog::recover(db_, path_, statements_applier);
  if (!shared_log.empty()) WriteLog::recover(db_, shared_log, 1, statements_applier);
}

WriteLog::MakeApplier Database::applier() { return statements_applier; }

std::optional<std::string> Database::sync() const {
  if (writes_log()) return std::nullopt;  // see batch()
  return sync_wal(path_);
}

void Database::write(Write w) { queue(std::move(w), false); }

void Database::write_at_commit(Write w) { queue(std::move(w), true); }

void Database::queue(Write w, bool at_commit) {
  if (on_pending_) {
    pending_.push_back(Pending{std::move(w), at_commit});
    if (!commit_asked_) {
      commit_asked_ = true;
      on_pending_();
    }
    return;
  }
  Statements s;
  w(s);
  SQLite::Transaction tx(db_);
  run_statements(db_, writes_, s.encoded());
  tx.commit();
}

void Database::batch(std::function<void()> on_pending, bool sync) {
  log_ = std::make_unique<WriteLog>(path_, sync, statements_applier);
  on_pending_ = std::move(on_pending);
}

void Database::batch(std::function<void()> on_pending, WriteLog& shared, std::size_t part) {
  shared_ = &shared;
  part_ = part;
  on_pending_ = std::move(on_pending);
}

std::optional<std::string> Database::commit() {
  if (auto why = append(true)) return why;
  commit_asked_ = false;
  return std::nullopt;
}

std::optional<std::string> Database::append(bool all) {
  const auto counts = [all](const Pending& p) { return all || !p.at_commit; };
  if (std::none_of(pending_.begin(), pending_.end(), counts)) return std::nullopt;
  if (!all && settle_first_) settle_first_();
  WriteLog& log = *writes_log();
  try {
    // The sequence numbers last. An append applies whole or not at all
    // (see WriteLog), so this is a second guard: were an append ever
    // applied only up to a cut (a kill stops a long write between pages),
    // what was cut off would count as neither sent nor read, and would be
    // sent again and asked for again.
    for (const bool at_commit : {false, true})
      for (const Pending& p : pending_) {
        if (p.at_commit != at_commit || !counts(p)) continue;
        Statements s;
        p.write(s);
        log.add(s.encoded(), part_);
      }
  } catch (const std::exception& e) {
    log.take_back();
    return std::string(e.what());
  }
  // Its own log syncs as batch() was told; a shared one, when its owner says.
  if (auto why = log_ ? log.append() : log.append_unsynced()) {
    log.take_back();
    return why;
  }
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(), counts), pending_.end());
  return std::nullopt;
}

std::optional<std::string> Database::settle() {
  if (auto why = append(false)) return why;
  if (WriteLog* log = writes_log()) return log->drain();
  return std::nullopt;
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
