#include "persistence/journal.h"

#include "persistence/checkpointer.h"
#include "persistence/database.h"
#include "persistence/wal_vfs.h"

#include <SQLiteCpp/Transaction.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <tuple>
#include <utility>

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
-- For decided(): order entries only (one entry in six), so that the other
-- entries cost no index work. Older files had an index over every entry.
DROP INDEX IF EXISTS journal_clordids;
CREATE INDEX IF NOT EXISTS journal_order_clordids ON journal(cl_ord_id, client) WHERE kind = 'order';
CREATE TABLE IF NOT EXISTS journal_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal_base (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL,
  day   INTEGER NOT NULL
);
)sql";

constexpr const char* kColumns =
    "seq, at_us, day, kind, client, venue, msg_type, cl_ord_id, account, symbol, outcome, rule, limit_value, "
    "observed, limits_version, mode, text, raw, reply, hash";

constexpr std::array<std::string_view, 7> kKindNames = {"order",   "out",      "venue",   "client",
                                                        "control", "operator", "security"};

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

// Binds entries, one after another, to an INSERT of kColumns. A text column
// empty in an entry and in the one bound before keeps its binding (SQLite
// keeps bindings across resets): most entries leave half of their text
// columns empty, and each bind costs a couple of hundred instructions.
class EntryBinder {
 public:
  explicit EntryBinder(SQLite::Statement& s) : s_(s) {}

  void bind(const JournalEntry& e) {
    s_.reset();
    s_.bind(1, static_cast<int64_t>(e.seq));
    s_.bind(2, static_cast<int64_t>(e.at_us));
    s_.bind(3, e.day);
    s_.bindNoCopy(4, kind_name(e.kind).data());  // a literal: NUL-terminated, never freed
    int column = 5;
    std::size_t i = 0;
    for (const std::string* t : text_fields(e)) {
      if (!t->empty()) {
        s_.bindNoCopy(column, *t);
        empty_[i] = false;
      } else if (!empty_[i]) {
        s_.bindNoCopy(column, "");  // static: stays valid for later entries
        empty_[i] = true;
      }
      ++column;
      ++i;
    }
    s_.bindNoCopy(18, e.raw.data(), static_cast<int>(e.raw.size()));
    s_.bindNoCopy(19, e.reply.data(), static_cast<int>(e.reply.size()));
    s_.bindNoCopy(20, e.hash);
  }

 private:
  SQLite::Statement& s_;
  std::array<bool, std::tuple_size_v<decltype(text_fields(std::declval<JournalEntry&>()))>> empty_{};
};

std::string insert_sql(const char* verb) {
  return std::string(verb) + " INTO journal(" + kColumns +
         ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
}

std::unique_ptr<SQLite::Database> open(const std::string& path, int flags) {
  try {
    return std::make_unique<SQLite::Database>(path, flags, 0, wal_vfs());
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open journal " + path + ": " + e.what());
  }
}

void encode_entry(const JournalEntry& e, std::string& out) {
  out.clear();
  WriteLog::put(out, static_cast<uint64_t>(e.seq));
  WriteLog::put(out, static_cast<uint64_t>(e.at_us));
  WriteLog::put(out, static_cast<uint64_t>(static_cast<uint32_t>(e.day)));
  WriteLog::put(out, static_cast<uint64_t>(e.kind));
  for (const std::string* t : text_fields(e)) WriteLog::put(out, *t);
  WriteLog::put(out, e.raw);
  WriteLog::put(out, e.reply);
}

// Reads into `e` what encode_entry wrote, reusing its strings' buffers.
void decode_entry(std::string_view encoded, JournalEntry& e) {
  WriteLog::Reader in(encoded);
  e.seq = static_cast<int64_t>(in.number());
  e.at_us = static_cast<int64_t>(in.number());
  e.day = static_cast<int32_t>(static_cast<uint32_t>(in.number()));
  e.kind = static_cast<JournalEntry::Kind>(in.number());
  for (std::string* t : text_fields(e)) *t = in.bytes();
  e.raw = in.bytes();
  e.reply = in.bytes();
  e.hash.clear();
}

JournalEntry decode_entry(std::string_view encoded) {
  JournalEntry e;
  decode_entry(encoded, e);
  return e;
}

