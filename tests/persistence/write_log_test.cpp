// The write log in front of a SQLite file: appends are applied behind, a
// drain sees them all, and a crash at any point loses nothing appended and
// applies nothing twice. Crashes are real: a child process appends and
// ends with _exit, its log as it left it.
#include "persistence/write_log.h"
#include "persistence/wal_vfs.h"
#include "tests/support/failing_syncs.h"
#include "tests/support/harness.h"

#include <SQLiteCpp/Statement.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace fixguard::persistence {
namespace {

// Each payload is a number, inserted as a row of t (no key: a row applied
// twice shows).
WriteLog::Applier insert_rows(SQLite::Database& db) {
  auto insert = std::make_shared<SQLite::Statement>(db, "INSERT INTO t(n) VALUES(?)");
  return [insert](const std::vector<std::string_view>& payloads) {
    for (const std::string_view p : payloads) {
      insert->reset();
      insert->bind(1, static_cast<int64_t>(std::stoll(std::string(p))));
      insert->exec();
    }
  };
}

void create(const std::string& path) {
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, wal_vfs());
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("CREATE TABLE t(n INTEGER NOT NULL)");
  }
  WriteLog made(path, false, insert_rows);  // its table, before anyone locks the file
}

// Rows of t and their sum.
std::pair<int64_t, int64_t> rows(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT count(*), coalesce(sum(n), 0) FROM t");
  q.executeStep();
  return {q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

// Appends `count` numbers from `first`, `per_append` to an append.
void append_numbers(WriteLog& log, int first, int count, int per_append) {
  for (int n = first; n < first + count; ++n) {
    log.add(std::to_string(n));
    if ((n - first + 1) % per_append == 0) {
      ASSERT_EQ(log.append(), std::nullopt);
    }
  }
  ASSERT_EQ(log.append(), std::nullopt);
}

// Runs `child` in a child process that then ends without any cleanup (as a
// crash would); true if it got to its end.
bool crashes_after(const std::function<void()>& child) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    child();
    ::_exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  int status = 0;
  return ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// Runs `appends` on a WriteLog in a child process that then dies (see
// crashes_after), with the file locked meanwhile so that the log's thread
// applies none of it: all of it is left in the log. True if the child got to
// its end.
bool crashes_before_applying(const std::string& path, const std::function<void(WriteLog&)>& appends,
                             bool sync = false) {
  SQLite::Database blocker(path, SQLite::OPEN_READWRITE);
  blocker.exec("BEGIN IMMEDIATE");
  const bool ended = crashes_after([&] {
    auto* log = new WriteLog(path, sync, insert_rows);  // never destroyed: the process dies with it
    appends(*log);
  });
  blocker.exec("ROLLBACK");
  return ended;
}

uint64_t file_size(const std::string& path) { return std::filesystem::file_size(path); }

// What rows() gives for the numbers 1 to n, each once.
std::pair<int64_t, int64_t> numbers_to(int64_t n) { return {n, n * (n + 1) / 2}; }

// ~2 MB through a log (synced or not) whose applier keeps up (each file
// applied and used again several times), then ten records it cannot apply
// (the file held by another connection), then a crash (see crashes_after).
// Records of one size: the older records after the new ones start where a
// new one would. True if the child got to its end.
bool crashes_after_files_used_again(const std::string& path, bool sync) {
  const auto payload = [](int n) {
    const std::string digits = std::to_string(n);
    return std::string(1000 - digits.size(), '0') + digits;
  };
  return crashes_after([&] {
    auto* log = new WriteLog(path, sync, insert_rows);  // never destroyed: the process dies with it
    if (sync && log->mapped()) ADD_FAILURE() << "a synced log writes its files";
    for (int n = 1; n <= 2000; ++n) {
      log->add(payload(n));
      ASSERT_EQ(log->append(), std::nullopt);
      if (n % 100 == 0) {
        ASSERT_EQ(log->drain(), std::nullopt);
      }
    }
    auto* blocker = new SQLite::Database(path, SQLite::OPEN_READWRITE);
    blocker->exec("BEGIN IMMEDIATE");
    for (int n = 2001; n <= 2010; ++n) {
      log->add(payload(n));
      ASSERT_EQ(log->append(), std::nullopt);
    }
  });
}

// After crashes_after_files_used_again: what the files hold, read as another
// process reads them, is each number once, in order, the ten unapplied
// last; recovery applies those ten, and nothing twice.
void expect_the_last_ten_recovered(const std::string& path) {
  std::vector<int64_t> read;
  for (const std::string& p : WriteLog::read_payloads(path)) read.push_back(std::stoll(p));
  ASSERT_GE(read.size(), 10u);
  for (std::size_t i = 1; i < read.size(); ++i) ASSERT_EQ(read[i], read[i - 1] + 1) << "at " << i;
  EXPECT_EQ(read.back(), 2010);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
    EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 10u);
  }
  EXPECT_EQ(rows(path), numbers_to(2010));
}

