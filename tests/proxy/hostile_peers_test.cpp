// Peers that are not well-behaved strategies are refused or cut off, each
// with a logged reason, while a configured strategy keeps trading.
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

class HostilePeers : public ProxyTest {
 protected:
  void SetUp() override {
    start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::full));
    connect({"alpha"});
  }
  // alpha still trades: an order gets its fill.
  void expect_alpha_trades(const std::string& id) {
    ASSERT_TRUE(strategy->send("alpha", new_order(id)));
    EXPECT_TRUE(wait_er("alpha", id, "F")) << "alpha could not trade after " << id;
  }
  LogCapture log;
};

TEST_F(HostilePeers, UnknownCompIDsGetALogoutThatRevealsNothing) {
  RawClient peer(listen_port);
  peer.send(raw_logon("FIX.4.4", "MALLORY", "FIXGUARD", 1));
  const std::string reply = peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_EQ(field(reply, 35), "5");
  EXPECT_EQ(field(reply, 58), "Logon refused") << "which sessions exist is not the peer's business";
  EXPECT_TRUE(log.wait_for("refused Logon from 127.0.0.1", kWait));
  EXPECT_TRUE(log.contains("unknown session SenderCompID=MALLORY TargetCompID=FIXGUARD"));
  expect_alpha_trades("U1");
}

TEST_F(HostilePeers, AWrongBeginStringIsRefused) {
  RawClient peer(listen_port);
  peer.send(raw_logon("FIX.4.2", "BETA", "FIXGUARD", 1));
  const std::string reply = peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_NE(field(reply, 58).find("BeginString FIX.4.2 is not accepted"), std::string::npos);
  EXPECT_TRUE(log.wait_for("BeginString FIX.4.2 is not accepted", kWait));
  expect_alpha_trades("B1");
}

TEST_F(HostilePeers, AnOversizedFrameIsCutOffBeforeItsBodyIsRead) {
  RawClient peer(listen_port);
  peer.send(
      "8=FIX.4.4\x01"
      "9=10485760\x01"
      "35=A\x01" +
      std::string(4096, 'x'));
  peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_TRUE(log.wait_for("BodyLength 10485760 exceeds the frame limit", kWait));
  expect_alpha_trades("O1");
}

TEST_F(HostilePeers, GarbageBytesCloseTheConnection) {
  RawClient peer(listen_port);
  peer.send("GET / HTTP/1.1\r\nHost: fixguard\r\n\r\n");
  peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_TRUE(log.wait_for("bytes of garbage where a message should start", kWait));
  expect_alpha_trades("G1");
}

TEST_F(HostilePeers, AConnectionThatNeverLogsOnIsClosed) {
  RawClient peer(listen_port);
  peer.read_until_closed(kWait);  // sends nothing; the 500 ms logon timeout ends it
  EXPECT_TRUE(peer.closed());
  EXPECT_TRUE(log.contains("no Logon within 500 ms"));
  expect_alpha_trades("N1");
}

TEST_F(HostilePeers, AFirstMessageThatIsNotALogonIsRefused) {
  RawClient peer(listen_port);
  peer.send(raw_fix("FIX.4.4", {"35=D", "49=BETA", "56=FIXGUARD", "34=1", "52=20261122-10:00:00.000", "11=X"}));
  peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_TRUE(log.wait_for("first message is MsgType 'D', not a Logon", kWait));
  EXPECT_TRUE(venue->received("D").empty());
}

TEST_F(HostilePeers, AHugeMsgSeqNumIsNotWrappedIntoASmallOne) {
  RawClient peer(listen_port);
  peer.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  peer.send(raw_fix("FIX.4.4", {"35=0", "49=BETA", "56=FIXGUARD", "34=4294967297", "52=20261122-10:00:00.000"}));
  peer.read_until_closed(kWait);
  EXPECT_TRUE(peer.closed());
  EXPECT_TRUE(log.wait_for("MsgSeqNum missing or out of range", kWait));
  expect_alpha_trades("W1");
}

}  // namespace
}  // namespace fixguard::testing