// Writes entries appended to the write log: hashed in order, each chained to
// the one before, the head moved to the last; entries the file holds
// already (recovery after a crash between an apply and the log's emptying)
// are left out.
WriteLog::Applier entries_applier(SQLite::Database& db) {
  auto insert = std::make_shared<SQLite::Statement>(db, insert_sql("INSERT"));
  auto binder = std::make_shared<EntryBinder>(*insert);
  auto head =
      std::make_shared<SQLite::Statement>(db, "INSERT OR REPLACE INTO journal_head(id, seq, hash) VALUES(1, ?, ?)");
  auto read_head = std::make_shared<SQLite::Statement>(db, "SELECT seq, hash FROM journal_head WHERE id = 1");
  return [insert, binder, head, read_head](const std::vector<std::string_view>& payloads) {
    read_head->reset();
    int64_t seq = 0;
    std::string previous;
    if (read_head->executeStep()) {
      seq = read_head->getColumn(0).getInt64();
      previous = read_head->getColumn(1).getString();
    }
    read_head->reset();
    int64_t last = seq;
    JournalEntry e;  // one for all: its buffers serve each entry in turn
    for (const std::string_view p : payloads) {
      decode_entry(p, e);
      if (e.seq <= last) continue;
      e.hash = entry_hash(e, previous);
      previous = e.hash;
      binder->bind(e);
      insert->exec();
      last = e.seq;
    }
    if (last == seq) return;
    head->reset();
    head->bind(1, static_cast<int64_t>(last));
    head->bind(2, previous);
    head->exec();
  };
}

}  // namespace

std::string_view kind_name(JournalEntry::Kind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::optional<JournalEntry::Kind> kind_of(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == name) return static_cast<JournalEntry::Kind>(i);
  return std::nullopt;
}

