// The WAL-coalescing VFS: a commit costs one write call, and the files stay
// what SQLite wrote at every point anything could look at them: to readers
// on other connections (this VFS or the default one), after a crash right
// after a commit, after a commit that could not be written, and when the log
// starts over after a checkpoint.
#include "persistence/wal_vfs.h"
#include "tests/support/harness.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace fixguard::persistence {
namespace {

SQLite::Database open_db(const std::string& path, bool through_vfs) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, through_vfs ? wal_vfs() : "");
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA busy_timeout=5000");
  db.exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, payload BLOB NOT NULL)");
  db.exec("CREATE INDEX IF NOT EXISTS t_batch ON t(batch)");
  return db;
}

// One transaction of `rows` rows of `batch`, each with `size` bytes.
void commit_batch(SQLite::Database& db, int batch, int rows, int size = 300) {
  SQLite::Transaction tx(db);
  SQLite::Statement insert(db, "INSERT INTO t(batch, payload) VALUES(?, ?)");
  const std::string payload(static_cast<std::size_t>(size), static_cast<char>('a' + batch % 26));
  for (int i = 0; i < rows; ++i) {
    insert.reset();
    insert.bind(1, batch);
    insert.bindNoCopy(2, payload.data(), size);
    insert.exec();
  }
  tx.commit();
}

int64_t count(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM t").getInt64(); }

std::string integrity(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA integrity_check").getString();
}

// Write system calls this process made so far (/proc/self/io).
int64_t write_calls() {
  std::ifstream io("/proc/self/io");
  for (std::string key; io >> key;) {
    int64_t v = 0;
    io >> v;
    if (key == "syscw:") return v;
  }
  return -1;
}

TEST(WalVfs, ACommitOfManyPagesCostsOneWriteCall) {
  testing::TempDir dir;
  int64_t calls[2] = {0, 0};
  for (const bool vfs : {false, true}) {
    const std::string path = dir.file(vfs ? "vfs.db" : "default.db");
    SQLite::Database db = open_db(path, vfs);
    commit_batch(db, 0, 1);  // the log's header, the first frames
    const int64_t before = write_calls();
    ASSERT_GE(before, 0) << "no /proc/self/io";
    for (int b = 1; b <= 50; ++b) commit_batch(db, b, 12);  // ~4 KB of rows and its index: a few pages each
    calls[vfs] = write_calls() - before;
    EXPECT_EQ(count(db), 1 + 50 * 12);
  }
  EXPECT_GE(calls[false], 50 * 4) << "the default VFS: two calls per page, more than one page per commit";
  EXPECT_LE(calls[true], 50 + 5) << "one call per commit (default VFS: " << calls[false] << ")";
}

// Set as the VFS is first asked for, before SQLite initializes: SQLite
// keeps no memory statistics, so its allocations take no global lock. (A
// test of its own: ctest runs each in a fresh process.)
TEST(WalVfs, SqliteKeepsNoMemoryStatisticsSoItsAllocationsTakeNoGlobalLock) {
  testing::TempDir dir;
  wal_vfs();
  SQLite::Database db = open_db(dir.file("stats.db"), true);
  commit_batch(db, 0, 12);
  EXPECT_EQ(count(db), 12);
  EXPECT_EQ(sqlite3_memory_used(), 0);
  EXPECT_EQ(sqlite3_memory_highwater(0), 0);
}

TEST(WalVfs, ReadersOnOtherConnectionsSeeWholeCommitsOnly) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  SQLite::Database writer = open_db(path, true);
  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  auto read_loop = [&](bool vfs) {
    SQLite::Database reader(path, SQLite::OPEN_READONLY, 5000, vfs ? wal_vfs() : "");
    int64_t last = 0;
    while (!done) try {
        SQLite::Transaction snapshot(reader);  // count and batches from one snapshot
        const int64_t n = count(reader);
        const int64_t batches = reader.execAndGet("SELECT count(DISTINCT batch) FROM t").getInt64();
        snapshot.commit();
        if (n % 7 != 0 || n != batches * 7 || n < last) ++torn;
        last = n;
        ++reads;
      } catch (const std::exception&) {
        ++torn;  // a frame read before it was written: garbage, or an I/O error
      }
  };
  std::thread same_vfs(read_loop, true), default_vfs(read_loop, false);
  for (int b = 0; b < 400; ++b) commit_batch(writer, b, 7, 500);
  done = true;
  same_vfs.join();
  default_vfs.join();
  EXPECT_EQ(torn, 0) << "a reader saw part of a commit";
  EXPECT_GT(reads, 2);
  EXPECT_EQ(count(writer), 400 * 7);
  EXPECT_EQ(integrity(path), "ok");
}

