// The ExecutionReports applied to the risk state, by venue and ExecID (17),
// so that a venue's PossDup resend of one is not applied twice: live, and
// when the journal is replayed at start. An ExecID seen again without
// PossDup (a venue may reuse them) is applied.
#pragma once

#include "fix/raw_fields.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>

namespace fixguard::proxy {

class AppliedReports {
 public:
  // Whether `raw`, an ExecutionReport from `venue` on trading day `day`,
  // resends one already applied; if not, it counts as applied from now on.
  // ExecIDs are kept for `day` and the day before (a resend may cross the
  // day's start); older days are forgotten, so memory follows one day's
  // flow, not the process's lifetime.
  bool repeated(std::string_view venue, std::string_view raw, int32_t day) {
    const auto exec_id = fix::find_field(raw, 17);
    if (!exec_id) return false;
    std::string key(venue);
    key += '|';
    key += *exec_id;
    if (by_day_.empty() || day > by_day_.rbegin()->first)  // a new day: the one before it stays
      by_day_.erase(by_day_.begin(), by_day_.lower_bound(day - 1));
    bool applied = false;
    for (const auto& [d, seen] : by_day_) applied = applied || (d != day && seen.count(key));
    if (!applied && by_day_[day].insert(std::move(key)).second) return false;
    return fix::find_field(raw, 43).value_or("N") == "Y";
  }

 private:
  std::map<int32_t, std::unordered_set<std::string>> by_day_;  // "venue|ExecID" by trading day
};

}  // namespace fixguard::proxy
