// What the venue says about an order reaches the strategy that owns it: the
// simulator's fills and rejects, BusinessMessageRejects, and session-level
// Rejects of a forwarded message.
#include "tests/support/proxy_fixture.h"

namespace fixguard::testing {
namespace {

const FIX::SessionID kVenueSide("FIX.4.4", "VENUE", "FIXGUARD");

TEST_F(ProxyTest, SimulatorFillsAtAConfiguredPrice) {
  proxy::SimulatorOptions o = fills(proxy::SimulatorOptions::Fill::full);
  o.fill_price = risk::Price::parse("99.125");
  start(two_client_yaml(listen_port, venue_port), o);
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("FP1", "40", "101")));
  const auto fill = wait_er("alpha", "FP1", "F");
  ASSERT_TRUE(fill);
  EXPECT_EQ(field(*fill, 31), "99.125");
  EXPECT_EQ(field(*fill, 32), "40");
  EXPECT_EQ(field(*fill, 39), "2");
}

TEST_F(ProxyTest, ASimulatorThatKeepsNoRecordStillTrades) {
  // As `fixguard venue` runs it: nothing kept per message.
  proxy::SimulatorOptions o = fills(proxy::SimulatorOptions::Fill::full);
  o.record = false;
  start(two_client_yaml(listen_port, venue_port), o);
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("NR1", "40", "101")));
  ASSERT_TRUE(wait_er("alpha", "NR1", "F"));
  EXPECT_TRUE(venue->received().empty());
  EXPECT_TRUE(venue->sent().empty());
  EXPECT_TRUE(venue->logons_received().empty());
}

TEST_F(ProxyTest, VenueRejectsReachTheStrategy) {
  proxy::SimulatorOptions o;
  o.reject_percent = 100;
  start(two_client_yaml(listen_port, venue_port), o);
  connect({"alpha"});
  ASSERT_TRUE(strategy->send("alpha", new_order("VR1")));
  const auto rejected = wait_er("alpha", "VR1", "8");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(field(*rejected, 58), "simulated venue reject");
}

TEST_F(ProxyTest, ABusinessMessageRejectGoesToTheOwnerOfTheMessageItRefersTo) {
  start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha", "beta"});
  ASSERT_TRUE(strategy->send("beta", new_order("BM1")));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  const std::string forwarded_seq = field(venue->received("D").at(0), 34);
  FIX::Message j;
  j.getHeader().setField(FIX::MsgType("j"));
  j.setField(FIX::RefSeqNum(std::stoi(forwarded_seq)));
  j.setField(FIX::RefMsgType("D"));
  j.setField(FIX::BusinessRejectReason(0));
  j.setField(FIX::Text("desk closed"));
  ASSERT_TRUE(FIX::Session::sendToTarget(j, kVenueSide));
  const auto got = strategy->wait_for(
      "beta", [](const std::string& m) { return field(m, 35) == "j"; }, kWait);
  ASSERT_TRUE(got);
  EXPECT_EQ(field(*got, 58), "desk closed");
  EXPECT_TRUE(strategy->wait_for(
                  "alpha", [](const std::string& m) { return field(m, 35) == "j"; }, 300) == std::nullopt);

  // One that names the order by BusinessRejectRefID: routed by it, and the
  // strategy sees its own ClOrdID there.
  FIX::Message by_id;
  by_id.getHeader().setField(FIX::MsgType("j"));
  by_id.setField(FIX::RefMsgType("D"));
  by_id.setField(FIX::BusinessRejectRefID("beta-BM1"));
  by_id.setField(FIX::BusinessRejectReason(0));
  by_id.setField(FIX::Text("by id"));
  ASSERT_TRUE(FIX::Session::sendToTarget(by_id, kVenueSide));
  const auto second = strategy->wait_for(
      "beta", [](const std::string& m) { return field(m, 35) == "j" && field(m, 58) == "by id"; }, kWait);
  ASSERT_TRUE(second);
  EXPECT_EQ(field(*second, 379), "BM1");
}

