// Counters the operator interface exports in Prometheus text format: orders
// in by type, forwarded, rejected by rule, how long risk decisions took, and
// venue reports resent or with a reused ExecID.
//
// Thread: io thread only (the router counts, the admin server reads).
#pragma once

#include "risk/rule.h"

#include <array>
#include <cstdint>
#include <string>

namespace fixguard::proxy {

class Metrics {
 public:
  // Upper bounds of the decision-latency buckets, in nanoseconds.
  static constexpr std::array<int64_t, 10> kBucketsNs = {500,    1'000,  2'000,   5'000,   10'000,
                                                         20'000, 50'000, 100'000, 500'000, 1'000'000};

  // A D, G or F arrived from a strategy (type 'D', 'G' or 'F').
  void order_in(char type) { ++in_[index(type)]; }
  void forwarded(char type) { ++forwarded_[index(type)]; }
  // Refused by fixguard: `rule` names why (count_ for a reason outside the
  // rules, such as a venue that is down).
  void rejected(risk::Rule rule) { ++rejected_[static_cast<std::size_t>(rule)]; }
  void decision_took(int64_t ns);
  // An ExecutionReport resent (PossDup or PossResend) whose ExecID was
  // applied before: forwarded, not applied again.
  void report_resent() { ++reports_resent_; }
  // An ExecutionReport with a fill whose ExecID its venue used before
  // without either flag: applied again.
  void exec_id_reused() { ++exec_ids_reused_; }
  uint64_t exec_ids_reused() const { return exec_ids_reused_; }
  // An ExecutionReport that cancels or corrects an earlier fill, applied or not.
  void trade_corrected(bool applied) { ++(applied ? trades_corrected_ : trade_corrections_unapplied_); }

  // The counters as Prometheus text (each line "name{labels} value").
  std::string render() const;

 private:
  static std::size_t index(char type) { return type == 'D' ? 0 : type == 'G' ? 1 : 2; }

  std::array<uint64_t, 3> in_{}, forwarded_{};
  std::array<uint64_t, static_cast<std::size_t>(risk::Rule::count_) + 1> rejected_{};
  std::array<uint64_t, kBucketsNs.size() + 1> buckets_{};  // last: above every bound
  uint64_t decisions_ = 0;
  uint64_t reports_resent_ = 0, exec_ids_reused_ = 0, trades_corrected_ = 0, trade_corrections_unapplied_ = 0;
  int64_t decision_ns_total_ = 0;
};

}  // namespace fixguard::proxy
