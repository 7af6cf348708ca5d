// The journal end to end: real strategy and venue sessions through fixguard,
// then `fixguard audit` run as its own process over the journal file.
#include "persistence/journal.h"
#include "persistence/write_log.h"
#include "proxy/admin_client.h"
#include "tests/support/failing_syncs.h"
#include "tests/support/proxy_fixture.h"

#include <SQLiteCpp/Database.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fixguard::testing {
namespace {

using Kind = persistence::JournalEntry::Kind;
using proxy::SimulatorOptions;

const std::string kLimits = R"(risk:
  limits_version: desk-7
  limits:
    accounts: { ACC1: { max_order_qty: 100 } }
)";

FIX::Message order(const std::string& id, const std::string& qty) {
  FIX::Message m = new_order(id, qty, "100");
  m.setField(FIX::Account("ACC1"));
  return m;
}

class JournalE2E : public ProxyTest {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("fixguard.yaml")) << two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits);
    start_file(dir.file("fixguard.yaml"), fills(SimulatorOptions::Fill::full));
    connect({"alpha", "beta"});
  }
  // Waits for the answer to `id` sent by `client` (a fill or a reject).
  std::optional<std::string> answer(const std::string& client, const std::string& id) {
    return strategy->wait_for(
        client,
        [&](const std::string& m) { return field(m, 11) == id && (field(m, 39) == "2" || field(m, 39) == "8"); },
        kWait);
  }
  // Sends `id` from `client` and waits for its answer.
  void trade(const std::string& client, const std::string& id, const std::string& qty) {
    ASSERT_TRUE(strategy->send(client, order(id, qty)));
    ASSERT_TRUE(answer(client, id)) << id;
  }
  // Sends a limit order and waits for the venue's acknowledgement.
  void trade_ack(const std::string& client, const std::string& id, char side, const std::string& qty,
                 const std::string& price) {
    FIX::Message m = new_order(id, qty, price);
    m.setField(FIX::Account("ACC1"));
    m.setField(FIX::Side(side));
    ASSERT_TRUE(strategy->send(client, m));
    ASSERT_TRUE(wait_er(client, id, "0")) << id;
  }
  // `n` orders sent at once, each filled; the barrier flushed far fewer
  // times than messages were written (each order went out once to the
  // venue and its two reports came back: 3n messages).
  void many_orders_in_few_writes(const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) ASSERT_TRUE(strategy->send("alpha", order(prefix + std::to_string(i), "10")));
    for (int i = 0; i < n; ++i) ASSERT_TRUE(wait_er("alpha", prefix + std::to_string(i), "F")) << i;
    const proxy::WriteBarrier::Stats stats = gateway->call([](proxy::Gateway& g) { return g.barrier()->stats(); });
    EXPECT_GT(stats.flushes, 0u);
    EXPECT_LT(stats.flushes, 3u * static_cast<uint64_t>(n)) << "one write per message: no group commit";
    EXPECT_EQ(stats.failures, 0u);
    EXPECT_EQ(venue->received("D").size(), static_cast<std::size_t>(n));
  }
  // Once stopped: `n` orders accepted in the journal, and in the venue
  // session's store as sent.
  void expect_recorded(int n) {
    int accepted = 0;
    persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
      accepted += e.kind == Kind::order && e.outcome == "accepted";
    });
    EXPECT_EQ(accepted, n);
    SQLite::Database db(cfg.database, SQLite::OPEN_READONLY);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM fix_message WHERE instr(message, char(1) || '35=D' || char(1)) > 0")
                  .getInt64(),
              n);
  }
  CommandResult audit(const std::string& args) {
    return run_fixguard("audit --config " + dir.file("fixguard.yaml") + " " + args);
  }
  std::string journal_path() const { return dir.file("fixguard-journal.db"); }
};