TEST_F(ProxyTest, AVenueSessionRejectOfAnOrderBecomesAnOrderRejectForItsOwner) {
  // fixguard lets an unknown field through for alpha; the venue does not.
  start(two_client_yaml(listen_port, venue_port, "FIX.4.4", "    allow_unknown_fields: true\n"));
  connect({"alpha"});
  FIX::Message order = new_order("SR1");
  order.setField(FIX::FieldBase(4999, "odd"));
  ASSERT_TRUE(strategy->send("alpha", order));
  const auto rejected = wait_er("alpha", "SR1", "8");
  ASSERT_TRUE(rejected) << "the venue's session-level Reject never reached alpha";
  EXPECT_NE(field(*rejected, 58).find("venue sim rejected the message"), std::string::npos) << field(*rejected, 58);
  EXPECT_EQ(field(*rejected, 11), "SR1");
}

TEST_F(ProxyTest, TheVenueSimulatorForgetsItsOldestDoneOrdersBeyondItsBound) {
  proxy::SimulatorOptions sim = fills(proxy::SimulatorOptions::Fill::full);
  sim.done_kept = 2;
  start(two_client_yaml(listen_port, venue_port), sim);
  connect({"alpha"});
  for (const std::string id : {"K1", "K2", "K3"}) {
    ASSERT_TRUE(strategy->send("alpha", new_order(id)));
    ASSERT_TRUE(wait_er("alpha", id, "F")) << id;
  }
  // K1 is past the two kept: unknown; K3 is known, and filled.
  for (const std::string id : {"K1", "K3"}) ASSERT_TRUE(strategy->send("alpha", proxy::status_request(id)));
  const auto status = [&](const std::string& id) {
    return strategy->wait_for(
        "alpha", [&](const std::string& m) { return field(m, 11) == id && field(m, 150) == "I"; }, kWait);
  };
  const auto k1 = status("K1"), k3 = status("K3");
  ASSERT_TRUE(k1 && k3);
  EXPECT_EQ(field(*k1, 39), "8");
  EXPECT_EQ(field(*k1, 58), "unknown order");
  EXPECT_EQ(field(*k3, 39), "2");
}

// fixguard's venue session forgets the venue's messages from `seq` on: the
// venue's next message makes it ask for them again (a session-level resend).
void rewind_venue_session(GatewayRunner& gateway, int seq) {
  gateway.call([&](proxy::Gateway&) {
    FIX::Session::lookupSession(FIX::SessionID("FIX.4.4", "FIXGUARD", "VENUE"))->setNextTargetMsgSeqNum(seq);
    return 0;
  });
}

TEST(RecentMemoryStore, KeepsTheLastMessagesSentAndForgetsOlderOnes) {
  proxy::RecentMemoryStore store(2);
  for (int seq = 1; seq <= 5; ++seq) ASSERT_TRUE(store.set(seq, "m" + std::to_string(seq)));
  std::vector<std::string> got{"stale"};
  store.get(1, 5, got);
  EXPECT_EQ(got, (std::vector<std::string>{"m4", "m5"}));
  store.get(5, 9, got);
  EXPECT_EQ(got, std::vector<std::string>{"m5"});
  store.setNextSenderMsgSeqNum(6);
  store.reset();
  store.get(1, 9, got);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(store.getNextSenderMsgSeqNum(), 1);
}

