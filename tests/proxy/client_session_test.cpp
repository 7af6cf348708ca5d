// The client-facing FIX session layer, seen from a peer that writes raw FIX:
// dual-stack listening, sequence gaps, garbled and invalid messages.
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

std::string now_ts() { return FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3); }

// Reads from `c` until a message with MsgType `type` arrived (or timeout).
std::string read_until(RawClient& c, const std::string& type, std::string& buffer, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    buffer += c.read_until_closed(50);
    for (std::size_t pos = buffer.find("8=FIX"); pos != std::string::npos; pos = buffer.find("8=FIX", pos + 1)) {
      const std::size_t end = buffer.find(
          "\x01"
          "10=",
          pos);
      if (end == std::string::npos || end + 8 > buffer.size()) break;
      const std::string msg = buffer.substr(pos, end + 8 - pos);
      if (field(msg, 35) == type) {
        buffer.erase(0, end + 8);
        return msg;
      }
    }
    if (c.closed()) break;
  }
  return "";
}

class ClientSession : public ProxyTest {
 protected:
  void SetUp() override { start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::none)); }
  std::string order(int seq, const std::string& id, bool poss_dup = false) {
    std::vector<std::string> f = {"35=D", "49=BETA", "56=FIXGUARD", "34=" + std::to_string(seq), "52=" + now_ts()};
    if (poss_dup) {
      f.push_back("43=Y");
      f.push_back("122=" + now_ts());
    }
    for (const char* body : {"21=1", "55=IBM", "54=1", "38=10", "40=2", "44=5"}) f.push_back(body);
    f.insert(f.begin() + 5 + (poss_dup ? 2 : 0), "11=" + id);
    f.push_back("60=" + now_ts());
    return raw_fix("FIX.4.4", f);
  }
  std::string buffer;
};

TEST_F(ClientSession, AcceptsStrategiesOverIPv6) {
  RawClient c(listen_port, "::1");
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  EXPECT_FALSE(read_until(c, "A", buffer, kWait).empty());
}

TEST_F(ClientSession, ASequenceGapIsAnsweredWithAResendRequest) {
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  ASSERT_FALSE(read_until(c, "A", buffer, kWait).empty());
  c.send(order(5, "GAP5"));
  const std::string rr = read_until(c, "2", buffer, kWait);
  ASSERT_FALSE(rr.empty());
  EXPECT_EQ(field(rr, 7), "2");
  // Filling the gap releases the queued order, in order, once each.
  c.send(order(2, "GAP2", true));
  c.send(order(3, "GAP3", true));
  c.send(order(4, "GAP4", true));
  ASSERT_TRUE(venue->wait_received("D", 4, kWait));
  std::vector<std::string> ids;
  for (const auto& d : venue->received("D")) ids.push_back(field(d, 11));
  EXPECT_EQ(ids, (std::vector<std::string>{"beta-GAP2", "beta-GAP3", "beta-GAP4", "beta-GAP5"}));
}

TEST_F(ClientSession, AGarbledMessageAfterLogonIsIgnoredAndTheSessionGoesOn) {
  LogCapture log;
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  ASSERT_FALSE(read_until(c, "A", buffer, kWait).empty());
  std::string bad = order(2, "BAD");
  bad[bad.size() - 2] = bad[bad.size() - 2] == '0' ? '1' : '0';  // wrong CheckSum
  c.send(bad);
  c.send(order(2, "GOOD"));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  EXPECT_EQ(field(venue->received("D").at(0), 11), "beta-GOOD");
  EXPECT_TRUE(log.contains("garbled message ignored"));
  EXPECT_FALSE(c.closed());
}

TEST_F(ClientSession, APossDupBelowTheExpectedSequenceIsNotForwardedAgain) {
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  ASSERT_FALSE(read_until(c, "A", buffer, kWait).empty());
  c.send(order(2, "ONCE"));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  c.send(order(2, "ONCE", true));
  c.send(order(3, "NEXT"));
  ASSERT_TRUE(venue->wait_received("D", 2, kWait));
  EXPECT_EQ(field(venue->received("D").at(1), 11), "beta-NEXT");
  EXPECT_EQ(venue->received("D").size(), 2u);
}

TEST_F(ClientSession, AnOrderMissingARequiredFieldGetsASessionReject) {
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  ASSERT_FALSE(read_until(c, "A", buffer, kWait).empty());
  // No Side (54).
  c.send(raw_fix("FIX.4.4", {"35=D", "49=BETA", "56=FIXGUARD", "34=2", "52=" + now_ts(), "11=NOSIDE", "55=IBM", "38=10",
                             "40=2", "44=5", "60=" + now_ts()}));
  const std::string reject = read_until(c, "3", buffer, kWait);
  ASSERT_FALSE(reject.empty());
  EXPECT_EQ(field(reject, 373), "1");
  EXPECT_EQ(field(reject, 371), "54");
  EXPECT_TRUE(venue->received("D").empty());
}

// A field the order is decided on, twice outside any group: the checks must
// not read one value while the venue reads the other, so the order is refused.
TEST_F(ClientSession, AnOrderWithATagTwiceGetsASessionReject) {
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  ASSERT_FALSE(read_until(c, "A", buffer, kWait).empty());
  c.send(raw_fix("FIX.4.4", {"35=D", "49=BETA", "56=FIXGUARD", "34=2", "52=" + now_ts(), "11=TWICE", "55=IBM", "54=1",
                             "38=10", "40=2", "44=5", "60=" + now_ts(), "38=100000"}));
  const std::string reject = read_until(c, "3", buffer, kWait);
  ASSERT_FALSE(reject.empty());
  EXPECT_EQ(field(reject, 373), "13");  // tag appears more than once
  EXPECT_EQ(field(reject, 371), "38");
  EXPECT_TRUE(venue->received("D").empty());
}

TEST_F(ClientSession, AnUndefinedTagIsRefusedUnlessUserDefined) {
  RawClient c(listen_port);
  c.send(raw_logon("FIX.4.4", "BETA", "FIXGUARD", 1));
  ASSERT_FALSE(read_until(c, "A", buffer, kWait).empty());
  c.send(raw_fix("FIX.4.4", {"35=D", "49=BETA", "56=FIXGUARD", "34=2", "52=" + now_ts(), "11=U1", "55=IBM", "54=1",
                             "38=10", "40=2", "44=5", "60=" + now_ts(), "4999=x"}));
  const std::string reject = read_until(c, "3", buffer, kWait);
  ASSERT_FALSE(reject.empty());
  EXPECT_EQ(field(reject, 371), "4999");
  c.send(raw_fix("FIX.4.4", {"35=D", "49=BETA", "56=FIXGUARD", "34=3", "52=" + now_ts(), "11=U2", "55=IBM", "54=1",
                             "38=10", "40=2", "44=5", "60=" + now_ts(), "5999=x"}));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  EXPECT_EQ(field(venue->received("D").at(0), 5999), "x");
}

}  // namespace
}  // namespace fixguard::testing