TEST_F(JournalE2E, AnAcceptedOrderIsJournaledBeforeItIsForwardedAndEveryMessageAfterIt) {
  trade("alpha", "A1", "10");
  const std::vector<std::string> at_venue = venue->received("D");
  ASSERT_EQ(at_venue.size(), 1u);
  stop_all();
  std::vector<persistence::JournalEntry> a1;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
    if (e.cl_ord_id == "A1" || e.cl_ord_id == "alpha-A1") a1.push_back(e);
  });
  // The order with its decision, what went to the venue, the venue's two
  // reports (new, fill), and what reached the strategy: in that order.
  ASSERT_GE(a1.size(), 6u);
  EXPECT_EQ(a1[0].kind, Kind::order);
  EXPECT_EQ(a1[0].outcome, "accepted");
  EXPECT_EQ(a1[0].client, "alpha");
  EXPECT_EQ(a1[0].venue, "sim");
  EXPECT_EQ(a1[0].account, "ACC1");
  EXPECT_EQ(a1[0].limits_version, "desk-7");
  EXPECT_EQ(a1[0].mode, "enforce");
  EXPECT_EQ(field(a1[0].raw, 49), "ALPHA") << "as the strategy sent it";
  EXPECT_EQ(a1[1].kind, Kind::out);
  EXPECT_EQ(a1[1].raw, at_venue[0]) << "as the venue got it, byte for byte";
  EXPECT_EQ(field(a1[1].raw, 11), "alpha-A1");
  EXPECT_EQ(field(a1[1].raw, 56), "VENUE");
  EXPECT_EQ(a1[1].client, "alpha");
  EXPECT_EQ(a1[2].kind, Kind::venue);
  EXPECT_EQ(a1[2].client, "alpha");
  int venue_reports = 0, client_reports = 0;
  for (const auto& e : a1) {
    venue_reports += e.kind == Kind::venue;
    client_reports += e.kind == Kind::client;
  }
  EXPECT_EQ(venue_reports, 2);
  EXPECT_EQ(client_reports, 2);
  const CommandResult verify = audit("verify");
  EXPECT_EQ(verify.status, 0) << verify.output;
  EXPECT_NE(verify.output.find("intact"), std::string::npos) << verify.output;
}

TEST_F(JournalE2E, AuditListsTheRejectedOrdersWithTheirRuleValuesAndTheRejectSentBack) {
  trade("alpha", "A1", "10");
  trade("alpha", "A2", "150");
  trade("beta", "B1", "101");
  trade("beta", "B2", "100");
  stop_all();

  const CommandResult json = audit("--format json");
  ASSERT_EQ(json.status, 0) << json.output;
  EXPECT_EQ(json.output.find("\"cl_ord_id\":\"A1\""), std::string::npos) << "accepted orders are not listed";
  EXPECT_EQ(json.output.find("\"cl_ord_id\":\"B2\""), std::string::npos);
  const auto a2 = json.output.find(
      "\"client\":\"alpha\",\"venue\":\"sim\",\"account\":\"ACC1\",\"symbol\":\"IBM\","
      "\"msg_type\":\"D\",\"cl_ord_id\":\"A2\",\"outcome\":\"rejected\",\"rule\":"
      "\"MAX_ORDER_QTY\",\"observed\":\"150\",\"limit\":\"100\",\"limits_version\":"
      "\"desk-7\",\"mode\":\"enforce\",\"text\":\"MAX_ORDER_QTY 150 > 100 account=ACC1\"");
  EXPECT_NE(a2, std::string::npos) << json.output;
  EXPECT_NE(json.output.find("\"order_fix\":\"8=FIX.4.4|", a2), std::string::npos);
  EXPECT_NE(json.output.find("|35=8|", json.output.find("\"reply_fix\":", a2)), std::string::npos)
      << "the ExecutionReport that rejected it";
  EXPECT_NE(json.output.find("\"cl_ord_id\":\"B1\""), std::string::npos);

  const CommandResult beta = audit("--client beta --format csv");
  ASSERT_EQ(beta.status, 0) << beta.output;
  EXPECT_EQ(beta.output.rfind("seq,time,client,", 0), 0u);
  EXPECT_NE(beta.output.find(",B1,rejected,MAX_ORDER_QTY,101,100,"), std::string::npos) << beta.output;
  EXPECT_EQ(beta.output.find(",A2,"), std::string::npos) << beta.output;

  const CommandResult everything = audit("--outcome all --symbol IBM");
  ASSERT_EQ(everything.status, 0);
  EXPECT_NE(everything.output.find("4 orders"), std::string::npos) << everything.output;
  EXPECT_NE(everything.output.find("| A1 | accepted |"), std::string::npos) << everything.output;

  EXPECT_NE(audit("--from 2000-01-01 --to 2000-01-02").output.find("0 orders"), std::string::npos);
  const CommandResult bad_time = audit("--from yesterday");
  EXPECT_EQ(bad_time.status, 1);
  EXPECT_NE(bad_time.output.find("--from: expected a UTC time"), std::string::npos) << bad_time.output;

  const CommandResult html = audit("--html " + dir.file("report.html"));
  ASSERT_EQ(html.status, 0) << html.output;
  std::ifstream in(dir.file("report.html"));
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("<rect"), std::string::npos) << "a bar for the rejects";
  EXPECT_NE(page.find("MAX_ORDER_QTY"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos) << "self-contained, nothing to run";
}

