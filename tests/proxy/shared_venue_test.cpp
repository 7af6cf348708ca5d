// Two strategies on one venue session, sending the same ClOrdID.
#include "tests/support/proxy_fixture.h"

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
