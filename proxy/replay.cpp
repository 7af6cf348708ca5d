#include "proxy/replay.h"

#include "fix/forwarding.h"
#include "fix/order_decoder.h"
#include "fix/raw_fields.h"
#include "persistence/journal.h"
#include "proxy/applied_reports.h"
#include "proxy/audit_report.h"
#include "proxy/fix_log_reader.h"
#include "proxy/html_report.h"
#include "proxy/json_text.h"
#include "proxy/recovery.h"
#include "proxy/router.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <variant>

namespace fixguard::proxy {
namespace {

std::string time_text(int64_t ns) { return utc_time(ns / 1000); }

}  // namespace

Replay::Replay(const config::Config& config, std::string_view profile)
    : config_(&config), calendar_(config.trading_day) {
  if (config.risk.unique_clordid) ids_.emplace();
  new_engine(config, profile);
}

void Replay::new_engine(const config::Config& config, std::string_view profile) {
  engine_ = std::make_unique<risk::Engine>(config.risk.engine(profile));
  config_ = &config;
  sessions_.clear();  // their handles were the old engine's
  // Dated by the first message (see roll_day), as the live proxy dates them when it starts.
  for (const auto& [symbol, price] : config.risk.reference_prices)
    engine_->portfolio().set_mark(symbol, price, risk::Portfolio::kUndated);
  marks_undated_ = !config.risk.reference_prices.empty();
}

const Replay::Session& Replay::session_of(std::string_view strategy, std::string_view gateway) {
  std::string key;
  key.reserve(strategy.size() + gateway.size() + 1);
  key.append(strategy).append(1, '\x01').append(gateway);
  if (const auto it = sessions_.find(key); it != sessions_.end()) return it->second;
  Session s{std::string(strategy), std::string(gateway), std::nullopt};
  for (const config::ClientConfig& c : config_->clients)
    if (c.target_comp_id == strategy && c.sender_comp_id == gateway) {
      s.client = c.name;
      s.venue = c.venue;
    }
  s.handle = engine_->session(s.venue, s.client);
  return sessions_.emplace(std::move(key), std::move(s)).first->second;
}

void Replay::roll_day(int64_t now_ns, int32_t day) {
  // The config's reference prices count from the replay's first moment on.
  if (marks_undated_) {
    for (const auto& [symbol, price] : config_->risk.reference_prices)
      if (engine_->portfolio().mark_time(symbol) == risk::Portfolio::kUndated)
        engine_->portfolio().set_mark(symbol, price, now_ns);
    marks_undated_ = false;
  }
  if (day_ && *day_ == day) return;
  // As the live proxy does when its calendar turns: every account's day
  // starts now, ClOrdIDs of earlier days are forgotten.
  if (day_) engine_->review_all(now_ns, day);
  if (ids_) ids_->forget_before(day);
  day_ = day;
}

void Replay::save_controls() {
  // The open orders a stop or halt pulls: cancelled at once, as live when
  // the venue is logged on (their reports come as the venue sent them).
  for (const risk::Pull& p : engine_->take_pulls()) engine_->acted(p);
  for (risk::ControlsRecord& r : engine_->take_changes()) {
    auto key = std::make_pair(r.kind, r.name);
    saved_controls_[std::move(key)] = std::move(r);
  }
}

void Replay::restart(const config::Config& config, std::string_view profile,
                     const std::function<void(risk::Portfolio&)>& rebuild) {
  save_controls();
  new_engine(config, profile);
  rebuild(engine_->portfolio());
  std::vector<risk::ControlsRecord> records;
  for (const auto& [key, r] : saved_controls_) records.push_back(r);
  engine_->restore(records);
  engine_->take_changes();  // restoring is no change to save
}

void Replay::reconfigure(const config::Config& config, std::string_view profile) {
  engine_->reconfigure(config.risk.engine(profile));
  config_ = &config;
}

int32_t Replay::day_of(int64_t at_ns) {
  // Days change on whole seconds (minutes, in fact, in any zone there is).
  const int64_t second = at_ns / 1'000'000'000;  // as the calendar cuts it
  if (second != day_second_) {
    day_of_second_ = calendar_.day(std::chrono::system_clock::time_point(std::chrono::seconds(second)));
    day_second_ = second;
  }
  return day_of_second_;
}

void Replay::report(std::string_view client, std::string_view message, int64_t at_ns) {
  const fix::MessageFields fields(message);
  const auto type = fields.get(35);
  if (!type) return;
  const int32_t day = day_of(at_ns);
  roll_day(at_ns, day);
  apply_report(fields, *type, client, at_ns, day);
}

void Replay::operator_action(const OperatorAction& action, int64_t at_ns) {
  const int32_t day = day_of(at_ns);
  roll_day(at_ns, day);
  apply_to_engine(*engine_, action, at_ns, day);
}

void Replay::unsent(std::string_view client, std::string_view cl_ord_id, int64_t at_ns) {
  const int32_t day = day_of(at_ns);
  roll_day(at_ns, day);
  engine_->on_refused(client, cl_ord_id, false, at_ns, day);
  unsent_.insert(key(client, cl_ord_id));
}

void Replay::refused(std::string_view client, std::string_view cl_ord_id, std::string_view text) {
  const std::string& k = key(client, cl_ord_id);
  unsent_.erase(k);  // refused, not to be decided anew
  refused_.insert_or_assign(k, Rejected{{}, {}, {}, std::string(text)});
}

const ReplayedOrder* Replay::feed(std::string_view message, int64_t at_ns, Forward forward) {
  return feed(fix::MessageFields(message), at_ns, forward);
}

const ReplayedOrder* Replay::feed(const fix::MessageFields& message, int64_t at_ns, Forward forward) {
  const auto type = message.get(35);
  if (!type) return nullptr;
  const std::string_view sender = message.get(49).value_or(""), target = message.get(56).value_or("");
  const bool order = *type == "D" || *type == "G" || *type == "F";
  if (!order && *type != "8" && *type != "9" && *type != "j") return nullptr;
  const int32_t day = day_of(at_ns);
  roll_day(at_ns, day);
  if (order) {
    decide(message, *type, session_of(sender, target), at_ns, day, forward);
    return &last_;
  }
  const Session& s = session_of(target, sender);
  if (*type == "8" && applied_.repeated(s.venue, message.message(), day)) {
    ++totals_.resent;
    return nullptr;
  }
  apply_report(message, *type, s.client, at_ns, day);
  return nullptr;
}

void Replay::decide(const fix::MessageFields& message, std::string_view type, const Session& s, int64_t now_ns,
                    int32_t day, Forward forward) {
  // last_ is reused: its strings keep their capacity.
  ReplayedOrder& r = last_;
  r.at_ns = now_ns;
  r.client.assign(s.client);
  r.msg_type.assign(type);
  r.cl_ord_id.clear();
  r.account.clear();
  r.symbol.clear();
  r.side.clear();
  r.quantity.clear();
  r.price.clear();
  r.rule.clear();
  r.limit.clear();
  r.observed.clear();
  r.text.clear();
  ++totals_.orders;
  const auto counted_reject = [&] {
    r.outcome = "rejected";
    ++totals_.rejected;
    ++totals_.by_rule[r.rule];
  };
  // `own`: the order's own reject (not a reuse of an earlier order's ID).
  const auto reject = [&](const risk::Decision& d, bool own = true) {
    r.rule = std::string(risk::info(d.rule).id);
    r.limit = d.limit.to_string();
    r.observed = d.observed.to_string();
    r.text = risk::describe(d);
    counted_reject();
    const std::string& k = key(s.client, r.cl_ord_id);
    if (own && forward == Forward::always) {
      refused_.erase(k);  // sent all the same (observe mode): its reports apply
    } else if (own) {
      refused_.insert_or_assign(k, Rejected{r.rule, r.limit, r.observed, r.text});
    } else if (const auto earlier = refused_.find(k); earlier != refused_.end()) {
      earlier->second = Rejected{r.rule, r.limit, r.observed, r.text};  // the last reject of a rejected order
    }
  };
  const auto decoded = fix::decode_order(message);
  if (const auto* error = std::get_if<fix::DecodeError>(&decoded)) {
    for (const auto& [tag, value] : {std::pair{11, &r.cl_ord_id}, std::pair{1, &r.account}, std::pair{55, &r.symbol},
                                     std::pair{54, &r.side}, std::pair{38, &r.quantity}, std::pair{44, &r.price}})
      value->assign(message.get(tag).value_or(""));
    r.outcome = "rejected";
    r.rule = std::string(risk::info(risk::Rule::invalid_order).id);
    r.text = "INVALID_ORDER " + error->reason;
    ++totals_.rejected;
    ++totals_.unreadable;
    ++totals_.by_rule[r.rule];
    return;
  }
  risk::OrderRequest order = std::get<risk::OrderRequest>(decoded);
  std::string inherited;
  engine_->portfolio().take_original_account(order, s.client, inherited);
  r.cl_ord_id.assign(order.cl_ord_id);
  r.account.assign(order.account);
  r.symbol.assign(order.symbol);
  if (order.side) r.side.assign(1, order.side);
  if (order.kind != risk::RequestKind::cancel || order.quantity.units() != 0) r.quantity = order.quantity.to_string();
  if (order.price) r.price = order.price->to_string();
  if (ids_ && !ids_->remember(s.client, day, order.cl_ord_id)) {
    if (!order.poss_dup && !order.poss_resend) return reject(risk::duplicate_clordid(s.client, order.cl_ord_id), false);
    // As live (Router::first_use): an order accepted and never sent is
    // decided anew; one rejected gets its reject again; one forwarded is
    // dropped.
    const std::string& k = key(s.client, order.cl_ord_id);
    if (unsent_.erase(k) == 0) {
      if (const auto rejected = refused_.find(k); rejected != refused_.end()) {
        r.rule = rejected->second.rule;
        r.limit = rejected->second.limit;
        r.observed = rejected->second.observed;
        r.text = rejected->second.text;
        return counted_reject();
      }
      r.outcome = "dropped";
      r.text = "possible resend, already seen today";
      ++totals_.dropped;
      return;
    }
  }
  std::optional<risk::Decision> decision;
  try {
    decision = engine_->decide(order, *s.handle, now_ns, day);
    if (forward == Forward::always || (forward == Forward::as_decided && !decision))
      engine_->sent(order, s.client, now_ns, day);
  } catch (const std::exception& e) {
    return reject(risk::Decision{risk::Rule::internal_error, risk::Amount::of_text(e.what()),
                                 risk::Decision::Relation::because, risk::Amount(),
                                 risk::Scope{risk::ScopeKind::client, s.client}});
  }
  if (decision) return reject(*decision);
  r.outcome = "accepted";
  ++totals_.accepted;
  // Sent: its reports apply, though an earlier order with its ClOrdID was
  // refused (IDs not unique).
  if (forward != Forward::never && !refused_.empty()) refused_.erase(key(s.client, order.cl_ord_id));
}

const std::string& Replay::key(std::string_view client, std::string_view cl_ord_id) {
  key_.assign(client).append(1, '\x01').append(cl_ord_id);
  return key_;
}

void Replay::apply_report(const fix::MessageFields& message, std::string_view type, std::string_view client,
                          int64_t now_ns, int32_t day) {
  // Not of orders refused here: they never reached the venue. (Of orders
  // from before the log began, as live: a fill still moves the position.)
  const auto refused_id = [&](std::string_view id) {
    return !id.empty() && !refused_.empty() && refused_.contains(key(client, id));
  };
  const auto refused = [&](int tag) {
    if (refused_.empty()) return false;
    const auto id = message.get(tag);
    return id && refused_id(*id);
  };
  if (type == "8") {
    const auto decoded = fix::decode_execution(message);
    if (std::holds_alternative<fix::DecodeError>(decoded)) {
      ++totals_.unreadable;
      return;
    }
    const auto& exec = std::get<risk::Execution>(decoded);
    if (refused_id(exec.cl_ord_id) || refused_id(exec.orig_cl_ord_id)) return;
    engine_->on_execution(client, exec, now_ns, day);
  } else if (type == "9") {
    if (refused(11)) return;
    engine_->portfolio().on_cancel_reject(client, message.get(11).value_or(""));
  } else {
    if (refused(379)) return;
    engine_->on_refused(client, message.get(379).value_or(""), true, now_ns, day);
  }
  ++totals_.reports;
}

namespace {

void write_totals(std::ostream& out, const Replay::Totals& t) {
  out << "orders " << t.orders << ": accepted " << t.accepted << ", rejected " << t.rejected << ", dropped "
      << t.dropped << "; venue reports applied " << t.reports;
  if (t.resent) out << "; resent, not applied again " << t.resent;
  if (t.unreadable) out << "; unreadable " << t.unreadable;
  out << "\n";
  if (t.by_rule.empty()) return;
  out << "rejects by rule:\n";
  for (const auto& [rule, n] : t.by_rule) out << "  " << std::left << std::setw(28) << rule << n << "\n";
}

void write_json_order(std::ostream& out, const ReplayedOrder& o) {
  out << "{\"time\":" << json_string(time_text(o.at_ns)) << ",\"client\":" << json_string(o.client)
      << ",\"msg_type\":" << json_string(o.msg_type) << ",\"cl_ord_id\":" << json_string(o.cl_ord_id)
      << ",\"account\":" << json_string(o.account) << ",\"symbol\":" << json_string(o.symbol)
      << ",\"side\":" << json_string(o.side) << ",\"quantity\":" << json_string(o.quantity)
      << ",\"price\":" << json_string(o.price) << ",\"outcome\":" << json_string(o.outcome)
      << ",\"rule\":" << json_string(o.rule) << ",\"observed\":" << json_string(o.observed)
      << ",\"limit\":" << json_string(o.limit) << ",\"text\":" << json_string(o.text) << "}";
}

void write_json_totals(std::ostream& out, const Replay::Totals& t) {
  out << "{\"orders\":" << t.orders << ",\"accepted\":" << t.accepted << ",\"rejected\":" << t.rejected
      << ",\"dropped\":" << t.dropped << ",\"reports\":" << t.reports << ",\"resent\":" << t.resent
      << ",\"unreadable\":" << t.unreadable << ",\"by_rule\":{";
  bool first = true;
  for (const auto& [rule, n] : t.by_rule) {
    out << (first ? "" : ",") << json_string(rule) << ":" << n;
    first = false;
  }
  out << "}}";
}

constexpr const char* kCsvHeader =
    "time,client,msg_type,cl_ord_id,account,symbol,side,quantity,price,outcome,rule,observed,limit,text";

void write_csv_order(std::ostream& out, const ReplayedOrder& o) {
  out << time_text(o.at_ns) << "," << csv_field(o.client) << "," << csv_field(o.msg_type) << ","
      << csv_field(o.cl_ord_id) << "," << csv_field(o.account) << "," << csv_field(o.symbol) << "," << csv_field(o.side)
      << "," << csv_field(o.quantity) << "," << csv_field(o.price) << "," << o.outcome << "," << csv_field(o.rule)
      << "," << csv_field(o.observed) << "," << csv_field(o.limit) << "," << csv_field(o.text);
}

void write_table_order(std::ostream& out, const ReplayedOrder& o) {
  out << time_text(o.at_ns) << "  " << std::left << std::setw(10) << o.client << " " << std::setw(2) << o.msg_type
      << std::setw(16) << o.cl_ord_id << " " << std::setw(10) << o.account << " " << std::setw(8) << o.symbol << " "
      << o.side << " " << std::right << std::setw(10) << o.quantity << " @ " << std::left << std::setw(10)
      << (o.price.empty() ? "MKT" : o.price) << " " << std::setw(9) << o.outcome << o.text;
}

}  // namespace

void write_replay(std::ostream& out, const std::vector<ReplayedOrder>& orders, const Replay::Totals& totals,
                  ReplayFormat format) {
  switch (format) {
    case ReplayFormat::csv:
      out << kCsvHeader << "\n";
      for (const ReplayedOrder& o : orders) {
        write_csv_order(out, o);
        out << "\n";
      }
      return;
    case ReplayFormat::json:
      out << "{\"orders\":[";
      for (std::size_t i = 0; i < orders.size(); ++i) {
        out << (i ? ",\n" : "\n");
        write_json_order(out, orders[i]);
      }
      out << "],\n\"totals\":";
      write_json_totals(out, totals);
      out << "}\n";
      return;
    case ReplayFormat::table:
      for (const ReplayedOrder& o : orders) {
        write_table_order(out, o);
        out << "\n";
      }
      write_totals(out, totals);
      return;
  }
}

void write_comparison(std::ostream& out, const std::vector<ReplayDifference>& differences, const Replay::Totals& base,
                      const Replay::Totals& other, ReplayFormat format, std::pair<std::string, std::string> names) {
  switch (format) {
    case ReplayFormat::csv:
      out << "time,client,msg_type,cl_ord_id,account,symbol,outcome,rule,text,other_outcome,other_rule,other_text\n";
      for (const ReplayDifference& d : differences)
        out << time_text(d.base.at_ns) << "," << csv_field(d.base.client) << "," << csv_field(d.base.msg_type) << ","
            << csv_field(d.base.cl_ord_id) << "," << csv_field(d.base.account) << "," << csv_field(d.base.symbol) << ","
            << d.base.outcome << "," << csv_field(d.base.rule) << "," << csv_field(d.base.text) << ","
            << d.other.outcome << "," << csv_field(d.other.rule) << "," << csv_field(d.other.text) << "\n";
      return;
    case ReplayFormat::json:
      out << "{\"differences\":[";
      for (std::size_t i = 0; i < differences.size(); ++i) {
        out << (i ? ",\n" : "\n") << "{\"base\":";
        write_json_order(out, differences[i].base);
        out << ",\"other\":";
        write_json_order(out, differences[i].other);
        out << "}";
      }
      out << "],\n\"base\":";
      write_json_totals(out, base);
      out << ",\n\"other\":";
      write_json_totals(out, other);
      out << "}\n";
      return;
    case ReplayFormat::table:
      for (const ReplayDifference& d : differences) {
        write_table_order(out, d.base);
        out << "\n    " << names.second << ": " << d.other.outcome << (d.other.text.empty() ? "" : " " + d.other.text)
            << "\n";
      }
      out << differences.size() << " orders decided differently\n";
      std::set<std::string> rules;
      for (const auto& [rule, n] : base.by_rule) rules.insert(rule);
      for (const auto& [rule, n] : other.by_rule) rules.insert(rule);
      out << "rejects by rule           " << std::right << std::setw(8) << names.first << std::setw(9) << names.second
          << "\n";
      for (const std::string& rule : rules) {
        const auto count = [&](const Replay::Totals& t) {
          const auto it = t.by_rule.find(rule);
          return it == t.by_rule.end() ? int64_t{0} : it->second;
        };
        out << "  " << std::left << std::setw(24) << rule << std::right << std::setw(8) << count(base) << std::setw(9)
            << count(other) << "\n";
      }
      out << "  " << std::left << std::setw(24) << "total" << std::right << std::setw(8) << base.rejected
          << std::setw(9) << other.rejected << "\n";
      return;
  }
}

namespace {

std::string series_of(const ReplayedOrder& o) { return o.outcome == "rejected" ? o.rule : o.outcome; }

// The report: the totals, the chart of decisions over time, and the orders
// listed (or the differences), at most kHtmlRows of them.
void write_replay_html(const std::string& path, const std::string& title, const Replay::Totals& totals,
                       const TimeChart& chart, const std::vector<ReplayedOrder>& listed,
                       const std::vector<ReplayDifference>& differences, const std::string& other_name) {
  constexpr std::size_t kHtmlRows = 10'000;
  std::ofstream out(path);
  write_html_start(out, "fixguard replay");
  out << "<p>" << html_escape(title) << "</p>\n<p>orders " << totals.orders << ": accepted " << totals.accepted
      << ", rejected " << totals.rejected << ", dropped " << totals.dropped << "; venue reports applied "
      << totals.reports << "</p>\n<table>\n<tr><th>rule</th><th>rejects</th></tr>\n";
  for (const auto& [rule, n] : totals.by_rule)
    out << "<tr><td>" << html_escape(rule) << "</td><td>" << n << "</td></tr>\n";
  out << "</table>\n";
  chart.write(out, "decisions (accepted, or the rule that rejected)");
  out << "<table>\n<tr><th>time</th><th>client</th><th>type</th><th>ClOrdID</th><th>account</th><th>symbol</th>"
         "<th>side</th><th>qty</th><th>price</th><th>outcome</th><th>rule</th><th>text</th>"
      << (differences.empty() ? "" : "<th>" + html_escape(other_name) + "</th>") << "</tr>\n";
  const auto row = [&](const ReplayedOrder& o, const ReplayedOrder* other) {
    out << "<tr><td>" << time_text(o.at_ns) << "</td><td>" << html_escape(o.client) << "</td><td>"
        << html_escape(o.msg_type) << "</td><td>" << html_escape(o.cl_ord_id) << "</td><td>" << html_escape(o.account)
        << "</td><td>" << html_escape(o.symbol) << "</td><td>" << html_escape(o.side) << "</td><td>"
        << html_escape(o.quantity) << "</td><td>" << html_escape(o.price) << "</td><td>" << o.outcome << "</td><td>"
        << html_escape(o.rule) << "</td><td>" << html_escape(o.text) << "</td>";
    if (other) out << "<td>" << other->outcome << " " << html_escape(other->text) << "</td>";
    out << "</tr>\n";
  };
  std::size_t shown = 0;
  for (const ReplayDifference& d : differences)
    if (shown++ < kHtmlRows) row(d.base, &d.other);
  for (const ReplayedOrder& o : listed)
    if (shown++ < kHtmlRows) row(o, nullptr);
  out << "</table>\n";
  if (shown > kHtmlRows) out << "<p>" << shown - kHtmlRows << " more not shown (see the CSV or JSON output)</p>\n";
  out << "</body></html>\n";
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::optional<int64_t> time_of(const LoggedMessage& m, const fix::MessageFields& fields, ReplayRequest::Clock clock) {
  const auto at = [&](int tag) -> std::optional<int64_t> {
    const auto v = fields.get(tag);
    return v ? parse_fix_time(*v) : std::nullopt;
  };
  std::optional<int64_t> t;
  switch (clock) {
    case ReplayRequest::Clock::sending:
      t = at(52);
      break;
    case ReplayRequest::Clock::transact:
      t = at(60);
      break;
    case ReplayRequest::Clock::logged:
      t = m.logged_ns();
      break;
  }
  if (!t) t = at(52);
  if (!t) t = at(60);
  if (!t) t = m.logged_ns();
  return t;
}

}  // namespace

bool lists(const ReplayRequest& request, std::string_view outcome) {
  switch (request.show) {
    case ReplayRequest::Show::all:
      return true;
    case ReplayRequest::Show::rejected:
      return outcome == "rejected" || outcome == "unanswered";
    case ReplayRequest::Show::none:
      return false;
  }
  return false;
}

namespace {

// The logs' messages merged by time (the earliest first), read and split on a
// thread of their own while the caller decides: batches of messages copied
// out of the readers' buffers, their fields found, handed over through a
// short queue.
class MergedLogs {
 public:
  struct Message {
    fix::MessageFields fields;
    int64_t at;
  };
  struct Batch {
    std::string text;  // the messages' bytes: reserved, never reallocated while filled
    std::vector<Message> messages;
    uint64_t bytes_read = 0;  // of all the logs, when the batch was closed
  };