std::string entry_hash(const JournalEntry& e, const std::string& previous) {
  // SHA-256 over each field as <length>:<bytes>, so no two contents encode
  // alike. The fields are laid out in one buffer kept per thread and handed to
  // the digest in one update (an update per field cost more in the digest's
  // calls than in its rounds); the algorithm and context are set up once per
  // thread, not per entry.
  struct Digest {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::string content;
    ~Digest() {
      EVP_MD_CTX_free(ctx);
      EVP_MD_free(md);
    }
  };
  thread_local Digest d;
  std::string& content = d.content;
  content.clear();
  const auto put = [&](std::string_view v) {
    char length[24];
    char* end = std::to_chars(length, length + sizeof length - 1, v.size()).ptr;
    *end++ = ':';
    content.append(length, end).append(v);
  };
  const auto put_number = [&](int64_t n) {
    char text[24];
    put(std::string_view(text, static_cast<std::size_t>(std::to_chars(text, text + sizeof text, n).ptr - text)));
  };
  put(previous);
  put_number(e.seq);
  put_number(e.at_us);
  put_number(e.day);
  put(kind_name(e.kind));
  for (const std::string* t : text_fields(e)) put(*t);
  put(e.raw);
  put(e.reply);
  const bool ok = d.md && d.ctx && EVP_DigestInit_ex2(d.ctx, d.md, nullptr) == 1 &&
                  EVP_DigestUpdate(d.ctx, content.data(), content.size()) == 1;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!ok || EVP_DigestFinal_ex(d.ctx, digest, &size) != 1) throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(size * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

Journal::Journal(const std::string& path, Durability durability)
    : path_(path),
      durability_(durability),
      db_(open(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX)) {  // one thread
  try {
    db_->exec("PRAGMA journal_mode=WAL");
    // Commits are written, not synced; sync() syncs many at once.
    db_->exec("PRAGMA synchronous=NORMAL");
    // Nothing else writes this file: a lock held elsewhere is a fault to
    // report at once, not to wait out on the order path.
    db_->exec("PRAGMA busy_timeout=100");
    db_->exec(kSchema);
    // What the last run appended and did not apply, before the head is read.
    WriteLog::recover(*db_, path_, entries_applier);
    find_order_ = std::make_unique<SQLite::Statement>(
        *db_,
        "SELECT outcome, rule, text FROM journal WHERE cl_ord_id = ? AND client = ? AND day = ? AND kind = 'order' "
        "AND outcome <> 'dropped' ORDER BY seq");
    SQLite::Statement q(*db_, "SELECT seq FROM journal_head WHERE id = 1");
    if (q.executeStep()) last_seq_ = q.getColumn(0).getInt64();
    SQLite::Statement b(*db_, "SELECT seq, hash, day FROM journal_base WHERE id = 1");
    if (b.executeStep()) {
      base_seq_ = b.getColumn(0).getInt64();
      base_hash_ = b.getColumn(1).getString();
      base_day_ = b.getColumn(2).getInt();
    }
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot prepare journal " + path + ": " + e.what());
  }
}

Journal::~Journal() {
  commit();
  log_.reset();  // applies what is appended
}

WriteLog& Journal::use_write_log(std::vector<WriteLog::Part> also) {
  std::vector<WriteLog::Part> parts{{path_, entries_applier}};
  for (WriteLog::Part& p : also) parts.push_back(std::move(p));
  log_ = std::make_unique<WriteLog>(std::move(parts), durability_ == Durability::full);
  return *log_;
}

std::optional<std::string> Journal::settle() {
  if (!commit()) return fault_;
  if (!log_) return std::nullopt;
  return log_->drain();
}

int64_t Journal::append(JournalEntry e) {
  e.seq = ++last_seq_;
  pending_.push_back(std::move(e));
  return last_seq_;
}

Journal::Decided Journal::decided(const std::string& client, std::string_view cl_ord_id, int32_t day) {
  Decided d;
  bool accepted = false;
  const auto fold = [&](std::string_view outcome, auto rule, auto text) {
    if (outcome == "accepted") {
      accepted = true;
    } else if (outcome == "unsent") {
      accepted = false;
    } else if (outcome == "rejected") {
      d.outcome = Decided::Outcome::rejected;
      d.rule = rule();
      d.text = text();
    }
  };
  if (log_)
    if (const auto why = log_->drain()) throw std::runtime_error(*why);
  SQLite::Statement& q = *find_order_;
  q.reset();
  q.bind(1, std::string(cl_ord_id));
  q.bind(2, client);
  q.bind(3, day);
  while (q.executeStep())
    fold(
        q.getColumn(0).getText(), [&] { return q.getColumn(1).getString(); },
        [&] { return q.getColumn(2).getString(); });
  q.reset();
  for (const JournalEntry& e : pending_)
    if (e.kind == JournalEntry::Kind::order && e.client == client && e.cl_ord_id == cl_ord_id && e.day == day)
      fold(
          e.outcome, [&] { return e.rule; }, [&] { return e.text; });
  if (accepted) d.outcome = Decided::Outcome::accepted;
  return d;
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

void Journal::defer_checkpoints() { Checkpointer::set_backstop(*db_); }

void Journal::withdraw(int64_t seq) {
  if (pending_.empty() || seq < pending_.front().seq || seq > pending_.back().seq) return;
  auto at = pending_.begin() + (seq - pending_.front().seq);
  for (auto e = pending_.erase(at); e != pending_.end(); ++e) --e->seq;
  --last_seq_;
}

bool Journal::commit() {
  if (pending_.empty()) {
    fault_.clear();
    return true;
  }
  if (log_) {
    for (const JournalEntry& e : pending_) {
      encode_entry(e, encoded_);
      log_->add(encoded_);
    }
    if (auto why = log_->append_unsynced()) {
      log_->take_back();
      fault_ = std::move(*why);
      return false;
    }
    pending_.clear();
    fault_.clear();
    return true;
  }
  // Without the log: written at once, in a transaction of their own, the
  // way the log's thread writes them (hashed in order from the head).
  try {
    std::vector<std::string> encoded;
    encoded.reserve(pending_.size());
    for (const JournalEntry& e : pending_) {
      encode_entry(e, encoded_);
      encoded.push_back(encoded_);
    }
    const std::vector<std::string_view> payloads(encoded.begin(), encoded.end());
    if (!direct_) direct_ = entries_applier(*db_);
    SQLite::Transaction tx(*db_);
    direct_(payloads);
    tx.commit();
    pending_.clear();
    fault_.clear();
    return true;
  } catch (const std::exception& e) {
    fault_ = e.what();
    direct_ = nullptr;  // a statement left mid-step would hold its lock into the next try
    return false;
  }
}

bool Journal::sync() {
  if (const auto why = log_ ? log_->sync() : sync_wal(path_)) {
    sync_fault_ = *why;
    return false;
  }
  sync_fault_.clear();
  return true;
}

std::string archive_path(const std::string& dir, const std::string& journal_path, int32_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return (std::filesystem::path(dir) / (std::filesystem::path(journal_path).stem().string() + "-" + date + ".db"))
      .string();
}

std::vector<std::string> archive_paths(const std::string& dir, const std::string& journal_path) {
  std::vector<std::string> out;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return out;
  const std::string stem = std::filesystem::path(journal_path).stem().string() + "-";
  for (const auto& f : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = f.path().filename().string();
    // <stem>-YYYY-MM-DD.db
    if (name.size() != stem.size() + 13 || name.compare(0, stem.size(), stem) != 0 ||
        name.compare(name.size() - 3, 3, ".db") != 0)
      continue;
    const std::string date = name.substr(stem.size(), 10);
    bool is_date = true;
    for (std::size_t k = 0; k < date.size(); ++k)
      is_date = is_date && (k == 4 || k == 7 ? date[k] == '-' : date[k] >= '0' && date[k] <= '9');
    if (is_date) out.push_back(f.path().string());
  }
  std::sort(out.begin(), out.end());  // by date: the order of their entries
  return out;
}

int32_t archive_day(const std::string& path) {
  // ...-YYYY-MM-DD.db
  const std::string date = path.substr(path.size() - 13, 10);
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(date.substr(0, 4))},
                                        std::chrono::month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                                        std::chrono::day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
  return static_cast<int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

namespace {

// Appends entries [first, last) of `batch` to the archive at `path`, whose
// chain starts after (base_seq, base_hash) if it is new. Synced when it
// returns. Entries it already holds are left as they are.
void write_archive(const std::string& path, const std::vector<JournalEntry>& batch, std::size_t first, std::size_t last,
                   int64_t base_seq, const std::string& base_hash, int32_t day) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA synchronous=FULL");  // a rollback journal, each commit synced: one file, on the disk
    db.exec(kSchema);
    SQLite::Transaction tx(db);
    SQLite::Statement base(db, "INSERT OR IGNORE INTO journal_base(id, seq, hash, day) VALUES(1, ?, ?, ?)");
    base.bind(1, static_cast<int64_t>(base_seq));
    base.bind(2, base_hash);
    base.bind(3, day);
    base.exec();
    SQLite::Statement insert(db, insert_sql("INSERT OR IGNORE"));
    EntryBinder binder(insert);
    for (std::size_t i = first; i < last; ++i) {
      binder.bind(batch[i]);
      insert.exec();
    }
    SQLite::Statement head(db, "INSERT OR REPLACE INTO journal_head(id, seq, hash) VALUES(1, ?, ?)");
    head.bind(1, static_cast<int64_t>(batch[last - 1].seq));
    head.bind(2, batch[last - 1].hash);
    head.exec();
    tx.commit();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write journal archive " + path + ": " + e.what());
  }
}

}  // namespace

