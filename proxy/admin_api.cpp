#include "proxy/admin_api.h"

#include "fix/log.h"
#include "proxy/gateway.h"
#include "proxy/json_text.h"
#include "proxy/operator_action.h"

#include <sstream>

namespace fixguard::proxy {
namespace {

using Response = AdminServer::Response;
using risk::ScopeKind;

Response json(int status, const std::string& body) { return Response{status, "application/json", body + "\n"}; }

Response failure(int status, const std::string& why) {
  return json(status, "{\"ok\":false,\"error\":" + json_string(why) + "}");
}

std::string state_json(const risk::StateSetting& s) {
  return "\"state\":" + json_string(risk::trading_state_name(s.state)) + ",\"reason\":" + json_string(s.reason);
}

std::string stop_json(const risk::EmergencyStop::Record& s) {
  return "{\"phase\":" + json_string(risk::phase_name(s.phase)) + ",\"reason\":" + json_string(s.reason) +
         ",\"last_reset\":" + json_string(s.last_reset) + "}";
}

std::string money(const risk::Notional& n) { return json_string(n.to_string()); }

}  // namespace

Response AdminApi::handle(const AdminServer::Request& r) {
  const Router::Instant instant;  // one time for the action and what it journals
  if (r.method == "GET") {
    if (r.path == "/health") return health();
    if (r.path == "/ready") return ready();
    if (r.path == "/state") return state();
    if (r.path == "/metrics") return metrics();
    return failure(404, "no such resource: " + r.path);
  }
  return action(r);
}

Response AdminApi::metrics() const {
  std::string text = gateway_.router().metrics().render();
  text +=
      "# HELP fixguard_session_logged_on 1 while a FIX session is logged on.\n"
      "# TYPE fixguard_session_logged_on gauge\n";
  for (const SessionSlot& s : gateway_.slots())
    text += "fixguard_session_logged_on{session=\"" + s.name() + "\",side=\"" +
            (s.side == SessionSlot::Side::venue ? "venue" : "client") + "\"} " + (s.logged_on() ? "1" : "0") + "\n";
  text +=
      "# HELP fixguard_emergency_stops_tripped Emergency stops not armed (tripped or cooling down).\n"
      "# TYPE fixguard_emergency_stops_tripped gauge\n";
  risk::Engine& engine = gateway_.engine();
  int stopped = engine.controls().global_stop().armed() ? 0 : 1;
  for (uint32_t id = 0; id < engine.portfolio().accounts(); ++id)
    if (const risk::EmergencyStop* stop = engine.controls().account_stop(id); stop && !stop->armed()) ++stopped;
  text += "fixguard_emergency_stops_tripped " + std::to_string(stopped) + "\n";
  // The write logs in front of the SQLite files (see persistence/write_log.h):
  // the journal's, which in the gateway takes the database's writes too.
  std::vector<std::pair<std::string, persistence::WriteLog::Stats>> logs;
  const persistence::WriteLog* journal_log = gateway_.router().journal().log();
  if (journal_log) logs.emplace_back("journal", journal_log->stats());
  if (const persistence::WriteLog* w = gateway_.database().log(); w && w != journal_log)
    logs.emplace_back("database", w->stats());
  struct Counter {
    const char* name;
    const char* help;
    uint64_t persistence::WriteLog::Stats::*member;
  };
  const Counter counters[] = {
      {"appends_total", "Batches of writes appended to a write log.", &persistence::WriteLog::Stats::appends},
      {"applies_total", "Times a write log's thread applied what it gathered to the files.",
       &persistence::WriteLog::Stats::applies},
      {"records_applied_total", "Writes applied from a write log to their files.",
       &persistence::WriteLog::Stats::records},
      {"backlog", "Writes appended to a write log and not yet applied to their files.",
       &persistence::WriteLog::Stats::backlog}};
  for (const auto& [name, help, member] : counters) {
    const std::string metric = std::string("fixguard_write_log_") + name;
    text += "# HELP " + metric + " " + help + "\n# TYPE " + metric +
            (std::string_view(name) == "backlog" ? " gauge\n" : " counter\n");
    for (const auto& [file, stats] : logs)
      text += metric + "{file=\"" + file + "\"} " + std::to_string(stats.*member) + "\n";
  }
  return Response{200, "text/plain; version=0.0.4", text};
}

Response AdminApi::health() const {
  // The process answers, its database reads, and its journal takes writes
  // (while it does not, orders are rejected).
  try {
    gateway_.database().sql().exec("SELECT 1");
  } catch (const std::exception& e) {
    return json(503, "{\"status\":\"failing\",\"reason\":" + json_string(e.what()) + "}");
  }
  if (const std::string& fault = gateway_.router().journal_fault(); !fault.empty())
    return json(503, "{\"status\":\"failing\",\"reason\":" +
                         json_string("journal cannot be written: " + fault + "; orders are rejected") + "}");
  return json(200, "{\"status\":\"ok\"}");
}

Response AdminApi::ready() const {
  // Ready to take orders: every venue session logged on.
  std::string down;
  for (const SessionSlot& s : gateway_.slots())
    if (s.side == SessionSlot::Side::venue && !s.logged_on()) down += (down.empty() ? "" : ",") + json_string(s.name());
  if (!down.empty()) return json(503, "{\"ready\":false,\"venues_down\":[" + down + "]}");
  return json(200, "{\"ready\":true}");
}

Response AdminApi::state() const {
  risk::Engine& engine = gateway_.engine();
  const risk::Portfolio& portfolio = engine.portfolio();
  risk::TradingControls& controls = engine.controls();
  std::ostringstream o;
  o << "{\"limits_version\":" << json_string(engine.limits_version())
    << ",\"profile\":" << json_string(gateway_.profile()) << ",\"global\":{" << state_json(controls.global_state())
    << ",\"emergency_stop\":" << stop_json(controls.global_stop().record()) << "}";
  const auto sessions = [&](SessionSlot::Side side, const auto& states) {
    bool first = true;
    for (const SessionSlot& s : gateway_.slots()) {
      if (s.side != side) continue;
      const auto it = states.find(s.name());
      o << (first ? "" : ",") << "{\"name\":" << json_string(s.name())
        << ",\"logged_on\":" << (s.logged_on() ? "true" : "false") << ","
        << state_json(it == states.end() ? risk::StateSetting{} : it->second);
      if (side == SessionSlot::Side::client) o << ",\"venue\":" << json_string(s.client->venue);
      o << "}";
      first = false;
    }
  };
  o << ",\"venues\":[";
  sessions(SessionSlot::Side::venue, controls.venue_states());
  o << "],\"clients\":[";
  sessions(SessionSlot::Side::client, controls.client_states());
  o << "],\"accounts\":[";
  for (uint32_t id = 0; id < portfolio.accounts(); ++id) {
    const std::string& name = portfolio.account_name(id);
    const risk::AccountState& a = portfolio.account(id);
    const auto record = controls.account_record(id, name);
    const auto equity = engine.equity(id);
    o << (id ? "," : "") << "{\"name\":" << json_string(name) << ",\"realized_pnl\":" << money(a.realized)
      << ",\"unrealized_pnl\":" << money(a.unrealized) << ",\"equity\":" << (equity ? money(*equity) : "null")
      << ",\"open_orders\":" << a.open_orders << ",\"gross_exposure\":" << money(a.exposure.gross)
      << ",\"net_exposure\":" << money(a.exposure.net());
    const risk::ControlsRecord r = record.value_or(risk::ControlsRecord{});
    o << "," << state_json(r.state) << ",\"zone\":{" << state_json(r.zone)
      << ",\"size_factor\":" << (r.size_factor ? json_string(r.size_factor->to_string()) : "null") << "}";
    if (r.monitor)
      o << ",\"peak_equity\":" << money(r.monitor->peak) << ",\"day_start_equity\":" << money(r.monitor->day_start);
    o << ",\"emergency_stop\":" << stop_json(r.stop) << "}";
  }
  o << "],\"positions\":[";
  bool first = true;
  for (const risk::PositionState& p : portfolio.positions()) {
    if (!p.active) continue;
    const auto mark = portfolio.mark(p.instrument);
    o << (first ? "" : ",") << "{\"account\":" << json_string(portfolio.account_name(p.account))
      << ",\"symbol\":" << json_string(portfolio.instrument_name(p.instrument))
      << ",\"qty\":" << json_string(p.qty.to_string()) << ",\"cost\":" << money(p.cost)
      << ",\"realized_pnl\":" << money(p.realized) << ",\"value\":" << money(p.value)
      << ",\"mark\":" << (mark ? json_string(mark->to_string()) : "null") << ",\"open_orders\":" << p.open_orders
      << "}";
    first = false;
  }
  o << "],\"open_orders\":[";
  first = true;
  portfolio.for_each_order([&](const risk::OpenOrder& order) {
    const risk::PositionState& p = portfolio.positions()[order.position];
    o << (first ? "" : ",") << "{\"client\":" << json_string(order.client)
      << ",\"cl_ord_id\":" << json_string(order.cl_ord_id)
      << ",\"account\":" << json_string(portfolio.account_name(p.account))
      << ",\"symbol\":" << json_string(portfolio.instrument_name(p.instrument))
      << ",\"side\":" << json_string(std::string(1, order.side ? order.side : '?'))
      << ",\"order_qty\":" << json_string(order.order_qty.to_string())
      << ",\"leaves_qty\":" << json_string(order.leaves.to_string())
      << ",\"price\":" << json_string(order.price.to_string()) << "}";
    first = false;
  });
  o << "]}";
  return json(200, o.str());
}

Response AdminApi::action(const AdminServer::Request& r) {
  const auto param = [&](const char* key) {
    const auto it = r.params.find(key);
    return it == r.params.end() ? std::string() : it->second;
  };
  const std::string what = r.path.empty() ? "" : r.path.substr(1);
  const std::string who = param("operator"), why = param("reason");
  if (what != "halt" && what != "reduce-only" && what != "resume" && what != "trip" && what != "reset" &&
      what != "mark" && what != "reload" && what != "profile" && what != "flatten" && what != "equity")
    return failure(404, "no such action: " + r.path);
  if (who.empty() || why.empty()) return failure(400, "an action needs operator and reason");

  risk::Engine& engine = gateway_.engine();
  const int64_t now = Router::now_ns();
  const int32_t day = gateway_.router().today();
  std::string scope_text;
  std::optional<std::string> refused;    // why the action was not taken
  std::optional<OperatorAction> action;  // one on the engine alone
  int refused_status = 409;

  if (what == "reload") {
    scope_text = "config";
    refused = gateway_.reload();
    refused_status = 422;
  } else if (what == "profile") {
    scope_text = param("name");
    if (scope_text.empty()) return failure(400, "profile needs name");
    refused = gateway_.use_profile(scope_text);
    refused_status = 404;
  } else if (what == "flatten") {
    const std::string account = param("name");
    if (param("scope") != "account" || account.empty()) return failure(400, "flatten takes scope=account and a name");
    scope_text = "account " + account;
    const int sent = gateway_.router().flatten(account, "operator " + who + ": " + why);
    if (sent == 0) refused = "no open position of " + account + " could be closed", refused_status = 404;
  } else {
    // On the engine alone: journaled so that a replay takes it again.
    action = OperatorAction{what, param("scope"), param("name"), who, why, {}};
    const auto kind = scope_kind_of(action->scope);
    if (what == "equity") {
      const auto equity = risk::Notional::parse(param("equity"));
      if (action->scope != "account" || action->name.empty() || !equity || equity->units() < 0)
        return failure(400, "equity takes scope=account, a name and an equity of 0 or more");
      action->value = equity->to_string();
      scope_text = "account " + action->name + " " + action->value;
    } else if (what == "mark") {
      const auto price = risk::Price::parse(param("price"));
      action->scope.clear();
      action->name = param("symbol");
      if (action->name.empty() || !price || price->units() <= 0)
        return failure(400, "mark needs symbol and a price above 0");
      action->value = price->to_string();
      scope_text = action->name + " " + action->value;
    } else {
      const std::string& name = action->name;
      if (!kind) return failure(400, "scope must be global, venue, client or account");
      if ((*kind == ScopeKind::global) != name.empty())
        return failure(400, *kind == ScopeKind::global ? "the global scope takes no name" : "the scope needs a name");
      const SessionSlot* slot = name.empty() ? nullptr : gateway_.slot(name);
      if (*kind == ScopeKind::venue && !(slot && slot->side == SessionSlot::Side::venue))
        return failure(404, "no venue session " + name);
      if (*kind == ScopeKind::client && !(slot && slot->side == SessionSlot::Side::client))
        return failure(404, "no client session " + name);
      if ((what == "trip" || what == "reset") && *kind != ScopeKind::global && *kind != ScopeKind::account)
        return failure(400, "emergency stops are per account and global");
      scope_text = std::string(risk::scope_kind_name(*kind)) + (name.empty() ? "" : " " + name);
    }
    refused = apply_to_engine(engine, *action, now, day);
    if (what == "halt" && param("cancel") == "true" &&
        !gateway_.router().pull_scope(*kind, action->name, "HALTED (operator " + who + ": " + why + ")"))
      refused = "halted, but some open orders could not be cancelled yet (venue not logged on)", refused_status = 202;
  }
  gateway_.router().settle();
  const std::string outcome = refused ? *refused : "done";
  log::warn("admin",
            "operator " + who + " from " + r.peer + ": " + what + " " + scope_text + " (" + why + "): " + outcome);
  try {
    audit_.add({now / 1000, who, what, scope_text, why, outcome});
  } catch (const std::exception& e) {
    log::error("admin", e.what());
  }
  persistence::JournalEntry entry = gateway_.router().journal_entry(persistence::JournalEntry::Kind::operator_action);
  entry.outcome = outcome;
  entry.limits_version = std::string(engine.limits_version());
  entry.text = "operator " + who + " from " + r.peer + ": " + what + " " + scope_text + " (" + why + ")";
  if (action) entry.raw = action->to_text();
  gateway_.router().journal().append(std::move(entry));
  gateway_.router().settle();  // writes it
  if (refused) return failure(refused_status, *refused);
  return json(200, "{\"ok\":true,\"action\":" + json_string(what) + ",\"scope\":" + json_string(scope_text) +
                       ",\"limits_version\":" + json_string(engine.limits_version()) + "}");
}

}  // namespace fixguard::proxy
