// fixguard restarted between messages: sequence numbers continue on both
// legs, and ResendRequests after the restart are answered from SQLite.
#include "fix/forwarding.h"
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

using proxy::SimulatorOptions;

FIX::Session* venue_side_session() {
  return FIX::Session::lookupSession(FIX::SessionID("FIX.4.4", "VENUE", "FIXGUARD"));
}

TEST_F(ProxyTest, SequenceNumbersContinueOnBothLegsAcrossARestart) {
  start(two_client_yaml(listen_port, venue_port), fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("R1")));
  ASSERT_TRUE(wait_er("alpha", "R1", "0"));

  FIX::Session* strat = strategy->session("alpha");
  FIX::Session* sim = venue_side_session();
  ASSERT_NE(sim, nullptr);
  // Logon and report on one leg, Logon and order on the other, each counted in
  // just after it was handed over.
  ASSERT_TRUE(
      eventually([&] { return strat->getExpectedTargetNum() >= 3 && sim->getExpectedTargetNum() >= 3; }, kWait));
  const int strat_in_before = strat->getExpectedTargetNum();
  const int sim_in_before = sim->getExpectedTargetNum();
  ASSERT_GT(strat_in_before, 2);
  ASSERT_GT(sim_in_before, 2);

  gateway->kill();  // as a crash: no Logout on either leg
  ASSERT_TRUE(eventually([&] { return !strategy->logged_on("alpha") && !venue->logged_on(); }, kWait));
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(venue->wait_logged_on(kWait));
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));

  ASSERT_TRUE(strategy->send("alpha", new_order("R2")));
  ASSERT_TRUE(wait_er("alpha", "R2", "0"));
  ASSERT_TRUE(venue->wait_received("D", 2, kWait));
  // No reset on either leg: each side's counters only went up, by the Logon
  // exchange and the one new order (nothing replayed, nothing lost).
  EXPECT_EQ(venue->received("D").size(), 2u);
  // (A session counts a message in just after handing it over, hence the wait.)
  EXPECT_TRUE(eventually([&] { return strat->getExpectedTargetNum() >= strat_in_before + 2; }, kWait))
      << strat->getExpectedTargetNum() << " vs " << strat_in_before;
  EXPECT_TRUE(eventually([&] { return sim->getExpectedTargetNum() >= sim_in_before + 2; }, kWait))
      << sim->getExpectedTargetNum() << " vs " << sim_in_before;
  for (const auto& d : venue->received("D")) EXPECT_NE(field(d, 34), "1");
  for (const auto& raw : received("alpha")) EXPECT_NE(field(raw, 34), "1");
}

TEST_F(ProxyTest, ResendRequestsAfterARestartAreAnsweredFromTheStore) {
  start(two_client_yaml(listen_port, venue_port), fills(SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("S1", "100", "99.5")));
  const auto ack = wait_er("alpha", "S1", "0");
  ASSERT_TRUE(ack);
  const int ack_seq = std::stoi(field(*ack, 34));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  const std::string forwarded = venue->received("D").at(0);
  const int order_seq = std::stoi(field(forwarded, 34));

  gateway->kill();
  ASSERT_TRUE(eventually([&] { return !strategy->logged_on("alpha") && !venue->logged_on(); }, kWait));
  // Both peers now claim to have missed what fixguard sent them before the
  // crash, so each asks fixguard to send it again after the restart.
  strategy->session("alpha")->setNextTargetMsgSeqNum(ack_seq);
  venue_side_session()->setNextTargetMsgSeqNum(order_seq);

  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(venue->wait_received("D", 2, kWait)) << "the venue's ResendRequest was not answered";
  const std::string resent = venue->received("D").at(1);
  EXPECT_EQ(field(resent, 34), std::to_string(order_seq));
  EXPECT_EQ(field(resent, 43), "Y");
  EXPECT_EQ(field(resent, 11), "alpha-S1");
  EXPECT_EQ(fix::split(resent)->body, fix::split(forwarded)->body) << "resent body differs from the original";

  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  const auto again = strategy->wait_for(
      "alpha", [&](const std::string& m) { return field(m, 34) == std::to_string(ack_seq) && field(m, 43) == "Y"; },
      kWait);
  ASSERT_TRUE(again) << "the strategy's ResendRequest was not answered";
  EXPECT_EQ(field(*again, 11), "S1");
  EXPECT_EQ(fix::split(*again)->body, fix::split(*ack)->body);
}

}  // namespace
}  // namespace fixguard::testing
