// Batched writes: what a batch of work writes waits in memory and is
// appended to the write log at once, then applied; a commit that fails
// loses nothing. And the checkpointer that keeps WAL checkpoints off the
// writer's thread.
#include "persistence/database.h"
#include "persistence/checkpointer.h"
#include "persistence/journal.h"
#include "persistence/sqlite_store.h"
#include "tests/persistence/batched_store.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

namespace fixguard::persistence {
namespace {

int64_t rows(const std::string& path, const char* table) {
  SQLite::Database other(path, SQLite::OPEN_READONLY);
  return other.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt64();
}

TEST(Database, BatchedWritesWaitForOneCommitAndAFailedCommitLosesNothing) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  int scheduled = 0;
  BatchedStore b(path, [&] { ++scheduled; });
  Database& db = b.db;
  std::unique_ptr<FIX::MessageStore>& store = b.store;

  for (int i = 1; i <= 3; ++i) {
    store->set(i, "message " + std::to_string(i));
    store->incrNextSenderMsgSeqNum();
  }
  EXPECT_EQ(scheduled, 1) << "one commit scheduled for the batch, not one per write";
  EXPECT_EQ(db.pending(), 4u) << "three messages and one write of the latest sequence numbers";
  EXPECT_EQ(rows(path, "fix_message"), 0) << "written before the commit";

  // The disk is full: the commit fails and keeps every write.
  {
    const testing::NoFileGrowth full;
    const auto why = db.commit();
    ASSERT_TRUE(why.has_value());
    EXPECT_NE(why->find("fixguard.db-redo"), std::string::npos) << *why;
    EXPECT_EQ(db.pending(), 4u);
  }
  EXPECT_EQ(std::filesystem::file_size(path + "-redo"), 0u) << "a failed append left bytes behind";
  EXPECT_EQ(db.commit(), std::nullopt);
  EXPECT_EQ(db.pending(), 0u);
  EXPECT_EQ(db.settle(), std::nullopt);
  EXPECT_EQ(rows(path, "fix_message"), 3);

  // A read sees what waits: it commits first.
  store->set(4, "message 4");
  std::vector<std::string> got;
  store->get(1, 4, got);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[3], "message 4");
  EXPECT_EQ(db.pending(), 0u);
  store.reset();
  // One writer per file: a second is refused while this one lives.
  try {
    Database second(path);
    ADD_FAILURE() << "a second writer opened " << path;
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is in use: another fixguard writes these files"), std::string::npos)
        << e.what();
  }
  ASSERT_EQ(db.settle(), std::nullopt);
  SQLite::Database reader(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(reader.execAndGet("SELECT next_sender FROM fix_session").getInt(), 4);
}

// The gateway's files: the journal and the database share one write log; a
// read of the database in the middle of a batch (a ResendRequest answered
// from a session's store) commits what waits. The journal's entries go
// first, and the sessions' sequence numbers wait for the batch's commit: a
// crash after the read finds them where a strategy's messages not yet acted
// on (an accepted order still to be forwarded) are asked for again.
TEST(Database, AReadInTheMiddleOfABatchWritesTheJournalFirstAndLeavesTheSequenceNumbersToTheCommit) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  Journal journal(dir.file("journal.db"), Journal::Durability::normal);
  Database db(path, dir.file("journal.db-redo"));
  SqliteStoreFactory factory(db);
  std::unique_ptr<FIX::MessageStore> store(factory.create(kId));
  WriteLog& log = journal.use_write_log({{path, Database::applier()}});
  int scheduled = 0;
  db.batch([&] { ++scheduled; }, log, 1);
  db.settle_after([&] { journal.commit(); });

  // The batch: a message stored, the order read from the strategy accepted
  // (its journal entry waits), the strategy's number moved on.
  store->set(1, "message 1");
  store->incrNextSenderMsgSeqNum();
  JournalEntry accepted;
  accepted.kind = JournalEntry::Kind::order;
  accepted.client = "alpha";
  accepted.cl_ord_id = "C1";
  accepted.outcome = "accepted";
  const int64_t seq = journal.append(accepted);
  store->incrNextTargetMsgSeqNum();
  EXPECT_FALSE(journal.written(seq));

