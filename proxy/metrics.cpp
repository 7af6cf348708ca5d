#include "proxy/metrics.h"

#include <sstream>

namespace fixguard::proxy {
namespace {

// Nanoseconds as seconds, exactly, for a Prometheus label or value.
std::string seconds(int64_t ns) {
  std::string digits = std::to_string(ns);
  if (digits.size() < 10) digits.insert(0, 10 - digits.size(), '0');
  std::string out = digits.substr(0, digits.size() - 9) + "." + digits.substr(digits.size() - 9);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

void Metrics::decision_took(int64_t ns) {
  std::size_t b = 0;
  while (b < kBucketsNs.size() && ns > kBucketsNs[b]) ++b;
  ++buckets_[b];
  ++decisions_;
  decision_ns_total_ += ns;
}

std::string Metrics::render() const {
  std::ostringstream out;
  const char* types[] = {"D", "G", "F"};
  out << "# HELP fixguard_orders_in_total Order messages received from strategies, by MsgType.\n"
      << "# TYPE fixguard_orders_in_total counter\n";
  for (std::size_t i = 0; i < 3; ++i) out << "fixguard_orders_in_total{type=\"" << types[i] << "\"} " << in_[i] << "\n";
  out << "# HELP fixguard_orders_forwarded_total Order messages forwarded to venues, by MsgType.\n"
      << "# TYPE fixguard_orders_forwarded_total counter\n";
  for (std::size_t i = 0; i < 3; ++i)
    out << "fixguard_orders_forwarded_total{type=\"" << types[i] << "\"} " << forwarded_[i] << "\n";
  out << "# HELP fixguard_orders_rejected_total Order messages fixguard refused, by rule.\n"
      << "# TYPE fixguard_orders_rejected_total counter\n";
  for (const risk::RuleInfo& r : risk::all_rules())
    out << "fixguard_orders_rejected_total{rule=\"" << r.id << "\"} " << rejected_[static_cast<std::size_t>(r.rule)]
        << "\n";
  out << "fixguard_orders_rejected_total{rule=\"OTHER\"} " << rejected_.back() << "\n";
  out << "# HELP fixguard_decision_seconds Time the risk checks took per order.\n"
      << "# TYPE fixguard_decision_seconds histogram\n";
  uint64_t cumulative = 0;
  for (std::size_t b = 0; b < kBucketsNs.size(); ++b) {
    cumulative += buckets_[b];
    out << "fixguard_decision_seconds_bucket{le=\"" << seconds(kBucketsNs[b]) << "\"} " << cumulative << "\n";
  }
  out << "fixguard_decision_seconds_bucket{le=\"+Inf\"} " << decisions_ << "\n"
      << "fixguard_decision_seconds_sum " << seconds(decision_ns_total_) << "\n"
      << "fixguard_decision_seconds_count " << decisions_ << "\n";
  out << "# HELP fixguard_execution_reports_resent_total ExecutionReports resent by their venue (PossDup or "
         "PossResend) whose ExecID was applied before: forwarded, not applied again.\n"
      << "# TYPE fixguard_execution_reports_resent_total counter\n"
      << "fixguard_execution_reports_resent_total " << reports_resent_ << "\n";
  out << "# HELP fixguard_exec_ids_reused_total ExecutionReports with a fill whose ExecID their venue used before "
         "without PossDup or PossResend: applied again.\n"
      << "# TYPE fixguard_exec_ids_reused_total counter\n"
      << "fixguard_exec_ids_reused_total " << exec_ids_reused_ << "\n";
  out << "# HELP fixguard_trade_corrections_total ExecutionReports that cancel or correct an earlier fill (ExecType H "
         "or G, ExecTransType 1 or 2), applied: the fill taken back from its position, or booked as corrected.\n"
      << "# TYPE fixguard_trade_corrections_total counter\n"
      << "fixguard_trade_corrections_total " << trades_corrected_ << "\n";
  out << "# HELP fixguard_trade_corrections_unapplied_total Trade cancels and corrections not applied (their fill "
         "unknown, older than yesterday, named twice or taken back already): the position needs an operator's "
         "check.\n"
      << "# TYPE fixguard_trade_corrections_unapplied_total counter\n"
      << "fixguard_trade_corrections_unapplied_total " << trade_corrections_unapplied_ << "\n";
  return out.str();
}

}  // namespace fixguard::proxy