  // Opens every log (throws std::runtime_error naming one that cannot be read).
  MergedLogs(const std::vector<std::string>& paths, ReplayRequest::Clock clock) : clock_(clock) {
    for (const std::string& path : paths) {
      Input& in = inputs_.emplace_back();
      in.reader = std::make_unique<FixLogReader>(path);
      total_bytes_ += in.reader->size();
    }
    for (int i = 0; i < kBatches; ++i) free_.push_back(std::make_unique<Batch>());
    thread_ = std::thread([this] { run(); });
  }
  ~MergedLogs() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // The next batch, the caller's until the next call; null at the end.
  // Rethrows what stopped the reading.
  const Batch* next() {
    std::unique_lock lock(mutex_);
    if (current_) free_.push_back(std::move(current_));
    changed_.notify_all();
    changed_.wait(lock, [&] { return !full_.empty() || done_; });
    if (full_.empty()) {
      if (error_) std::rethrow_exception(error_);
      return nullptr;
    }
    current_ = std::move(full_.front());
    full_.pop_front();
    return current_.get();
  }

  std::size_t logs() const { return inputs_.size(); }
  uint64_t total_bytes() const { return total_bytes_; }
  // Once next() has returned null:
  int64_t skipped_lines() const {
    int64_t n = 0;
    for (const Input& in : inputs_) n += in.reader->skipped_lines();
    return n;
  }
  int64_t untimed() const { return untimed_; }

