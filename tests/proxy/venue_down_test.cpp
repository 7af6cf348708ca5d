// While the venue session is down, orders are rejected at once with a Text
// that says so; nothing is queued. When it comes back, orders flow again.
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

TEST_F(ProxyTest, OrdersAreRejectedAtOnceWhileTheVenueIsDownAndFlowWhenItReturns) {
  cfg = make_config(two_client_yaml(listen_port, venue_port), dir.path());
  gateway = std::make_unique<GatewayRunner>(cfg);  // no venue listening yet
  connect({"alpha"});

  ASSERT_TRUE(strategy->send("alpha", new_order("V1")));
  const auto rejected = wait_er("alpha", "V1", "8");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(field(*rejected, 39), "8");
  EXPECT_EQ(field(*rejected, 58), "venue sim is not connected");
  EXPECT_EQ(field(*rejected, 103), "99");
  EXPECT_EQ(field(*rejected, 55), "IBM");

  ASSERT_TRUE(strategy->send("alpha", cancel("V2", "V1")));
  const auto cxl = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9"; }, kWait);
  ASSERT_TRUE(cxl);
  EXPECT_EQ(field(*cxl, 434), "1");
  EXPECT_EQ(field(*cxl, 41), "V1");
  EXPECT_EQ(field(*cxl, 58), "venue sim is not connected");

  ASSERT_TRUE(strategy->send("alpha", status_request("V1")));
  const auto bmr = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "j"; }, kWait);
  ASSERT_TRUE(bmr);
  EXPECT_EQ(field(*bmr, 380), "4");
  EXPECT_EQ(field(*bmr, 372), "H");

  venue = std::make_unique<proxy::VenueSimulator>(cfg, proxy::SimulatorOptions{});
  venue->start();
  ASSERT_TRUE(venue->wait_logged_on(kWait)) << "fixguard did not reconnect to the venue";
  // Nothing that was refused while the venue was down reaches it later.
  EXPECT_TRUE(venue->received().empty());
  ASSERT_TRUE(strategy->send("alpha", new_order("V3")));
  EXPECT_TRUE(wait_er("alpha", "V3", "0"));
  EXPECT_EQ(venue->received("D").size(), 1u);
}

}  // namespace
}  // namespace fixguard::testing
