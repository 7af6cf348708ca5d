// The journal on a real SQLite file: entries chained by SHA-256, written all
// or nothing, kept while a write fails, and every kind of tampering found.
#include "persistence/journal.h"
#include "tests/support/harness.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace fixguard::persistence {
namespace {

using Kind = JournalEntry::Kind;

JournalEntry order(const std::string& id, const std::string& outcome) {
  JournalEntry e;
  e.at_us = 1'700'000'000'000'000;
  e.day = 19675;
  e.kind = Kind::order;
  e.client = "alpha";
  e.venue = "sim";
  e.msg_type = "D";
  e.cl_ord_id = id;
  e.account = "ACC1";
  e.symbol = "IBM";
  e.outcome = outcome;
  if (outcome == "rejected") {  // with the values that decided
    e.rule = "MAX_ORDER_QTY";
    e.limit = "1000";
    e.observed = "1500";
    e.text = "MAX_ORDER_QTY 1500 > 1000 account=ACC1";
    e.reply =
        "8=FIX.4.4\x01"
        "35=8\x01"
        "39=8\x01";
  }
  e.limits_version = "desk-1";
  e.mode = "enforce";
  e.raw =
      "8=FIX.4.4\x01"
      "35=D\x01"
      "11=" +
      id + "\x01";
  return e;
}

class JournalTest : public ::testing::Test {
 protected:
  // Ten entries, committed in two transactions.
  void write_ten() {
    Journal j(path, Journal::Durability::normal);
    for (int i = 1; i <= 10; ++i) {
      j.append(order("C" + std::to_string(i), i % 3 ? "accepted" : "rejected"));
      if (i == 5) {
        ASSERT_TRUE(j.commit());
      }
    }
    ASSERT_TRUE(j.commit());
  }
  std::string verify() {
    const JournalReader::Verdict v = JournalReader(path).verify();
    return v.intact ? "intact " + std::to_string(v.entries) : v.problem;
  }
  void tamper(const std::string& sql) { SQLite::Database(path, SQLite::OPEN_READWRITE).exec(sql); }

