// Two strategies on one venue session, sending the same ClOrdID.
#include "tests/support/proxy_fixture.h"

#include <map>
#include <set>

namespace fixguard::testing {
namespace {

TEST_F(ProxyTest, SameClOrdIDFromTwoStrategiesStaysApart) {
  start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::full));
  connect({"alpha", "beta"});
  ASSERT_TRUE(strategy->send("alpha", new_order("SAME", "100", "10")));
  ASSERT_TRUE(strategy->send("beta", new_order("SAME", "300", "20")));
  ASSERT_TRUE(venue->wait_received("D", 2, kWait));

  std::set<std::string> venue_ids;
  for (const auto& d : venue->received("D")) venue_ids.insert(field(d, 11));
  EXPECT_EQ(venue_ids, (std::set<std::string>{"alpha-SAME", "beta-SAME"}));

  ASSERT_TRUE(wait_er("alpha", "SAME", "F"));
  ASSERT_TRUE(wait_er("beta", "SAME", "F"));
  // Each strategy got its own two reports (ack, fill), with its own ClOrdID
  // and its own quantity: nothing of the other's.
  for (const auto& [client, qty] : {std::pair<std::string, std::string>{"alpha", "100"}, {"beta", "300"}}) {
    const auto got = received(client);
    ASSERT_EQ(got.size(), 2u) << client;
    for (const auto& er : got) {
      EXPECT_EQ(field(er, 11), "SAME") << client;
      EXPECT_EQ(field(er, 38), qty) << client;
      EXPECT_EQ(field(er, 56), client == "alpha" ? "ALPHA" : "BETA");
    }
  }
}

}  // namespace
}  // namespace fixguard::testing

namespace fixguard::testing {
namespace {

TEST_F(ProxyTest, EachClientRoutesToItsOwnVenueSession) {
  const uint16_t second_venue = free_port();
  std::string yaml = two_client_yaml(listen_port, venue_port);
  const std::string venue2 =
      "  - name: sim2\n    begin_string: FIX.4.4\n    sender_comp_id: FIXGUARD\n"
      "    target_comp_id: VENUE2\n    connect: 127.0.0.1:" +
      std::to_string(second_venue) + "\n    reconnect: { initial_ms: 100, max_ms: 400 }\n";
  yaml.insert(yaml.find("clients:"), venue2);
  const auto beta_venue = yaml.find("venue: sim", yaml.find("name: beta"));
  yaml.replace(beta_venue, 10, "venue: sim2");
  start(yaml, fills(proxy::SimulatorOptions::Fill::none));
  ASSERT_TRUE(eventually(
      [&] {
        return gateway->call(
            [](proxy::Gateway& g) { return g.slot("sim")->logged_on() && g.slot("sim2")->logged_on(); });
      },
      kWait));
  connect({"alpha", "beta"});
  ASSERT_TRUE(strategy->send("alpha", new_order("MV1")));
  ASSERT_TRUE(strategy->send("beta", new_order("MV1")));
  ASSERT_TRUE(venue->wait_received("D", 2, kWait));
  std::map<std::string, std::string> by_venue;
  for (const auto& d : venue->received("D")) by_venue[field(d, 56)] = field(d, 11);
  // A venue session of its own: no prefix needed, the ClOrdIDs pass as sent.
  EXPECT_EQ(by_venue, (std::map<std::string, std::string>{{"VENUE", "MV1"}, {"VENUE2", "MV1"}}));
  EXPECT_TRUE(wait_er("alpha", "MV1", "0"));
  EXPECT_TRUE(wait_er("beta", "MV1", "0"));
}

TEST_F(ProxyTest, AMassCancelAndItsReportComeBackToTheirOwner) {
  start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha", "beta"});
  ASSERT_TRUE(strategy->send("alpha", new_order("MC1")));
  ASSERT_TRUE(strategy->send("alpha", new_order("MC2")));
  ASSERT_TRUE(wait_er("alpha", "MC2", "0"));
  FIX::Message q;
  q.getHeader().setField(FIX::MsgType("q"));
  q.setField(FIX::ClOrdID("MCX"));
  q.setField(FIX::FieldBase(530, "7"));
  q.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  ASSERT_TRUE(strategy->send("alpha", q));
  const auto report = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "r"; }, kWait);
  ASSERT_TRUE(report);
  EXPECT_EQ(field(*report, 11), "MCX");
  EXPECT_EQ(field(*report, 533), "2");
  EXPECT_TRUE(wait_er("alpha", "MC1", "4"));
  EXPECT_TRUE(wait_er("alpha", "MC2", "4"));
  EXPECT_EQ(field(venue->received("q").at(0), 11), "alpha-MCX");
  EXPECT_TRUE(received("beta").empty());
}

}  // namespace
}  // namespace fixguard::testing