std::size_t Journal::archive(const std::string& dir, int32_t today, std::size_t max_entries) {
  if (!pending_.empty() || max_entries == 0) return 0;
  if (log_)
    if (const auto why = log_->drain()) throw std::runtime_error("journal entries not yet written: " + *why);
  std::vector<JournalEntry> batch;
  {
    SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM journal WHERE seq > ? ORDER BY seq LIMIT ?");
    q.bind(1, static_cast<int64_t>(base_seq_));
    q.bind(2, static_cast<int64_t>(max_entries));
    while (q.executeStep()) {
      JournalEntry e = read_entry(q);
      if (e.day >= today) break;  // today's, and everything after it, stay
      batch.push_back(std::move(e));
    }
  }
  if (batch.empty()) return 0;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create the journal archive directory " + dir + ": " + ec.message());
  // One file per trading day; an entry of an earlier day written after a
  // later day's (an order marked unsent at a start) joins the later file,
  // so that the files hold consecutive ranges of entries.
  int64_t seq = base_seq_;
  std::string hash = base_hash_;
  int32_t day = base_day_;
  for (std::size_t first = 0; first < batch.size();) {
    day = std::max(day, batch[first].day);
    std::size_t last = first;
    while (last < batch.size() && batch[last].day <= day) ++last;
    write_archive(archive_path(dir, path_, day), batch, first, last, seq, hash, day);
    seq = batch[last - 1].seq;
    hash = batch[last - 1].hash;
    first = last;
  }
  try {
    SQLite::Transaction tx(*db_);
    SQLite::Statement remove(*db_, "DELETE FROM journal WHERE seq <= ?");
    remove.bind(1, static_cast<int64_t>(seq));
    remove.exec();
    SQLite::Statement base(*db_, "INSERT OR REPLACE INTO journal_base(id, seq, hash, day) VALUES(1, ?, ?, ?)");
    base.bind(1, static_cast<int64_t>(seq));
    base.bind(2, hash);
    base.bind(3, day);
    base.exec();
    tx.commit();
  } catch (const std::exception& e) {
    throw std::runtime_error("journal entries archived but not yet taken out of " + path_ + ": " + e.what());
  }
  base_seq_ = seq;
  base_hash_ = hash;
  base_day_ = day;
  return batch.size();
}