  testing::TempDir dir;
  std::string path = dir.file("journal.db");
};

TEST_F(JournalTest, EntriesAreNumberedChainedAndReadBackAsWritten) {
  write_ten();
  {
    Journal j(path, Journal::Durability::full);  // the chain goes on from the head
    EXPECT_EQ(j.last_seq(), 10);
    EXPECT_EQ(j.append(order("C11", "rejected")), 11);
    ASSERT_TRUE(j.commit());
  }
  EXPECT_EQ(verify(), "intact 11");
  const auto rejected = JournalReader(path).orders({});
  ASSERT_EQ(rejected.size(), 4u);
  EXPECT_EQ(rejected[0].cl_ord_id, "C3");
  EXPECT_EQ(rejected[0].rule, "MAX_ORDER_QTY");
  EXPECT_EQ(rejected[0].observed, "1500");
  EXPECT_EQ(rejected[0].raw, std::string("8=FIX.4.4\x01"
                                         "35=D\x01"
                                         "11=C3\x01"));
  EXPECT_EQ(rejected[3].cl_ord_id, "C11");
  JournalReader::Filter all;
  all.outcome = "";
  all.client = "alpha";
  EXPECT_EQ(JournalReader(path).orders(all).size(), 11u);
  all.client = "beta";
  EXPECT_TRUE(JournalReader(path).orders(all).empty());
}

TEST_F(JournalTest, AnEditedEntryIsNamed) {
  write_ten();
  tamper("UPDATE journal SET observed = '900' WHERE seq = 6");
  EXPECT_EQ(verify(), "entry 6 does not match its hash (edited, or moved from elsewhere)");
}

TEST_F(JournalTest, AnEditWithARecomputedHashBreaksTheNextLink) {
  write_ten();
  JournalEntry e;
  JournalReader(path).each([&](const JournalEntry& x) {
    if (x.seq == 3) e = x;
  });
  std::string previous;
  JournalReader(path).each([&](const JournalEntry& x) {
    if (x.seq == 2) previous = x.hash;
  });
  ASSERT_EQ(e.outcome, "rejected");
  e.outcome = "accepted";
  tamper("UPDATE journal SET outcome = 'accepted', hash = '" + entry_hash(e, previous) + "' WHERE seq = 3");
  EXPECT_EQ(verify(), "entry 4 does not match its hash (edited, or moved from elsewhere)");
}

TEST_F(JournalTest, ADeletedEntryIsNamed) {
  write_ten();
  tamper("DELETE FROM journal WHERE seq = 3");
  EXPECT_EQ(verify(), "entry 3 is missing (deleted)");
}

TEST_F(JournalTest, SwappedEntriesAreFound) {
  write_ten();
  tamper(
      "UPDATE journal SET seq = -1 WHERE seq = 7; UPDATE journal SET seq = 7 WHERE seq = 8; "
      "UPDATE journal SET seq = 8 WHERE seq = -1");
  EXPECT_EQ(verify(), "entry 7 does not match its hash (edited, or moved from elsewhere)");
}

TEST_F(JournalTest, EntriesCutOffAtTheEndAreFound) {
  write_ten();
  tamper("DELETE FROM journal WHERE seq > 8");
  EXPECT_EQ(verify(), "entries after 8 up to 10 are missing (deleted at the end)");
}

TEST_F(JournalTest, WhatAFailedCommitCouldNotWriteIsKeptAndWrittenLater) {
  Journal j(path, Journal::Durability::normal);
  j.append(order("C1", "accepted"));
  ASSERT_TRUE(j.commit());
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");  // another writer holds the lock
  j.append(order("C2", "accepted"));
  j.append(order("C3", "rejected"));
  EXPECT_FALSE(j.commit());
  EXPECT_NE(j.fault().find("locked"), std::string::npos) << j.fault();
  EXPECT_EQ(j.pending(), 2u);
  other.exec("ROLLBACK");
  j.append(order("C4", "accepted"));
  EXPECT_TRUE(j.commit());
  EXPECT_EQ(j.fault(), "");
  EXPECT_EQ(j.pending(), 0u);
  EXPECT_EQ(verify(), "intact 4");
}

TEST_F(JournalTest, EntriesStillInTheWriteLogAreReadAfterTheFilesAndHashedAsTheyWillBeWritten) {
  Journal j(path, Journal::Durability::normal);
  j.append(order("C1", "accepted"));
  ASSERT_TRUE(j.commit());  // in the file
  j.use_write_log();
  std::vector<JournalEntry> in_log;
  {
    // The file is locked: the log's thread cannot apply what is appended.
    SQLite::Database other(path, SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    j.append(order("C2", "accepted"));
    j.append(order("C3", "rejected"));
    ASSERT_TRUE(j.commit());
    JournalReader(path).each([&](const JournalEntry& e) { in_log.push_back(e); });
    EXPECT_EQ(verify(), "intact 3");
    JournalReader::Filter rejected;
    const auto found = JournalReader(path).orders(rejected);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].cl_ord_id, "C3");
    EXPECT_EQ(found[0].rule, "MAX_ORDER_QTY");
    other.exec("ROLLBACK");
  }
  ASSERT_EQ(in_log.size(), 3u);
  EXPECT_EQ(in_log[2].cl_ord_id, "C3");
  EXPECT_EQ(in_log[2].reply, order("C3", "rejected").reply);
  ASSERT_EQ(j.settle(), std::nullopt);
  // Applied: the same entries, with the hashes the reader gave them.
  std::vector<JournalEntry> in_file;
  JournalReader(path).each([&](const JournalEntry& e) { in_file.push_back(e); });
  ASSERT_EQ(in_file.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(in_file[i].seq, in_log[i].seq);
    EXPECT_EQ(in_file[i].hash, in_log[i].hash);
  }
  EXPECT_EQ(verify(), "intact 3");
}

TEST_F(JournalTest, AReadWhileTheJournalIsWrittenHasEveryEntryCommittedBeforeIt) {
  {
    Journal first(path, Journal::Durability::normal);  // the file made before the reader opens it
  }
  // A writer commits entry after entry through the write log, whose thread
  // applies them to the file and then empties the log's files in turn; a
  // read that starts after a commit must find that entry, in the file or in
  // the log, whichever holds it when it looks.
  std::atomic<int64_t> committed{0};
  std::atomic<bool> stop{false};
  std::string failed;
  std::thread writer([&] {
    Journal j(path, Journal::Durability::normal);
    j.use_write_log();
    for (int i = 1; !stop && i <= 20'000; ++i) {
      const int64_t seq = j.append(order("C" + std::to_string(i), "accepted"));
      if (!j.commit()) {
        failed = "commit failed";
        break;
      }
      committed = seq;
    }
    stop = true;
  });
  const JournalReader reader(path);
  int reads = 0;
  while (!stop && reads < 200) {
    const int64_t before = committed;
    int64_t last = 0;
    int64_t gaps = 0;
    reader.each([&](const JournalEntry& e) {
      if (e.seq != last + 1) ++gaps;
      last = e.seq;
    });
    ++reads;
    EXPECT_EQ(gaps, 0);
    if (last < before) {
      ADD_FAILURE() << "read " << reads << " ended at entry " << last << ", but " << before
                    << " was committed before it began";
      break;
    }
  }
  stop = true;
  writer.join();
  EXPECT_EQ(failed, "");
  EXPECT_GT(reads, 5);
}