  std::vector<std::string> got;
  store->get(1, 1, got);
  ASSERT_EQ(got.size(), 1u) << "the read sees the message that waited";
  EXPECT_TRUE(journal.written(seq)) << "the database's writes were committed before the journal's";
  EXPECT_EQ(db.pending(), 1u) << "the sequence numbers wait for the commit";
  {
    SQLite::Database reader(path, SQLite::OPEN_READONLY);
    EXPECT_EQ(reader.execAndGet("SELECT count(*) FROM fix_message").getInt(), 1);
    EXPECT_EQ(reader.execAndGet("SELECT next_sender || ',' || next_target FROM fix_session").getString(), "1,1");
  }
  EXPECT_EQ(scheduled, 1);

  // More of the batch after the read; its commit stores the numbers as they
  // are then.
  store->incrNextTargetMsgSeqNum();
  EXPECT_EQ(scheduled, 1) << "the commit asked for at the batch's first write is still to come";
  // The commit itself leaves the journal to its caller (the gateway writes
  // it before, and what left after).
  const int64_t out = journal.append(accepted);
  ASSERT_EQ(db.commit(), std::nullopt);
  EXPECT_FALSE(journal.written(out));
  ASSERT_EQ(db.settle(), std::nullopt);
  SQLite::Database reader(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(reader.execAndGet("SELECT next_sender || ',' || next_target FROM fix_session").getString(), "2,3");
  // The next batch's first write asks for a commit again.
  store->incrNextTargetMsgSeqNum();
  EXPECT_EQ(scheduled, 2);
}

// The sessions' numbers come last in each append: a second guard beside
// the write log's whole-or-nothing appends (were an append applied up to a
// cut, what was cut off would count as neither sent nor read).
TEST(Database, ACommitAppendsTheSequenceNumbersAfterEverythingElse) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  BatchedStore b(path);
  Database& db = b.db;
  std::unique_ptr<FIX::MessageStore>& store = b.store;
  store->incrNextTargetMsgSeqNum();  // queued first
  store->set(1, "message 1");
  store->incrNextSenderMsgSeqNum();
  store->set(2, "message 2");
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");  // the log's thread cannot apply: the records stay in the log
  ASSERT_EQ(db.commit(), std::nullopt);
  const std::vector<std::string> payloads = WriteLog::read_payloads(path, 0);
  other.exec("ROLLBACK");
  ASSERT_EQ(payloads.size(), 3u);
  EXPECT_NE(payloads[0].find("fix_message"), std::string::npos);
  EXPECT_NE(payloads[1].find("fix_message"), std::string::npos);
  EXPECT_NE(payloads[2].find("UPDATE fix_session"), std::string::npos) << "the numbers are not last";
  ASSERT_EQ(db.settle(), std::nullopt);
  SQLite::Database reader(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(reader.execAndGet("SELECT next_sender || ',' || next_target FROM fix_session").getString(), "2,2");
}

TEST(Checkpointer, MovesTheWriteAheadLogIntoTheFileOffTheWritersThread) {
  testing::TempDir dir;
  const std::string path = dir.file("fixguard.db");
  Database db(path);
  Checkpointer::set_backstop(db.sql());
  db.sql().exec("CREATE TABLE t(x BLOB)");
  // ~2,000 pages: past SQLite's own checkpoint (1,000), short of the backstop.
  SQLite::Statement insert(db.sql(), "INSERT INTO t VALUES(zeroblob(4000))");
  for (int i = 0; i < 2000; ++i) {
    insert.reset();
    insert.exec();
  }
  const auto size = [](const std::string& p) { return std::filesystem::file_size(p); };
  const auto before = size(path);
  EXPECT_LT(before, 100u * 4096) << "the writer checkpointed by itself";
  EXPECT_GT(size(path + "-wal"), 2000u * 4096);
  {
    Checkpointer checkpointer({path}, std::chrono::milliseconds(10));
    for (int i = 0; i < 500 && checkpointer.runs() == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GT(checkpointer.runs(), 0u);
    EXPECT_EQ(checkpointer.failures(), 0u) << checkpointer.last_error();
  }
  EXPECT_GT(size(path), 2000u * 4000) << "the rows were not moved into the database file";
  EXPECT_EQ(rows(path, "t"), 2000);
}

}  // namespace
}  // namespace fixguard::persistence