TEST(WalVfs, EveryCommitSurvivesAProcessThatDiesRightAfterIt) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SQLite::Database db = open_db(path, true);
    for (int b = 0; b < 100; ++b) commit_batch(db, b, 3);
    ::_exit(0);  // no close, no destructor: what is not written by now is lost
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(count(db), 300) << "committed rows lost with the process";
  EXPECT_EQ(integrity(path), "ok");
}

TEST(WalVfs, AnotherWriterGetsInBetweenCommitsAndACheckpointedLogStartsOver) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  SQLite::Database db = open_db(path, true);
  for (int b = 0; b < 10; ++b) commit_batch(db, b, 3);
  // Another writer (the default VFS, locking as another process would)
  // writes between two commits at once, with no busy wait.
  SQLite::Database outsider(path, SQLite::OPEN_READWRITE);
  for (int i = 0; i < 5; ++i) {
    outsider.exec("INSERT INTO t(batch, payload) VALUES(100, x'00')");
    commit_batch(db, 10 + i, 3);
  }
  EXPECT_EQ(count(outsider), 10 * 3 + 5 + 5 * 3);
  // A checkpointer copies the whole log while the writer is idle, and the
  // writer then starts the log over: it stays small.
  SQLite::Database checkpointer(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
  for (int round = 0; round < 30; ++round) {
    for (int b = 0; b < 10; ++b) commit_batch(db, 1000 + round * 10 + b, 3, 2000);
    SQLite::Statement ck(checkpointer, "PRAGMA wal_checkpoint(PASSIVE)");
    ASSERT_TRUE(ck.executeStep());
    EXPECT_EQ(ck.getColumn(0).getInt(), 0) << "busy";
    EXPECT_EQ(ck.getColumn(1).getInt(), ck.getColumn(2).getInt()) << "log frames not all copied, round " << round;
  }
  EXPECT_LT(std::filesystem::file_size(path + "-wal"), 2u << 20) << "the log never started over";
  EXPECT_EQ(integrity(path), "ok");
}

// What a process that hits a full disk (its file size limit) committed
// before the first failure, and whether a commit with the disk still full
// failed too. Exit codes of the child: 3, no commit failed at the limit.
struct FullDisk {
  int committed = 0;
  bool failed_again = false;
};

FullDisk fill(const std::string& path) {
  const std::string out = path + ".outcome";
  const pid_t child = ::fork();
  if (child == 0) {
    SQLite::Database db = open_db(path, true);
    commit_batch(db, 0, 1);
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{2 << 20, 2 << 20};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    FullDisk r{1, false};
    bool failed = false;
    for (int b = 1; b < 1000 && !failed; ++b) try {
        commit_batch(db, b, 10, 1000);
        r.committed = b + 1;
      } catch (const std::exception&) {
        failed = true;
      }
    if (!failed) ::_exit(3);
    try {
      commit_batch(db, 2000, 10, 1000);
    } catch (const std::exception&) {
      r.failed_again = true;
    }
    std::ofstream(out) << r.committed << ' ' << r.failed_again;
    ::_exit(0);
  }
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "exit " << WEXITSTATUS(status);
  FullDisk r;
  std::ifstream(out) >> r.committed >> r.failed_again;
  return r;
}

// (Writing again once there is space is the DiskFull proxy test's: a real
// full file system under the journal, and the gateway's retries.)
TEST(WalVfs, ACommitThatCannotBeWrittenFailsAndLosesNothingCommittedBefore) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  const FullDisk r = fill(path);
  ASSERT_GT(r.committed, 10);
  EXPECT_TRUE(r.failed_again) << "a commit with the disk still full did not fail";
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(count(db), 1 + (r.committed - 1) * 10) << "commits reported done must all be there, the failed ones not";
  EXPECT_EQ(integrity(path), "ok");
}

TEST(WalVfs, TheLogStartsOverAfterACheckpointAndLargeCommitsAreWritten) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  SQLite::Database db = open_db(path, true);
  SQLite::Database checkpointer(path, SQLite::OPEN_READWRITE, 5000, wal_vfs());
  int64_t rows = 0;
  for (int round = 0; round < 5; ++round) {
    for (int b = 0; b < 20; ++b) commit_batch(db, round * 100 + b, 4);
    rows += 20 * 4;
    // Everything copied to the database: the next commit writes the log from its start.
    checkpointer.exec("PRAGMA wal_checkpoint(RESTART)");
  }
  // Several MB in one transaction: written in parts, the default VFS's
  // 128 KiB per call limit included.
  commit_batch(db, 999, 1500, 4000);
  rows += 1500;
  EXPECT_EQ(count(db), rows);
  SQLite::Database other(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(count(other), rows);
  EXPECT_EQ(integrity(path), "ok");
}

}  // namespace
}  // namespace fixguard::persistence
