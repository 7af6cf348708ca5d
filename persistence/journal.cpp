#include "persistence/journal.h"

#include "persistence/database.h"

#include <SQLiteCpp/Transaction.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace fixguard::persistence {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS journal (
  seq             INTEGER PRIMARY KEY,
  at_us           INTEGER NOT NULL,
  day             INTEGER NOT NULL,
  kind            TEXT NOT NULL,
  client          TEXT NOT NULL,
  venue           TEXT NOT NULL,
  msg_type        TEXT NOT NULL,
  cl_ord_id       TEXT NOT NULL,
  account         TEXT NOT NULL,
  symbol          TEXT NOT NULL,
  outcome         TEXT NOT NULL,
  rule            TEXT NOT NULL,
  limit_value     TEXT NOT NULL,
  observed        TEXT NOT NULL,
  limits_version  TEXT NOT NULL,
  mode            TEXT NOT NULL,
  text            TEXT NOT NULL,
  raw             BLOB NOT NULL,
  reply           BLOB NOT NULL,
  hash            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS journal_clordids ON journal(cl_ord_id, client);
CREATE TABLE IF NOT EXISTS journal_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL
);
)sql";

constexpr const char* kColumns =
    "seq, at_us, day, kind, client, venue, msg_type, cl_ord_id, account, symbol, outcome, rule, limit_value, "
    "observed, limits_version, mode, text, raw, reply, hash";

constexpr std::array<std::string_view, 6> kKindNames = {"order", "out", "venue", "client", "control", "operator"};

// The text fields of an entry, in their column order (columns 4 to 16, from 0).
template <class Entry>
auto text_fields(Entry& e) {
  return std::array{&e.client, &e.venue, &e.msg_type, &e.cl_ord_id,      &e.account, &e.symbol, &e.outcome,
                    &e.rule,   &e.limit, &e.observed, &e.limits_version, &e.mode,    &e.text};
}

std::string blob(const SQLite::Column& c) {
  return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
}

JournalEntry read_entry(SQLite::Statement& q) {
  JournalEntry e;
  e.seq = q.getColumn(0).getInt64();
  e.at_us = q.getColumn(1).getInt64();
  e.day = q.getColumn(2).getInt();
  const std::string kind = q.getColumn(3).getString();
  const auto k = kind_of(kind);
  if (!k) throw std::runtime_error("journal entry " + std::to_string(e.seq) + " has an unknown kind '" + kind + "'");
  e.kind = *k;
  int column = 4;
  for (std::string* t : text_fields(e)) *t = q.getColumn(column++).getString();
  e.raw = blob(q.getColumn(17));
  e.reply = blob(q.getColumn(18));
  e.hash = q.getColumn(19).getString();
  return e;
}

std::unique_ptr<SQLite::Database> open(const std::string& path, int flags) {
  try {
    return std::make_unique<SQLite::Database>(path, flags);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open journal " + path + ": " + e.what());
  }
}

}  // namespace

