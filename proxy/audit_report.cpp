#include "proxy/audit_report.h"

#include "fix/log.h"
#include "proxy/html_report.h"
#include "proxy/json_text.h"

#include <date/date.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

namespace fixguard::proxy {
namespace {

using persistence::JournalEntry;

std::string rule_of(const JournalEntry& e) { return e.rule.empty() ? "-" : e.rule; }

}  // namespace

std::optional<int64_t> parse_utc_time(const std::string& text) {
  std::string t = text;
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.pop_back();
  // YYYY-MM-DD, then optionally THH:MM and :SS; digits where digits belong.
  const std::string shape = "dddd-dd-ddTdd:dd:dd";
  if (t.size() != 10 && t.size() != 16 && t.size() != 19) return std::nullopt;
  for (std::size_t i = 0; i < t.size(); ++i)
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(t[i])) : t[i] != shape[i]) return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t n) { return std::stoi(t.substr(at, n)); };
  const date::year_month_day ymd{date::year(number(0, 4)), date::month(static_cast<unsigned>(number(5, 2))),
                                 date::day(static_cast<unsigned>(number(8, 2)))};
  if (!ymd.ok()) return std::nullopt;
  const int hours = t.size() > 10 ? number(11, 2) : 0, minutes = t.size() > 10 ? number(14, 2) : 0;
  const int seconds = t.size() > 16 ? number(17, 2) : 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return std::nullopt;
  const auto at =
      date::sys_days(ymd) + std::chrono::hours(hours) + std::chrono::minutes(minutes) + std::chrono::seconds(seconds);
  return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

std::string utc_time(int64_t us) {
  return date::format("%FT%TZ", date::sys_time<std::chrono::microseconds>(std::chrono::microseconds(us)));
}

void write_audit(std::ostream& out, const std::vector<JournalEntry>& rows, AuditFormat format) {
  switch (format) {
    case AuditFormat::csv:
      out << "seq,time,client,venue,account,symbol,msg_type,cl_ord_id,outcome,rule,observed,limit,limits_version,"
             "mode,text,order_fix,reply_fix\n";
      for (const JournalEntry& e : rows)
        out << e.seq << "," << utc_time(e.at_us) << "," << csv_field(e.client) << "," << csv_field(e.venue) << ","
            << csv_field(e.account) << "," << csv_field(e.symbol) << "," << csv_field(e.msg_type) << ","
            << csv_field(e.cl_ord_id) << "," << e.outcome << "," << csv_field(e.rule) << "," << csv_field(e.observed)
            << "," << csv_field(e.limit) << "," << csv_field(e.limits_version) << "," << e.mode << ","
            << csv_field(e.text) << "," << csv_field(log::printable_fix(e.raw)) << ","
            << csv_field(log::printable_fix(e.reply)) << "\n";
      return;
    case AuditFormat::json:
      out << "[";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const JournalEntry& e = rows[i];
        out << (i ? ",\n " : "\n ") << "{\"seq\":" << e.seq << ",\"time\":" << json_string(utc_time(e.at_us))
            << ",\"client\":" << json_string(e.client) << ",\"venue\":" << json_string(e.venue)
            << ",\"account\":" << json_string(e.account) << ",\"symbol\":" << json_string(e.symbol)
            << ",\"msg_type\":" << json_string(e.msg_type) << ",\"cl_ord_id\":" << json_string(e.cl_ord_id)
            << ",\"outcome\":" << json_string(e.outcome) << ",\"rule\":" << json_string(e.rule)
            << ",\"observed\":" << json_string(e.observed) << ",\"limit\":" << json_string(e.limit)
            << ",\"limits_version\":" << json_string(e.limits_version) << ",\"mode\":" << json_string(e.mode)
            << ",\"text\":" << json_string(e.text) << ",\"order_fix\":" << json_string(log::printable_fix(e.raw))
            << ",\"reply_fix\":" << json_string(log::printable_fix(e.reply)) << "}";
      }
      out << (rows.empty() ? "]\n" : "\n]\n");
      return;
    case AuditFormat::table:
      break;
  }
  out << "seq | time | client | account | symbol | type | ClOrdID | outcome | rule | text\n";
  for (const JournalEntry& e : rows) {
    out << e.seq << " | " << utc_time(e.at_us) << " | " << e.client << " | " << e.account << " | " << e.symbol << " | "
        << e.msg_type << " | " << e.cl_ord_id << " | " << e.outcome << " | " << rule_of(e) << " | " << e.text << "\n";
    const bool order = e.kind == JournalEntry::Kind::order;
    if (order || !e.raw.empty()) out << (order ? "    order: " : "    logon: ") << log::printable_fix(e.raw) << "\n";
    if (!e.reply.empty()) out << "    reply: " << log::printable_fix(e.reply) << "\n";
  }
  const bool logons = !rows.empty() && rows.front().kind == JournalEntry::Kind::security;
  out << rows.size()
      << (logons ? (rows.size() == 1 ? " logon event\n" : " logon events\n")
                 : (rows.size() == 1 ? " order\n" : " orders\n"));
}

void write_audit_html(std::ostream& out, const std::vector<JournalEntry>& rows, const std::string& title) {
  TimeChart chart;
  for (const JournalEntry& e : rows)
    if (e.outcome == "rejected") chart.add(e.at_us, rule_of(e));
  write_html_start(out, "fixguard audit");
  out << "<p>" << html_escape(title) << "</p>\n<p>" << rows.size() << " orders";
  if (!rows.empty()) out << " from " << utc_time(rows.front().at_us) << " to " << utc_time(rows.back().at_us);
  out << "</p>\n";
  chart.write(out, "rejects by rule");
  out << "<table>\n<tr><th>seq</th><th>time</th><th>client</th><th>account</th><th>symbol</th><th>type</th>"
         "<th>ClOrdID</th><th>outcome</th><th>rule</th><th>observed</th><th>limit</th><th>text</th>"
         "<th>order / reply</th></tr>\n";
  for (const JournalEntry& e : rows)
    out << "<tr><td>" << e.seq << "</td><td>" << utc_time(e.at_us) << "</td><td>" << html_escape(e.client)
        << "</td><td>" << html_escape(e.account) << "</td><td>" << html_escape(e.symbol) << "</td><td>"
        << html_escape(e.msg_type) << "</td><td>" << html_escape(e.cl_ord_id) << "</td><td>" << e.outcome << "</td><td>"
        << html_escape(e.rule) << "</td><td>" << html_escape(e.observed) << "</td><td>" << html_escape(e.limit)
        << "</td><td>" << html_escape(e.text) << "</td><td><code>" << html_escape(log::printable_fix(e.raw))
        << "</code>" << (e.reply.empty() ? "" : "<br><code>" + html_escape(log::printable_fix(e.reply)) + "</code>")
        << "</td></tr>\n";
  out << "</table>\n</body></html>\n";
}

}  // namespace fixguard::proxy
