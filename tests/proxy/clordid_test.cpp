// ClOrdID idempotency through the proxy, across a restart.
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

const std::string kUnique = "risk: { unique_clordid: true }\n";

TEST_F(ProxyTest, AReusedClOrdIDIsRejectedEvenAfterARestart) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kUnique), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha", "beta"});
  ASSERT_TRUE(strategy->send("alpha", new_order("ONCE")));
  ASSERT_TRUE(wait_er("alpha", "ONCE", "0"));
  ASSERT_TRUE(strategy->send("alpha", new_order("ONCE")));
  const auto dup = wait_er("alpha", "ONCE", "8");
  ASSERT_TRUE(dup);
  EXPECT_EQ(field(*dup, 103), "6");
  EXPECT_EQ(field(*dup, 58), "DUPLICATE_CLORDID ONCE already used today client=alpha");
  // Another session may use the same ID.
  ASSERT_TRUE(strategy->send("beta", new_order("ONCE")));
  ASSERT_TRUE(wait_er("beta", "ONCE", "0"));

  gateway->kill();
  ASSERT_TRUE(eventually([&] { return !strategy->logged_on("alpha"); }, kWait));
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  ASSERT_TRUE(strategy->send("alpha", replace("ONCE", "ONCE", "5", "1")));
  const auto after = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "9"; }, kWait);
  ASSERT_TRUE(after) << "reuse after the restart was not refused";
  EXPECT_EQ(field(*after, 102), "6");
  EXPECT_EQ(venue->received("D").size(), 2u);
  EXPECT_TRUE(venue->received("G").empty());
}

TEST_F(ProxyTest, APossResendOfAForwardedOrderIsNotForwardedAgain) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", kUnique), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("PR1")));
  ASSERT_TRUE(wait_er("alpha", "PR1", "0"));
  FIX::Message again = new_order("PR1");
  again.getHeader().setField(FIX::PossResend(true));
  ASSERT_TRUE(strategy->send("alpha", again));
  ASSERT_TRUE(log.wait_for("possible resend of D ClOrdID=PR1 already seen today: not forwarded again", kWait));
  ASSERT_TRUE(strategy->send("alpha", new_order("PR2")));
  ASSERT_TRUE(wait_er("alpha", "PR2", "0"));
  EXPECT_EQ(venue->received("D").size(), 2u);
  // Messages arrive in order: a reject for the resend would precede PR2's ack.
  for (const auto& m : received("alpha"))
    EXPECT_FALSE(field(m, 11) == "PR1" && field(m, 150) == "8") << "a resend must not be answered with a reject";
}

TEST_F(ProxyTest, APossResendOfARejectedOrderGetsTheSameRejectAgainAndNeverReachesTheVenue) {
  // A strategy that never had the reject (fixguard stopped after recording
  // it and before the reply left) sends the order again as a possible
  // resend: it is told again, and the order still never leaves.
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "",
                        "risk: { unique_clordid: true, limits: { global: { max_order_qty: 1000 } } }\n"),
        fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("BIG", "1500")));
  const auto first = wait_er("alpha", "BIG", "8");
  ASSERT_TRUE(first);
  FIX::Message again = new_order("BIG", "1500");
  again.getHeader().setField(FIX::PossResend(true));
  ASSERT_TRUE(strategy->send("alpha", again));
  ASSERT_TRUE(log.wait_for("possible resend of D ClOrdID=BIG rejected before: rejected again", kWait));
  ASSERT_TRUE(eventually(
      [&] {
        int rejects = 0;
        for (const auto& m : received("alpha")) rejects += field(m, 11) == "BIG" && field(m, 150) == "8";
        return rejects == 2;
      },
      kWait))
      << "the resend got no reject";
  std::vector<std::string> rejects;
  for (const auto& m : received("alpha"))
    if (field(m, 11) == "BIG" && field(m, 150) == "8") rejects.push_back(m);
  ASSERT_EQ(rejects.size(), 2u);
  for (int tag : {39, 103, 58}) EXPECT_EQ(field(rejects[1], tag), field(*first, tag)) << "tag " << tag;
  // The second says it may repeat what was sent before; the first does not.
  EXPECT_EQ(field(rejects[1], 97), "Y");
  EXPECT_EQ(field(rejects[0], 97), "");
  EXPECT_EQ(field(rejects[1], 58).rfind("MAX_ORDER_QTY 1500 > 1000", 0), 0u) << field(rejects[1], 58);
  // A resend of an order that was forwarded is still dropped, with no reply.
  ASSERT_TRUE(strategy->send("alpha", new_order("SMALL", "10")));
  ASSERT_TRUE(wait_er("alpha", "SMALL", "0"));
  FIX::Message small = new_order("SMALL", "10");
  small.getHeader().setField(FIX::PossResend(true));
  ASSERT_TRUE(strategy->send("alpha", small));
  ASSERT_TRUE(log.wait_for("possible resend of D ClOrdID=SMALL already seen today: not forwarded again", kWait));
  const auto ds = venue->received("D");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_TRUE(field(ds[0], 11).ends_with("SMALL")) << field(ds[0], 11) << ": the big one never reached the venue";
}

}  // namespace
}  // namespace fixguard::testing

namespace fixguard::testing {
namespace {

TEST_F(ProxyTest, ObserveModeForwardsAReusedClOrdIDButStillDropsResends) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", "risk: { mode: observe, unique_clordid: true }\n"),
        fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("OB1")));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  ASSERT_TRUE(strategy->send("alpha", new_order("OB1")));
  ASSERT_TRUE(venue->wait_received("D", 2, kWait));
  EXPECT_TRUE(log.wait_for("observe mode, would reject D ClOrdID=OB1: DUPLICATE_CLORDID OB1", kWait));
  FIX::Message resend = new_order("OB1");
  resend.getHeader().setField(FIX::PossResend(true));
  ASSERT_TRUE(strategy->send("alpha", resend));
  ASSERT_TRUE(log.wait_for("possible resend of D ClOrdID=OB1", kWait));
  EXPECT_EQ(venue->received("D").size(), 2u);
}

}  // namespace
}  // namespace fixguard::testing