 private:
  static constexpr int kBatches = 4;
  static constexpr std::size_t kBatchBytes = 1 << 20, kBatchMessages = 8192;

  struct Input {
    std::unique_ptr<FixLogReader> reader;
    LoggedMessage message;
    std::optional<fix::MessageFields> fields;  // of message
    int64_t at = 0;
    bool live = false;
  };

  // The input's next message with a time to run it at.
  void advance(Input& in) {
    const bool had_time = in.live;
    while ((in.live = in.reader->next(in.message))) {
      const fix::MessageFields& fields = in.fields.emplace(in.message.text);
      // By TransactTime, the orders set the clock: a report in between
      // (whose TransactTime is the venue's) comes at the time of the message
      // before it.
      if (clock_ == ReplayRequest::Clock::transact && had_time) {
        const auto type = fields.get(35);
        if (type && *type != "D" && *type != "G" && *type != "F") return;
      }
      if (const auto t = time_of(in.message, fields, clock_)) {
        in.at = *t;
        return;
      }
      ++untimed_;
    }
  }

  std::unique_ptr<Batch> free_batch() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || stop_; });
    if (stop_) return nullptr;
    std::unique_ptr<Batch> b = std::move(free_.front());
    free_.pop_front();
    b->text.clear();
    b->messages.clear();
    return b;
  }

