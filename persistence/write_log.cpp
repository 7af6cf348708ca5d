#include "persistence/write_log.h"

#include "persistence/checkpointer.h"
#include "persistence/database.h"
#include "persistence/wal_vfs.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace fixguard::persistence {
namespace {

constexpr std::size_t kHeader = 4 + 8 + 8;  // size and part, number, check
constexpr int kPartShift = 28;              // the part is in the size word's high bits
// The number word's two high bits: the record was written by a log that
// marks the ends of its appends (kGrouped), and it is the last of its append
// (kEnds). A log written before that has neither: each of its records
// stands alone.
constexpr uint64_t kEnds = uint64_t{1} << 63;
constexpr uint64_t kGrouped = uint64_t{1} << 62;
constexpr uint64_t kNumberBits = kGrouped - 1;
// Past this size, appends go to the other file (once it is emptied).
constexpr uint64_t kEmptyAt = 256 << 10;
// A mapped file (a log without `sync`) is mapped this far; an append that
// would take it past this fails.
constexpr uint64_t kMapSpan = uint64_t{1} << 30;
// A mapped file grown past this (a burst the applier fell behind on) is cut
// back when it is emptied.
constexpr uint64_t kShrinkAbove = 4 << 20;
// Appended but not applied: past this, an append waits for the applier.
constexpr std::size_t kMaxQueued = 1 << 20;
constexpr auto kRetry = std::chrono::milliseconds(100);
// The applier gathers appends for WriteLog::gather_for's interval, or this
// many bytes, before a transaction, unless someone drains.
constexpr std::size_t kGatherBytes = 256 << 10;

// Applied appends' buffers kept for the io thread's next appends: at most
// this many, of at most this capacity each (a burst's large ones are freed).
constexpr std::size_t kSpares = 8;
constexpr std::size_t kSpareCapacity = 64 << 10;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS write_log (id INTEGER PRIMARY KEY CHECK (id = 1), applied INTEGER NOT NULL)";

// `n` over `bytes` bytes at `p`, little-endian.
void set_fixed(char* p, uint64_t n, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<char>((n >> (8 * i)) & 0xff);
}

void put_fixed(std::string& out, uint64_t n, int bytes) {
  char b[8];
  set_fixed(b, n, bytes);
  out.append(b, static_cast<std::size_t>(bytes));
}

uint64_t get_fixed(const char* p, int bytes) {
  uint64_t n = 0;
  for (int i = 0; i < bytes; ++i) n |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return n;
}

// A record's check finds it cut short or overwritten (not a forgery):
// FNV-1a's multiply-xor, taken eight bytes at a time, with the length mixed
// in (and the part, so that part 0's records check as a log of one file's
// did). Here for the number word with kEnds clear ([0]) and set ([1]), in
// one pass over the payload: the two chains run side by side, so two cost
// about what one does (an append's last record is marked after it is added).
std::array<uint64_t, 2> checks_of(uint64_t number, std::size_t part, std::string_view payload) {
  constexpr uint64_t kPrime = 1099511628211ull;
  const uint64_t basis = 14695981039346656037ull ^ (uint64_t{part} << 60);
  uint64_t a = (basis ^ (number & ~kEnds)) * kPrime;
  uint64_t b = (basis ^ (number | kEnds)) * kPrime;
  a = (a ^ payload.size()) * kPrime;
  b = (b ^ payload.size()) * kPrime;
  std::size_t i = 0;
  for (; i + 8 <= payload.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, payload.data() + i, 8);
    a = (a ^ word) * kPrime;
    b = (b ^ word) * kPrime;
    a ^= a >> 29;
    b ^= b >> 29;
  }
  for (; i < payload.size(); ++i) {
    a = (a ^ static_cast<unsigned char>(payload[i])) * kPrime;
    b = (b ^ static_cast<unsigned char>(payload[i])) * kPrime;
  }
  return {a ^ (a >> 32), b ^ (b >> 32)};
}

