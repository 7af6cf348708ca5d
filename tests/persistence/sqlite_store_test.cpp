#include "persistence/sqlite_store.h"
#include "tests/persistence/batched_store.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

namespace fixguard::persistence {
namespace {

TEST(SqliteStore, KeepsSequenceNumbersAndMessagesAcrossReopening) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  FIX::UtcTimeStamp created;
  {
    Database db(path);
    SqliteStoreFactory factory(db);
    std::unique_ptr<FIX::MessageStore> store(factory.create(kId));
    EXPECT_EQ(store->getNextSenderMsgSeqNum(), 1);
    store->set(1, "first");
    store->set(2, std::string("bin\x01\x00ary", 10));
    store->incrNextSenderMsgSeqNum();
    store->incrNextSenderMsgSeqNum();
    store->setNextTargetMsgSeqNum(42);
    created = store->getCreationTime();
  }
  Database db(path);
  SqliteStoreFactory factory(db);
  std::unique_ptr<FIX::MessageStore> store(factory.create(kId));
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 3);
  EXPECT_EQ(store->getNextTargetMsgSeqNum(), 42);
  std::vector<std::string> got;
  store->get(1, 5, got);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], "first");
  EXPECT_EQ(got[1], std::string("bin\x01\x00ary", 10));
  EXPECT_EQ(store->getCreationTime().getTimeT(), created.getTimeT());
}

TEST(SqliteStore, SessionsDoNotSeeEachOthersRows) {
  testing::TempDir dir;
  Database db(dir.file("store.db"));
  SqliteStoreFactory factory(db);
  std::unique_ptr<FIX::MessageStore> a(factory.create(kId));
  std::unique_ptr<FIX::MessageStore> b(factory.create(FIX::SessionID("FIX.4.4", "FIXGUARD", "BETA")));
  a->set(1, "alpha");
  a->incrNextTargetMsgSeqNum();
  std::vector<std::string> got;
  b->get(1, 10, got);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(b->getNextTargetMsgSeqNum(), 1);
  EXPECT_EQ(factory.find(kId), a.get());
}

// Recovery looks for the orders accepted just before a stop in the venue
// session's messages: all of them in one scan, the first message holding
// each, only among those counted as sent, and not another session's.
TEST(SqliteStore, HoldingFindsTheFirstMessageHoldingEachTextAmongThoseSent) {
  testing::TempDir dir;
  Database db(dir.file("store.db"));
  SqliteStoreFactory factory(db);
  std::unique_ptr<FIX::MessageStore> owned(factory.create(kId));
  std::unique_ptr<FIX::MessageStore> other(factory.create(FIX::SessionID("FIX.4.4", "FIXGUARD", "BETA")));
  auto& store = static_cast<SqliteStore&>(*owned);
  for (int n = 1; n <= 300; ++n) {
    store.set(n,
              "35=D\x01"
              "11=O" +
                  std::to_string(n) +
                  "\x01"
                  "34=" +
                  std::to_string(n) + "\x01");
    store.incrNextSenderMsgSeqNum();
  }
  store.set(301,
            "35=G\x01"
            "11=O7\x01"
            "34=301\x01");  // again, later
  store.incrNextSenderMsgSeqNum();
  store.set(302,
            "35=D\x01"
            "11=UNCOUNTED\x01");  // stored, not counted as sent
  other->set(1,
             "35=D\x01"
             "11=ELSEWHERE\x01");
  const auto found =
      store.holding({"\x01"
                     "11=O7\x01",
                     "\x01"
                     "11=O300\x01",
                     "\x01"
                     "11=O30\x01",
                     "\x01"
                     "11=UNCOUNTED\x01",
                     "\x01"
                     "11=ELSEWHERE\x01",
                     "\x01"
                     "11=NEVER\x01"});
  ASSERT_EQ(found.size(), 6u);
  EXPECT_EQ(found[0].value_or(""),
            "35=D\x01"
            "11=O7\x01"
            "34=7\x01")
      << "the first that holds it";
  EXPECT_EQ(found[1].value_or(""),
            "35=D\x01"
            "11=O300\x01"
            "34=300\x01");
  EXPECT_EQ(found[2].value_or(""),
            "35=D\x01"
            "11=O30\x01"
            "34=30\x01")
      << "not O300 for O30";
  EXPECT_FALSE(found[3]);
  EXPECT_FALSE(found[4]);
  EXPECT_FALSE(found[5]);
  EXPECT_TRUE(store.holding({}).empty());
}

