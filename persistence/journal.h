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
// With the write log (use_write_log(), in the gateway), commit() appends
// the pending entries to the journal's write log instead (sync() syncs the
// log), and the log's thread hashes and writes them into the file behind
// the order path (see write_log.h); a JournalReader reads the entries still
// in the log too (see below). The gateway's database writes into the same
// log, so that a batch of work costs one sync.
//
// Archives: archive() moves the entries of past trading days out of the
// journal into one file per trading day (archive_path), which keep their
// entries, hashes and chain; the journal keeps where its chain starts
// (journal_base). A reader given the archives' directory reads them and the
// journal as one record, and verifies the chain across all of them.
//
// Thread: one at a time (the io thread). Readers (audit) open their own.
#pragma once

#include "persistence/write_log.h"

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
  //   security  a strategy's Logon accepted or refused (outcome), and why;
  //             an address or CompID locked out after failed logons
  enum class Kind : uint8_t { order, out, venue, client, control, operator_action, security };

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

// The archive of the journal at `journal_path` for trading day `day`, in
// `dir`: <dir>/<journal file's stem>-YYYY-MM-DD.db.
std::string archive_path(const std::string& dir, const std::string& journal_path, int32_t day);
// The archives of that journal in `dir`, oldest first ("" or no directory:
// none).
std::vector<std::string> archive_paths(const std::string& dir, const std::string& journal_path);
// The trading day of the archive at `path` (named by archive_path).
int32_t archive_day(const std::string& path);

class Journal {
 public:
  enum class Durability : uint8_t { normal, full };

  // Opens or creates the file; the chain goes on from its head. Throws
  // std::runtime_error naming the file when it cannot.
  Journal(const std::string& path, Durability durability);
  ~Journal();

  // Numbers `e` and keeps it pending. Returns its seq.
  int64_t append(JournalEntry e);
  // What fixguard decided on `client`'s order `cl_ord_id` of `day`, going
  // through its order entries (written, then pending) in order: accepted,
  // unless an "unsent" entry (a restart found it never left) came after;
  // else rejected, with the last reject's rule and text; else none (never
  // decided, or accepted and never sent). Entries of dropped resends count
  // for nothing. Throws if it cannot read.
  struct Decided {
    enum class Outcome : uint8_t { none, accepted, rejected };
    Outcome outcome = Outcome::none;
    std::string rule, text;  // of the last reject
  };
  Decided decided(const std::string& client, std::string_view cl_ord_id, int32_t day);
  // Sets the reply of a pending entry (no effect once it is written).
  void set_reply(int64_t seq, std::string reply);
  // Takes back the last entry appended, if it is still pending.
  void retract();
  // Takes back the pending entry `seq`; the pending entries after it move
  // up one number. No effect once it is written.
  void withdraw(int64_t seq);
  // Whether entry `seq` is written (commit() took it).
  bool written(int64_t seq) const { return seq <= last_seq_ && (pending_.empty() || seq < pending_.front().seq); }
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
  // Moves the oldest entries of trading days before `today`, at most
  // `max_entries`, into their archives in `dir` (synced), then out of the
  // journal. Returns how many moved. Throws std::runtime_error saying why
  // not; nothing is lost either way (a step interrupted is taken again, and
  // entries already in an archive are not copied twice). Does nothing while
  // entries are pending.
  std::size_t archive(const std::string& dir, int32_t today, std::size_t max_entries);
  // Leaves checkpoints to a Checkpointer (see checkpointer.h).
  void defer_checkpoints();
  // From now on commit() appends to the journal's write log (see above),
  // which also takes the writes of the SQLite files `also` (its parts 1,
  // 2...; see write_log.h). Throws std::runtime_error when the log cannot
  // be opened.
  WriteLog& use_write_log(std::vector<WriteLog::Part> also = {});
  // Waits until every commit so far is in the file. Returns why not.
  std::optional<std::string> settle();
  const WriteLog* log() const { return log_.get(); }
  int64_t last_seq() const { return last_seq_; }
  const std::string& path() const { return path_; }
  Durability durability() const { return durability_; }

 private:
  std::string path_;
  Durability durability_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> find_order_;
  WriteLog::Applier direct_;  // writes entries before use_write_log(), made at the first
  // The last entry archived: the chain in this file goes on from it.
  int64_t base_seq_ = 0;
  std::string base_hash_;
  int32_t base_day_ = 0;
  std::deque<JournalEntry> pending_;
  int64_t last_seq_ = 0;
  std::string fault_;              // of the last commit
  std::string sync_fault_;         // of the last sync
  std::string encoded_;            // scratch for commit()
  std::unique_ptr<WriteLog> log_;  // from use_write_log()
};

// Reading a journal file (as the audit does), separately from the writer.
// Entries the writer appended to its write log and has not yet applied to
// the file (a gateway running, or stopped by a crash before it applied
// them) are read from the log, after the file's, as far as they follow on
// without a gap: what was recorded is read, whenever it is read.
class JournalReader {
 public:
  // Throws std::runtime_error naming the file if it cannot be opened.
  // `archive_dir`: where the journal's archives are ("": none), read with
  // it, oldest first.
  explicit JournalReader(const std::string& path, const std::string& archive_dir = "");

  struct Filter {
    JournalEntry::Kind kind = JournalEntry::Kind::order;  // order, or security (logons)
    std::optional<int64_t> from_us, to_us;                // [from, to)
    std::string client, account, symbol, rule;
    std::string outcome = "rejected";  // "": any
  };
  // The entries of the filter's kind that pass it, oldest first, archives
  // included.
  std::vector<JournalEntry> orders(const Filter& filter) const;
  // Every entry, oldest first.
  void each(const std::function<void(const JournalEntry&)>& f) const;

  struct Verdict {
    bool intact = true;
    int64_t entries = 0;
    std::string problem;  // the first entry that fails, and how
  };
  // Checks the chain from the first entry, through every archive, to the
  // journal's head.
  Verdict verify() const;

 private:
  // Reads every file, archives first, each entry once (an archive step
  // interrupted leaves entries in both), in one snapshot of the journal.
  // `query` selects kColumns from journal, ordered by seq. `on_file` is
  // told of each file first, with its base (seq, hash: where its chain
  // starts) and head.
  struct FileInfo {
    const std::string* path;
    int64_t base_seq = 0;
    std::string base_hash;
    std::optional<int64_t> head_seq;
    std::string head_hash;
  };
  static FileInfo file_info(SQLite::Database& db, const std::string* path);
  // `keep`: whether an entry of the write log passes the query's filter.
  // `archive_day`: whether the archive of that trading day may hold entries
  // that pass it (the others are not opened).
  void read(const std::string& query, const std::function<void(SQLite::Statement&)>& bind,
            const std::function<bool(const JournalEntry&)>& keep, const std::function<bool(const FileInfo&)>& on_file,
            const std::function<bool(const JournalEntry&)>& on_entry,
            const std::function<bool(int32_t)>& archive_day = nullptr) const;

  std::string path_;
  std::vector<std::string> archives_;
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace fixguard::persistence