// The check of a record whose number word, as written (its marks
// included), is `number`.
uint64_t check_of(uint64_t number, std::size_t part, std::string_view payload) {
  return checks_of(number, part, payload)[(number & kEnds) != 0 ? 1 : 0];
}

struct Record {
  uint64_t number;
  std::string_view payload;
  std::size_t part = 0;
  bool grouped = false;  // an append's records: see kGrouped
  bool ends = false;     // the last of its append
};

// The next whole, intact record of `in`, which moves past it; nothing at the
// end of the records or at a record cut short or damaged. `checked`: false
// for records this process kept in memory as it wrote them (the applier's),
// which only a file can have cut or damaged.
std::optional<Record> next_record(std::string_view& in, bool checked = true) {
  if (in.size() < kHeader) return std::nullopt;
  const uint64_t word = get_fixed(in.data(), 4);
  const uint64_t size = word & WriteLog::kMaxPayload;
  if (in.size() - kHeader < size) return std::nullopt;
  const uint64_t number = get_fixed(in.data() + 4, 8);
  if ((number & kNumberBits) == 0) return std::nullopt;  // numbers start at 1: an emptied file's zeroed header
  Record r{number & kNumberBits, in.substr(kHeader, size), static_cast<std::size_t>(word >> kPartShift),
           (number & kGrouped) != 0, (number & kEnds) != 0};
  if (checked && get_fixed(in.data() + 12, 8) != check_of(number, r.part, r.payload)) return std::nullopt;
  in.remove_prefix(kHeader + size);
  return r;
}

uint64_t applied_of(SQLite::Database& db) {
  SQLite::Statement q(db, "SELECT applied FROM write_log WHERE id = 1");
  return q.executeStep() ? static_cast<uint64_t>(q.getColumn(0).getInt64()) : 0;
}

void set_applied(SQLite::Database& db, uint64_t number) {
  SQLite::Statement s(db, "INSERT OR REPLACE INTO write_log(id, applied) VALUES(1, ?)");
  s.bind(1, static_cast<int64_t>(number));
  s.exec();
}

std::string read_file(const std::string& path) {
  std::string bytes;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return bytes;
    throw std::runtime_error(std::string("cannot open it: ") + std::strerror(errno));
  }
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw std::runtime_error(std::string("cannot read it: ") + std::strerror(err));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Allocates the blocks of [off, off + len) of the file `fd`, extending it:
// written with zeros where the file system cannot allocate so. Returns 0 or
// the errno of the failure (ENOSPC for a short write: no room for the rest).
int allocate(int fd, off_t off, off_t len) {
  for (;;) {
    if (::fallocate(fd, 0, off, len) == 0) return 0;
    if (errno == EINTR) continue;
    if (errno != EOPNOTSUPP) return errno;
    break;
  }
  static const std::string zeros(64 << 10, '\0');
  for (off_t done = 0; done < len;) {
    const auto chunk = static_cast<std::size_t>(std::min<off_t>(len - done, static_cast<off_t>(zeros.size())));
    const ssize_t n = ::pwrite(fd, zeros.data(), chunk, off + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (static_cast<std::size_t>(n) < chunk) return ENOSPC;
    done += n;
  }
  return 0;
}

// The intact records of the files in `bytes` (views into it), in the order
// of their numbers: of each append, all of its records or none. (An append
// goes to one file, and only the last append of a file can be cut short.)
std::vector<Record> records_of(const std::array<std::string, 2>& bytes) {
  std::vector<Record> out;
  for (const std::string& b : bytes) {
    std::string_view in = b;
    const std::size_t first = out.size();
    // Numbers only go up in a file: a lower one is an older record of a
    // file used again from its start (see WriteLog::map_files), which ends
    // what was written since.
    while (const auto r = next_record(in)) {
      if (out.size() > first && r->number <= out.back().number) break;
      out.push_back(*r);
    }
    // An append cut short after some whole records (a kill can stop one
    // write() between pages): they never counted as written.
    std::size_t whole = out.size();
    while (whole > first && out[whole - 1].grouped && !out[whole - 1].ends) --whole;
    out.resize(whole);
  }
  std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.number < b.number; });
  return out;
}