  void hand_over(std::unique_ptr<Batch> b) {
    b->bytes_read = 0;
    for (const Input& in : inputs_) b->bytes_read += in.reader->bytes_read();
    {
      std::lock_guard lock(mutex_);
      full_.push_back(std::move(b));
    }
    changed_.notify_all();
  }

  void run() {
    try {
      for (Input& in : inputs_) advance(in);
      std::unique_ptr<Batch> batch = free_batch();
      while (batch) {
        Input* first = nullptr;
        for (Input& in : inputs_)
          if (in.live && (!first || in.at < first->at)) first = &in;
        if (!first) break;
        const std::string_view text = first->message.text;
        // The text is never reallocated once a message points into it.
        if (!batch->messages.empty() &&
            (batch->text.size() + text.size() > batch->text.capacity() || batch->messages.size() >= kBatchMessages)) {
          hand_over(std::move(batch));
          if (!(batch = free_batch())) return;
        }
        if (batch->messages.empty()) batch->text.reserve(std::max(kBatchBytes, text.size()));
        const std::size_t offset = batch->text.size();
        batch->text.append(text);
        batch->messages.push_back({first->fields->rebased(std::string_view(batch->text).substr(offset)), first->at});
        advance(*first);
      }
      if (batch && !batch->messages.empty()) hand_over(std::move(batch));
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  }

  ReplayRequest::Clock clock_;
  std::vector<Input> inputs_;
  uint64_t total_bytes_ = 0;
  int64_t untimed_ = 0;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<Batch>> full_, free_;
  std::unique_ptr<Batch> current_;  // the caller's
  bool done_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: started once the rest is set up
};

}  // namespace