TEST_F(JournalE2E, AuditVerifyNamesTheEntryThatWasTamperedWith) {
  trade("alpha", "A1", "10");
  trade("alpha", "A2", "150");
  stop_all();
  int64_t rejected = 0;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
    if (e.cl_ord_id == "A2" && e.kind == Kind::order) rejected = e.seq;
  });
  ASSERT_GT(rejected, 0);
  SQLite::Database(journal_path(), SQLite::OPEN_READWRITE)
      .exec("UPDATE journal SET outcome = 'accepted' WHERE seq = " + std::to_string(rejected));
  const CommandResult verify = audit("verify");
  EXPECT_EQ(verify.status, 1);
  EXPECT_NE(verify.output.find("NOT intact: entry " + std::to_string(rejected) + " does not match its hash"),
            std::string::npos)
      << verify.output;
}

TEST_F(JournalE2E, WhileTheJournalCannotBeWrittenOrdersAreRejectedAndTradingResumesAfter) {
  LogCapture log;
  trade("alpha", "A1", "10");
  const std::string why = "cannot write " + journal_path() + "-redo: File too large";
  {
    // No file of the process can grow: every write fails (the reject too
    // waits, held, until its session's store can record it).
    const NoFileGrowth full;
    ASSERT_TRUE(strategy->send("alpha", order("A2", "10")));
    EXPECT_TRUE(eventually(
        [&] { return log.contains("journal: cannot be written (" + why + "): orders are rejected"); }, kWait));
    const bool healthy = gateway->call([](proxy::Gateway& g) { return g.router().journal_fault().empty(); });
    EXPECT_FALSE(healthy);
  }
  const auto reject = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 11) == "A2" && field(m, 39) == "8"; }, kWait);
  ASSERT_TRUE(reject);
  // Refused at its batch's end, after its checks passed.
  EXPECT_EQ(field(*reject, 58),
            "journal cannot be written (" + why + ")" + std::string(proxy::Router::kRefusedAfterChecks));
  trade("alpha", "A3", "10");
  EXPECT_TRUE(log.contains("journal: written again: orders are accepted again"));
  EXPECT_EQ(venue->received("D").size(), 2u) << "A1 and A3 only";
  stop_all();
  std::vector<std::string> orders;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
    if (e.kind == Kind::order) orders.push_back(e.cl_ord_id + " " + e.outcome);
  });
  EXPECT_EQ(orders, (std::vector<std::string>{"A1 accepted", "A2 rejected", "A3 accepted"}));
  EXPECT_TRUE(persistence::JournalReader(journal_path()).verify().intact);
}