struct Applied {
  std::size_t count = 0;  // records applied
  uint64_t last = 0;      // the number of the last record the file has applied
};

// In one transaction on `db`, with the writer's lock taken first (what
// another connection applied meanwhile is not applied twice): applies with
// `apply`, in order, the payloads of part `part`'s records in `records`
// numbered beyond `floor` and beyond what `db` applied, and records how far
// it got.
Applied apply_records(SQLite::Database& db, const std::vector<Record>& records, std::size_t part, uint64_t floor,
                      const WriteLog::Applier& apply) {
  SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
  Applied a{0, std::max(floor, applied_of(db))};
  std::vector<std::string_view> payloads;
  for (const Record& r : records)
    if (r.part == part && r.number > a.last) {
      payloads.push_back(r.payload);
      a.last = r.number;
    }
  a.count = payloads.size();
  if (!payloads.empty()) {
    apply(payloads);
    set_applied(db, a.last);
  }
  tx.commit();
  return a;
}

// At a start: applies to `db` (the SQLite file at `path`) the records of
// `records` of part `part` beyond those it applied, and syncs the file.
// Returns how many it applied.
std::size_t apply_part(SQLite::Database& db, const std::string& path, const std::vector<Record>& records,
                       std::size_t part, const WriteLog::MakeApplier& make) {
  db.exec(kSchema);
  if (std::none_of(records.begin(), records.end(), [&](const Record& r) { return r.part == part; })) return 0;
  const Applied a = apply_records(db, records, part, 0, make(db));
  if (a.count > 0)
    if (const auto why = sync_wal(path)) throw std::runtime_error(*why);
  return a.count;
}

// Empties both files of a log: what follows is appended after no damaged tail.
void empty_files(const std::array<std::string, 2>& files) {
  for (const std::string& f : files)
    if (::truncate(f.c_str(), 0) != 0 && errno != ENOENT)
      throw std::runtime_error(errno_text(("cannot empty " + f).c_str()));
}

}  // namespace

void WriteLog::put(std::string& out, uint64_t n) { put_fixed(out, n, 8); }

void WriteLog::put(std::string& out, std::string_view bytes) {
  put_fixed(out, bytes.size(), 4);
  out.append(bytes);
}

uint64_t WriteLog::Reader::number() {
  if (in_.size() < 8) throw std::runtime_error("write log record cut short");
  const uint64_t n = get_fixed(in_.data(), 8);
  in_.remove_prefix(8);
  return n;
}

std::string_view WriteLog::Reader::bytes() {
  if (in_.size() < 4) throw std::runtime_error("write log record cut short");
  const uint64_t size = get_fixed(in_.data(), 4);
  if (in_.size() - 4 < size) throw std::runtime_error("write log record cut short");
  const std::string_view b = in_.substr(4, size);
  in_.remove_prefix(4 + size);
  return b;
}

namespace {

// Opens `file` for appends and locks it: one writer per log, whichever
// process it is in (a second fixguard on the same files would apply and
// empty the first one's log under it). Throws std::runtime_error if another
// holds it.
int open_locked(const std::string& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open the write log " + file + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::runtime_error("the write log " + file +
                             (err == EWOULDBLOCK ? std::string(" is in use: another fixguard writes these files")
                                                 : ": cannot lock it: " + std::string(std::strerror(err))));
  }
  return fd;
}

}  // namespace