// A SQLite file with table t, and the write log's table.
class WriteLogTest : public ::testing::Test {
 protected:
  void SetUp() override { create(path); }
  testing::TempDir dir;
  const std::string path = dir.file("w.db");
};

TEST_F(WriteLogTest, AppendsAreAppliedBehindTheWriterAndADrainSeesThemAll) {
  {
    WriteLog log(path, false, insert_rows);
    append_numbers(log, 1, 300, 3);
    ASSERT_EQ(log.drain(), std::nullopt);
    EXPECT_EQ(rows(path), numbers_to(300));
    const WriteLog::Stats s = log.stats();
    EXPECT_EQ(s.appends, 100u);
    EXPECT_EQ(s.records, 300u);
    EXPECT_LT(s.applies, 100u) << "appends gathered into fewer transactions";
    EXPECT_GT(file_size(WriteLog::file_of(path)), 0u);
  }
  EXPECT_EQ(file_size(WriteLog::file_of(path)), 0u) << "everything applied: the log is emptied at the end";
}

// Where the files cannot be mapped (here: too little address space for a
// file's 1 GB mapping), a log without `sync` appends with write() instead,
// says so (mapped(): the gateway warns), and loses nothing.
TEST_F(WriteLogTest, WhereItsFilesCannotBeMappedTheLogWritesThemAndSaysSo) {
  {
    WriteLog log(path, false, insert_rows);
    EXPECT_TRUE(log.mapped());
    const std::string other = dir.file("s.db");
    create(other);
    WriteLog synced(other, true, insert_rows);
    EXPECT_FALSE(synced.mapped());  // with sync, always write()
  }
  EXPECT_TRUE(crashes_after([&] {
    int64_t vm_kib = 0;
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
      if (line.rfind("VmSize:", 0) == 0) vm_kib = std::stoll(line.substr(7));
    ASSERT_GT(vm_kib, 0);
    const rlim_t room = static_cast<rlim_t>(vm_kib) * 1024 + (rlim_t{768} << 20);  // less than one mapping
    const rlimit limit{room, room};
    ASSERT_EQ(::setrlimit(RLIMIT_AS, &limit), 0);
    WriteLog log(path, false, insert_rows);
    EXPECT_FALSE(log.mapped());
    append_numbers(log, 1, 300, 3);
    ASSERT_EQ(log.drain(), std::nullopt);
    EXPECT_EQ(rows(path), numbers_to(300));
  }));
  EXPECT_EQ(rows(path), numbers_to(300));
}