// With unique ClOrdIDs: each accepted order writes its ID to the database.
class JournalUniqueIds : public JournalE2E {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("fixguard.yaml"))
        << two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kLimits + "  unique_clordid: true\n");
    start_file(dir.file("fixguard.yaml"), fills(SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
};

TEST_F(JournalUniqueIds, WhenTheBatchsWriteFailsWhatAReadEarlierInItWroteStillLeavesAndTheRestIsRejected) {
  // One batch: B1 accepted (its ClOrdID waits to be written to the
  // database); a read of the database, which writes what waits, the
  // journal's entries first (B1's with them); B2 accepted; then the batch's
  // own write fails. B1's entry is in the journal as accepted: it leaves. B2's
  // is not: it is rejected, saying why. (A batch is what one read of a
  // socket brings; the frames are handed to alpha's session on fixguard's
  // thread, in one go, as its transport does.)
  LogCapture log;
  trade("alpha", "A1", "10");
  FIX::Session* mine = strategy->session("alpha");
  ASSERT_NE(mine, nullptr);
  const auto frame = [](const std::string& id, int seq) {
    FIX::Message m = order(id, "10");
    m.getHeader().setField(FIX::BeginString("FIX.4.4"));
    m.getHeader().setField(FIX::SenderCompID("ALPHA"));
    m.getHeader().setField(FIX::TargetCompID("FIXGUARD"));
    m.getHeader().setField(FIX::MsgSeqNum(seq));
    m.getHeader().setField(FIX::SendingTime(FIX::UtcTimeStamp(), 3));
    return m.toString();
  };
  const int next = gateway->call([&](proxy::Gateway& g) {
    proxy::SessionSlot& alpha = *g.slot("alpha");
    const int seq = alpha.session->getExpectedTargetNum();
    alpha.deliver(frame("B1", seq), seq);
    EXPECT_EQ(g.database().settle(), std::nullopt);  // the read: the journal first
    {
      const NoFileGrowth full;
      alpha.deliver(frame("B2", seq + 1), seq + 1);
      g.router().end_batch();
    }
    return seq + 2;
  });
  mine->setNextSenderMsgSeqNum(next);  // what alpha's session has had from "it"
  const auto reject = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 11) == "B2" && field(m, 39) == "8"; }, kWait);
  ASSERT_TRUE(reject) << "B2 was not rejected";
  EXPECT_EQ(field(*reject, 58), "journal cannot be written (cannot write " + journal_path() + "-redo: File too large)" +
                                    std::string(proxy::Router::kRefusedAfterChecks));
  ASSERT_TRUE(wait_er("alpha", "B1", "F")) << "B1 did not leave (filled)";
  trade("alpha", "A2", "10");  // and trading goes on
  // B2's checks ran: its ClOrdID is used.
  ASSERT_TRUE(strategy->send("alpha", order("B2", "10")));
  const auto reuse = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 11) == "B2" && field(m, 103) == "6"; }, kWait);
  EXPECT_TRUE(reuse) << "B2 again was not refused as a reuse";
  std::vector<std::string> at_venue;
  for (const std::string& d : venue->received("D")) at_venue.push_back(field(d, 11));
  EXPECT_EQ(at_venue, (std::vector<std::string>{"alpha-A1", "alpha-B1", "alpha-A2"}));
  stop_all();
  std::vector<std::string> orders;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
    if (e.kind == Kind::order) orders.push_back(e.cl_ord_id + " " + e.outcome);
  });
  EXPECT_EQ(orders,
            (std::vector<std::string>{"A1 accepted", "B1 accepted", "B2 rejected", "A2 accepted", "B2 rejected"}));
  EXPECT_TRUE(persistence::JournalReader(journal_path()).verify().intact);
  // A replay of the journal decides as live: B2 checked, then its reuse refused.
  const CommandResult replay = run_fixguard("replay " + journal_path());
  EXPECT_EQ(replay.status, 0) << replay.output;
  EXPECT_NE(replay.output.find("5 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << replay.output;
}

// The portfolio in words: positions with cost and P&L, then open orders.
std::vector<std::string> portfolio_of(proxy::Gateway& g) {
  const risk::Portfolio& p = g.engine().portfolio();
  std::vector<std::string> out;
  for (const risk::PositionState& s : p.positions())
    if (s.active)
      out.push_back(p.account_name(s.account) + " " + p.instrument_name(s.instrument) + " qty " + s.qty.to_string() +
                    " cost " + s.cost.to_string() + " realized " + s.realized.to_string() + " value " +
                    s.value.to_string() + " open " + std::to_string(s.open_orders));
  p.for_each_order([&](const risk::OpenOrder& o) {
    out.push_back(o.client + " " + o.cl_ord_id + " leaves " + o.leaves.to_string() + " at " + o.price.to_string());
  });
  std::sort(out.begin(), out.end());
  return out;
}

TEST_F(JournalE2E, ACrashLosesNoPositionAndOpenOrdersAreConfirmedBeforeNewOnesPass) {
  LogCapture log;
  venue->set_fill(SimulatorOptions::Fill::partial);  // half fills, the rest rests
  trade_ack("alpha", "B1", '1', "100", "100");
  trade_ack("alpha", "S1", '2', "40", "110");
  trade_ack("beta", "B2", '1', "20", "95");
  FIX::Message r1 = replace("R1", "B1", "80", "101");
  r1.setField(FIX::Account("ACC1"));
  ASSERT_TRUE(strategy->send("alpha", r1));
  ASSERT_TRUE(wait_er("alpha", "R1", "5"));
  const auto before = gateway->call(portfolio_of);
  ASSERT_EQ(before.size(), 4u) << "one position, three open orders: " << ::testing::PrintToString(before);

  gateway->kill();  // as a crash
  gateway = std::make_unique<GatewayRunner>(cfg);
  EXPECT_EQ(gateway->call(portfolio_of), before);
  ASSERT_TRUE(log.wait_for("open orders to confirm with their venues", kWait));
  ASSERT_TRUE(venue->wait_received("H", 3, kWait)) << "one status request per open order";
  ASSERT_TRUE(log.wait_for("reconciled: every open order confirmed", kWait));
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  trade_ack("alpha", "B3", '1', "10", "100");
  EXPECT_TRUE(persistence::JournalReader(journal_path()).verify().intact);
}

TEST_F(JournalE2E, PastDaysAreArchivedAndStillCountAtARestartAndInTheAudit) {
  trade("alpha", "A1", "10");   // filled
  trade("alpha", "A2", "500");  // rejected: MAX_ORDER_QTY
  const auto position = gateway->call(portfolio_of);
  ASSERT_EQ(position.size(), 1u) << ::testing::PrintToString(position);
  gateway->stop();

  // That trading day becomes yesterday: the same entries, one day earlier.
  std::vector<persistence::JournalEntry> entries;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) { entries.push_back(e); });
  for (const std::string suffix : {"", "-wal", "-shm"}) std::filesystem::remove(journal_path() + suffix);
  {
    persistence::Journal yesterday(journal_path(), persistence::Journal::Durability::normal);
    for (persistence::JournalEntry e : entries) {
      e.day -= 1;
      e.at_us -= 86'400'000'000;
      yesterday.append(std::move(e));
    }
    ASSERT_TRUE(yesterday.commit());
  }

  // Started with archiving: yesterday goes to its archive at once.
  const std::string archives = dir.file("archive");
  std::ofstream(dir.file("fixguard.yaml")) << two_client_yaml(
      listen_port, venue_port, "FIX.4.4", "", std::string("journal: { archive_dir: archive }\n") + kLimits);
  cfg = config::Config::from_file(dir.file("fixguard.yaml"), specs_dir());
  gateway = std::make_unique<GatewayRunner>(cfg);
  EXPECT_EQ(gateway->call(portfolio_of), position);
  ASSERT_EQ(persistence::archive_paths(archives, journal_path()).size(), 1u);
  int left = 0;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
    left += e.day < entries.front().day;
  });
  EXPECT_EQ(left, 0) << "nothing of yesterday is left in the journal";

  // Restarted: the position comes back from the archive.
  gateway->stop();
  gateway = std::make_unique<GatewayRunner>(cfg);
  EXPECT_EQ(gateway->call(portfolio_of), position);
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  trade("alpha", "A3", "10");
  stop_all();

  // The audit reads the archive and the journal as one record.
  const CommandResult all = audit("--outcome all --format csv");
  EXPECT_EQ(all.status, 0) << all.output;
  for (const char* id : {"A1", "A2", "A3"})
    EXPECT_NE(all.output.find(std::string(",") + id + ","), std::string::npos) << id;
  const CommandResult verify = audit("verify");
  EXPECT_EQ(verify.status, 0) << verify.output;
  EXPECT_NE(verify.output.find("and 1 archives in " + archives + " intact"), std::string::npos) << verify.output;
}