std::size_t WriteLog::recover(SQLite::Database& db, const std::string& log_path, std::size_t part,
                              const MakeApplier& make) {
  const std::array<std::string, 2> files = files_of(log_path);
  std::error_code ec;
  if (!std::filesystem::exists(files[0], ec) && !std::filesystem::exists(files[1], ec)) {
    // No log (one no longer written, as a database's own in the gateway):
    // none is made.
    db.exec(kSchema);
    return 0;
  }
  const int fd = open_locked(files[0]);
  try {
    const std::array<std::string, 2> bytes = {read_file(files[0]), read_file(files[1])};
    const std::vector<Record> records = records_of(bytes);
    const std::size_t n = apply_part(db, db.getFilename(), records, part, make);
    if (!records.empty() &&
        std::all_of(records.begin(), records.end(), [&](const Record& r) { return r.part == part; }))
      empty_files(files);
    ::close(fd);
    return n;
  } catch (const std::exception& e) {
    ::close(fd);
    throw std::runtime_error("cannot recover the write log " + files[0] + ": " + e.what());
  }
}

std::vector<std::string> WriteLog::read_payloads(const std::string& path, std::size_t part) {
  const std::array<std::string, 2> files = files_of(path);
  std::vector<std::string> out;
  try {
    const std::array<std::string, 2> bytes = {read_file(files[0]), read_file(files[1])};
    for (const Record& r : records_of(bytes))
      if (r.part == part) out.emplace_back(r.payload);  // views into `bytes`
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot read the write log " + files[0] + ": " + e.what());
  }
  return out;
}

WriteLog::WriteLog(std::vector<Part> parts, bool sync) : parts_(std::move(parts)), sync_(sync) {
  if (parts_.empty() || parts_.size() > kMaxParts) throw std::invalid_argument("a write log has 1 to 16 files");
  path_ = parts_[0].path;
  files_ = files_of(path_);
  std::vector<std::unique_ptr<SQLite::Database>> dbs;
  for (const Part& p : parts_) {
    try {
      // One thread uses it at a time: made here, then the applier's.
      auto& db = dbs.emplace_back(
          std::make_unique<SQLite::Database>(p.path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 0, wal_vfs()));
      db->exec("PRAGMA synchronous=NORMAL");  // applies are synced as a whole (sync_wal), when they are
      db->exec("PRAGMA busy_timeout=5000");
      // Checkpoints are the checkpointer's (see checkpointer.h): an apply that
      // ran one would hold up the appends behind it.
      Checkpointer::set_backstop(*db);
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot open " + p.path + " for its write log: " + e.what());
    }
  }
  fds_[0] = open_locked(files_[0]);  // held while this log lives
  try {
    const std::array<std::string, 2> bytes = {read_file(files_[0]), read_file(files_[1])};
    const std::vector<Record> records = records_of(bytes);
    for (const Record& r : records)
      if (r.part >= parts_.size())
        throw std::runtime_error("it holds writes for a file this fixguard does not name (part " +
                                 std::to_string(r.part) + ")");
    uint64_t last = 0;
    for (std::size_t p = 0; p < parts_.size(); ++p) {
      apply_part(*dbs[p], parts_[p].path, records, p, parts_[p].make);
      // Numbers go on past every file's: none of the next is taken as applied.
      last = std::max(last, applied_of(*dbs[p]));
    }
    if (!bytes[0].empty() || !bytes[1].empty()) empty_files(files_);
    applied_ = handed_ = appended_ = last;
  } catch (const std::exception& e) {
    ::close(fds_[0]);
    throw std::runtime_error("cannot start the write log " + files_[0] + ": " + e.what());
  }
  next_ = appended_ + 1;
  fds_[1] = ::open(files_[1].c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fds_[1] < 0) {
    const std::string why = std::strerror(errno);
    ::close(fds_[0]);
    throw std::runtime_error("cannot open the write log " + files_[1] + ": " + why);
  }
  if (!sync_) map_files();
  if (parts_.size() > 1) {
    reserve_ = files_[0] + ".reserve";
    hold_reserve();  // if the disk is full, part 0 waits for room (see append())
  }
  thread_ = std::thread([this, dbs = std::move(dbs)]() mutable { run(std::move(dbs)); });
}

