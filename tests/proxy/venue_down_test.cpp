// While the venue session is down, orders are rejected at once with a Text
// that says so; nothing is queued. When it comes back, orders flow again.
#include "persistence/journal.h"
#include "tests/support/proxy_fixture.h"

#include <chrono>
#include <future>
#include <thread>

namespace fixguard::testing {
namespace {

using namespace std::chrono_literals;

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

TEST_F(ProxyTest, AnOrderAcceptedAsTheVenueIsLostIsRefusedAndNeverLeavesLater) {
  // The order passes its checks with the venue logged on; before its
  // batch's end, where accepted orders leave, a read of the venue's socket
  // finds it closed. fixguard's io thread is held while the order arrives
  // and the venue drops, so that one turn of it reads both, the order first.
  // QuickFIX keeps what is sent on a session not logged on, for a resend
  // after the next logon: the order would leave late, PossDup, with the
  // strategy told nothing meanwhile.
  proxy::SimulatorOptions sim;
  sim.store_dir = dir.file("venue-store");  // its sequence numbers outlive it
  // With ClOrdIDs kept, a resend of an order is told from a new one.
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "", "risk: { unique_clordid: true }\n"), sim);
  connect({"alpha"});
  std::promise<void> held;
  std::promise<void> go;
  std::future<void> holding = std::async(std::launch::async, [&] {
    gateway->call([&](proxy::Gateway&) {
      held.set_value();
      go.get_future().wait();
      return 0;
    });
  });
  struct Release {
    std::promise<void>& go;
    ~Release() { go.set_value(); }
  };
  {
    const Release release{go};  // also if an assertion returns early
    held.get_future().wait();
    ASSERT_TRUE(strategy->send("alpha", status_request("L1")));  // not an order: no "unsent" entry
    ASSERT_TRUE(strategy->send("alpha", new_order("L1")));
    std::this_thread::sleep_for(200ms);  // in fixguard's socket
    venue->kill();
    std::this_thread::sleep_for(200ms);  // the close too
  }
  holding.get();

  const std::string why =
      "venue sim was lost before the message left" + std::string(proxy::Router::kRefusedAfterChecks);
  const auto refused = wait_er("alpha", "L1", "8");
  ASSERT_TRUE(refused) << "the strategy was not told";
  EXPECT_EQ(field(*refused, 58), why);
  const auto bmr = strategy->wait_for(
      "alpha", [](const std::string& m) { return field(m, 35) == "j"; }, kWait);
  ASSERT_TRUE(bmr);
  EXPECT_EQ(field(*bmr, 372), "H");
  EXPECT_EQ(field(*bmr, 58), why);

  venue.reset();  // its sessions unregistered before the new one's
  venue = std::make_unique<proxy::VenueSimulator>(cfg, sim);
  venue->start();
  ASSERT_TRUE(venue->wait_logged_on(kWait)) << "fixguard did not reconnect to the venue";
  // The strategy's resend gets the same reject again, unchecked, and unsent.
  FIX::Message again = new_order("L1");
  again.getHeader().setField(FIX::PossResend(true));
  ASSERT_TRUE(strategy->send("alpha", again));
  const auto rejects = [&] {
    std::vector<std::string> r;
    for (const std::string& m : received("alpha"))
      if (field(m, 11) == "L1" && field(m, 150) == "8") r.push_back(field(m, 58) + " PossResend=" + field(m, 97));
    return r;
  };
  ASSERT_TRUE(eventually([&] { return rejects().size() == 2; }, kWait));
  EXPECT_EQ(rejects(), (std::vector<std::string>{why + " PossResend=", why + " PossResend=Y"}));
  ASSERT_TRUE(strategy->send("alpha", new_order("L2")));
  ASSERT_TRUE(wait_er("alpha", "L2", "0"));
  // After the logon's resend, if any, and L2: L1 never reached the venue.
  const std::vector<std::string> orders = venue->received("D");
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(field(orders[0], 11), "alpha-L2");  // the client's prefix
  stop_all();

  // The journal says so: L1 accepted, then unsent and refused; its resend
  // refused again; L2 accepted. A replay takes the same decisions.
  std::vector<std::string> unsent;
  persistence::JournalReader(dir.file("fixguard-journal.db")).each([&](const persistence::JournalEntry& e) {
    if (e.outcome == "unsent") unsent.push_back(e.msg_type + " " + e.cl_ord_id);
  });
  EXPECT_EQ(unsent, std::vector<std::string>{"D L1"});
  const CommandResult r = run_fixguard("replay " + dir.file("fixguard-journal.db"));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("3 orders compared with their recorded decisions, 0 mismatches"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace fixguard::testing
