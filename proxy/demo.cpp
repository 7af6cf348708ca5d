#include "proxy/demo.h"

#include "fix/raw_fields.h"
#include "proxy/sample_orders.h"
#include "proxy/strategy_peer.h"

#include <algorithm>
#include <sstream>

namespace fixguard::proxy {
namespace {

constexpr int kWaitMs = 5000;

std::string get(const std::string& raw, int tag) { return std::string(fix::find_field(raw, tag).value_or("")); }

std::string describe(const std::string& raw) {
  const std::string type = get(raw, 35);
  std::ostringstream s;
  if (type == "8") {
    s << "ExecutionReport ClOrdID=" << get(raw, 11) << " ExecType=" << get(raw, 150) << " OrdStatus=" << get(raw, 39)
      << " CumQty=" << get(raw, 14) << " LeavesQty=" << get(raw, 151);
    if (!get(raw, 32).empty()) s << " LastQty=" << get(raw, 32) << " LastPx=" << get(raw, 31);
  } else if (type == "9") {
    s << "OrderCancelReject ClOrdID=" << get(raw, 11) << " CxlRejReason=" << get(raw, 102);
  } else if (type == "j") {
    s << "BusinessMessageReject RefMsgType=" << get(raw, 372) << " BusinessRejectReason=" << get(raw, 380);
  } else {
    s << "MsgType " << type;
  }
  if (!get(raw, 58).empty()) s << " Text=\"" << get(raw, 58) << "\"";
  return s.str();
}

}  // namespace

int run_demo(const config::Config& config, const std::vector<std::string>& names, const std::string& store_dir,
             std::ostream& out) {
  std::vector<config::ClientConfig> clients;
  for (const config::ClientConfig& c : config.clients)
    if (names.empty() || std::find(names.begin(), names.end(), c.name) != names.end()) clients.push_back(c);
  if (clients.size() != (names.empty() ? config.clients.size() : names.size())) {
    out << "unknown client in the list; the config has:";
    for (const auto& c : config.clients) out << " " << c.name;
    out << "\n";
    return 1;
  }
  StrategyPeer::Options options;
  options.store_dir = store_dir;
  const config::Endpoint& listen = config.listen.front();
  options.host = (listen.host == "::" || listen.host == "0.0.0.0") ? "127.0.0.1" : listen.host;
  options.port = listen.port;
  StrategyPeer peer(clients, options);
  peer.start();
  int failures = 0;
  for (const config::ClientConfig& c : clients) {
    out << "== strategy " << c.name << " (" << c.target_comp_id << " -> " << c.sender_comp_id << ", " << c.begin_string
        << ") via fixguard " << options.host << ":" << options.port << " to venue " << c.venue << "\n";
    if (!peer.wait_logged_on(c.name, kWaitMs)) {
      out << "   could not log on\n";
      ++failures;
      continue;
    }
    std::size_t seen = 0;
    auto step = [&](const std::string& what, FIX::Message m, std::size_t answers) {
      out << "-> " << what << "\n";
      peer.send(c.name, std::move(m));
      for (std::size_t i = 0; i < answers; ++i) {
        if (!peer.wait_count(c.name, seen + 1, kWaitMs)) {
          out << "   (no answer)\n";
          ++failures;
          return;
        }
        out << "<- " << describe(peer.received(c.name)[seen]) << "\n";
        ++seen;
      }
    };
    const std::string id = c.name + "-" + std::to_string(std::time(nullptr));
    step("NewOrderSingle " + id + "-1: buy 100 IBM @ 150.25", new_order(id + "-1", "100", "150.25"), 2);
    step("OrderCancelReplaceRequest " + id + "-2: qty 100 -> 200", replace_order(id + "-2", id + "-1", "200", "150.30"),
         1);
    step("OrderCancelRequest " + id + "-3", cancel_order(id + "-3", id + "-2", "200"), 1);
    FIX::Message news;
    news.getHeader().setField(FIX::MsgType("B"));
    news.setField(FIX::Text("not an order"));
    step("News (35=B), not an order message", news, 1);
  }
  peer.stop();
  out << (failures == 0 ? "demo finished: every step answered\n"
                        : "demo finished with " + std::to_string(failures) + " unanswered steps\n");
  return failures == 0 ? 0 : 1;
}

}  // namespace fixguard::proxy