TEST_F(JournalTest, WhatWasDecidedOnAnOrderFollowsItsEntriesWrittenAndPending) {
  using Outcome = Journal::Decided::Outcome;
  Journal j(path, Journal::Durability::normal);
  const auto outcome = [&](const std::string& id) { return j.decided("alpha", id, 19675).outcome; };
  j.append(order("ACC", "accepted"));
  j.append(order("REJ", "rejected"));
  j.append(order("REJ", "dropped"));  // a resend of it, dropped
  j.append(order("GONE", "accepted"));
  ASSERT_TRUE(j.commit());
  j.append(order("GONE", "unsent"));  // pending: a restart found it never left
  j.append(order("BACK", "accepted"));
  j.append(order("BACK", "unsent"));
  ASSERT_TRUE(j.commit());
  j.append(order("BACK", "accepted"));  // its resend, decided anew and accepted (pending)
  EXPECT_EQ(outcome("ACC"), Outcome::accepted);
  const Journal::Decided rej = j.decided("alpha", "REJ", 19675);
  EXPECT_EQ(rej.outcome, Outcome::rejected);
  EXPECT_EQ(rej.rule, "MAX_ORDER_QTY");
  EXPECT_EQ(rej.text, "MAX_ORDER_QTY 1500 > 1000 account=ACC1");
  EXPECT_EQ(outcome("GONE"), Outcome::none);
  EXPECT_EQ(outcome("BACK"), Outcome::accepted);
  EXPECT_EQ(outcome("NEVER"), Outcome::none);
  EXPECT_EQ(j.decided("beta", "ACC", 19675).outcome, Outcome::none) << "another client's";
  EXPECT_EQ(j.decided("alpha", "ACC", 19676).outcome, Outcome::none) << "another day's";
}

TEST_F(JournalTest, OrdersAreFoundThroughAnIndexOfOrderEntriesOnlyAlsoInAnOlderFile) {
  {
    Journal j(path, Journal::Durability::normal);
    j.append(order("C1", "accepted"));
    ASSERT_TRUE(j.commit());
  }
  // A file of an earlier version: an index over every entry.
  tamper("DROP INDEX journal_order_clordids; CREATE INDEX journal_clordids ON journal(cl_ord_id, client)");
  Journal j(path, Journal::Durability::normal);
  JournalEntry out = order("C2", "sent");
  out.kind = Kind::out;
  j.append(std::move(out));
  ASSERT_TRUE(j.commit());
  EXPECT_EQ(j.decided("alpha", "C1", 19675).outcome, Journal::Decided::Outcome::accepted);
  EXPECT_EQ(j.decided("alpha", "C2", 19675).outcome, Journal::Decided::Outcome::none) << "not an order entry";
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal'")
                .getString(),
            "journal_order_clordids");
  EXPECT_EQ(
      db.execAndGet("SELECT count(*) FROM journal INDEXED BY journal_order_clordids WHERE kind = 'order'").getInt(), 1)
      << "order entries only";
  SQLite::Statement plan(
      db,
      "EXPLAIN QUERY PLAN SELECT outcome, rule, text FROM journal WHERE cl_ord_id = 'C1' AND client = "
      "'alpha' AND day = 19675 AND kind = 'order' AND outcome <> 'dropped' ORDER BY seq");
  ASSERT_TRUE(plan.executeStep());
  EXPECT_NE(plan.getColumn(3).getString().find("journal_order_clordids"), std::string::npos)
      << plan.getColumn(3).getString();
}