TEST_F(WriteLogTest, TheApplierGathersAppendsForItsIntervalThenAppliesThemUnasked) {
  // A long interval: a small append waits for it (no drain asks).
  WriteLog slow(path, false, insert_rows);
  slow.gather_for(std::chrono::milliseconds(1000));
  append_numbers(slow, 1, 2, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(slow.stats().applies, 0u) << "applied before its interval was up";
  EXPECT_EQ(slow.stats().backlog, 2u);
  // Once it is up, the applier applies them of itself, in one transaction.
  const auto applied = [](const WriteLog& log, uint64_t records) {
    for (int i = 0; i < 500 && log.stats().records < records; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return log.stats().records == records;
  };
  ASSERT_TRUE(applied(slow, 2));
  EXPECT_EQ(slow.stats().applies, 1u);
  EXPECT_EQ(rows(path), numbers_to(2));
}

TEST_F(WriteLogTest, UnderASteadyFlowTheLogIsEmptiedOnceItIsApplied) {
  WriteLog log(path, false, insert_rows);
  // ~4 MB, in appends of ~1 KB, a millisecond's pause every hundred: the
  // applier is always a little behind.
  const std::string padding(1000, '0');
  uint64_t largest = 0;
  for (int n = 1; n <= 4000; ++n) {
    log.add(padding + std::to_string(n));
    ASSERT_EQ(log.append(), std::nullopt);
    const auto files = WriteLog::files_of(path);
    largest = std::max(largest, file_size(files[0]) + file_size(files[1]));
    if (n % 100 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // At most what waits to be applied (an append waits past 1 MB) and the
  // other file (~256 KB) until it is emptied: well under the 4 MB appended.
  EXPECT_LT(largest, 2u << 20) << "the log's files were never emptied";
  ASSERT_EQ(log.drain(), std::nullopt);
  EXPECT_EQ(rows(path), numbers_to(4000));
}

TEST_F(WriteLogTest, ARestartAppliesWhatACrashLeftUnappliedAndNothingTwice) {
  ASSERT_TRUE(crashes_before_applying(path, [&](WriteLog& log) { append_numbers(log, 1, 50, 5); }));
  EXPECT_EQ(rows(path).first, 0);
  EXPECT_GT(file_size(WriteLog::file_of(path)), 0u);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
    EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 50u);
  }
  EXPECT_EQ(rows(path), numbers_to(50));
  EXPECT_EQ(file_size(WriteLog::file_of(path)), 0u);

  // Applied, then a crash before the log was emptied: applied once only,
  // and the numbers go on after them.
  ASSERT_TRUE(crashes_after([&] {
    auto* log = new WriteLog(path, false, insert_rows);
    append_numbers(*log, 51, 50, 5);
    ASSERT_EQ(log->drain(), std::nullopt);
  }));
  EXPECT_GT(file_size(WriteLog::file_of(path)), 0u);
  {
    WriteLog log(path, false, insert_rows);  // recovers first
    append_numbers(log, 101, 10, 10);
  }
  EXPECT_EQ(rows(path), numbers_to(110));
}

TEST_F(WriteLogTest, ARestartAppliesBothFilesOfTheLogInOrder) {
  const std::string padding(1000, '0');
  ASSERT_TRUE(crashes_before_applying(path, [&](WriteLog& log) {
    for (int n = 1; n <= 600; ++n) {  // ~600 KB: past the first file
      log.add(padding + std::to_string(n));
      ASSERT_EQ(log.append(), std::nullopt);
    }
  }));
  const auto files = WriteLog::files_of(path);
  EXPECT_GT(file_size(files[0]), 0u);
  EXPECT_GT(file_size(files[1]), 0u);
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
    EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 600u);
  }
  EXPECT_EQ(rows(path), numbers_to(600));
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM t a JOIN t b ON b.rowid = a.rowid + 1 WHERE b.n < a.n").getInt64(), 0)
      << "applied out of order";
  EXPECT_EQ(file_size(files[0]) + file_size(files[1]), 0u);
}

TEST_F(WriteLogTest, ARecordCutShortEndsTheLogAndWhatCameBeforeItApplies) {
  const std::string log_path = WriteLog::file_of(path);
  ASSERT_TRUE(crashes_before_applying(path, [&](WriteLog& log) {
    append_numbers(log, 1, 20, 20);
    append_numbers(log, 21, 1, 1);
  }));
  // The last record, cut in the middle (a crash mid-append), and a damaged
  // copy of it after that.
  const uint64_t whole = file_size(log_path);
  std::filesystem::resize_file(log_path, whole - 1);
  std::ofstream(log_path, std::ios::app) << std::string(40, 'x');
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
  EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 20u);
  EXPECT_EQ(rows(path), numbers_to(20));
  EXPECT_EQ(file_size(log_path), 0u) << "the damaged tail is gone before anything is appended after it";
}

