// The ExecutionReports applied to the risk state, by venue and ExecID (17),
// so that a venue's resend of one is not applied twice: live, and when the
// journal is replayed at start. A resend is a report whose ExecID was seen
// before and that says it may have been sent before: PossDupFlag (43=Y, a
// session-level resend) or PossResend (97=Y, an application-level one). An
// ExecID seen again without either is the venue reusing it: applied (it is
// a report fixguard has not seen), and the router says so.
#pragma once

#include "fix/raw_fields.h"
#include "risk/flat_index.h"
#include "risk/hashing.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>

namespace fixguard::proxy {

class AppliedReports {
 public:
  enum class Seen {
    first,   // a new ExecID (or none): applied
    resent,  // seen before, 43=Y or 97=Y: not applied again
    reused,  // seen before, neither flag: applied again
  };

  // What `raw`, an ExecutionReport from `venue` on trading day `day`, is;
  // from now on its ExecID counts as seen. ExecIDs are kept for `day` and
  // the day before (a resend may cross the day's start); older days are
  // forgotten, so memory follows one day's flow, not the process's lifetime.
  Seen check(std::string_view venue, std::string_view raw, int32_t day) {
    const auto exec_id = fix::find_field(raw, 17);
    if (!exec_id) return Seen::first;
    const uint64_t key = risk::scoped_key(venue, *exec_id);
    if (by_day_.empty() || day > by_day_.rbegin()->first)  // a new day: the one before it stays
      by_day_.erase(by_day_.begin(), by_day_.lower_bound(day - 1));
    bool seen = false;
    for (const auto& [d, ids] : by_day_) seen = seen || (d != day && ids.find(key));
    if (!seen) {
      risk::FlatIndex& today = by_day_[day];
      const std::size_t before = today.size();
      today.insert(key, 0);
      if (today.size() > before) return Seen::first;
    }
    const bool flagged = fix::find_field(raw, 43).value_or("N") == "Y" || fix::find_field(raw, 97).value_or("N") == "Y";
    return flagged ? Seen::resent : Seen::reused;
  }

  // Whether `raw` resends a report already applied (check() == resent).
  bool repeated(std::string_view venue, std::string_view raw, int32_t day) {
    return check(venue, raw, day) == Seen::resent;
  }

 private:
  // ExecIDs are kept as risk::scoped_key(venue, ExecID), in a flat table (no
  // allocation per report, where a node set made one): a new ExecID taken
  // for one seen needs a hash collision, and then is not applied only if it
  // is flagged. The values are unused.
  std::map<int32_t, risk::FlatIndex> by_day_;  // by trading day
};

}  // namespace fixguard::proxy
