// The journal on a real SQLite file: entries chained by SHA-256, written all
// or nothing, kept while a write fails, and every kind of tampering found.
#include "persistence/journal.h"
#include "tests/support/harness.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fixguard::persistence
