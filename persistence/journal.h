// The journal: every order message fixguard received, every decision it took
// on it, every message it sent to a venue or a strategy, every venue report,
// every change of trading state and every operator action, in order, in its
// own SQLite file (WAL).
//
// Tamper evidence: each entry carries SHA-256 over its content (its sequence
// number included) and the previous entry's hash, and the last entry's number
// and hash are kept apart (journal_head) in the same transaction, so
// `verify` finds an entry edited, deleted or moved, and entries cut off at
// the end.
//
// Writing: append() numbers an entry and keeps it pending; commit() hashes
// and writes every pending entry in one transaction. What commit()
// could not write stays pending, in order, and is written by the next
// commit() that succeeds: nothing appended is dropped. A commit survives a
// crash of the process (the WAL is written, not synced). sync() puts every
// commit so far on the disk, so that it survives a power loss too: with
// durability `full` the gateway syncs once per batch of work, before
// anything that batch sent can leave (group commit).
//
// Thread: one at a time (the io thread). Readers (audit) open their own.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::persistence {

struct JournalEntry {
  // What happened:
  //   order     a message from a strategy, with the decision on it (outcome:
  //             accepted, rejected, or dropped: a resend already forwarded)
  //   out       a message sent to a venue
  //   venue     a message received from a venue
  //   client    a message sent to a strategy
  //   control   a change of trading state, zone or emergency stop; a config
  //             or profile change
  //   operator  an operator action, with its outcome
  enum class Kind : uint8_t { order, out, venue, client, control, operator_action };

  int64_t seq = 0;  // set by append: 1, 2, 3 ... without gaps
  int64_t at_us = 0;
  int32_t day = 0;  // the trading day (days since 1970-01-01)
  Kind kind = Kind::order;
  std::string client, venue;  // the sessions it concerns ("" if none)
  std::string msg_type, cl_ord_id, account, symbol;
  std::string outcome;                // order: accepted, rejected, dropped
  std::string rule, limit, observed;  // the rule that decided, with its values
  std::string limits_version, mode;   // mode: enforce or observe
  std::string text;                   // why, in words
  std::string raw;                    // the FIX message
  std::string reply;                  // a rejected order: the reject sent back
  std::string hash;                   // set when written: hex SHA-256
};

std::string_view kind_name(JournalEntry::Kind k);
std::optional<JournalEntry::Kind> kind_of(std::string_view name);

// The hash of `e` (its seq and content) chained to `previous` (hex, "" for
// the first entry).
std::string entry_hash(const JournalEntry& e, const std::string& previous);

class Journal {
 public:
  enum class Durability : uint8_t { normal, full };

  // Opens or creates the file; the chain goes on from its head. Throws
  // std::runtime_error naming the file when it cannot.
  Journal(const std::string& path, Durability durability);
  ~Journal();

  // Numbers `e` and keeps it pending. Returns its seq.
  int64_t append(JournalEntry e);
  // Whether fixguard decided on `client`'s order `cl_ord_id` of `day`: its
  // last order entry (written or pending) is not "unsent". Throws if it
  // cannot read.
  bool has_order(const std::string& client, std::string_view cl_ord_id, int32_t day);
  // Sets the reply of a pending entry (no effect once it is written).
  void set_reply(int64_t seq, std::string reply);
  // Takes back the last entry appended, if it is still pending.
  void retract();
  // Writes what is pending. False if it could not: fault() says why, and
  // the entries stay pending for the next commit.
  bool commit();
  // Puts every commit so far on the disk. False if it could not: fault()
  // says why, and the next sync tries again.
  bool sync();
  // Why the last commit failed, or else why the last sync failed; empty
  // while both work.
  const std::string& fault() const { return fault_.empty() ? sync_fault_ : fault_; }
  std::size_t pending() const { return pending_.size(); }
  int64_t last_seq() const { return last_seq_; }
  const std::string& path() const { return path_; }
  Durability durability() const { return durability_; }

 private:
  void write_pending();

  std::string path_;
  Durability durability_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> insert_, head_, find_order_;
  std::deque<JournalEntry> pending_;
  int64_t last_seq_ = 0;
  std::string written_hash_;  // of the last entry written
  std::string fault_;         // of the last commit
  std::string sync_fault_;    // of the last sync
};

// Reading a journal file (as the audit does), separately from the writer.
class JournalReader {
 public:
  // Throws std::runtime_error naming the file if it cannot be opened.
  explicit JournalReader(const std::string& path);

  struct Filter {
    std::optional<int64_t> from_us, to_us;  // [from, to)
    std::string client, account, symbol, rule;
    std::string outcome = "rejected";  // "": any
  };
  // The order entries that pass `filter`, oldest first.
  std::vector<JournalEntry> orders(const Filter& filter) const;
  // Every entry, oldest first.
  void each(const std::function<void(const JournalEntry&)>& f) const;

  struct Verdict {
    bool intact = true;
    int64_t entries = 0;
    std::string problem;  // the first entry that fails, and how
  };
  // Checks the chain from the first entry to the head.
  Verdict verify() const;

 private:
  std::string path_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace fixguard::persistence
