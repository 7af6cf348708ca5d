#include "persistence/write_log.h"

#include "persistence/checkpointer.h"
#include "persistence/database.h"
#include "persistence/wal_vfs.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace fixguard::persistence {
namespace {

constexpr std::size_t kHeader = 4 + 8 + 8;  // size, number, check
// Past this size, appends go to the other file (once it is emptied).
constexpr uint64_t kEmptyAt = 256 << 10;
// Appended but not applied: past this, an append waits for the applier.
constexpr std::size_t kMaxQueued = 1 << 20;
constexpr auto kRetry = std::chrono::milliseconds(100);
// The applier gathers appends for this long (or this many bytes) before a
// transaction, unless someone drains: a transaction costs ~40 us however
// few rows it writes.
constexpr auto kGather = std::chrono::milliseconds(10);
constexpr std::size_t kGatherBytes = 256 << 10;

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS write_log (id INTEGER PRIMARY KEY CHECK (id = 1), applied INTEGER NOT NULL)";

void put_fixed(std::string& out, uint64_t n, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
}

uint64_t get_fixed(const char* p, int bytes) {
  uint64_t n = 0;
  for (int i = 0; i < bytes; ++i) n |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return n;
}

// Finds a record cut short or overwritten (not a forgery): FNV-1a's
// multiply-xor, taken eight bytes at a time, with the length mixed in.
uint64_t check_of(uint64_t number, std::string_view payload) {
  constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t h = (14695981039346656037ull ^ number) * kPrime;
  h = (h ^ payload.size()) * kPrime;
  std::size_t i = 0;
  for (; i + 8 <= payload.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, payload.data() + i, 8);
    h = (h ^ word) * kPrime;
    h ^= h >> 29;
  }
  for (; i < payload.size(); ++i) h = (h ^ static_cast<unsigned char>(payload[i])) * kPrime;
  return h ^ (h >> 32);
}

struct Record {
  uint64_t number;
  std::string_view payload;
};

// The next whole, intact record of `in`, which moves past it; nothing at the
// end of the records or at a record cut short or damaged.
std::optional<Record> next_record(std::string_view& in) {
  if (in.size() < kHeader) return std::nullopt;
  const uint64_t size = get_fixed(in.data(), 4);
  if (in.size() - kHeader < size) return std::nullopt;
  Record r{get_fixed(in.data() + 4, 8), in.substr(kHeader, size)};
  if (get_fixed(in.data() + 12, 8) != check_of(r.number, r.payload)) return std::nullopt;
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

// The intact records of the files in `bytes` (views into it), in the order
// of their numbers.
std::vector<Record> records_of(const std::array<std::string, 2>& bytes) {
  std::vector<Record> out;
  for (const std::string& b : bytes) {
    std::string_view in = b;
    while (const auto r = next_record(in)) out.push_back(*r);
  }
  std::stable_sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.number < b.number; });
  return out;
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
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
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

