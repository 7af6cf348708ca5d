// QuickFIX message store on SQLite: sequence numbers and sent messages of a
// FIX session survive a restart, so a ResendRequest after one is answered.
//
// QuickFIX ships no SQLite store; this implements FIX::MessageStore. Every
// method either completes its write or throws FIX::IOException, which
// QuickFIX's Session answers by disconnecting: a session never runs on state
// that did not reach the file.
#pragma once

#include "fix/quickfix.h"
#include "persistence/database.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace fixguard::persistence {

// Writes go through Database::write (batched in the gateway); a read first
// writes what waits, but the sequence numbers, which wait for the batch's
// commit (a crash then finds them where the peer's messages not yet acted
// on are asked for again).
//
// Thread: the thread that drives the owning FIX::Session.
class SqliteStore : public FIX::MessageStore {
 public:
  // What a sent message is stored as (secrets masked, say): a valid FIX
  // message that a resend may use, or nothing to store it as sent. Null:
  // always as sent.
  using Redact = std::function<std::optional<std::string>(const std::string& message)>;

  SqliteStore(Database& db, std::string session_key, Redact redact = nullptr);
  // Called with each message set() is given, as it is sent (before any
  // redaction): QuickFIX stores a message once it is serialized, right
  // before it sends it, so its owner sees the text without serializing it
  // again.
  using Stored = std::function<void(const std::string& message)>;
  void on_stored(Stored f) { stored_ = std::move(f); }

  bool set(int seqnum, const std::string& message) override;
  void get(int begin, int end, std::vector<std::string>& out) const override;
  int getNextSenderMsgSeqNum() const override { return next_sender_; }
  int getNextTargetMsgSeqNum() const override { return next_target_; }
  void setNextSenderMsgSeqNum(int value) override;
  void setNextTargetMsgSeqNum(int value) override;
  void incrNextSenderMsgSeqNum() override { setNextSenderMsgSeqNum(next_sender_ + 1); }
  void incrNextTargetMsgSeqNum() override { setNextTargetMsgSeqNum(next_target_ + 1); }
  FIX::UtcTimeStamp getCreationTime() const override { return creation_time_; }
  void reset() override;
  void refresh() override;

  // The stored message with this sequence number, or "" if none.
  std::string find(int seqnum) const;
  // For each of `texts`, the first message counted as sent that holds it,
  // as stored, or nothing: one scan of the session's messages however many
  // texts (for recovery only: a crash under load leaves hundreds of orders
  // to look for in a day's messages).
  std::vector<std::optional<std::string>> holding(const std::vector<std::string>& texts) const;

 private:
  void load();
  // Many changes of the numbers within one batch of writes cost one UPDATE:
  // the numbers a queued write will store, while it waits.
  struct QueuedNumbers {
    int sender = 1, target = 1;
    bool queued = false;
    bool reset = false;  // the store was reset after the write was queued
  };
  void write_sequence_numbers(int sender, int target);
  // Writes what waits in the database (before a read); throws
  // FIX::IOException if it cannot.
  void written() const;

  Database& db_;
  const std::string key_;
  Redact redact_;
  Stored stored_;
  int next_sender_ = 1;
  int next_target_ = 1;
  // As QuickFIX asks for it (with every message it reads): made when the
  // store is created or reset, not at each call.
  FIX::UtcTimeStamp creation_time_;
  std::shared_ptr<QueuedNumbers> numbers_ = std::make_shared<QueuedNumbers>();  // shared with the queued write
};

// Creates one SqliteStore per session, all in one Database.
class SqliteStoreFactory : public FIX::MessageStoreFactory {
 public:
  explicit SqliteStoreFactory(Database& db, SqliteStore::Redact redact = nullptr)
      : db_(db), redact_(std::move(redact)) {}
  FIX::MessageStore* create(const FIX::SessionID& id) override;
  void destroy(FIX::MessageStore* store) override;

  // The store created for a session, or nullptr.
  SqliteStore* find(const FIX::SessionID& id) const;

  // The key a session's rows are stored under.
  static std::string key(const FIX::SessionID& id);

 private:
  Database& db_;
  SqliteStore::Redact redact_;
  std::map<std::string, SqliteStore*> stores_;  // by key; owned by their sessions
};

}  // namespace fixguard::persistence
