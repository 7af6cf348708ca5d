// A write-ahead file in front of a SQLite file, for the order path: a batch
// of writes costs one append (and, with `sync`, one fdatasync) instead of a
// SQLite transaction, and a thread of its own applies the batches to the
// SQLite file behind the order path, many in one transaction.
//
// Why: a SQLite transaction costs ~40 us here (locks, WAL frames, B-tree
// pages), and every order's round trip took four; an append costs one
// system call, or none: a log without `sync` maps its files and copies an
// append into the mapping (a write() cost ~3 us here, four of them a tenth
// of the io thread's time per round trip), growing a file (its blocks
// allocated, so that a full disk is an error, not a SIGBUS) only where an
// append does not fit in it. What an append holds survives a crash of the
// process (and, synced, a power loss) exactly as a committed WAL-mode
// transaction did.
//
// One log can front several SQLite files (its parts): fixguard's journal
// and database share one, so that a batch that writes both costs one sync
// with durability `full` instead of one per file. Such a log keeps a
// reserve of disk space beside it (<log>.reserve, kReserve bytes): when the
// disk is full, part 0's appends fail (the journal's: fixguard rejects
// orders), and the other parts' appends (the database's: those rejects'
// session records) use the reserve, so that the rejects can leave. Part 0
// appends again once the reserve could be taken back.
//
// The file is <first part's path>-redo, a sequence of records:
//   u32 payload size (low 28 bits) and part (high 4 bits), u64 number word
//   (the number in the low 62 bits; bit 62 set; bit 63 set on the last
//   record of each append), u64 check (over part, number word and payload),
//   payload; integers little-endian. (A log of one part reads as the log of
//   one file did. A log written before appends were marked, bits 62 and 63
//   clear, still reads: each of its records stands alone.)
// A file, once all of it is applied, is used again from its start (its
// first header zeroed) rather than emptied, mapped or written (a sync of
// blocks written before costs half of one of a file that grew, on ext4);
// only a file a burst left over 4 MB is emptied. Numbers only go up in a
// file, so a record numbered lower than the one before it is an older one
// written over, and ends the file.
// Numbers go on without gaps; each part's SQLite file keeps the number of
// the last of its records applied (table write_log) in the transaction
// that applied it. So at a start, recovery applies to each file exactly
// its records beyond that: a crash between an apply and the emptying of
// the file applies nothing twice. A record cut short or failing its check
// ends the file: it was being appended when the process died, before
// anything it recorded left. So does an append cut short between whole
// records (a kill can stop a write() between pages): recovery applies all
// of an append or none of it, so that what an owner writes in one append
// (a batch's messages and the sequence numbers that count them) never
// applies in part.
//
// What the owner reads from the SQLite file it first drain()s: a read sees
// every write appended before it.
//
// Thread: add(), append(), drain() and the destructor on one thread (the
// io thread); the applier thread only applies.
#pragma once

#include <SQLiteCpp/Database.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace fixguard::persistence {

class WriteLog {
 public:
  // Applies payloads, in order, to the connection it was made for, inside a
  // transaction the log has opened; throws what fails.
  using Applier = std::function<void(const std::vector<std::string_view>& payloads)>;
  using MakeApplier = std::function<Applier(SQLite::Database& db)>;
  // A SQLite file the log writes, and how its records apply.
  struct Part {
    std::string path;
    MakeApplier make;
  };
  static constexpr std::size_t kMaxParts = 16;  // the record's 4 bits
  static constexpr std::size_t kReserve = 1 << 20;
  static constexpr std::size_t kMaxPayload = (std::size_t{1} << 28) - 1;

  // The log of the SQLite file at `path`: two files, appended to in turn.
  static std::array<std::string, 2> files_of(const std::string& path) { return {path + "-redo", path + "-redo.2"}; }
  static std::string file_of(const std::string& path) { return files_of(path)[0]; }

