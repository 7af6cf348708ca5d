#include "tests/support/proxy_fixture.h"

#include "fix/forwarding.h"
#include "fix/raw_fields.h"

namespace fixguard::testing {

void ProxyTest::start(const std::string& yaml, proxy::SimulatorOptions sim) {
  cfg = make_config(yaml, dir.path());
  venue = std::make_unique<proxy::VenueSimulator>(cfg, sim);
  venue->start();
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(venue->wait_logged_on(kWait)) << "venue session did not log on";
}

void ProxyTest::connect(const std::vector<std::string>& clients) {
  std::vector<config::ClientConfig> chosen;
  for (const auto& name : clients) chosen.push_back(*cfg.find_client(name));
  proxy::StrategyPeer::Options o;
  o.port = listen_port;
  strategy = std::make_unique<proxy::StrategyPeer>(chosen, o);
  strategy->start();
  for (const auto& name : clients) ASSERT_TRUE(strategy->wait_logged_on(name, kWait)) << name << " did not log on";
}

void ProxyTest::stop_all() {
  if (strategy) strategy->stop(false);
  if (gateway) gateway->stop();
  if (venue) venue->stop();
  strategy.reset();
  gateway.reset();
  venue.reset();
}

std::optional<std::string> ProxyTest::wait_er(const std::string& client, const std::string& clordid,
                                              const std::string& exec_type) {
  return strategy->wait_for(
      client,
      [&](const std::string& m) {
        return field(m, 35) == "8" && field(m, 11) == clordid && field(m, 150) == exec_type;
      },
      kWait);
}

std::string field(const std::string& raw, int tag) { return std::string(fix::find_field(raw, tag).value_or("")); }

FIX::Message new_order(const std::string& clordid, const std::string& qty, const std::string& price,
                       const std::string& symbol) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType("D"));
  m.setField(FIX::ClOrdID(clordid));
  m.setField(FIX::FieldBase(21, "1"));
  m.setField(FIX::Symbol(symbol));
  m.setField(FIX::Side(FIX::Side_BUY));
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  m.setField(FIX::FieldBase(38, qty));
  m.setField(FIX::OrdType(FIX::OrdType_LIMIT));
  m.setField(FIX::FieldBase(44, price));
  return m;
}

FIX::Message cancel(const std::string& clordid, const std::string& orig, const std::string& qty) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType("F"));
  m.setField(FIX::OrigClOrdID(orig));
  m.setField(FIX::ClOrdID(clordid));
  m.setField(FIX::Symbol("IBM"));
  m.setField(FIX::Side(FIX::Side_BUY));
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  m.setField(FIX::FieldBase(38, qty));
  return m;
}

FIX::Message replace(const std::string& clordid, const std::string& orig, const std::string& qty,
                     const std::string& price) {
  FIX::Message m = new_order(clordid, qty, price);
  m.getHeader().setField(FIX::MsgType("G"));
  m.setField(FIX::OrigClOrdID(orig));
  return m;
}

FIX::Message status_request(const std::string& clordid) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType("H"));
  m.setField(FIX::ClOrdID(clordid));
  m.setField(FIX::Symbol("IBM"));
  m.setField(FIX::Side(FIX::Side_BUY));
  return m;
}

FIX::Message with_raw_body(const std::string& type, const std::string& raw_body) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(type));
  fix::set_opaque(m, raw_body);
  return m;
}

}  // namespace fixguard::testing
