// A QuickFIX strategy -> fixguard -> venue simulator, for D, F, G and H, with
// the ExecutionReports back; bodies forwarded byte for byte.
#include "fix/forwarding.h"
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

using proxy::SimulatorOptions;

std::string body_of(const std::string& raw) {
  const auto parts = fix::split(raw);
  return parts ? std::string(parts->body) : "";
}

std::string one_client_yaml(uint16_t listen, uint16_t venue, const std::string& begin = "FIX.4.4") {
  std::string y = two_client_yaml(listen, venue, begin);
  return y.substr(0, y.find("  - name: beta"));
}

class OrderFlow : public ProxyTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(OrderFlow, NewReplaceStatusAndCancelReachTheVenueAndReportsComeBack) {
  start(two_client_yaml(listen_port, venue_port, GetParam()));
  connect({"alpha"});

  ASSERT_TRUE(strategy->send("alpha", new_order("O1", "100", "150.25")));
  const auto ack = wait_er("alpha", "O1", "0");
  ASSERT_TRUE(ack) << "no ack for the new order";
  EXPECT_EQ(field(*ack, 39), "0");
  const std::string fill_type = GetParam() == "FIX.4.2" ? "1" : "F";
  const auto fill = wait_er("alpha", "O1", fill_type);
  ASSERT_TRUE(fill) << "no partial fill";
  EXPECT_EQ(field(*fill, 32), "50");
  EXPECT_EQ(field(*fill, 31), "150.25");

  ASSERT_TRUE(strategy->send("alpha", replace("O2", "O1", "200", "150.5")));
  const auto replaced = wait_er("alpha", "O2", "5");
  ASSERT_TRUE(replaced) << "no replace report";
  EXPECT_EQ(field(*replaced, 41), "O1");
  EXPECT_EQ(field(*replaced, 38), "200");
  EXPECT_EQ(field(*replaced, 151), "150");

  ASSERT_TRUE(strategy->send("alpha", status_request("O2")));
  const std::string status_type = GetParam() == "FIX.4.2" ? "1" : "I";
  ASSERT_TRUE(wait_er("alpha", "O2", status_type)) << "no status report";

  ASSERT_TRUE(strategy->send("alpha", cancel("O3", "O2", "200")));
  const auto cancelled = wait_er("alpha", "O3", "4");
  ASSERT_TRUE(cancelled) << "no cancel report";
  EXPECT_EQ(field(*cancelled, 41), "O2");
  EXPECT_EQ(field(*cancelled, 39), "4");

  // The venue saw each message once, under alpha's prefix.
  ASSERT_EQ(venue->received("D").size(), 1u);
  EXPECT_EQ(field(venue->received("D")[0], 11), "alpha-O1");
  ASSERT_EQ(venue->received("G").size(), 1u);
  EXPECT_EQ(field(venue->received("G")[0], 41), "alpha-O1");
  ASSERT_EQ(venue->received("H").size(), 1u);
  ASSERT_EQ(venue->received("F").size(), 1u);
  EXPECT_EQ(field(venue->received("F")[0], 11), "alpha-O3");
  EXPECT_EQ(field(venue->received("F")[0], 49), "FIXGUARD");
  EXPECT_EQ(field(venue->received("F")[0], 8), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Versions, OrderFlow, ::testing::Values("FIX.4.2", "FIX.4.4", "FIXT.1.1"));

// A body out of tag order, a NoPartyIDs group and user-defined tags.
const std::string kBody =
    "11=P1\x01"
    "55=IBM\x01"
    "54=1\x01"
    "9000=alpha-signal\x01"
    "453=2\x01"
    "448=TRADER1\x01"
    "447=D\x01"
    "452=11\x01"
    "448=DESK9\x01"
    "447=D\x01"
    "452=12\x01"
    "38=100\x01"
    "40=2\x01"
    "44=150.25\x01"
    "5001=x\x01"
    "21=1\x01"
    "60=20261122-10:00:00.000\x01";

TEST_F(ProxyTest, BodyReachesTheVenueByteForByte) {
  start(one_client_yaml(listen_port, venue_port), fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", with_raw_body("D", kBody)));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  const std::string sent = strategy->sent("alpha").at(0);
  ASSERT_EQ(body_of(sent), kBody) << "the strategy itself sent the body as written";
  EXPECT_EQ(body_of(venue->received("D").at(0)), kBody);
  // ...and the venue's report reaches the strategy byte for byte too.
  ASSERT_TRUE(wait_er("alpha", "P1", "0"));
  const auto sim_er = venue->sent().at(0);
  const auto got = received("alpha").at(0);
  EXPECT_EQ(body_of(got), body_of(sim_er));
}

TEST_F(ProxyTest, OnASharedVenueOnlyTheClOrdIDValueChanges) {
  start(two_client_yaml(listen_port, venue_port), fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", with_raw_body("D", kBody)));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  std::string expected = kBody;
  expected.replace(0, 5, "11=alpha-P1");
  EXPECT_EQ(body_of(venue->received("D").at(0)), expected);
  const auto er = wait_er("alpha", "P1", "0");
  ASSERT_TRUE(er);
  std::string sim_body = body_of(venue->sent().at(0));
  sim_body.replace(sim_body.find("11=alpha-P1"), 11, "11=P1");
  EXPECT_EQ(body_of(*er), sim_body);
}

TEST_F(ProxyTest, PassThroughHeaderFieldsAreForwardedAndLegFieldsRewritten) {
  start(one_client_yaml(listen_port, venue_port), fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  FIX::Message m = new_order("H1");
  m.getHeader().setField(FIX::OnBehalfOfCompID("DESK7"));
  m.getHeader().setField(FIX::SenderSubID("alice"));
  ASSERT_TRUE(strategy->send("alpha", m));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  const std::string got = venue->received("D").at(0);
  EXPECT_EQ(field(got, 115), "DESK7");
  EXPECT_EQ(field(got, 50), "");  // the strategy's sub-ID belongs to its leg
  EXPECT_EQ(field(got, 49), "FIXGUARD");
  EXPECT_EQ(field(got, 56), "VENUE");
}

}  // namespace
}  // namespace fixguard::testing