  // At a start, before anything reads `db` (the file at `path`): applies the
  // records of its log beyond those `db` applied, in one transaction, syncs
  // the file and empties the log. Returns how many it applied. Throws
  // std::runtime_error naming the file when it cannot (nothing is lost:
  // the log stays as it was), or when another WriteLog (in this process or
  // another) holds the log: one writer per file.
  static std::size_t recover(SQLite::Database& db, const std::string& path, const MakeApplier& make) {
    return recover(db, path, 0, make);
  }
  // The same for `db`, part `part` of the log named after the SQLite file
  // at `log_path`. The log is emptied only if it holds no other part's
  // records (the WriteLog of all the parts empties it when it starts).
  static std::size_t recover(SQLite::Database& db, const std::string& log_path, std::size_t part,
                             const MakeApplier& make);
  // The payloads of part `part`'s intact records in the log of the SQLite
  // file at `path`, applied or not, in order: for a reader in another
  // process, who cannot tell which are applied but by their content.
  // Throws std::runtime_error naming the file when it cannot read it.
  static std::vector<std::string> read_payloads(const std::string& path, std::size_t part = 0);

  // Appends to the log of the SQLite file at `path` (recovered: see above)
  // and applies on a thread of its own, with a connection of its own.
  // `sync`: every append is synced, and so is every apply before the log is
  // emptied. Throws std::runtime_error naming the file when it cannot open.
  WriteLog(const std::string& path, bool sync, MakeApplier make) : WriteLog({Part{path, std::move(make)}}, sync) {}
  // The same for several SQLite files, `parts` (at least one, at most
  // kMaxParts): one log, named after the first, applied by one thread with
  // a connection per file. The log is recovered for every part first.
  WriteLog(std::vector<Part> parts, bool sync);
  // Applies what is appended (as long as it can), stops the thread, and
  // empties the log if all of it is applied.
  ~WriteLog();
  WriteLog(const WriteLog&) = delete;
  WriteLog& operator=(const WriteLog&) = delete;

  // Keeps a record for part `part` until the next append. Throws
  // std::length_error past kMaxPayload.
  void add(std::string_view payload, std::size_t part = 0);
  // Appends the kept records with one write (synced with `sync`) and hands
  // them to the applier. Returns why not, if it could not: they stay kept,
  // in order, for the next append (or take_back()), and the file is as it
  // was.
  std::optional<std::string> append() { return append(sync_); }
  // The same, never synced: sync() puts it on the disk (one sync for the
  // appends of several owners).
  std::optional<std::string> append_unsynced() { return append(false); }
  // Syncs what append_unsynced() wrote. Returns why not: then it is
  // written again, and synced, by the next append or sync.
  std::optional<std::string> sync();
  // Forgets the kept records (an owner that keeps its writes itself, to
  // add them again or change them).
  void take_back();
  // Waits until everything appended is applied. Returns why not, if the
  // applier cannot apply (it keeps trying).
  std::optional<std::string> drain();
  // Why the applier's last try failed; empty while it works.
  std::string fault() const;
  // How long the applier gathers appends before it writes them in one
  // transaction per file (unless 256 KiB of them come first, or someone
  // drains). Longer: fewer transactions (~40 us each however few
  // rows), but each apply holds a core longer. Default kGather.
  static constexpr std::chrono::milliseconds kGather{10};
  void gather_for(std::chrono::milliseconds interval);

  struct Stats {
    uint64_t appends = 0;  // appends that succeeded
    uint64_t applies = 0;  // times the applier applied what it gathered (a transaction per file)
    uint64_t records = 0;  // records applied
    uint64_t backlog = 0;  // records appended, not yet applied
  };
  Stats stats() const;
  // Whether an append is a copy into the log's mapped files (without
  // `sync`) or a write() (with `sync`, or where the files could not be
  // mapped: slower, and worth an operator's attention).
  bool mapped() const { return mapped_; }

  // Encoding of payloads: numbers and length-prefixed bytes.
  static void put(std::string& out, uint64_t n);
  static void put(std::string& out, std::string_view bytes);
  // Reads what put() wrote; throws std::runtime_error past the end.
  class Reader {
   public:
    explicit Reader(std::string_view in) : in_(in) {}
    uint64_t number();
    std::string_view bytes();
    bool done() const { return in_.empty(); }