TEST_F(WriteLogTest, AnAppendCutShortBetweenItsRecordsAppliesNoneOfThem) {
  const std::string log_path = WriteLog::file_of(path);
  ASSERT_TRUE(crashes_before_applying(path, [&](WriteLog& log) {
    append_numbers(log, 1, 20, 20);
    append_numbers(log, 21, 10, 10);
  }));
  // The second append cut after its fifth record, at a record's end (a kill
  // stopping the write() between pages): five whole, intact records.
  constexpr uint64_t kRecord = 20 + 2;  // header and a two-digit payload
  std::filesystem::resize_file(log_path, file_size(log_path) - 5 * kRecord);
  EXPECT_EQ(WriteLog::read_payloads(path).size(), 20u) << "a reader sees no part of the cut append either";
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
  EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 20u);
  EXPECT_EQ(rows(path), numbers_to(20));
  EXPECT_EQ(file_size(log_path), 0u);
}

TEST_F(WriteLogTest, AFileUsedAgainIsReadOnlyAsFarAsItsNewRecordsGo) {
  // A mapped file, applied, is written again from its start: older records
  // stay after the new ones. Here the new ones are an append of 20, then an
  // append of 10 cut after its fifth record (a crash); the older ones, intact,
  // follow (a copy of the first append). Read on past the cut, they would
  // hide it (their last record ends an append) and the cut append's five
  // would apply.
  const std::string log_path = WriteLog::file_of(path);
  ASSERT_TRUE(crashes_before_applying(path, [&](WriteLog& log) {
    append_numbers(log, 1, 20, 20);
    append_numbers(log, 21, 10, 10);
  }));
  std::ifstream in(log_path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::size_t kRecord = 20 + 2;  // header and a two-digit payload
  const std::string first_append = bytes.substr(0, bytes.size() - 10 * kRecord);
  std::ofstream(log_path, std::ios::binary | std::ios::trunc)
      << bytes.substr(0, bytes.size() - 5 * kRecord) << first_append;
  EXPECT_EQ(WriteLog::read_payloads(path).size(), 20u) << "a reader sees neither the cut append nor the old records";
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
  EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 20u);
  EXPECT_EQ(rows(path), numbers_to(20));
}

TEST_F(WriteLogTest, AfterItsFilesWereUsedAgainACrashLosesNothingAndAppliesNothingTwice) {
  ASSERT_TRUE(crashes_after_files_used_again(path, false));
  ASSERT_EQ(rows(path), numbers_to(2000));
  expect_the_last_ten_recovered(path);
}

TEST_F(WriteLogTest, ASyncedLogWritesItsFilesOverFromTheirStartAndACrashStillLosesNothing) {
  // With each append synced (durability `full`) the files are written with
  // write(), not mapped, and an applied file is written over from its start
  // too instead of emptied (a sync of blocks written before is cheaper than
  // one of a file that grew), so older records follow the new ones in both.
  ASSERT_TRUE(crashes_after_files_used_again(path, true));
  ASSERT_EQ(rows(path), numbers_to(2000));
  // Each file was filled to where the log turns to the other (256 KB) and
  // then kept its blocks: emptied, it would be a few records long or none.
  const auto files = WriteLog::files_of(path);
  EXPECT_GE(file_size(files[0]), 256u << 10);
  EXPECT_GE(file_size(files[1]), 256u << 10);
  expect_the_last_ten_recovered(path);
}

TEST_F(WriteLogTest, ALogWrittenBeforeAppendsWereMarkedAppliesEachOfItsRecords) {
  // Three records, 10, 20 and 30, numbered 1 to 3, as fixguard wrote them
  // before it marked the ends of appends (no mark on any).
  const std::string hex =
      "020000000100000000000000545c76ef77b64abe3130"
      "020000000200000000000000cf79dfcd90403e9e3230"
      "020000000300000000000000ac4e8632874e34db3330";
  std::string bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  std::ofstream(WriteLog::file_of(path), std::ios::binary) << bytes;
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
  EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 3u);
  EXPECT_EQ(rows(path), std::make_pair(int64_t{3}, int64_t{60}));
}

