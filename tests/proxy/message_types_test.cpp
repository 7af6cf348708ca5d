// Application messages other than order entry, and venue messages that match
// no order.
#include "persistence/unrouted_messages.h"
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

std::vector<persistence::UnroutedMessage> unrouted(const std::string& db_path) {
  persistence::Database db(db_path);
  return persistence::UnroutedMessages(db).all();
}

TEST_F(ProxyTest, OtherApplicationMessagesGetABusinessMessageReject) {
  start(two_client_yaml(listen_port, venue_port));
  connect({"alpha"});
  FIX::Message ioi;
  ioi.getHeader().setField(FIX::MsgType("6"));
  ioi.setField(FIX::Text("indication"));
  ASSERT_TRUE(strategy->send("alpha", ioi));
  const auto bmr = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "j"; }, kWait);
  ASSERT_TRUE(bmr);
  EXPECT_EQ(field(*bmr, 380), "3");
  EXPECT_EQ(field(*bmr, 372), "6");
  EXPECT_TRUE(venue->received().empty());
}

TEST_F(ProxyTest, PassThroughTypesAreForwarded) {
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "    pass_through: [\"6\"]\n"));
  connect({"alpha"});
  FIX::Message ioi;
  ioi.getHeader().setField(FIX::MsgType("6"));
  ioi.setField(FIX::Text("indication"));
  ASSERT_TRUE(strategy->send("alpha", ioi));
  ASSERT_TRUE(venue->wait_received("6", 1, kWait));
  EXPECT_EQ(field(venue->received("6").at(0), 58), "indication");
}

TEST_F(ProxyTest, AVenueMessageMatchingNoOrderIsLoggedAndKept) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port));
  connect({"alpha", "beta"});
  FIX::Message er = execution_report("gamma-1", '0', '0', "E9");
  ASSERT_TRUE(FIX::Session::sendToTarget(er, FIX::SessionID("FIX.4.4", "VENUE", "FIXGUARD")));
  ASSERT_TRUE(log.wait_for("unrouted message kept", kWait));
  gateway->stop();
  const auto kept = unrouted(cfg.database);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].session, "sim");
  EXPECT_EQ(field(kept[0].message, 11), "gamma-1");
  EXPECT_NE(kept[0].reason.find("gamma-1"), std::string::npos);
  EXPECT_TRUE(received("alpha").empty());
  EXPECT_TRUE(received("beta").empty());
}

TEST_F(ProxyTest, AFillMatchingNoOrderMovesItsPositionLiveAndAfterARestart) {
  start(two_client_yaml(listen_port, venue_port));
  connect({"alpha"});
  // A fill of an order no client owns (sent around fixguard, or by a client
  // no longer configured): its Account and Symbol still say whose it is.
  FIX::Message er = execution_report("gamma-1", 'F', '2', "E9");
  er.setField(FIX::Account("ACC9"));
  er.setField(FIX::FieldBase(32, "5"));
  er.setField(FIX::FieldBase(31, "100"));
  ASSERT_TRUE(FIX::Session::sendToTarget(er, FIX::SessionID("FIX.4.4", "VENUE", "FIXGUARD")));
  const auto position = [&] {
    return gateway->call([](proxy::Gateway& g) {
      const risk::PositionState* p = g.engine().portfolio().position("ACC9", "IBM");
      return p ? p->qty.to_string() : std::string("none");
    });
  };
  ASSERT_TRUE(eventually([&] { return position() == "5"; }, kWait)) << position();
  gateway->kill();
  ASSERT_TRUE(eventually([&] { return !venue->logged_on(); }, kWait));
  gateway = std::make_unique<GatewayRunner>(cfg);
  EXPECT_EQ(position(), "5") << "the restart lost the fill";
}

TEST_F(ProxyTest, ReportsForAnOfflineStrategyAreDeliveredWhenItReturns) {
  start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("Q1")));
  ASSERT_TRUE(wait_er("alpha", "Q1", "0"));
  strategy->stop();
  ASSERT_TRUE(eventually([&] { return !strategy->logged_on("alpha"); }, kWait));
  // The venue cancels the order while alpha is away.
  FIX::Message er = execution_report("alpha-Q1", '4', '4', "SIM-E-late");
  ASSERT_TRUE(FIX::Session::sendToTarget(er, FIX::SessionID("FIX.4.4", "VENUE", "FIXGUARD")));
  ASSERT_TRUE(eventually([&] { return venue->sent().size() >= 2; }, kWait));
  strategy->start();
  ASSERT_TRUE(strategy->wait_logged_on("alpha", 10000));
  const auto late = wait_er("alpha", "Q1", "4");
  ASSERT_TRUE(late) << "the report sent while alpha was offline never arrived";
  EXPECT_EQ(field(*late, 17), "SIM-E-late");
}

}  // namespace
}  // namespace fixguard::testing
