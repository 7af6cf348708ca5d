#include "persistence/sqlite_store.h"

#include <chrono>

namespace fixguard::persistence {
namespace {

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// A creation time in microseconds as QuickFIX asks for it.
FIX::UtcTimeStamp timestamp_of(int64_t us) {
  return FIX::UtcTimeStamp(static_cast<time_t>(us / 1000000), static_cast<int>(us % 1000000), 6);
}

[[noreturn]] void fail(const std::string& what, const std::string& key, const std::exception& e) {
  throw FIX::IOException("message store " + key + ": " + what + " failed: " + e.what());
}

// The statements every store writes with (prepared once per database).
constexpr const char* kSetMessage = "INSERT OR REPLACE INTO fix_message(session, seqnum, message) VALUES(?, ?, ?)";
constexpr const char* kSetSeqnums = "UPDATE fix_session SET next_sender = ?, next_target = ? WHERE session = ?";
constexpr const char* kGetRange =
    "SELECT message FROM fix_message WHERE session = ? AND seqnum BETWEEN ? AND ? ORDER BY seqnum";

}  // namespace

SqliteStore::SqliteStore(Database& db, std::string session_key, Redact redact)
    : db_(db), key_(std::move(session_key)), redact_(std::move(redact)) {
  load();
}

void SqliteStore::written() const {
  if (const auto why = db_.settle()) throw FIX::IOException("message store " + key_ + ": writing failed: " + *why);
}

void SqliteStore::load() {
  try {
    SQLite::Statement q(db_.sql(), "SELECT creation_us, next_sender, next_target FROM fix_session WHERE session = ?");
    q.bind(1, key_);
    if (q.executeStep()) {
      creation_time_ = timestamp_of(q.getColumn(0).getInt64());
      next_sender_ = q.getColumn(1).getInt();
      next_target_ = q.getColumn(2).getInt();
      return;
    }
    const int64_t created = now_us();
    creation_time_ = timestamp_of(created);
    next_sender_ = next_target_ = 1;
    SQLite::Statement insert(db_.sql(),
                             "INSERT INTO fix_session(session, creation_us, next_sender, next_target) "
                             "VALUES(?, ?, 1, 1)");
    insert.bind(1, key_);
    insert.bind(2, created);
    insert.exec();
  } catch (const std::exception& e) {
    fail("load", key_, e);
  }
}

bool SqliteStore::set(int seqnum, const std::string& message) {
  if (stored_) stored_(message);
  try {
    std::optional<std::string> redacted = redact_ ? redact_(message) : std::nullopt;
    db_.write([key = key_, seqnum, stored = redacted ? std::move(*redacted) : message](Statements& s) {
      s.add(kSetMessage, {key, int64_t{seqnum}, Statements::Blob{stored}});
    });
    return true;
  } catch (const std::exception& e) {
    fail("storing message " + std::to_string(seqnum), key_, e);
  }
}

void SqliteStore::get(int begin, int end, std::vector<std::string>& out) const {
  written();  // what waits to be written is read too
  try {
    out.clear();
    SQLite::Statement& q = db_.prepared(kGetRange);
    q.bind(1, key_);
    q.bind(2, begin);
    q.bind(3, end);
    while (q.executeStep()) {
      const SQLite::Column col = q.getColumn(0);
      out.emplace_back(static_cast<const char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()));
    }
    q.reset();
  } catch (const std::exception& e) {
    fail("reading messages " + std::to_string(begin) + ".." + std::to_string(end), key_, e);
  }
}

std::vector<std::optional<std::string>> SqliteStore::holding(const std::vector<std::string>& texts) const {
  written();
  std::vector<std::optional<std::string>> found(texts.size());
  std::size_t left = texts.size();
  try {
    // Below the next sequence number only: a message stored under it was
    // not counted as sent, and the next message sent takes its place.
    SQLite::Statement q(db_.sql(), "SELECT message FROM fix_message WHERE session = ? AND seqnum < ? ORDER BY seqnum");
    q.bind(1, key_);
    q.bind(2, next_sender_);
    while (left > 0 && q.executeStep()) {
      const SQLite::Column col = q.getColumn(0);
      const std::string_view message(static_cast<const char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()));
      for (std::size_t i = 0; i < texts.size(); ++i)
        if (!found[i] && message.find(texts[i]) != std::string_view::npos) {
          found[i].emplace(message);
          --left;
        }
    }
  } catch (const std::exception& e) {
    fail("search", key_, e);
  }
  return found;
}

std::string SqliteStore::find(int seqnum) const {
  std::vector<std::string> one;
  get(seqnum, seqnum, one);
  return one.empty() ? std::string() : one.front();
}

void SqliteStore::write_sequence_numbers(int sender, int target) {
  // A write of the numbers that waits in this batch stores these instead.
  QueuedNumbers& q = *numbers_;
  q.sender = sender;
  q.target = target;
  if (!q.queued) {
    q.queued = true;
    try {
      // Stores the numbers as they are when the batch is written, and again
      // if that transaction fails and is tried again; never at a read in
      // the middle of a batch (see Database::write_at_commit).
      db_.write_at_commit([key = key_, numbers = numbers_](Statements& s) {
        numbers->queued = false;  // a change from now on queues a write of its own
        if (numbers->reset) return;
        s.add(kSetSeqnums, {int64_t{numbers->sender}, int64_t{numbers->target}, key});
      });
    } catch (const std::exception& e) {
      q.queued = false;
      fail("storing sequence numbers", key_, e);
    }
  }
  next_sender_ = sender;
  next_target_ = target;
}

void SqliteStore::setNextSenderMsgSeqNum(int value) { write_sequence_numbers(value, next_target_); }
void SqliteStore::setNextTargetMsgSeqNum(int value) { write_sequence_numbers(next_sender_, value); }

void SqliteStore::reset() {
  const int64_t created = now_us();
  try {
    db_.write([key = key_, created](Statements& s) {
      s.add("DELETE FROM fix_message WHERE session = ?", {key});
      s.add("UPDATE fix_session SET creation_us = ?, next_sender = 1, next_target = 1 WHERE session = ?",
            {int64_t{created}, key});
    });
  } catch (const std::exception& e) {
    fail("reset", key_, e);
  }
  creation_time_ = timestamp_of(created);
  next_sender_ = next_target_ = 1;
  // A write of the numbers queued before the reset (it may run after it: it
  // waits for the commit) stores nothing; later changes queue one of their
  // own.
  numbers_->reset = true;
  numbers_ = std::make_shared<QueuedNumbers>();
}

void SqliteStore::refresh() {
  written();
  const QueuedNumbers waiting = *numbers_;
  load();
  if (waiting.queued) {  // not in the file yet: the numbers as they are
    next_sender_ = waiting.sender;
    next_target_ = waiting.target;
  }
}

std::string SqliteStoreFactory::key(const FIX::SessionID& id) { return id.toString(); }

FIX::MessageStore* SqliteStoreFactory::create(const FIX::SessionID& id) {
  auto* store = new SqliteStore(db_, key(id), redact_);
  stores_[key(id)] = store;
  return store;
}

void SqliteStoreFactory::destroy(FIX::MessageStore* store) {
  for (auto it = stores_.begin(); it != stores_.end(); ++it)
    if (it->second == store) {
      stores_.erase(it);
      break;
    }
  delete store;
}

SqliteStore* SqliteStoreFactory::find(const FIX::SessionID& id) const {
  const auto it = stores_.find(key(id));
  return it == stores_.end() ? nullptr : it->second;
}

}  // namespace fixguard::persistence
