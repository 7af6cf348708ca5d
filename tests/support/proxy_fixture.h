// A whole deployment on loopback for end-to-end tests: the venue simulator
// (QuickFIX acceptor), fixguard (in-process, its own io thread, a real SQLite
// file) and strategies (QuickFIX initiators).
#pragma once

#include "proxy/sample_orders.h"
#include "proxy/strategy_peer.h"
#include "proxy/venue_simulator.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <memory>

namespace fixguard::testing {

constexpr int kWait = 5000;  // ms: a deadline for things that take milliseconds

class ProxyTest : public ::testing::Test {
 protected:
  // Starts the venue simulator and fixguard with `yaml` (see two_client_yaml),
  // and waits for the venue session to log on.
  void start(const std::string& yaml, proxy::SimulatorOptions sim = {});
  // The same from a config file (so that fixguard can reload it).
  void start_file(const std::string& path, proxy::SimulatorOptions sim = {});
  // Starts strategies for the named clients and waits for their logons.
  void connect(const std::vector<std::string>& clients);
  // The same with these strategy options (credentials, TLS...; the port is
  // fixguard's listener unless set).
  void connect(const std::vector<std::string>& clients, proxy::StrategyPeer::Options options);
  void stop_all();
  void start_config(proxy::SimulatorOptions sim);
  void TearDown() override { stop_all(); }

  // The messages the strategy of `client` received, as raw text.
  std::vector<std::string> received(const std::string& client) const { return strategy->received(client); }
  // Waits for a message to `client` with tag 11 == `clordid` and 150 == `exec_type`.
  std::optional<std::string> wait_er(const std::string& client, const std::string& clordid,
                                     const std::string& exec_type);

  TempDir dir;
  uint16_t listen_port = free_port();
  uint16_t venue_port = free_port();
  config::Config cfg;
  std::unique_ptr<proxy::VenueSimulator> venue;
  std::unique_ptr<GatewayRunner> gateway;
  std::unique_ptr<proxy::StrategyPeer> strategy;
};

// Simulator options with only the fill behaviour set.
inline proxy::SimulatorOptions fills(proxy::SimulatorOptions::Fill f) {
  proxy::SimulatorOptions o;
  o.fill = f;
  return o;
}

// Test messages, built as a strategy would.
using proxy::execution_report;
using proxy::new_order;
using proxy::status_request;
inline FIX::Message cancel(const std::string& id, const std::string& orig, const std::string& qty = "100") {
  return proxy::cancel_order(id, orig, qty);
}
inline FIX::Message replace(const std::string& id, const std::string& orig, const std::string& qty,
                            const std::string& price) {
  return proxy::replace_order(id, orig, qty, price);
}
// A message of `type` whose whole body is `raw_body` ("tag=value\x01"...),
// sent exactly in that order.
FIX::Message with_raw_body(const std::string& type, const std::string& raw_body);

std::string field(const std::string& raw, int tag);

}  // namespace fixguard::testing
