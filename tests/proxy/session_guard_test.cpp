// Logons that would corrupt a configured session's state are refused before
// QuickFIX sees them.
#include "persistence/database.h"
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

// Sequence numbers of a session as stored in fixguard's database (read
// beside it, as another process would, once its writes are applied).
std::pair<int, int> stored_seqnums(const std::string& db_path, const std::string& session) {
  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT next_sender, next_target FROM fix_session WHERE session = ?");
  q.bind(1, session);
  if (!q.executeStep()) return {0, 0};
  return {q.getColumn(0).getInt(), q.getColumn(1).getInt()};
}

TEST_F(ProxyTest, ResetSeqNumFlagDoesNotWipeAStoredSession) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port));
  connect({"beta"});
  ASSERT_TRUE(strategy->send("beta", new_order("K1")));
  ASSERT_TRUE(wait_er("beta", "K1", "F") || wait_er("beta", "K1", "0"));
  strategy->stop();
  ASSERT_TRUE(eventually([&] { return !strategy->logged_on("beta"); }, kWait));
  const auto before = gateway->call([](proxy::Gateway& g) {
    const auto* s = g.slot("beta");
    return std::make_pair(s->session->getExpectedSenderNum(), s->session->getExpectedTargetNum());
  });
  ASSERT_GT(before.first, 2);

  RawClient peer(listen_port);
  peer.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1, /*reset=*/true));
  const std::string reply = peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_EQ(field(reply, 58), "ResetSeqNumFlag=Y is not allowed for this session");
  EXPECT_TRUE(log.wait_for("ResetSeqNumFlag=Y is not allowed", kWait));

  const auto after = gateway->call([](proxy::Gateway& g) {
    const auto* s = g.slot("beta");
    return std::make_pair(s->session->getExpectedSenderNum(), s->session->getExpectedTargetNum());
  });
  EXPECT_EQ(after, before);
  ASSERT_EQ(gateway->call([](proxy::Gateway& g) { return g.database().settle(); }), std::nullopt);
  EXPECT_EQ(stored_seqnums(cfg.database, "FIX.4.4:FIXGUARD->BETA"), before);
}

TEST_F(ProxyTest, ResetSeqNumFlagIsHonouredWhereConfigAllowsIt) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "    allow_reset: true\n"));
  RawClient peer(listen_port);
  peer.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1, /*reset=*/true));
  ASSERT_TRUE(
      eventually([&] { return gateway->call([](proxy::Gateway& g) { return g.slot("beta")->logged_on(); }); }, kWait));
  const int sender = gateway->call([](proxy::Gateway& g) { return g.slot("beta")->session->getExpectedSenderNum(); });
  EXPECT_EQ(sender, 2);  // our Logon answer was 1
}

TEST_F(ProxyTest, ASecondConnectionForALiveSessionIsRefused) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port));
  connect({"alpha"});
  RawClient twin(listen_port);
  twin.send(raw_logon("FIX.4.4", "ALPHA", "FIXGUARD", 1));
  const std::string reply = twin.read_until_closed(kWait);
  EXPECT_EQ(field(reply, 58), "session alpha is already connected");
  EXPECT_TRUE(strategy->logged_on("alpha"));
  ASSERT_TRUE(strategy->send("alpha", new_order("T1")));
  EXPECT_TRUE(wait_er("alpha", "T1", "0"));
}

// Address allowlists: a session's strategy connects only from its blocks;
// an address in no session's list is turned away before a byte is read.
TEST_F(ProxyTest, AnAddressOutsideASessionsAllowlistIsRefused) {
  LogCapture log;
  std::string yaml = two_client_yaml(listen_port, venue_port);
  // alpha from 10/8 only; beta from loopback (IPv4 or IPv6).
  yaml.replace(yaml.find("    venue: sim\n"), 15, "    venue: sim\n    allow_from: [10.0.0.0/8]\n");
  yaml.replace(yaml.rfind("    venue: sim\n"), 15, "    venue: sim\n    allow_from: [\"127.0.0.0/8\", \"::1\"]\n");
  start(yaml);
  connect({"beta"});
  RawClient alpha(listen_port);
  alpha.send(raw_logon("FIX.4.4", "ALPHA", "FIXGUARD", 1));
  const std::string answer = alpha.read_until_closed(2000);
  EXPECT_EQ(field(answer, 35), "5") << answer;
  EXPECT_EQ(field(answer, 58), "Logon refused") << "no detail for the peer";
  EXPECT_TRUE(log.wait_for("is not in session alpha's allow_from", kWait));
  EXPECT_TRUE(strategy->wait_logged_on("beta", 100)) << "beta trades on";
  ASSERT_TRUE(strategy->send("beta", new_order("B1", "10", "100")));
  EXPECT_TRUE(wait_er("beta", "B1", "0"));
}

TEST_F(ProxyTest, AnAddressInNoAllowlistIsTurnedAwayBeforeAByteIsRead) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "    allow_from: [\"192.0.2.0/24\", \"2001:db8::/32\"]\n"));
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "ALPHA", "FIXGUARD", 1));
  EXPECT_EQ(c.read_until_closed(2000), "");
  EXPECT_TRUE(c.closed());
  EXPECT_TRUE(log.wait_for(": in no session's allow_from", kWait));
  EXPECT_TRUE(log.contains("refused connection from 127.0.0.1:"));
  EXPECT_FALSE(log.contains("client-gate: connection from 127.0.0.1")) << "never handed to a session";
}

}  // namespace
}  // namespace fixguard::testing