// The chain's encoding is the file format: written out here independently,
// for entries with empty, binary and long fields.
TEST(JournalHash, IsTheSha256OfEachFieldAsLengthColonBytes) {
  const auto expected = [](const JournalEntry& e, const std::string& previous) {
    std::string content;
    for (const std::string& v : {previous,
                                 std::to_string(e.seq),
                                 std::to_string(e.at_us),
                                 std::to_string(e.day),
                                 std::string(kind_name(e.kind)),
                                 e.client,
                                 e.venue,
                                 e.msg_type,
                                 e.cl_ord_id,
                                 e.account,
                                 e.symbol,
                                 e.outcome,
                                 e.rule,
                                 e.limit,
                                 e.observed,
                                 e.limits_version,
                                 e.mode,
                                 e.text,
                                 e.raw,
                                 e.reply})
      content += std::to_string(v.size()) + ":" + v;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EXPECT_EQ(EVP_Digest(content.data(), content.size(), digest, &size, EVP_sha256(), nullptr), 1);
    std::string hex;
    for (unsigned int i = 0; i < size; ++i) {
      char two[3];
      std::snprintf(two, sizeof two, "%02x", digest[i]);
      hex += two;
    }
    return hex;
  };
  JournalEntry e = order("C1", "rejected");
  e.seq = 1234567890123;
  e.at_us = -5;
  std::string previous;
  for (int i = 0; i < 4; ++i) {
    const std::string got = entry_hash(e, previous);
    EXPECT_EQ(got, expected(e, previous)) << "entry " << i;
    EXPECT_EQ(got.size(), 64u);
    previous = got;
    e.kind = static_cast<Kind>(i + 1);
    e.raw = std::string(5000 + i, static_cast<char>(i));  // binary, long
    e.text.clear();
  }
}

// Archives: three trading days, the first two moved out.
class JournalArchiveTest : public JournalTest {
 protected:
  static constexpr int32_t kDay = 19675;
  // Four entries on each of days kDay, kDay+1 and kDay+2.
  void write_days() {
    Journal j(path, Journal::Durability::normal);
    for (int d = 0; d < 3; ++d)
      for (int i = 1; i <= 4; ++i) {
        JournalEntry e = order("D" + std::to_string(d) + "-" + std::to_string(i), i == 4 ? "rejected" : "accepted");
        e.day = kDay + d;
        e.at_us += int64_t{d} * 86'400'000'000;
        j.append(std::move(e));
      }
    ASSERT_TRUE(j.commit());
  }
  std::vector<std::string> ids(const JournalReader& r) const {
    std::vector<std::string> out;
    r.each([&](const JournalEntry& e) { out.push_back(std::to_string(e.seq) + ":" + e.cl_ord_id); });
    return out;
  }
  std::string verify_all() const {
    const JournalReader::Verdict v = JournalReader(path, archives).verify();
    return v.intact ? "intact " + std::to_string(v.entries) : v.problem;
  }
  std::string archives = dir.file("archive");
};

TEST_F(JournalArchiveTest, PastDaysMoveToAFileEachAndAreReadAndVerifiedWithTheJournal) {
  write_days();
  const std::vector<std::string> before = ids(JournalReader(path));
  ASSERT_EQ(before.size(), 12u);
  {
    Journal j(path, Journal::Durability::normal);
    EXPECT_EQ(j.archive(archives, kDay + 2, 1000), 8u);
    EXPECT_EQ(j.archive(archives, kDay + 2, 1000), 0u) << "nothing more before today";
    // The chain goes on in the journal after the move.
    EXPECT_EQ(j.append(order("T1", "accepted")), 13);
    ASSERT_TRUE(j.commit());
  }
  EXPECT_EQ(archive_paths(archives, path),
            (std::vector<std::string>{archives + "/journal-2023-11-14.db", archives + "/journal-2023-11-15.db"}));
  EXPECT_EQ(ids(JournalReader(path)).size(), 5u) << "the journal keeps today's entries only";
  std::vector<std::string> all = before;
  all.push_back("13:T1");
  EXPECT_EQ(ids(JournalReader(path, archives)), all);
  EXPECT_EQ(verify_all(), "intact 13");
  JournalReader::Filter rejected;
  EXPECT_EQ(JournalReader(path, archives).orders(rejected).size(), 3u) << "one a day";

  // Without its archives, the journal says what is missing.
  EXPECT_EQ(JournalReader(path).verify().problem, "entries 1 to 8 were archived, but no archive holds them");
  std::filesystem::remove(archives + "/journal-2023-11-14.db");
  EXPECT_EQ(verify_all(), "archive " + archives + "/journal-2023-11-15.db: entries 1 to 4 were archived, but no " +
                              "archive holds them");
}

