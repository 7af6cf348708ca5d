// Checkpoints of SQLite write-ahead logs, off the order path.
//
// A WAL-mode writer copies its log back into the database file once the
// log passes 1,000 pages, syncing both: milliseconds, paid by whichever
// commit crosses the line, which on fixguard's order path is the round
// trip of one order in a hundred (the p99). A Checkpointer runs passive
// checkpoints on a thread of its own, with connections of its own, every
// interval; writers move their own automatic checkpoint out to
// kBackstopPages (set_backstop), which then only acts if this thread
// cannot keep up. A passive checkpoint never blocks the writer, and the
// thread runs at the lowest priority (nice 19).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace SQLite {
class Database;
}

namespace fixguard::persistence {

class Checkpointer {
 public:
  // The writers' own checkpoint, for when the thread falls behind.
  static constexpr int kBackstopPages = 16384;
  // Moves `db`'s automatic checkpoint out to kBackstopPages.
  static void set_backstop(SQLite::Database& db);

  // Checkpoints each WAL-mode SQLite file in `paths` every `interval`.
  Checkpointer(std::vector<std::string> paths, std::chrono::milliseconds interval);
  ~Checkpointer();  // stops the thread (after a last checkpoint)
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  uint64_t runs() const { return runs_; }          // checkpoints that ran
  uint64_t failures() const { return failures_; }  // and failed
  std::string last_error() const;

 private:
  void run();

  const std::vector<std::string> paths_;
  const std::chrono::milliseconds interval_;
  std::atomic<uint64_t> runs_{0}, failures_{0};
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string last_error_;
  std::thread thread_;  // last: starts once the rest is set
};

}  // namespace fixguard::persistence
