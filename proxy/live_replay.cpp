#include "proxy/live_replay.h"

#include "fix/forwarding.h"
#include "fix/raw_fields.h"
#include "proxy/fix_log_reader.h"
#include "proxy/strategy_peer.h"

#include <chrono>
#include <map>
#include <set>
#include <stdexcept>
#include <thread>

namespace fixguard::proxy {
namespace {

std::string field(std::string_view m, int tag) { return std::string(fix::find_field(m, tag).value_or("")); }

// A rule id leads fixguard's reject texts ("MAX_ORDER_QTY 150 > 100 ...").
std::string rule_in(const std::string& text) {
  const std::string word = text.substr(0, text.find(' '));
  if (word.empty()) return "";
  for (char c : word)
    if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return "";
  return word;
}

}  // namespace

int64_t run_live_replay(const config::Config& config, const ReplayRequest& request, const LiveTarget& target,
                        std::ostream& out, std::ostream& err) {
  // The orders, in recorded order, with their times and sessions.
  struct Recorded {
    int64_t at_ns;
    const config::ClientConfig* client;
    std::string message;
  };
  std::vector<Recorded> orders;
  int64_t skipped_lines = 0, unknown_sessions = 0;
  for (const std::string& path : request.logs) {
    FixLogReader reader(path);
    LoggedMessage m;
    while (reader.next(m)) {
      const std::string type = field(m.text, 35);
      if (type != "D" && type != "G" && type != "F") continue;
      const std::string strategy = field(m.text, 49), gateway = field(m.text, 56);
      const config::ClientConfig* client = nullptr;
      for (const config::ClientConfig& c : config.clients)
        if (c.target_comp_id == strategy && c.sender_comp_id == gateway) client = &c;
      if (!client) {
        ++unknown_sessions;
        continue;
      }
      const auto t = parse_fix_time(field(m.text, request.clock == ReplayRequest::Clock::transact ? 60 : 52));
      orders.push_back({t.value_or(m.logged_ns().value_or(0)), client, std::string(m.text)});
    }
    skipped_lines += reader.skipped_lines();
  }
  std::stable_sort(orders.begin(), orders.end(),
                   [](const Recorded& a, const Recorded& b) { return a.at_ns < b.at_ns; });
  if (unknown_sessions)
    err << "replay: " << unknown_sessions << " orders of sessions the config has no client for were not sent\n";
  if (orders.empty()) throw std::runtime_error("no orders of the config's client sessions in the logs");

  std::vector<config::ClientConfig> clients;
  std::set<std::string> names;
  for (const Recorded& r : orders)
    if (names.insert(r.client->name).second) clients.push_back(*r.client);
  StrategyPeer::Options o;
  o.host = target.host;
  o.port = target.port;
  StrategyPeer peer(clients, o);
  peer.start();
  for (const config::ClientConfig& c : clients)
    if (!peer.wait_logged_on(c.name, 10000))
      throw std::runtime_error("session " + c.name + " did not log on to " + target.host + ":" +
                               std::to_string(target.port));

  // Sent at the recorded pace (divided by the speed).
  std::vector<ReplayedOrder> sent;
  const auto started = std::chrono::steady_clock::now();
  const int64_t first_at = orders.front().at_ns;
  for (const Recorded& r : orders) {
    if (target.speed > 0) {
      const auto due = started + std::chrono::nanoseconds(
                                     static_cast<int64_t>(static_cast<double>(r.at_ns - first_at) / target.speed));
      std::this_thread::sleep_until(due);
    }
    const auto parts = fix::split(r.message);
    if (!parts) continue;
    ReplayedOrder& o = sent.emplace_back();
    o.at_ns = r.at_ns;
    o.client = r.client->name;
    o.msg_type = std::string(parts->msg_type);
    o.cl_ord_id = field(r.message, 11);
    o.account = field(r.message, 1);
    o.symbol = field(r.message, 55);
    o.side = field(r.message, 54);
    o.quantity = field(r.message, 38);
    o.price = field(r.message, 44);
    if (!peer.send(r.client->name, fix::make_forward(*parts, parts->body)))
      throw std::runtime_error("session " + r.client->name + " is no longer logged on");
  }

  // What came back for each: the first report or reject naming its
  // ClOrdID, by client and ClOrdID. Each poll reads only what is new.
  std::map<std::pair<std::string, std::string>, std::string> answers;
  std::map<std::string, std::size_t> read;  // messages indexed, per client
  const auto collect = [&] {
    for (const std::string& client : names) {
      const std::vector<std::string> received = peer.received(client);
      for (std::size_t i = read[client]; i < received.size(); ++i) {
        const std::string& m = received[i];
        const std::string type = field(m, 35);
        if (type == "8" || type == "9" || type == "j")
          answers.emplace(std::make_pair(client, field(m, type == "j" ? 379 : 11)), m);
      }
      read[client] = received.size();
    }
  };
  const auto all_answered = [&] {
    for (const ReplayedOrder& o : sent)
      if (!answers.count({o.client, o.cl_ord_id})) return false;
    return true;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (collect(); !all_answered() && std::chrono::steady_clock::now() < deadline; collect())
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  peer.stop(true);

  Replay::Totals totals;
  std::vector<ReplayedOrder> listed;
  int64_t unanswered = 0;
  for (ReplayedOrder& o : sent) {
    const auto answer = answers.find({o.client, o.cl_ord_id});
    ++totals.orders;
    if (answer == answers.end()) {
      o.outcome = "unanswered";
      ++unanswered;
    } else {
      const std::string type = field(answer->second, 35);
      const bool rejected = type != "8" || field(answer->second, 39) == "8";
      o.text = field(answer->second, 58);
      if (rejected) {
        o.outcome = "rejected";
        o.rule = rule_in(o.text);
        ++totals.rejected;
        ++totals.by_rule[o.rule.empty() ? std::string("(no rule)") : o.rule];
      } else {
        o.outcome = "accepted";
        ++totals.accepted;
      }
    }
    if (lists(request, o.outcome)) listed.push_back(o);
  }
  write_replay(out, listed, totals, request.format);
  err << "replay: " << sent.size() << " orders sent to " << target.host << ":" << target.port << "; " << skipped_lines
      << " lines without FIX skipped";
  if (unanswered) err << "; " << unanswered << " got no answer within 5 s";
  err << "\n";
  return unanswered;
}

}  // namespace fixguard::proxy