TEST_F(JournalArchiveTest, ATimeRangeReadsOnlyTheArchivesThatCanHoldItsEntries) {
  constexpr int64_t kDayUs = 86'400'000'000;
  {
    // A rejected order on each of seven trading days, each at 06:00 UTC the
    // day after its date (a calendar far west of UTC, whose day starts
    // late: its entries are not on its date at all).
    Journal j(path, Journal::Durability::normal);
    for (int d = 0; d < 7; ++d) {
      JournalEntry e = order("R" + std::to_string(d), "rejected");
      e.day = kDay + d;
      e.at_us = (int64_t{kDay} + d + 1) * kDayUs + kDayUs / 4;
      j.append(std::move(e));
    }
    ASSERT_TRUE(j.commit());
    EXPECT_EQ(j.archive(archives, kDay + 6, 1000), 6u);
  }
  for (int d = 0; d < 6; ++d) EXPECT_EQ(archive_day(archive_path(archives, path, kDay + d)), kDay + d);
  const auto range = [&](int from_day, int to_day) {
    JournalReader::Filter f;
    f.from_us = (int64_t{kDay} + from_day) * kDayUs;
    f.to_us = (int64_t{kDay} + to_day) * kDayUs;
    std::vector<std::string> out;
    for (const JournalEntry& e : JournalReader(path, archives).orders(f)) out.push_back(e.cl_ord_id);
    return out;
  };
  EXPECT_EQ(range(6, 7), (std::vector<std::string>{"R5"}));
  EXPECT_EQ(range(0, 8).size(), 7u);

  // The first day's archive damaged: a range far from it does not read it;
  // one that covers it, and the whole record, do (and fail, saying so).
  std::ofstream(archive_path(archives, path, kDay), std::ios::trunc) << "not a database";
  EXPECT_EQ(range(6, 7), (std::vector<std::string>{"R5"}));
  EXPECT_EQ(range(4, 8), (std::vector<std::string>{"R3", "R4", "R5", "R6"}));
  EXPECT_THROW(range(0, 2), std::exception);
  EXPECT_THROW(JournalReader(path, archives).orders(JournalReader::Filter{}), std::exception);
}

TEST_F(JournalArchiveTest, AnEditedArchiveIsNamed) {
  write_days();
  Journal(path, Journal::Durability::normal).archive(archives, kDay + 2, 1000);
  SQLite::Database(archives + "/journal-2023-11-15.db", SQLite::OPEN_READWRITE)
      .exec("UPDATE journal SET outcome = 'accepted' WHERE seq = 8");
  EXPECT_EQ(verify_all(),
            "archive " + archives +
                "/journal-2023-11-15.db: entry 8 does not match its hash (edited, or moved from elsewhere)");
}

TEST_F(JournalArchiveTest, SmallStepsAndAStepCutShortLoseNothingAndCopyNothingTwice) {
  write_days();
  // A copy of the journal as it was before any step: as if a step had
  // written its archives and stopped before taking the entries out.
  SQLite::Database(path, SQLite::OPEN_READWRITE).exec("VACUUM INTO '" + dir.file("before.db") + "'");
  {
    Journal j(path, Journal::Durability::normal);
    std::size_t moved = 0;
    while (const std::size_t n = j.archive(archives, kDay + 2, 3)) moved += n;
    EXPECT_EQ(moved, 8u);
  }
  EXPECT_EQ(verify_all(), "intact 12");
  std::filesystem::copy_file(dir.file("before.db"), path, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  EXPECT_EQ(ids(JournalReader(path, archives)).size(), 12u) << "each entry once, though two files hold it";
  EXPECT_EQ(verify_all(), "intact 12");
  EXPECT_EQ(Journal(path, Journal::Durability::normal).archive(archives, kDay + 2, 1000), 8u);
  EXPECT_EQ(verify_all(), "intact 12");
  int64_t in_archives = 0;
  for (const std::string& a : archive_paths(archives, path))
    in_archives += SQLite::Database(a).execAndGet("SELECT COUNT(*) FROM journal").getInt64();
  EXPECT_EQ(in_archives, 8);
}

}  // namespace
}  // namespace fixguard::persistence
