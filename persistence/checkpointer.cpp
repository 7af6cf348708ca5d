#include "persistence/checkpointer.h"

#include "persistence/wal_vfs.h"

#include <SQLiteCpp/Database.h>
#include <sys/resource.h>
#include <unistd.h>

#include <memory>

namespace fixguard::persistence {

void Checkpointer::set_backstop(SQLite::Database& db) {
  db.exec("PRAGMA wal_autocheckpoint=" + std::to_string(kBackstopPages));
}

Checkpointer::Checkpointer(std::vector<std::string> paths, std::chrono::milliseconds interval)
    : paths_(std::move(paths)), interval_(interval), thread_([this] { run(); }) {}

Checkpointer::~Checkpointer() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::string Checkpointer::last_error() const {
  const std::lock_guard lock(mutex_);
  return last_error_;
}

void Checkpointer::run() {
  // The lowest priority (nice 19): where fixguard shares one core, the
  // order path's thread preempts a checkpoint as soon as it has work, and
  // checkpoints still progress under a steady load.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 19);
  std::vector<std::unique_ptr<SQLite::Database>> dbs(paths_.size());
  for (bool last = false; !last;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, interval_, [this] { return stop_; });
      last = stop_;
    }
    for (std::size_t i = 0; i < paths_.size(); ++i) {
      try {
        // Opened at the first run: the writers have created the files by then.
        if (!dbs[i]) {
          dbs[i] = std::make_unique<SQLite::Database>(paths_[i], SQLite::OPEN_READWRITE, 0, wal_vfs());
          dbs[i]->exec("PRAGMA busy_timeout=100");
        }
        // Passive: copies what no reader still needs, never waits on the writer.
        dbs[i]->exec("PRAGMA wal_checkpoint(PASSIVE)");
        ++runs_;
      } catch (const std::exception& e) {
        ++failures_;
        dbs[i].reset();  // opened again at the next run
        const std::lock_guard lock(mutex_);
        last_error_ = paths_[i] + ": " + e.what();
      }
    }
  }
}

}  // namespace fixguard::persistence