std::size_t WriteLog::recover(SQLite::Database& db, const std::string& path, const MakeApplier& make) {
  const int fd = open_locked(file_of(path));
  try {
    const std::size_t n = recover_locked(db, path, make);
    ::close(fd);
    return n;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::size_t WriteLog::recover_locked(SQLite::Database& db, const std::string& path, const MakeApplier& make) {
  const std::array<std::string, 2> files = files_of(path);
  try {
    db.exec(kSchema);
    const std::array<std::string, 2> bytes = {read_file(files[0]), read_file(files[1])};
    if (bytes[0].empty() && bytes[1].empty()) return 0;
    // The writer's lock first: what is applied is read and moved on in one go.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    uint64_t last = applied_of(db);
    std::vector<std::string_view> payloads;
    for (const Record& r : records_of(bytes))
      if (r.number > last) {
        payloads.push_back(r.payload);
        last = r.number;
      }
    if (!payloads.empty()) {
      make(db)(payloads);
      set_applied(db, last);
    }
    tx.commit();
    if (!payloads.empty())
      if (const auto why = sync_wal(path)) throw std::runtime_error(*why);
    // Emptied: what follows is appended after no damaged tail.
    for (const std::string& f : files)
      if (::truncate(f.c_str(), 0) != 0 && errno != ENOENT)
        throw std::runtime_error(errno_text(("cannot empty " + f).c_str()));
    return payloads.size();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot recover the write log " + files[0] + ": " + e.what());
  }
}

std::vector<std::string> WriteLog::read_payloads(const std::string& path) {
  const std::array<std::string, 2> files = files_of(path);
  std::vector<std::string> out;
  try {
    const std::array<std::string, 2> bytes = {read_file(files[0]), read_file(files[1])};
    for (const Record& r : records_of(bytes)) out.emplace_back(r.payload);  // views into `bytes`
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot read the write log " + files[0] + ": " + e.what());
  }
  return out;
}

WriteLog::WriteLog(const std::string& path, bool sync, MakeApplier make)
    : path_(path), files_(files_of(path)), sync_(sync), make_(std::move(make)) {
  std::unique_ptr<SQLite::Database> db;
  try {
    // One thread uses it at a time: made here, then the applier's.
    db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 0, wal_vfs());
    db->exec("PRAGMA synchronous=NORMAL");  // applies are synced as a whole (sync_wal), when they are
    db->exec("PRAGMA busy_timeout=5000");
    // Checkpoints are the checkpointer's (see checkpointer.h): an apply that
    // ran one would hold up the appends behind it.
    Checkpointer::set_backstop(*db);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open " + path + " for its write log: " + e.what());
  }
  fds_[0] = open_locked(files_[0]);  // held while this log lives
  try {
    recover_locked(*db, path, make_);
    applied_ = handed_ = appended_ = applied_of(*db);
  } catch (const std::exception& e) {
    ::close(fds_[0]);
    throw std::runtime_error("cannot start the write log of " + path + ": " + e.what());
  }
  next_ = appended_ + 1;
  fds_[1] = ::open(files_[1].c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fds_[1] < 0) {
    const std::string why = std::strerror(errno);
    ::close(fds_[0]);
    throw std::runtime_error("cannot open the write log " + files_[1] + ": " + why);
  }
  thread_ = std::thread([this, db = std::move(db)]() mutable { run(std::move(db)); });
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
  for (const int fd : fds_) {
    if (all_applied) [[maybe_unused]]
      const int ignored = ::ftruncate(fd, 0);
    ::close(fd);
  }
}

void WriteLog::add(std::string_view payload) {
  const uint64_t number = next_++;
  put_fixed(kept_, payload.size(), 4);
  put_fixed(kept_, number, 8);
  put_fixed(kept_, check_of(number, payload), 8);
  kept_.append(payload);
}

void WriteLog::take_back() {
  kept_.clear();
  next_ = appended_ + 1;
}

std::optional<std::string> WriteLog::append() {
  if (kept_.empty()) return std::nullopt;
  bool too_much;
  {
    const std::lock_guard lock(mutex_);
    too_much = queued_bytes_ > kMaxQueued;
  }
  if (too_much) {
    if (auto why = drain()) return "the write log's applier is behind: " + *why;
  }
  const std::string& file = files_[current_];
  const int fd = fds_[current_];
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
    if (applied && ::ftruncate(fds_[other], 0) == 0) sizes_[other] = 0;
  }
  if (sizes_[current_] >= kEmptyAt) {
    if (sizes_[other] == 0) {
      current_ = other;
      return append();
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
  std::size_t done = 0;
  while (done < kept_.size()) {
    const ssize_t n = ::write(fd, kept_.data() + done, kept_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = errno_text(("cannot write " + file).c_str());
      torn_ = done > 0;
      return why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (sync_ && ::fdatasync(fd) != 0) {
    const std::string why = errno_text(("cannot sync " + file).c_str());
    torn_ = true;  // cut back and written again: nothing of it counts as written
    return why;
  }
  sizes_[current_] += kept_.size();
  appended_ = next_ - 1;
  last_in_[current_] = appended_;
  ++appends_;
  bool wake;
  {
    const std::lock_guard lock(mutex_);
    queued_bytes_ += kept_.size();
    queued_.push_back(std::move(kept_));
    handed_ = appended_;
    // Gathering, it is not woken for each append (a switch of threads each).
    wake = idle_ || queued_bytes_ >= kGatherBytes;
  }
  kept_.clear();
  if (wake) wake_.notify_one();
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

void WriteLog::run(std::unique_ptr<SQLite::Database> db) {
  // The lowest priority (nice 19), as the checkpointer: where fixguard
  // shares one core, the order path preempts an apply as soon as it has
  // work; an append that finds the applier far behind waits for it.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19);
  Applier applier;
  uint64_t committed = applied_;  // in the SQLite file, maybe not yet synced
  for (;;) {
    std::deque<std::string> chunks;
    bool stopping;
    {
      std::unique_lock lock(mutex_);
      idle_ = true;
      wake_.wait(lock, [this] { return stop_ || !queued_.empty(); });
      idle_ = false;
      wake_.wait_for(lock, kGather, [this] { return stop_ || hurry_ || full_ || queued_bytes_ >= kGatherBytes; });
      if (queued_.empty()) return;
      chunks.swap(queued_);
      stopping = stop_;
    }
    std::size_t bytes = 0;
    uint64_t last = committed;
    std::size_t count = 0;
    std::string why;
    try {
      if (!applier) applier = make_(*db);
      for (const std::string& c : chunks) bytes += c.size();
      {
        // Under the writer's lock: what another connection recovered (a
        // reader opening the file) is not applied twice.
        SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
        last = std::max(committed, applied_of(*db));
        std::vector<std::string_view> payloads;
        for (const std::string& c : chunks) {
          std::string_view in = c;
          while (const auto r = next_record(in))
            if (r->number > last) {
              payloads.push_back(r->payload);
              last = r->number;
            }
        }
        count = payloads.size();
        if (!payloads.empty()) {
          applier(payloads);
          set_applied(*db, last);
        }
        tx.commit();
        committed = last;
      }
      if (sync_)
        if (const auto fail = sync_wal(path_)) throw std::runtime_error(*fail);
    } catch (const std::exception& e) {
      why = e.what();
      applier = nullptr;  // its statements may be mid-step: made again
    }
    {
      const std::lock_guard lock(mutex_);
      if (why.empty()) {
        applied_ = last;
        full_ = false;  // the next append looks again
        queued_bytes_ -= bytes;
        ++stats_.applies;
        stats_.records += count;
        fault_.clear();
      } else {
        // Tried again, in order, with what came since.
        for (auto c = chunks.rbegin(); c != chunks.rend(); ++c) queued_.push_front(std::move(*c));
        fault_ = path_ + ": " + why;
      }
    }
    applied_cv_.notify_all();
    if (!why.empty()) {
      if (stopping) return;  // left in the log, for recover() at the next start
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kRetry, [this] { return stop_; });
    }
  }
}

}  // namespace fixguard::persistence