TEST(SqliteStore, ResetStartsOverAndIsPersisted) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    Database db(path);
    SqliteStoreFactory factory(db);
    std::unique_ptr<FIX::MessageStore> s(factory.create(kId));
    s->set(1, "x");
    s->setNextSenderMsgSeqNum(9);
    s->reset();
    EXPECT_EQ(s->getNextSenderMsgSeqNum(), 1);
  }
  Database db(path);
  SqliteStoreFactory factory(db);
  std::unique_ptr<FIX::MessageStore> s(factory.create(kId));
  EXPECT_EQ(s->getNextSenderMsgSeqNum(), 1);
  std::vector<std::string> got;
  s->get(1, 1, got);
  EXPECT_TRUE(got.empty());
}

// The next sender and target numbers of kId in the file (read beside the
// writer, as another process would).
std::pair<int, int> stored_numbers(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT next_sender, next_target FROM fix_session WHERE session = ?");
  q.bind(1, SqliteStoreFactory::key(kId));
  if (!q.executeStep()) return {0, 0};
  return {q.getColumn(0).getInt(), q.getColumn(1).getInt()};
}

TEST(SqliteStore, ABatchStoresItsLatestSequenceNumbersWithOneWriteAndKeepsOrderAroundAReset) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    BatchedStore b(path);
    b.store->set(1, "x");
    for (int i = 0; i < 5; ++i) b.store->incrNextSenderMsgSeqNum();
    b.store->incrNextTargetMsgSeqNum();
    EXPECT_EQ(b.db.pending(), 2u) << "one message, one write of the numbers";
    ASSERT_EQ(b.db.commit(), std::nullopt);
    ASSERT_EQ(b.db.settle(), std::nullopt);  // applied: in the file
    EXPECT_EQ(stored_numbers(path), std::make_pair(6, 2));
    // Numbers changed, reset, changed again: the reset does not undo the
    // changes after it.
    b.store->incrNextSenderMsgSeqNum();
    b.store->reset();
    b.store->incrNextSenderMsgSeqNum();
    b.store->incrNextSenderMsgSeqNum();
    b.store->setNextTargetMsgSeqNum(4);
    ASSERT_EQ(b.db.commit(), std::nullopt);
  }
  EXPECT_EQ(stored_numbers(path), std::make_pair(3, 4));
}

TEST(SqliteStore, NumbersChangedWhileACommitFailsAreStoredByTheRetry) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    BatchedStore b(path);
    b.store->incrNextSenderMsgSeqNum();
    {
      const testing::NoFileGrowth full;
      EXPECT_NE(b.db.commit(), std::nullopt);
    }
    b.store->incrNextSenderMsgSeqNum();  // after the failed try: counted too
    ASSERT_EQ(b.db.commit(), std::nullopt);
  }
  EXPECT_EQ(stored_numbers(path), std::make_pair(3, 1));
}

// The numbers' write waits for the commit (not for a read's settle), so it
// may run after a reset that came later: it must not undo the reset.
TEST(SqliteStore, NumbersWaitingForTheCommitDoNotUndoAResetAReadWroteBeforeThem) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  {
    BatchedStore b(path);
    for (int i = 0; i < 3; ++i) b.store->incrNextSenderMsgSeqNum();
    b.store->setNextTargetMsgSeqNum(7);
    b.store->reset();
    std::vector<std::string> got;
    b.store->get(1, 1, got);  // a read: the reset is written, the numbers wait
    EXPECT_EQ(b.db.pending(), 1u);
    ASSERT_EQ(b.db.commit(), std::nullopt);
    ASSERT_EQ(b.db.settle(), std::nullopt);
    EXPECT_EQ(stored_numbers(path), std::make_pair(1, 1)) << "the numbers from before the reset came back";
    b.store->incrNextTargetMsgSeqNum();
    ASSERT_EQ(b.db.commit(), std::nullopt);
  }
  EXPECT_EQ(stored_numbers(path), std::make_pair(1, 2));
}

TEST(SqliteStore, AReadOnlyFileFailsWithAnIOExceptionNotSilently) {
  testing::TempDir dir;
  const std::string path = dir.file("store.db");
  { Database db(path); }
  Database db(path);
  SqliteStoreFactory factory(db);
  std::unique_ptr<FIX::MessageStore> s(factory.create(kId));
  db.sql().exec("PRAGMA query_only=ON");
  EXPECT_THROW(s->set(1, "x"), FIX::IOException);
  EXPECT_THROW(s->incrNextSenderMsgSeqNum(), FIX::IOException);
  EXPECT_EQ(s->getNextSenderMsgSeqNum(), 1);  // nothing changed that did not reach the file
}

TEST(Database, RunsInWalMode) {
  testing::TempDir dir;
  Database db(dir.file("wal.db"));
  EXPECT_EQ(db.sql().execAndGet("PRAGMA journal_mode").getString(), "wal");
}

TEST(Database, AnUnwritableLocationIsAClearError) {
  try {
    Database db("/proc/fixguard/nope.db");
    FAIL() << "opened an impossible path";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/fixguard/nope.db"), std::string::npos);
  }
}

}  // namespace
}  // namespace fixguard::persistence
