#include "tests/support/proxy_fixture.h"

#include "fix/forwarding.h"
#include "fix/raw_fields.h"

namespace fixguard::testing {

void ProxyTest::start(const std::string& yaml, proxy::SimulatorOptions sim) {
  cfg = make_config(yaml, dir.path());
  start_config(sim);
}

void ProxyTest::start_file(const std::string& path, proxy::SimulatorOptions sim) {
  cfg = config::Config::from_file(path, specs_dir());
  start_config(sim);
}

void ProxyTest::start_config(proxy::SimulatorOptions sim) {
  venue = std::make_unique<proxy::VenueSimulator>(cfg, sim);
  venue->start();
  gateway = std::make_unique<GatewayRunner>(cfg);
  ASSERT_TRUE(venue->wait_logged_on(kWait)) << "venue session did not log on";
}

void ProxyTest::connect(const std::vector<std::string>& clients) { connect(clients, proxy::StrategyPeer::Options{}); }

void ProxyTest::connect(const std::vector<std::string>& clients, proxy::StrategyPeer::Options o) {
  std::vector<config::ClientConfig> chosen;
  for (const auto& name : clients) chosen.push_back(*cfg.find_client(name));
  if (!o.port) o.port = listen_port;
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

FIX::Message with_raw_body(const std::string& type, const std::string& raw_body) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(type));
  fix::set_opaque(m, raw_body);
  return m;
}

}  // namespace fixguard::testing