JournalReader::JournalReader(const std::string& path, const std::string& archive_dir)
    : path_(path), archives_(archive_paths(archive_dir, path)), db_(open(path, SQLite::OPEN_READONLY)) {
  db_->exec("PRAGMA busy_timeout=5000");
}

JournalReader::FileInfo JournalReader::file_info(SQLite::Database& db, const std::string* path) {
  JournalReader::FileInfo f;
  f.path = path;
  if (db.tableExists("journal_base")) {
    SQLite::Statement b(db, "SELECT seq, hash FROM journal_base WHERE id = 1");
    if (b.executeStep()) {
      f.base_seq = b.getColumn(0).getInt64();
      f.base_hash = b.getColumn(1).getString();
    }
  }
  SQLite::Statement h(db, "SELECT seq, hash FROM journal_head WHERE id = 1");
  if (h.executeStep()) {
    f.head_seq = h.getColumn(0).getInt64();
    f.head_hash = h.getColumn(1).getString();
  }
  return f;
}

void JournalReader::read(const std::string& query, const std::function<void(SQLite::Statement&)>& bind,
                         const std::function<bool(const JournalEntry&)>& keep,
                         const std::function<bool(const FileInfo&)>& on_file,
                         const std::function<bool(const JournalEntry&)>& on_entry,
                         const std::function<bool(int32_t)>& archive_day) const {
  // The write log before the file: the log's thread may apply entries to
  // the file and empty the log at any moment, so entries the log no longer
  // holds when it is read are in the file's snapshot taken after it. (Read
  // the other way round, entries applied and emptied between the two reads
  // were in neither.)
  const std::vector<std::string> logged = WriteLog::read_payloads(path_);
  // The journal's snapshot (taken at its first read) before the archives:
  // entries archived while the archives are read are still in it (and
  // skipped if an archive had them already).
  SQLite::Transaction snapshot(*db_);
  const FileInfo live = file_info(*db_, &path_);
  int64_t covered = 0;  // entries up to here were read
  const auto read_file = [&](SQLite::Database& db, const FileInfo& info) {
    if (!on_file(info)) return false;
    SQLite::Statement q(db, query);
    bind(q);
    while (q.executeStep()) {
      JournalEntry e = read_entry(q);
      if (e.seq <= covered) continue;
      if (!on_entry(e)) return false;
    }
    covered = std::max(covered, info.head_seq.value_or(0));
    return true;
  };
  for (const std::string& a : archives_) {
    // One left out holds only entries the query would not select (of its
    // day); any copies of them still in the journal are not selected either.
    if (archive_day && !archive_day(persistence::archive_day(a))) continue;
    const auto db = open(a, SQLite::OPEN_READONLY);
    if (!read_file(*db, file_info(*db, &a))) return;
  }
  if (!read_file(*db_, live)) return;
  // Then the write log's entries that follow the file's head, hashed as the
  // writer will hash them.
  const int64_t head = live.head_seq.value_or(live.base_seq);
  const std::string& head_hash = live.head_seq ? live.head_hash : live.base_hash;
  std::vector<JournalEntry> appended;
  std::string previous = head_hash;
  for (const std::string& p : logged) {
    JournalEntry e = decode_entry(p);
    if (e.seq <= head + static_cast<int64_t>(appended.size())) continue;   // applied already
    if (e.seq != head + static_cast<int64_t>(appended.size()) + 1) break;  // a gap: the file moved on since
    e.hash = entry_hash(e, previous);
    previous = e.hash;
    appended.push_back(std::move(e));
  }
  if (appended.empty()) return;
  const std::string log = WriteLog::file_of(path_);
  FileInfo info{&log, head, head_hash, appended.back().seq, previous};
  if (!on_file(info)) return;
  for (const JournalEntry& e : appended)
    if (keep(e) && !on_entry(e)) return;
}