   private:
    std::string_view in_;
  };

 private:
  std::optional<std::string> append(bool sync);
  // Takes the reserve's space (if this log keeps one). Returns why not
  // (the disk has not that much free, most often).
  std::optional<std::string> hold_reserve();
  // Writes the unsynced appends again where a failed sync left them.
  std::optional<std::string> rewrite_unsynced();
  // Marks the last kept record as the end of its append, or unmarks it.
  void mark_end(bool ends);
  // Maps both files (a log without `sync`); if it cannot, appends write().
  void map_files();
  void unmap_files();
  // Gives the reserve's room to an append that failed with `err` for want
  // of room, if it may use it (see append()). False if it did not.
  bool give_up_reserve(int err, bool may_use_reserve);
  // Makes room for `bytes` more in the current mapped file. Returns why not.
  std::optional<std::string> grow(std::size_t bytes, bool may_use_reserve);
  // Empties file `which` (0 or 1), all of it applied.
  void empty_file(int which);
  void run(std::vector<std::unique_ptr<SQLite::Database>> dbs);

  std::vector<Part> parts_;
  std::string path_;  // the first part's
  std::array<std::string, 2> files_;
  bool sync_;
  // The two files: appended to in turn (current_), each emptied once all of
  // it is applied. io thread.
  std::array<int, 2> fds_{-1, -1};
  // Without `sync`, each file mapped: an append is a copy into it, and the
  // file's size (capacity) grows only where an append does not fit.
  struct Mapped {
    int fd = -1;
    char* at = nullptr;
    uint64_t capacity = 0;
  };
  std::array<Mapped, 2> maps_;
  bool mapped_ = false;
  std::array<uint64_t, 2> sizes_{0, 0};
  std::array<uint64_t, 2> last_in_{0, 0};  // the last number appended to each
  int current_ = 0;
  uint64_t next_ = 1;                          // the next record's number; io thread
  uint64_t appended_ = 0;                      // the last number appended; io thread
  std::string kept_;                           // records not yet appended; io thread
  std::size_t last_kept_at_ = 0;               // where the last of them starts in kept_; io thread
  std::array<uint64_t, 2> last_checks_{0, 0};  // its check unmarked and marked (kEnds); io thread
  bool torn_ = false;                          // an append failed part way: the file is cut back first; io thread
  std::string unsynced_;  // appended unsynced since the last sync(), from offset unsynced_at_; io thread
  uint64_t unsynced_at_ = 0;
  bool resync_ = false;                       // a sync failed: unsynced_ is written again first; io thread
  std::size_t kept_lowest_part_ = kMaxParts;  // of the records kept; io thread
  std::string reserve_;                       // the reserve's file; empty: none kept
  bool reserve_held_ = false;                 // io thread
  uint64_t appends_ = 0;                      // io thread

  mutable std::mutex mutex_;
  std::condition_variable wake_, applied_cv_;
  std::deque<std::string> queued_;   // appended, not applied, oldest first; guarded by mutex_
  std::vector<std::string> spares_;  // applied appends' buffers, for kept_; guarded by mutex_
  std::size_t queued_bytes_ = 0;     // guarded by mutex_
  uint64_t handed_ = 0;              // the last number handed over; guarded by mutex_
  uint64_t applied_ = 0;             // the last number applied (and synced with sync_); guarded by mutex_
  std::string fault_;                // guarded by mutex_
  Stats stats_;                      // applies and records; guarded by mutex_
  bool stop_ = false;                // guarded by mutex_
  bool idle_ = false;                // the applier waits for work; guarded by mutex_
  bool hurry_ = false;               // someone drains: no gathering; guarded by mutex_
  bool full_ = false;                // the log is to be emptied: no gathering; guarded by mutex_
  // How long the applier gathers appends (gather_for); guarded by mutex_.
  std::chrono::milliseconds gather_ = kGather;
  std::thread thread_;
};

}  // namespace fixguard::persistence