// A resend asked of the simulator beyond the messages it keeps: the older
// ones are gap-filled, the kept ones sent again, and the session trades on.
TEST_F(ProxyTest, TheVenueSimulatorGapFillsAResendOfMessagesPastItsBound) {
  proxy::SimulatorOptions sim = fills(proxy::SimulatorOptions::Fill::full);
  sim.messages_kept = 3;
  start(two_client_yaml(listen_port, venue_port), sim);
  connect({"alpha"});
  FIX::Session* venue_side = FIX::Session::lookupSession(kVenueSide);
  ASSERT_NE(venue_side, nullptr);
  const int first = venue_side->getExpectedSenderNum();
  for (const std::string id : {"G1", "G2", "G3"}) {
    ASSERT_TRUE(strategy->send("alpha", new_order(id)));
    ASSERT_TRUE(wait_er("alpha", id, "F")) << id;
  }
  // fixguard's venue session forgets it had G1's reports on: the venue's
  // next message (its one answer to a status request) makes it ask for
  // them again. The simulator keeps that answer and G3's two reports.
  rewind_venue_session(*gateway, first);
  ASSERT_TRUE(strategy->send("alpha", proxy::status_request("G3")));
  const auto copies = [&](const std::string& id) {
    std::string flags;  // PossResend (97) of each report on `id`, "-" if unset
    for (const std::string& m : received("alpha"))
      if (field(m, 35) == "8" && field(m, 11) == id && field(m, 150) != "I")
        flags += field(m, 97).empty() ? "-" : field(m, 97);
    return flags;
  };
  ASSERT_TRUE(eventually([&] { return copies("G3") == "--YY"; }, kWait)) << copies("G3");
  EXPECT_EQ(copies("G1"), "--") << "G1's reports were past the bound: gap-filled";
  EXPECT_EQ(copies("G2"), "--");
  ASSERT_TRUE(strategy->send("alpha", new_order("G4")));
  EXPECT_TRUE(wait_er("alpha", "G4", "F"));
}