std::vector<JournalEntry> JournalReader::orders(const Filter& f) const {
  std::string sql =
      std::string("SELECT ") + kColumns + " FROM journal WHERE kind = '" + std::string(kind_name(f.kind)) + "'";
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
  const auto keep = [&](const JournalEntry& e) {
    return e.kind == f.kind && (!f.from_us || e.at_us >= *f.from_us) && (!f.to_us || e.at_us < *f.to_us) &&
           (f.outcome.empty() || e.outcome == f.outcome) && (f.client.empty() || e.client == f.client) &&
           (f.account.empty() || e.account == f.account) && (f.symbol.empty() || e.symbol == f.symbol) &&
           (f.rule.empty() || e.rule == f.rule);
  };
  std::vector<JournalEntry> out;
  read(
      sql,
      [&](SQLite::Statement& q) {
        for (std::size_t i = 0; i < values.size(); ++i) q.bind(static_cast<int>(i + 1), *values[i]);
      },
      keep, [](const FileInfo&) { return true; },
      [&](const JournalEntry& e) {
        out.push_back(e);
        return true;
      },
      [&](int32_t day) {
        // A trading day starts on its local date (at most 14 h from UTC)
        // and lasts about a day: its entries lie between the day before its
        // date and three days after, whatever the calendar. An archive of a
        // day whose span misses [from, to) holds none of the entries asked
        // for, and is not read (an audit of a day reads one or two archives,
        // not a year of them).
        constexpr int64_t kDayUs = 86'400'000'000;
        return (!f.from_us || (int64_t{day} + 3) * kDayUs > *f.from_us) &&
               (!f.to_us || (int64_t{day} - 1) * kDayUs < *f.to_us);
      });
  return out;
}

void JournalReader::each(const std::function<void(const JournalEntry&)>& f) const {
  read(
      std::string("SELECT ") + kColumns + " FROM journal ORDER BY seq", [](SQLite::Statement&) {},
      [](const JournalEntry&) { return true; }, [](const FileInfo&) { return true; },
      [&](const JournalEntry& e) {
        f(e);
        return true;
      });
}

JournalReader::Verdict JournalReader::verify() const {
  Verdict v;
  std::string previous;
  int64_t expected = 1;
  std::optional<FileInfo> file;  // being read
  const auto fail = [&](std::string problem) {
    v.intact = false;
    v.problem = (file && file->path != &path_ ? "archive " + *file->path + ": " : std::string()) + std::move(problem);
    return false;
  };
  // The file just read ends where its head says.
  const auto check_head = [&]() {
    if (!file) return true;
    const int64_t last = expected - 1;
    if (file->head_seq) {
      const int64_t head_seq = *file->head_seq;
      if (head_seq != last || file->head_hash != previous)
        return fail(head_seq > last ? "entries after " + std::to_string(last) + " up to " + std::to_string(head_seq) +
                                          " are missing (deleted at the end)"
                                    : "the head names entry " + std::to_string(head_seq) + " but the journal ends at " +
                                          std::to_string(last) + " with another hash (edited)");
    } else if (last > file->base_seq) {
      return fail("the journal's head is missing (deleted)");
    }
    return true;
  };
  try {
    read(
        std::string("SELECT ") + kColumns + " FROM journal ORDER BY seq", [](SQLite::Statement&) {},
        [](const JournalEntry&) { return true; },
        [&](const FileInfo& f) {
          if (!check_head()) return false;
          file = f;
          // Its chain starts where the one before ended.
          if (f.base_seq > expected - 1)
            return fail("entries " + std::to_string(expected) + " to " + std::to_string(f.base_seq) +
                        " were archived, but no archive holds them");
          if (f.base_seq == expected - 1 && f.base_hash != previous)
            return fail("where its chain starts does not match entry " + std::to_string(f.base_seq) + " (edited)");
          return true;
        },
        [&](const JournalEntry& e) {
          if (e.seq != expected)
            return fail(e.seq - expected == 1 ? "entry " + std::to_string(expected) + " is missing (deleted)"
                                              : "entries " + std::to_string(expected) + " to " +
                                                    std::to_string(e.seq - 1) + " are missing (deleted)");
          if (entry_hash(e, previous) != e.hash)
            return fail("entry " + std::to_string(e.seq) +
                        " does not match its hash (edited, or moved from elsewhere)");
          previous = e.hash;
          ++expected;
          ++v.entries;
          return true;
        });
  } catch (const std::exception& ex) {
    fail(ex.what());
  }
  if (v.intact) check_head();
  return v;
}

}  // namespace fixguard::persistence