TEST_F(WriteLogTest, AFailedAppendLeavesTheFileAsItWasAndKeepsItsRecords) {
  WriteLog log(path, true, insert_rows);
  append_numbers(log, 1, 3, 3);
  const uint64_t before = file_size(WriteLog::file_of(path));
  log.add("4");
  log.add("5");
  {
    const testing::NoFileGrowth full;
    const auto why = log.append();
    ASSERT_TRUE(why.has_value());
    EXPECT_NE(why->find("cannot write " + WriteLog::file_of(path)), std::string::npos) << *why;
  }
  EXPECT_EQ(file_size(WriteLog::file_of(path)), before);
  ASSERT_EQ(log.append(), std::nullopt) << "the kept records, appended once there is room";
  ASSERT_EQ(log.drain(), std::nullopt);
  EXPECT_EQ(rows(path), numbers_to(5));

  // Taken back: never appended, and the numbers go on without a gap.
  log.add("100");
  log.take_back();
  append_numbers(log, 6, 1, 1);
  ASSERT_EQ(log.drain(), std::nullopt);
  EXPECT_EQ(rows(path), numbers_to(6));
}

TEST_F(WriteLogTest, AnAppendWhoseSyncFailsIsCutBackAndWrittenAgainWhole) {
  WriteLog log(path, true, insert_rows);
  append_numbers(log, 1, 3, 3);
  const std::string file = WriteLog::file_of(path);
  const uint64_t before = file_size(file);
  log.add("4");
  log.add("5");
  {
    const testing::FailingSyncs failing(file, 1);
    const auto why = log.append();
    ASSERT_TRUE(why.has_value());
    EXPECT_EQ(*why, "cannot sync " + file + ": Input/output error");
    EXPECT_EQ(failing.failed(), 1);
  }
  // What the failed sync covered may or may not reach the disk: it is cut
  // back and written again, not written after.
  const uint64_t failed = file_size(file);
  EXPECT_GT(failed, before);
  ASSERT_EQ(log.append(), std::nullopt);
  EXPECT_EQ(file_size(file), failed);
  ASSERT_EQ(log.drain(), std::nullopt);
  EXPECT_EQ(rows(path), numbers_to(5));
}

TEST_F(WriteLogTest, AfterAFailedSyncWhatItCoveredIsWrittenAgainBeforeTheNextSync) {
  WriteLog log(path, true, insert_rows);
  const std::string file = WriteLog::file_of(path);
  for (const char* n : {"1", "2", "3"}) {
    log.add(n);
    ASSERT_EQ(log.append_unsynced(), std::nullopt);
  }
  ASSERT_EQ(log.sync(), std::nullopt);
  const uint64_t synced = file_size(file);
  {
    // Each failed sync loses what it covered, as the page cache may.
    const testing::FailingSyncs failing(file, 2, testing::FailingSyncs::LosingUnsynced{});
    log.add("4");
    ASSERT_EQ(log.append_unsynced(), std::nullopt);
    log.add("5");
    ASSERT_EQ(log.append_unsynced(), std::nullopt);
    const uint64_t unsynced = file_size(file);
    EXPECT_EQ(log.sync(), "cannot sync " + file + ": Input/output error");
    EXPECT_EQ(file_size(file), synced);
    EXPECT_EQ(log.sync(), "cannot sync " + file + ": Input/output error") << "tried again, fails again";
    EXPECT_EQ(failing.failed(), 2);
    ASSERT_EQ(log.sync(), std::nullopt);
    EXPECT_EQ(file_size(file), unsynced) << "written again before the sync";
  }
  ASSERT_EQ(log.drain(), std::nullopt);
  EXPECT_EQ(rows(path), numbers_to(5));
}

TEST_F(WriteLogTest, ARestartAfterAFailedSyncAndItsRetryAppliesEachRecordOnce) {
  const std::string file = WriteLog::file_of(path);
  ASSERT_TRUE(crashes_before_applying(
      path,
      [&](WriteLog& log) {
        for (const char* n : {"1", "2", "3"}) {
          log.add(n);
          ASSERT_EQ(log.append_unsynced(), std::nullopt);
        }
        ASSERT_EQ(log.sync(), std::nullopt);
        const testing::FailingSyncs failing(file, 1, testing::FailingSyncs::LosingUnsynced{});
        for (const char* n : {"4", "5"}) {
          log.add(n);
          ASSERT_EQ(log.append_unsynced(), std::nullopt);
        }
        ASSERT_TRUE(log.sync().has_value());
        log.add("6");
        ASSERT_EQ(log.append_unsynced(), std::nullopt);
        ASSERT_EQ(log.sync(), std::nullopt);
      },
      true));
  WriteLog log(path, false, insert_rows);
  ASSERT_EQ(log.drain(), std::nullopt);
  EXPECT_EQ(rows(path), numbers_to(6));
}