std::string_view kind_name(JournalEntry::Kind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::optional<JournalEntry::Kind> kind_of(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<JournalEntry::Kind>(i);
  return std::nullopt;
}

std::string entry_hash(const JournalEntry& e, const std::string& previous) {
  // Each field as <length>:<bytes>, so no two contents encode alike.
  std::string content;
  content.reserve(256 + e.raw.size() + e.reply.size() + e.text.size());
  const auto put = [&](std::string_view v) {
    content += std::to_string(v.size());
    content += ':';
    content += v;
  };
  put(previous);
  put(std::to_string(e.seq));
  put(std::to_string(e.at_us));
  put(std::to_string(e.day));
  put(kind_name(e.kind));
  for (const std::string* t : text_fields(e)) put(*t);
  put(e.raw);
  put(e.reply);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

Journal::Journal(const std::string& path, Durability durability)
    : path_(path), durability_(durability), db_(open(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)) {
  try {
    db_->exec("PRAGMA journal_mode=WAL");
    // Commits are written, not synced; sync() syncs many at once.
    db_->exec("PRAGMA synchronous=NORMAL");
    // Nothing else writes this file: a lock held elsewhere is a fault to
    // report at once, not to wait out on the order path.
    db_->exec("PRAGMA busy_timeout=100");
    db_->exec(kSchema);
    insert_ = std::make_unique<SQLite::Statement>(
        *db_, std::string("INSERT INTO journal(") + kColumns +
                  ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    find_order_ = std::make_unique<SQLite::Statement>(
        *db_,
        "SELECT outcome FROM journal WHERE cl_ord_id = ? AND client = ? AND day = ? AND kind = 'order' "
        "ORDER BY seq DESC LIMIT 1");
    head_ =
        std::make_unique<SQLite::Statement>(*db_, "INSERT OR REPLACE INTO journal_head(id, seq, hash) VALUES(1, ?, ?)");
    SQLite::Statement q(*db_, "SELECT seq, hash FROM journal_head WHERE id = 1");
    if (q.executeStep()) {
      last_seq_ = q.getColumn(0).getInt64();
      written_hash_ = q.getColumn(1).getString();
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot prepare journal " + path + ": " + e.what());
  }
}

Journal::~Journal() { commit(); }

int64_t Journal::append(JournalEntry e) {
  e.seq = ++last_seq_;
  pending_.push_back(std::move(e));
  return last_seq_;
}

bool Journal::has_order(const std::string& client, std::string_view cl_ord_id, int32_t day) {
  for (auto e = pending_.rbegin(); e != pending_.rend(); ++e)
    if (e->kind == JournalEntry::Kind::order && e->client == client && e->cl_ord_id == cl_ord_id && e->day == day)
      return e->outcome != "unsent";
  SQLite::Statement& q = *find_order_;
  q.reset();
  q.bind(1, std::string(cl_ord_id));
  q.bind(2, client);
  q.bind(3, day);
  const bool found = q.executeStep() && q.getColumn(0).getString() != "unsent";
  q.reset();
  return found;
}

void Journal::set_reply(int64_t seq, std::string reply) {
  if (pending_.empty() || seq < pending_.front().seq || seq > pending_.back().seq) return;
  pending_[static_cast<std::size_t>(seq - pending_.front().seq)].reply = std::move(reply);
}

void Journal::retract() {
  if (pending_.empty()) return;
  pending_.pop_back();
  --last_seq_;
}

bool Journal::commit() {
  if (pending_.empty()) {
    fault_.clear();
    return true;
  }
  try {
    write_pending();
    pending_.clear();
    fault_.clear();
    return true;
  } catch (const std::exception& e) {
    fault_ = e.what();
    // A statement left mid-step would hold its lock into the next try.
    for (SQLite::Statement* s : {insert_.get(), head_.get()}) try {
        s->reset();
      } catch (const std::exception&) {
      }
    return false;
  }
}

bool Journal::sync() {
  if (const auto why = sync_wal(path_)) {
    sync_fault_ = *why;
    return false;
  }
  sync_fault_.clear();
  return true;
}

void Journal::write_pending() {
  SQLite::Transaction tx(*db_);
  std::string previous = written_hash_;
  for (JournalEntry& e : pending_) {
    e.hash = entry_hash(e, previous);
    previous = e.hash;
    SQLite::Statement& s = *insert_;
    s.reset();
    s.bind(1, static_cast<int64_t>(e.seq));
    s.bind(2, static_cast<int64_t>(e.at_us));
    s.bind(3, e.day);
    s.bind(4, std::string(kind_name(e.kind)));
    int column = 5;
    for (const std::string* t : text_fields(e)) s.bindNoCopy(column++, *t);
    s.bindNoCopy(18, e.raw.data(), static_cast<int>(e.raw.size()));
    s.bindNoCopy(19, e.reply.data(), static_cast<int>(e.reply.size()));
    s.bindNoCopy(20, e.hash);
    s.exec();
  }
  head_->reset();
  head_->bind(1, static_cast<int64_t>(pending_.back().seq));
  head_->bind(2, pending_.back().hash);
  head_->exec();
  tx.commit();
  written_hash_ = previous;
}

JournalReader::JournalReader(const std::string& path) : path_(path), db_(open(path, SQLite::OPEN_READONLY)) {
  db_->exec("PRAGMA busy_timeout=5000");
}

std::vector<JournalEntry> JournalReader::orders(const Filter& f) const {
  std::string sql = std::string("SELECT ") + kColumns + " FROM journal WHERE kind = 'order'";
  if (f.from_us) sql += " AND at_us >= " + std::to_string(*f.from_us);
  if (f.to_us) sql += " AND at_us < " + std::to_string(*f.to_us);
  std::vector<const std::string*> values;  // bound in order
  const std::pair<const char*, const std::string*> fields[] = {{"outcome", &f.outcome},
                                                               {"client", &f.client},
                                                               {"account", &f.account},
                                                               {"symbol", &f.symbol},
                                                               {"rule", &f.rule}};
  for (const auto& [column, value] : fields)
    if (!value->empty()) {
      sql += std::string(" AND ") + column + " = ?";
      values.push_back(value);
    }
  sql += " ORDER BY seq";
  SQLite::Statement q(*db_, sql);
  for (std::size_t i = 0; i < values.size(); ++i) q.bind(static_cast<int>(i + 1), *values[i]);
  std::vector<JournalEntry> out;
  while (q.executeStep()) out.push_back(read_entry(q));
  return out;
}

void JournalReader::each(const std::function<void(const JournalEntry&)>& f) const {
  SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM journal ORDER BY seq");
  while (q.executeStep()) f(read_entry(q));
}

JournalReader::Verdict JournalReader::verify() const {
  // One snapshot for the entries and the head, while fixguard writes on.
  SQLite::Transaction snapshot(*db_);
  Verdict v;
  std::string previous;
  int64_t expected = 1;
  SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM journal ORDER BY seq");
  while (q.executeStep()) {
    JournalEntry e;
    try {
      e = read_entry(q);
    } catch (const std::exception& ex) {
      v.intact = false;
      v.problem = ex.what();
      return v;
    }
    if (e.seq != expected) {
      v.intact = false;
      v.problem = e.seq - expected == 1 ? "entry " + std::to_string(expected) + " is missing (deleted)"
                                        : "entries " + std::to_string(expected) + " to " + std::to_string(e.seq - 1) +
                                              " are missing (deleted)";
      return v;
    }
    if (entry_hash(e, previous) != e.hash) {
      v.intact = false;
      v.problem = "entry " + std::to_string(e.seq) + " does not match its hash (edited, or moved from elsewhere)";
      return v;
    }
    previous = e.hash;
    ++expected;
    ++v.entries;
  }
  SQLite::Statement head(*db_, "SELECT seq, hash FROM journal_head WHERE id = 1");
  const int64_t last = expected - 1;
  if (head.executeStep()) {
    const int64_t head_seq = head.getColumn(0).getInt64();
    if (head_seq != last || head.getColumn(1).getString() != previous) {
      v.intact = false;
      v.problem = head_seq > last ? "entries after " + std::to_string(last) + " up to " + std::to_string(head_seq) +
                                        " are missing (deleted at the end)"
                                  : "the head names entry " + std::to_string(head_seq) + " but the journal ends at " +
                                        std::to_string(last) + " with another hash (edited)";
    }
  } else if (last > 0) {
    v.intact = false;
    v.problem = "the journal's head is missing (deleted)";
  }
  return v;
}

}  // namespace fixguard::persistence