std::optional<std::string> WriteLog::hold_reserve() {
  if (reserve_.empty() || reserve_held_) return std::nullopt;
  const int fd = ::open(reserve_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return std::string(std::strerror(errno));
  const int err = allocate(fd, 0, static_cast<off_t>(kReserve));
  ::close(fd);
  if (err != 0) {
    ::unlink(reserve_.c_str());
    return std::string(std::strerror(err));
  }
  reserve_held_ = true;
  return std::nullopt;
}

bool WriteLog::give_up_reserve(int err, bool may_use_reserve) {
  if ((err != ENOSPC && err != EDQUOT) || !may_use_reserve || !reserve_held_) return false;
  ::unlink(reserve_.c_str());  // its room is this append's
  reserve_held_ = false;
  return true;
}

WriteLog::~WriteLog() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  bool all_applied;
  {
    const std::lock_guard lock(mutex_);
    all_applied = applied_ == appended_;
  }
  unmap_files();
  for (const int fd : fds_) {
    if (all_applied) [[maybe_unused]]
      const int ignored = ::ftruncate(fd, 0);
    ::close(fd);
  }
  if (!reserve_.empty()) ::unlink(reserve_.c_str());
}

void WriteLog::add(std::string_view payload, std::size_t part) {
  if (payload.size() > kMaxPayload)
    throw std::length_error("a write of " + std::to_string(payload.size()) + " bytes is too large for the write log");
  if (part >= parts_.size()) throw std::out_of_range("no such part of the write log " + files_[0]);
  const uint64_t number = next_++ | kGrouped;
  last_kept_at_ = kept_.size();
  put_fixed(kept_, payload.size() | (uint64_t{part} << kPartShift), 4);
  put_fixed(kept_, number, 8);
  last_checks_ = checks_of(number, part, payload);
  put_fixed(kept_, last_checks_[0], 8);
  kept_.append(payload);
  kept_lowest_part_ = std::min(kept_lowest_part_, part);
}

void WriteLog::mark_end(bool ends) {
  char* header = kept_.data() + last_kept_at_;
  const uint64_t number = ends ? get_fixed(header + 4, 8) | kEnds : get_fixed(header + 4, 8) & ~kEnds;
  set_fixed(header + 4, number, 8);
  set_fixed(header + 12, last_checks_[ends ? 1 : 0], 8);
}

void WriteLog::take_back() {
  kept_.clear();
  kept_lowest_part_ = kMaxParts;
  next_ = appended_ + 1;
}

