#include "proxy/audit_report.h"

#include "fix/log.h"
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

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  return out;
}

// What a row shows of a decision: its rule, else its outcome.
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
    out << "    order: " << log::printable_fix(e.raw) << "\n";
    if (!e.reply.empty()) out << "    reply: " << log::printable_fix(e.reply) << "\n";
  }
  out << rows.size() << (rows.size() == 1 ? " order\n" : " orders\n");
}

void write_audit_html(std::ostream& out, const std::vector<JournalEntry>& rows, const std::string& title) {
  // The chart: rejects per time bucket, stacked by rule. About 40 buckets
  // over the span of the rows, each a whole number of minutes.
  std::map<std::string, std::size_t> rules;  // rule -> colour index
  for (const JournalEntry& e : rows)
    if (e.outcome == "rejected") rules.emplace(rule_of(e), 0);
  std::size_t n = 0;
  for (auto& [rule, index] : rules) index = n++;
  const int64_t first = rows.empty() ? 0 : rows.front().at_us, last = rows.empty() ? 0 : rows.back().at_us;
  constexpr int64_t kMinuteUs = 60'000'000;
  const int64_t bucket_us = std::max<int64_t>(kMinuteUs, ((last - first) / 40 / kMinuteUs + 1) * kMinuteUs);
  const int64_t start = first - first % bucket_us;
  const std::size_t buckets = rows.empty() ? 0 : static_cast<std::size_t>((last - start) / bucket_us + 1);
  std::vector<std::vector<int>> counts(buckets, std::vector<int>(rules.size(), 0));
  int tallest = 1;
  for (const JournalEntry& e : rows) {
    if (e.outcome != "rejected") continue;
    auto& column = counts[static_cast<std::size_t>((e.at_us - start) / bucket_us)];
    ++column[rules[rule_of(e)]];
    int sum = 0;
    for (int c : column) sum += c;
    tallest = std::max(tallest, sum);
  }
  static const char* kColours[] = {"#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  constexpr int kWidth = 900, kHeight = 260, kLeft = 40, kBottom = 30;
  const double bar = buckets ? static_cast<double>(kWidth - kLeft) / static_cast<double>(buckets) : 0;

  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>fixguard audit</title>\n<style>\n"
         "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:13px}\n"
         "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\n"
         "th{background:#f0f0f0}code{font-size:11px;word-break:break-all}.legend span{margin-right:1.2em}\n"
         ".swatch{display:inline-block;width:10px;height:10px;margin-right:4px}\n</style></head><body>\n"
      << "<h1>fixguard audit</h1>\n<p>" << html_escape(title) << "</p>\n<p>" << rows.size() << " orders";
  if (!rows.empty()) out << " from " << utc_time(first) << " to " << utc_time(last);
  out << "; rejects per " << bucket_us / kMinuteUs << " min by rule:</p>\n";
  out << "<svg width=\"" << kWidth << "\" height=\"" << kHeight + kBottom << "\" role=\"img\">\n";
  out << "<text x=\"0\" y=\"12\" font-size=\"11\">" << tallest << "</text>"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kHeight << "\" x2=\"" << kWidth << "\" y2=\"" << kHeight
      << "\" stroke=\"#888\"/>\n";
  for (std::size_t b = 0; b < buckets; ++b) {
    double y = kHeight;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      if (!counts[b][r]) continue;
      const double h = static_cast<double>(counts[b][r]) * (kHeight - 20) / tallest;
      y -= h;
      out << "<rect x=\"" << kLeft + static_cast<double>(b) * bar << "\" y=\"" << y << "\" width=\""
          << std::max(1.0, bar - 1) << "\" height=\"" << h << "\" fill=\"" << kColours[r % 10] << "\"><title>"
          << utc_time(start + static_cast<int64_t>(b) * bucket_us) << ": " << counts[b][r] << "</title></rect>\n";
    }
  }
  if (buckets)
    out << "<text x=\"" << kLeft << "\" y=\"" << kHeight + 20 << "\" font-size=\"11\">" << utc_time(start)
        << "</text><text x=\"" << kWidth << "\" y=\"" << kHeight + 20 << "\" font-size=\"11\" text-anchor=\"end\">"
        << utc_time(start + static_cast<int64_t>(buckets) * bucket_us) << "</text>\n";
  out << "</svg>\n<p class=\"legend\">";
  for (const auto& [rule, index] : rules)
    out << "<span><i class=\"swatch\" style=\"background:" << kColours[index % 10] << "\"></i>" << html_escape(rule)
        << "</span>";
  out << "</p>\n<table>\n<tr><th>seq</th><th>time</th><th>client</th><th>account</th><th>symbol</th><th>type</th>"
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