// A log of two files, as fixguard's journal and database share one.
class SharedWriteLogTest : public WriteLogTest {
 protected:
  void SetUp() override {
    WriteLogTest::SetUp();
    create(other);
  }
  WriteLog shared(bool sync = false) {
    return WriteLog({WriteLog::Part{path, insert_rows}, WriteLog::Part{other, insert_rows}}, sync);
  }
  const std::string other = dir.file("v.db");
};

TEST_F(SharedWriteLogTest, EachFileGetsItsOwnRecordsAndNumbersGoOnPastEveryFiles) {
  {
    // The second file applied records numbered up to 200 from a log of its own.
    WriteLog own(other, false, insert_rows);
    append_numbers(own, 1, 200, 10);
  }
  {
    WriteLog log({WriteLog::Part{path, insert_rows}, WriteLog::Part{other, insert_rows}}, true);
    for (int n = 1; n <= 30; ++n) {
      log.add(std::to_string(n), 0);
      ASSERT_EQ(log.append_unsynced(), std::nullopt);
      log.add(std::to_string(200 + n), 1);
      ASSERT_EQ(log.append_unsynced(), std::nullopt);
      ASSERT_EQ(log.sync(), std::nullopt);  // one sync for both appends
    }
    ASSERT_EQ(log.drain(), std::nullopt);
    EXPECT_EQ(rows(path), numbers_to(30));
    EXPECT_EQ(rows(other), numbers_to(230)) << "a record numbered below the file's last applied was skipped";
  }
  const auto files = WriteLog::files_of(path);
  EXPECT_EQ(file_size(files[0]) + file_size(files[1]), 0u);
  EXPECT_FALSE(std::filesystem::exists(files[0] + ".reserve")) << "the reserve goes with the log";
}

TEST_F(SharedWriteLogTest, AfterACrashEachFileRecoversItsOwnRecordsAndReadersSeeTheirs) {
  {
    // Both files locked: the child's applier cannot apply before it dies.
    SQLite::Database block_first(path, SQLite::OPEN_READWRITE), block_other(other, SQLite::OPEN_READWRITE);
    block_first.exec("BEGIN IMMEDIATE");
    block_other.exec("BEGIN IMMEDIATE");
    ASSERT_TRUE(crashes_after([&] {
      auto* log = new WriteLog({WriteLog::Part{path, insert_rows}, WriteLog::Part{other, insert_rows}}, false);
      for (int n = 1; n <= 20; ++n) {
        log->add(std::to_string(n), 0);
        if (n <= 10) log->add(std::to_string(n), 1);
        ASSERT_EQ(log->append(), std::nullopt);
      }
    }));
    block_first.exec("ROLLBACK");
    block_other.exec("ROLLBACK");
  }
  EXPECT_EQ(WriteLog::read_payloads(path, 0).size(), 20u);
  EXPECT_EQ(WriteLog::read_payloads(path, 1).size(), 10u);
  {
    // The second file alone, as the database recovers when it opens.
    SQLite::Database db(other, SQLite::OPEN_READWRITE, 0, wal_vfs());
    EXPECT_EQ(WriteLog::recover(db, path, 1, insert_rows), 10u);
  }
  EXPECT_EQ(rows(other), numbers_to(10));
  EXPECT_EQ(rows(path).first, 0) << "another file's records are not this one's";
  EXPECT_GT(file_size(WriteLog::file_of(path)), 0u) << "emptied with the first file's records still unapplied";
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE, 0, wal_vfs());
    EXPECT_EQ(WriteLog::recover(db, path, insert_rows), 20u);
  }
  EXPECT_EQ(rows(path), numbers_to(20));
  {
    WriteLog log = shared();  // both recovered: nothing applied twice, and the log emptied
    EXPECT_EQ(file_size(WriteLog::file_of(path)), 0u);
  }
  EXPECT_EQ(rows(path), numbers_to(20));
  EXPECT_EQ(rows(other), numbers_to(10));
}

}  // namespace
}  // namespace fixguard::persistence