std::optional<std::string> WriteLog::append(bool sync) {
  if (kept_.empty()) return std::nullopt;
  // Part 0 appends only with the reserve held: what room is left is the
  // other parts'.
  const bool may_use_reserve = kept_lowest_part_ > 0;
  // Past kMaxQueued an append waits for the applier; one that may use the
  // reserve (a log with one: the database's, which records the rejects)
  // goes on for kReserve more: an applier stuck on the journal's file (a
  // full disk) rejects orders, and the rejects still leave.
  const std::size_t limit = !reserve_.empty() && may_use_reserve ? kMaxQueued + kReserve : kMaxQueued;
  bool too_much;
  {
    const std::lock_guard lock(mutex_);
    too_much = queued_bytes_ > limit;
  }
  if (too_much) {
    if (auto why = drain()) return "the write log's applier is behind: " + *why;
  }
  if (resync_)
    if (auto why = rewrite_unsynced()) return why;
  const std::string& file = files_[current_];
  const int fd = fds_[current_];
  if (!may_use_reserve)
    if (const auto why = hold_reserve()) return "cannot write " + file + ": " + *why;
  if (torn_) {
    if (::ftruncate(fd, static_cast<off_t>(sizes_[current_])) != 0) return errno_text(("cannot write " + file).c_str());
    torn_ = false;
  }
  // Two files in turn: one is appended to while the other, once all of it
  // is applied, is emptied; so neither grows without end under a steady
  // flow, where the applier is always a little behind.
  const int other = 1 - current_;
  if (sizes_[other] > 0) {
    bool applied;
    {
      const std::lock_guard lock(mutex_);
      applied = applied_ >= last_in_[other];
    }
    if (applied) empty_file(other);
  }
  // (Not while an append waits for its sync: sync() syncs one file.)
  if (sizes_[current_] >= kEmptyAt && unsynced_.empty()) {
    if (sizes_[other] == 0) {
      current_ = other;
      return append(sync);
    }
    // The other is not yet applied: the applier stops gathering until it is.
    bool hurry;
    {
      const std::lock_guard lock(mutex_);
      hurry = !full_;
      full_ = true;
    }
    if (hurry) wake_.notify_one();
  }
  // Its last record marks its end: recovery applies all of an append or
  // none of it. (Unmarked again if it fails: more may be added to it.)
  mark_end(true);
  if (mapped_) {
    if (auto why = grow(kept_.size(), may_use_reserve)) {
      mark_end(false);
      return "cannot write " + file + ": " + *why;
    }
    std::memcpy(maps_[current_].at + sizes_[current_], kept_.data(), kept_.size());
  }
  std::size_t done = mapped_ ? kept_.size() : 0;
  while (done < kept_.size()) {
    const ssize_t n =
        ::pwrite(fd, kept_.data() + done, kept_.size() - done, static_cast<off_t>(sizes_[current_] + done));
    if (n < 0 && (errno == EINTR || give_up_reserve(errno, may_use_reserve))) continue;
    if (n < 0) {
      const std::string why = errno_text(("cannot write " + file).c_str());
      torn_ = done > 0;
      mark_end(false);
      return why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (sync && ::fdatasync(fd) != 0) {
    const std::string why = errno_text(("cannot sync " + file).c_str());
    torn_ = true;  // cut back and written again: nothing of it counts as written
    mark_end(false);
    return why;
  }
  if (sync) {
    unsynced_.clear();  // synced with it
  } else if (sync_) {
    // Kept until sync(), to be written again if that fails.
    if (unsynced_.empty()) unsynced_at_ = sizes_[current_];
    unsynced_ += kept_;
  }
  sizes_[current_] += kept_.size();
  appended_ = next_ - 1;
  last_in_[current_] = appended_;
  ++appends_;
  bool wake;
  const std::size_t handed_size = kept_.size();
  {
    const std::lock_guard lock(mutex_);
    queued_bytes_ += handed_size;
    queued_.push_back(std::move(kept_));
    // A buffer the applier is done with: the next records are kept in it,
    // with no allocation as it grows (and none freed on the other thread).
    if (!spares_.empty()) {
      kept_ = std::move(spares_.back());
      spares_.pop_back();
    }
    handed_ = appended_;
    // Gathering, it is not woken for each append (a switch of threads each).
    wake = idle_ || queued_bytes_ >= kGatherBytes;
  }
  kept_.clear();
  // No spare (the applier holds them all while it gathers): a new buffer
  // takes the size of the last append at once instead of doubling up to it.
  if (kept_.capacity() < handed_size) kept_.reserve(std::min(handed_size, kSpareCapacity));
  kept_lowest_part_ = kMaxParts;
  if (wake) wake_.notify_one();
  return std::nullopt;
}

void WriteLog::map_files() {
  for (std::size_t i = 0; i < 2; ++i) {
    Mapped& m = maps_[i];
    m.fd = ::open(files_[i].c_str(), O_RDWR | O_CLOEXEC);
    struct stat st {};
    if (m.fd < 0 || ::fstat(m.fd, &st) != 0) break;
    void* at = ::mmap(nullptr, kMapSpan, PROT_READ | PROT_WRITE, MAP_SHARED, m.fd, 0);
    if (at == MAP_FAILED) break;
    m.at = static_cast<char*>(at);
    m.capacity = static_cast<uint64_t>(st.st_size);
  }
  mapped_ = maps_[0].at && maps_[1].at;
  if (!mapped_) unmap_files();  // appended with write() instead
}

void WriteLog::unmap_files() {
  for (Mapped& m : maps_) {
    if (m.at) ::munmap(m.at, kMapSpan);
    if (m.fd >= 0) ::close(m.fd);
    m = Mapped{};
  }
  mapped_ = false;
}

std::optional<std::string> WriteLog::grow(std::size_t bytes, bool may_use_reserve) {
  Mapped& m = maps_[current_];
  const uint64_t needed = sizes_[current_] + bytes;
  if (needed <= m.capacity) return std::nullopt;
  if (needed > kMapSpan)
    return "an append of " + std::to_string(bytes) + " bytes does not fit (a file of the log holds at most " +
           std::to_string(kMapSpan) + ")";
  // Its blocks allocated, not only its size set: a copy into the mapping
  // never has to find room on the disk (where there is none, that would be
  // a SIGBUS, not an error).
  for (;;) {
    const int err = allocate(m.fd, static_cast<off_t>(m.capacity), static_cast<off_t>(needed - m.capacity));
    if (err == 0) break;
    if (!give_up_reserve(err, may_use_reserve)) return std::string(std::strerror(err));
  }
  m.capacity = needed;
  return std::nullopt;
}

void WriteLog::empty_file(int which) {
  if (!mapped_) {
    // Written over from its start, as a mapped file is (see records_of),
    // unless a burst left it large: an fdatasync of blocks written before
    // flushes only them, where one of a file that grew also writes its inode
    // (the new size and blocks), ~100 us more and twice the CPU here.
    const int fd = fds_[which];
    struct stat st {};
    if (::fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) > kShrinkAbove) {
      if (::ftruncate(fd, 0) == 0) sizes_[which] = 0;
      return;
    }
    // Its first header zeroed, it reads as empty (if this fails, it reads
    // as records all applied, which recovery and readers pass over).
    static constexpr char kZeros[kHeader] = {};
    const std::size_t n = std::min<std::size_t>(kHeader, static_cast<std::size_t>(st.st_size));
    if (n > 0) [[maybe_unused]]
      const ssize_t ignored = ::pwrite(fd, kZeros, n, 0);
    sizes_[which] = 0;
    return;
  }
  Mapped& m = maps_[which];
  if (m.capacity > kShrinkAbove && ::ftruncate(m.fd, 0) == 0) {
    m.capacity = 0;
  } else {
    // Used again from its start: its first header zeroed, it reads as
    // empty, and once written over, what follows the new records is older
    // (lower numbers) and not read (see records_of).
    std::memset(m.at, 0, std::min<uint64_t>(kHeader, m.capacity));
  }
  sizes_[which] = 0;
}

std::optional<std::string> WriteLog::sync() {
  if (unsynced_.empty()) return std::nullopt;
  if (resync_)
    if (auto why = rewrite_unsynced()) return why;
  if (::fdatasync(fds_[current_]) != 0) {
    // What failed to sync may be lost from the page cache whatever a later
    // sync says: written again first.
    resync_ = true;
    return errno_text(("cannot sync " + files_[current_]).c_str());
  }
  unsynced_.clear();
  return std::nullopt;
}

std::optional<std::string> WriteLog::rewrite_unsynced() {
  const int fd = fds_[current_];
  const std::string& file = files_[current_];
  if (::ftruncate(fd, static_cast<off_t>(unsynced_at_)) != 0) return errno_text(("cannot write " + file).c_str());
  std::size_t done = 0;
  while (done < unsynced_.size()) {
    const ssize_t n =
        ::pwrite(fd, unsynced_.data() + done, unsynced_.size() - done, static_cast<off_t>(unsynced_at_ + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_text(("cannot write " + file).c_str());
    done += static_cast<std::size_t>(n);
  }
  sizes_[current_] = unsynced_at_ + unsynced_.size();
  resync_ = false;
  return std::nullopt;
}

std::optional<std::string> WriteLog::drain() {
  std::unique_lock lock(mutex_);
  hurry_ = true;
  wake_.notify_one();
  applied_cv_.wait(lock, [this] { return applied_ >= handed_ || !fault_.empty(); });
  hurry_ = false;
  if (applied_ >= handed_) return std::nullopt;
  return fault_;
}

void WriteLog::gather_for(std::chrono::milliseconds interval) {
  const std::lock_guard lock(mutex_);
  gather_ = interval;
}

std::string WriteLog::fault() const {
  const std::lock_guard lock(mutex_);
  return fault_;
}

WriteLog::Stats WriteLog::stats() const {
  const std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.appends = appends_;
  s.backlog = handed_ - applied_;
  return s;
}

void WriteLog::run(std::vector<std::unique_ptr<SQLite::Database>> dbs) {
  // The lowest priority (nice 19), as the checkpointer: where fixguard
  // shares one core, the order path preempts an apply as soon as it has
  // work; an append that finds the applier far behind waits for it.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19);
  std::vector<Applier> appliers(parts_.size());
  std::vector<uint64_t> committed(parts_.size(), 0);  // in each SQLite file, maybe not yet synced
  std::vector<Record> records;
  for (;;) {
    std::deque<std::string> chunks;
    bool stopping;
    {
      std::unique_lock lock(mutex_);
      idle_ = true;
      wake_.wait(lock, [this] { return stop_ || !queued_.empty(); });
      idle_ = false;
      wake_.wait_for(lock, gather_, [this] { return stop_ || hurry_ || full_ || queued_bytes_ >= kGatherBytes; });
      if (queued_.empty()) return;
      chunks.swap(queued_);
      stopping = stop_;
    }
    std::size_t bytes = 0;
    uint64_t highest = 0;
    std::size_t count = 0;
    std::size_t part = 0;
    std::string why;
    try {
      records.clear();
      uint32_t parts_seen = 0;  // a bit per part (kMaxParts <= 32)
      for (const std::string& c : chunks) {
        bytes += c.size();
        std::string_view in = c;
        while (const auto r = next_record(in, false)) {
          records.push_back(*r);
          parts_seen |= uint32_t{1} << r->part;
          highest = std::max(highest, r->number);
        }
      }
      // A transaction per file: what one applied is not applied twice if
      // another fails and all of them are tried again.
      for (part = 0; part < parts_.size(); ++part) {
        if (!(parts_seen >> part & 1)) continue;
        SQLite::Database& db = *dbs[part];
        if (!appliers[part]) appliers[part] = parts_[part].make(db);
        const Applied a = apply_records(db, records, part, committed[part], appliers[part]);
        committed[part] = a.last;
        count += a.count;
        if (sync_ && a.count > 0)
          if (const auto fail = sync_wal(parts_[part].path)) throw std::runtime_error(*fail);
      }
    } catch (const std::exception& e) {
      why = (part < parts_.size() ? parts_[part].path : path_) + ": " + e.what();
      if (part < parts_.size()) appliers[part] = nullptr;  // its statements may be mid-step: made again
    }
    {
      const std::lock_guard lock(mutex_);
      if (why.empty()) {
        applied_ = std::max(applied_, highest);
        for (std::string& c : chunks)
          if (spares_.size() < kSpares && c.capacity() <= kSpareCapacity) spares_.push_back(std::move(c));
        full_ = false;  // the next append looks again
        queued_bytes_ -= bytes;
        ++stats_.applies;
        stats_.records += count;
        fault_.clear();
      } else {
        // Tried again, in order, with what came since.
        for (auto c = chunks.rbegin(); c != chunks.rend(); ++c) queued_.push_front(std::move(*c));
        fault_ = why;
      }
    }
    applied_cv_.notify_all();
    if (!why.empty()) {
      if (stopping) return;  // left in the log, for recovery at the next start
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kRetry, [this] { return stop_; });
    }
  }
}

}  // namespace fixguard::persistence