ReplayResult run_replay(const config::Config& config, const config::Config* other, const ReplayRequest& request,
                        std::ostream& out, std::ostream& err) {
  ReplayResult result;
  MergedLogs logs(request.logs, request.clock);
  Replay base(config);
  TimeChart chart;
  std::optional<Replay> compared;
  if (other) compared.emplace(*other);
  std::vector<ReplayedOrder> listed;
  std::vector<ReplayDifference> differences;
  int64_t next_progress = 0;
  while (const MergedLogs::Batch* batch = logs.next()) {
    for (const MergedLogs::Message& m : batch->messages) {
      ++result.messages;
      const ReplayedOrder* decided = base.feed(m.fields, m.at);
      if (decided && !request.html.empty()) chart.add(decided->at_ns / 1000, series_of(*decided));
      if (compared) {
        const ReplayedOrder* alternative = compared->feed(m.fields, m.at);
        if (decided && alternative && (decided->outcome != alternative->outcome || decided->rule != alternative->rule))
          differences.push_back({*decided, *alternative});
      } else if (decided && lists(request, decided->outcome)) {
        listed.push_back(*decided);
      }
    }
    if (request.progress && result.messages >= next_progress) {
      next_progress = result.messages + 100'000;
      err << "\rreplay: " << (logs.total_bytes() ? batch->bytes_read * 100 / logs.total_bytes() : 100) << "% ("
          << base.totals().orders << " orders)" << std::flush;
    }
  }
  if (request.progress) err << "\r" << std::string(40, ' ') << "\r" << std::flush;
  result.skipped_lines = logs.skipped_lines();
  result.untimed = logs.untimed();

  if (compared)
    write_comparison(out, differences, base.totals(), compared->totals(), request.format);
  else
    write_replay(out, listed, base.totals(), request.format);
  if (!request.html.empty())
    write_replay_html(request.html, "replay of " + std::to_string(logs.logs()) + " logs", base.totals(), chart, listed,
                      differences, "other config");
  err << "replay: " << result.messages << " messages from " << logs.logs() << " logs; " << result.skipped_lines
      << " lines without FIX skipped";
  if (result.untimed) err << "; " << result.untimed << " messages without a time skipped";
  err << "\n";
  return result;
}