TEST_F(ProxyTest, AResentFillIsNotAppliedTwiceAReusedExecIdIsAppliedAndABustTakesItsFillBack) {
  LogCapture log;
  start(two_client_yaml(listen_port, venue_port), fills(proxy::SimulatorOptions::Fill::none));
  connect({"alpha"});
  FIX::Message order = new_order("RX1", "100", "101");
  order.setField(FIX::Account("ACC1"));
  ASSERT_TRUE(strategy->send("alpha", order));
  ASSERT_TRUE(wait_er("alpha", "RX1", "0"));
  const auto fill = [&](const std::string& cum, bool poss_resend, const std::string& exec_id = "X-7",
                        const std::string& qty = "10") {
    FIX::Message er = execution_report("alpha-RX1", 'F', '1', exec_id);
    er.setField(FIX::Account("ACC1"));
    er.setField(FIX::FieldBase(32, qty));
    er.setField(FIX::FieldBase(31, "101"));
    er.setField(FIX::FieldBase(14, cum));
    er.setField(FIX::FieldBase(151, "50"));
    if (poss_resend) er.getHeader().setField(FIX::PossResend(true));
    return FIX::Session::sendToTarget(er, kVenueSide);
  };
  const auto position = [&] {
    return gateway->call([](proxy::Gateway& g) {
      const risk::PositionState* p = g.engine().portfolio().position("ACC1", "IBM");
      return p ? p->qty.to_string() : std::string("none");
    });
  };
  const auto metric = [&](const std::string& name) {
    const std::string text = gateway->call([](proxy::Gateway& g) { return g.router().metrics().render(); });
    const std::size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? std::string("absent")
                                   : text.substr(at + name.size() + 2, text.find('\n', at + 1) - at - name.size() - 2);
  };
  const auto reports = [&](const std::string& exec_id = "X-7") {
    const auto all = received("alpha");
    return std::count_if(all.begin(), all.end(), [&](const std::string& m) { return field(m, 17) == exec_id; });
  };
  const auto bust = [&](const std::string& exec_id, const std::string& ref) {
    FIX::Message er = execution_report("alpha-RX1", 'H', '1', exec_id);
    er.setField(FIX::Account("ACC1"));
    er.setField(FIX::ExecRefID(ref));
    er.setField(FIX::FieldBase(32, "10"));
    er.setField(FIX::FieldBase(31, "101"));
    return FIX::Session::sendToTarget(er, kVenueSide) && eventually([&] { return reports(exec_id) == 1; }, kWait);
  };

  FIX::Session* sim = FIX::Session::lookupSession(kVenueSide);
  ASSERT_NE(sim, nullptr);
  const int fill_seq = sim->getExpectedSenderNum();
  ASSERT_TRUE(fill("10", false));
  ASSERT_TRUE(eventually([&] { return reports() == 1; }, kWait));
  EXPECT_EQ(position(), "10");

  // fixguard's venue session forgets it had the fill's sequence number, so
  // the venue's next message makes it ask for a resend: the fill comes again
  // with PossDupFlag (a session-level resend). The next message is the fill
  // once more as an application-level resend (PossResend). Both forwarded
  // (the strategy decides what it makes of them), neither applied again.
  // PossDupFlag is the venue leg's: the strategy gets PossResend instead, so
  // that it too can tell it may have had the report.
  rewind_venue_session(*gateway, fill_seq);
  ASSERT_TRUE(fill("10", true));
  ASSERT_TRUE(eventually([&] { return reports() == 3; }, kWait)) << reports();
  EXPECT_EQ(position(), "10");
  EXPECT_EQ(metric("fixguard_execution_reports_resent_total"), "2");
  EXPECT_EQ(metric("fixguard_exec_ids_reused_total"), "0");
  std::vector<std::string> copies;
  for (const std::string& m : received("alpha"))
    if (field(m, 17) == "X-7") copies.push_back(field(m, 97) + field(m, 43));
  EXPECT_EQ(copies, (std::vector<std::string>{"", "Y", "Y"})) << "PossResend (97) of each copy the strategy got";

  // The same ExecID without a resend's flag: a venue reusing it. Its fill is
  // a fill fixguard has not seen, so it counts, and fixguard says so.
  ASSERT_TRUE(fill("20", false));
  ASSERT_TRUE(eventually([&] { return reports() == 4; }, kWait));
  EXPECT_EQ(position(), "20");
  EXPECT_EQ(metric("fixguard_exec_ids_reused_total"), "1");
  EXPECT_TRUE(log.wait_for("ExecID=X-7 used before by this venue without PossDup or PossResend", kWait));

  // The venue busts X-7 (ExecType H, ExecRefID X-7): forwarded, and not
  // applied: X-7 names two fills, and which one is meant is not known.
  ASSERT_TRUE(bust("X-8", "X-7"));
  EXPECT_EQ(position(), "20");
  EXPECT_EQ(metric("fixguard_trade_corrections_unapplied_total"), "1");
  EXPECT_EQ(metric("fixguard_trade_corrections_total"), "0");
  EXPECT_TRUE(log.wait_for("ExecID=X-8 cancels the fill ExecRefID=X-7 of ClOrdID=RX1 of alpha: NOT applied", kWait));

  // A bust of a fill named once takes it back from the position.
  ASSERT_TRUE(fill("25", false, "X-9", "5"));
  ASSERT_TRUE(eventually([&] { return reports("X-9") == 1; }, kWait));
  EXPECT_EQ(position(), "25");
  ASSERT_TRUE(bust("X-10", "X-9"));
  EXPECT_EQ(position(), "20");
  EXPECT_EQ(metric("fixguard_trade_corrections_total"), "1");
  EXPECT_TRUE(log.wait_for("ExecID=X-10 cancels the fill ExecRefID=X-9 of ClOrdID=RX1 of alpha: taken back", kWait));

  // A restart rebuilds the same position from the journal, busts included.
  gateway->kill();
  ASSERT_TRUE(eventually([&] { return !strategy->logged_on("alpha") && !venue->logged_on(); }, kWait));
  gateway = std::make_unique<GatewayRunner>(cfg);
  EXPECT_EQ(position(), "20");
  EXPECT_TRUE(log.wait_for("trade cancels and corrections in the journal: 1 applied, 1 not applied", kWait));
}

}  // namespace
}  // namespace fixguard::testing