// Durability normal writes in groups too: one transaction per file for a
// batch of work, and nothing leaves before it is written.
TEST_F(JournalE2E, ManyOrdersAreWrittenInFewTransactions) {
  many_orders_in_few_writes("N", 200);
  stop_all();
  expect_recorded(200);
}

// Durability full: the same flow, with everything synced before it leaves,
// one sync for many messages.
class JournalFull : public JournalE2E {
 protected:
  void SetUp() override {
    std::ofstream(dir.file("fixguard.yaml")) << two_client_yaml(
        listen_port, venue_port, "FIX.4.4", "", std::string("journal: { durability: full }\n") + kLimits);
    start_file(dir.file("fixguard.yaml"), fills(SimulatorOptions::Fill::full));
    connect({"alpha", "beta"});
  }
};

TEST_F(JournalFull, OrdersFlowAndOneSyncCoversManyMessages) {
  trade("beta", "X1", "1000");  // rejected: the reject leaves through the barrier too
  many_orders_in_few_writes("F", 200);
  stop_all();
  expect_recorded(200);
  EXPECT_TRUE(persistence::JournalReader(journal_path()).verify().intact);
}

// A disk that fails to sync: nothing leaves while it fails, the order
// caught in the failed batch leaves once (and only once) a sync works, and
// an order that comes meanwhile is rejected with the reason.
TEST_F(JournalFull, WhileTheJournalCannotBeSyncedNothingLeavesAndWhatWaitedLeavesOnceAfter) {
  LogCapture log;
  trade("alpha", "A1", "10");
  const std::string redo = persistence::WriteLog::file_of(journal_path());
  {
    const FailingSyncs failing(redo, -1);
    ASSERT_TRUE(strategy->send("alpha", order("B1", "10")));
    ASSERT_TRUE(log.wait_for("cannot write (cannot sync " + redo + ": Input/output error)", kWait));
    ASSERT_TRUE(strategy->send("alpha", order("B2", "10")));
    // Tried again every 100 ms, failing: meanwhile nothing leaves.
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_GE(failing.failed(), 3);
    EXPECT_EQ(venue->received("D").size(), 1u) << "an order left before it was on the disk";
    for (const std::string& m : received("alpha")) EXPECT_NE(field(m, 11), "B1") << m;
  }
  // It syncs again: B1 leaves and fills; B2's reject leaves.
  const auto b1 = answer("alpha", "B1");
  ASSERT_TRUE(b1);
  EXPECT_EQ(field(*b1, 39), "2");
  const auto b2 = answer("alpha", "B2");
  ASSERT_TRUE(b2);
  EXPECT_EQ(field(*b2, 39), "8");
  EXPECT_NE(field(*b2, 58).find("cannot sync " + redo + ": Input/output error"), std::string::npos) << *b2;
  EXPECT_TRUE(log.wait_for("written again: output flows again", kWait));
  trade("alpha", "C1", "10");
  std::vector<std::string> ids;
  for (const std::string& d : venue->received("D")) ids.push_back(field(d, 11));
  EXPECT_EQ(ids, (std::vector<std::string>{"alpha-A1", "alpha-B1", "alpha-C1"}));
  stop_all();

  std::map<std::string, std::vector<std::string>> outcomes;
  persistence::JournalReader(journal_path()).each([&](const persistence::JournalEntry& e) {
    if (e.kind == Kind::order) outcomes[e.cl_ord_id].push_back(e.outcome);
  });
  EXPECT_EQ(outcomes["B1"], std::vector<std::string>{"accepted"});
  EXPECT_EQ(outcomes["B2"], std::vector<std::string>{"rejected"});
  EXPECT_TRUE(persistence::JournalReader(journal_path()).verify().intact);
}

}  // namespace
}  // namespace fixguard::testing