bool is_journal_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  return in.gcount() == sizeof header &&
         std::string_view(header, sizeof header) == std::string_view("SQLite format 3\0", 16);
}

JournalReplayResult replay_recorded_journal(const std::string& path, const std::string& archive_dir,
                                            const config::Config* config, const std::string& specs_dir,
                                            const ReplayRequest& request, std::ostream& out, std::ostream& err) {
  using persistence::JournalEntry;
  JournalReplayResult result;
  std::deque<config::Config> configs;  // every version put in force (the Replay points into them)
  std::optional<Replay> replay;
  std::map<std::string, std::string> prefixes;  // client -> ClOrdID prefix on its venue leg
  AppliedReports applied;
  std::vector<ReplayDifference> mismatches;
  std::vector<ReplayedOrder> listed;
  int64_t starts = 0, operator_actions = 0, actions_replayed = 0;
  Replay::Totals recorded;  // the journal's own decisions, counted as the replay's are
  TimeChart chart;
  const std::string base_dir = std::filesystem::absolute(std::filesystem::path(path)).parent_path().string();
  const auto put_in_force = [&](const JournalEntry& e, bool restarted) {
    // "<why>: limits version V, profile P", the config's text in raw.
    const std::size_t p = e.text.rfind(", profile ");
    const std::string profile = p == std::string::npos ? "" : e.text.substr(p + 10);
    if (config) {
      if (configs.empty()) configs.push_back(*config);
    } else {
      if (e.raw.empty())
        throw std::runtime_error("journal entry " + std::to_string(e.seq) +
                                 " changed the limits but holds no config (written before fixguard kept it): "
                                 "replay it with --config FILE");
      try {
        configs.push_back(config::Config::from_text(e.raw, base_dir, specs_dir));
      } catch (const std::exception& ex) {
        throw std::runtime_error("the config recorded at journal entry " + std::to_string(e.seq) + " cannot be read (" +
                                 ex.what() + "): replay it with --config FILE");
      }
    }
    const config::Config& c = configs.back();
    for (const config::ClientConfig& client : c.clients) prefixes[client.name] = client.clordid_prefix;
    const std::string_view in_force = profile == "normal" ? std::string_view() : std::string_view(profile);
    if (!replay) {
      replay.emplace(c, in_force);
    } else if (restarted) {
      // As fixguard's start did: a new engine, the portfolio rebuilt from
      // the journal so far, the controls as saved, the reports applied known.
      AppliedReports rebuilt;
      replay->restart(c, in_force, [&](risk::Portfolio& portfolio) {
        replay_journal(persistence::JournalReader(path, archive_dir), portfolio, prefixes, rebuilt, e.seq);
      });
      applied = std::move(rebuilt);
    } else {
      replay->reconfigure(c, in_force);
    }
  };
  struct Unsent {
    int64_t seq;
    std::string client, cl_ord_id;
  };
  std::optional<Unsent> last_unsent;
  persistence::JournalReader(path, archive_dir).each([&](const JournalEntry& e) {
    const int64_t at_ns = e.at_us * 1000;
    if (e.kind == JournalEntry::Kind::control && e.text.find(": limits version ") != std::string::npos) {
      const bool restarted = e.text.rfind("fixguard started", 0) == 0 && ++starts > 1;
      put_in_force(e, restarted);
      return;
    }
    // Actions on the engine alone, an operator's or the marks file's, are
    // taken again (not: flattens, whose orders the journal holds, and
    // actions journaled before fixguard recorded what they did).
    const auto action = e.kind == JournalEntry::Kind::operator_action || e.kind == JournalEntry::Kind::control
                            ? OperatorAction::parse(e.raw)
                            : std::nullopt;
    if (replay && action && changes_engine(action->what)) {
      replay->operator_action(*action, at_ns);
      replay->save_controls();  // as fixguard saves them after it
      ++actions_replayed;
      return;
    }
    if (e.kind == JournalEntry::Kind::operator_action) {
      ++operator_actions;
      return;
    }
    if (!replay) return;  // before any config was recorded
    struct SaveControls {
      Replay& r;
      ~SaveControls() { r.save_controls(); }
    } save{*replay};  // after the entry, as the live proxy saves them
    if (e.kind == JournalEntry::Kind::venue && !e.client.empty() &&
        (e.msg_type == "8" || e.msg_type == "9" || e.msg_type == "j")) {
      if (e.msg_type == "8" && applied.repeated(e.venue, e.raw, e.day)) return;
      const auto parts = fix::split(e.raw);
      if (!parts) return;
      const auto prefix = prefixes.find(e.client);
      const std::string body = "35=" + e.msg_type + "\x01" +
                               fix::without_prefix(parts->body, prefix == prefixes.end() ? "" : prefix->second);
      replay->report(e.client, body, at_ns);
      return;
    }
    if (e.kind != JournalEntry::Kind::order) return;
    if (e.outcome == "unsent") {
      replay->unsent(e.client, e.cl_ord_id, at_ns);
      last_unsent = Unsent{e.seq, e.client, e.cl_ord_id};
      return;
    }
    // As it went live: observe mode forwarded what it would have rejected;
    // a reject with no rule was not the checks' (no venue, no journal).
    const bool observed = e.mode == "observe";
    const bool environment = e.outcome == "rejected" && e.rule.empty();
    // The reject right after an order's "unsent" entry is that order's (its
    // venue lost at its batch's end: Router::unsent), not a resend's: the
    // order was decided above; a resend of it gets this reject again.
    if (environment && last_unsent && e.seq == last_unsent->seq + 1 && e.client == last_unsent->client &&
        e.cl_ord_id == last_unsent->cl_ord_id) {
      replay->refused(e.client, e.cl_ord_id, e.text);
      return;
    }
    // Refused for want of a journal before any check: as if never sent.
    // (At its batch's end, after its checks: a refusal as below.)
    if (environment && e.text.starts_with(Router::kNoJournal) && !e.text.ends_with(Router::kRefusedAfterChecks)) return;
    // (Refused for want of a venue, an order never left, in observe mode too.)
    const Replay::Forward forward = environment ? Replay::Forward::never
                                    : observed  ? Replay::Forward::always
                                                : Replay::Forward::as_decided;
    const ReplayedOrder* decided = replay->feed(e.raw, at_ns, forward);
    if (!decided) return;
    // Refused live after its checks (which under observe reject nothing): a
    // resend of it is refused again, as live (Router::first_use), unchecked.
    if (environment && (observed || decided->outcome == "accepted")) replay->refused(e.client, e.cl_ord_id, e.text);
    if (!request.html.empty()) chart.add(e.at_us, series_of(*decided));
    ++result.compared;
    // The recorded decision: its outcome, or under observe the rule that
    // would have rejected it. A refusal with no rule passed the checks, or
    // repeated such a refusal to a resend (the replay's own rejects always
    // name a rule); under observe it records no rule the checks would have
    // rejected by, so there is nothing to compare.
    const bool repeated_refusal = decided->outcome == "rejected" && decided->rule.empty();
    const std::string recorded_outcome = observed && environment ? decided->outcome
                                         : observed              ? (e.rule.empty() ? "accepted" : "rejected")
                                         : environment           ? (repeated_refusal ? "rejected" : "accepted")
                                                                 : e.outcome;
    ++recorded.orders;
    if (recorded_outcome == "rejected") {
      ++recorded.rejected;
      ++recorded.by_rule[observed || !e.rule.empty() ? e.rule : std::string("(no rule)")];
    } else if (recorded_outcome == "dropped") {
      ++recorded.dropped;
    } else {
      ++recorded.accepted;
    }
    const bool same =
        decided->outcome == recorded_outcome && (decided->outcome != "rejected" || decided->rule == e.rule);
    if (!same) {
      ReplayedOrder recorded = *decided;
      recorded.outcome = e.outcome;
      recorded.rule = e.rule;
      recorded.limit = e.limit;
      recorded.observed = e.observed;
      recorded.text = e.text;
      if (++result.mismatches == 1)
        result.first_mismatch = "journal entry " + std::to_string(e.seq) + " (" + time_text(at_ns) + " " + e.client +
                                " " + e.msg_type + " ClOrdID=" + e.cl_ord_id + "): recorded " + e.outcome +
                                (e.rule.empty() ? "" : " " + e.rule) + ", replayed " + decided->outcome +
                                (decided->rule.empty() ? "" : " " + decided->rule);
      mismatches.push_back({recorded, *decided});
    } else if (lists(request, decided->outcome)) {
      listed.push_back(*decided);
    }
  });
  if (!replay) throw std::runtime_error(path + " holds no limits in force to replay under (no config recorded)");
  if (mismatches.empty())
    write_replay(out, listed, replay->totals(), request.format);
  else
    write_comparison(out, mismatches, recorded, replay->totals(), request.format, {"recorded", "replayed"});
  if (!request.html.empty())
    write_replay_html(request.html, "replay of journal " + path, replay->totals(), chart, listed, mismatches,
                      "replayed");
  err << "replay: journal " << path << ": " << result.compared << " orders compared with their recorded decisions, "
      << result.mismatches << " mismatches";
  if (!result.first_mismatch.empty()) err << "; the first at " << result.first_mismatch;
  if (starts > 1) err << "; " << starts - 1 << " restarts of fixguard";
  if (actions_replayed) err << "; " << actions_replayed << " actions on the engine taken again (operator, marks file)";
  if (operator_actions) err << "; " << operator_actions << " operator actions not replayed";
  err << "\n";
  return result;
}

}  // namespace fixguard::proxy
