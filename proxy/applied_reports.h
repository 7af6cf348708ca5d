// The ExecutionReports applied to the risk state, by venue and ExecID (17),
// so that a venue's PossDup resend of one is not applied twice: live, and
// when the journal is replayed at start. An ExecID seen again without
// PossDup (a venue may reuse them) is applied.
#pragma once

#include "fix/raw_fields.h"

#include <string>
#include <string_view>
#include <unordered_set>

namespace fixguard::proxy {

class AppliedReports {
 public:
  // Whether `raw`, an ExecutionReport from `venue`, resends one already
  // applied; if not, it counts as applied from now on.
  bool repeated(std::string_view venue, std::string_view raw) {
    const auto exec_id = fix::find_field(raw, 17);
    if (!exec_id) return false;
    std::string key(venue);
    key += '|';
    key += *exec_id;
    if (seen_.insert(std::move(key)).second) return false;
    return fix::find_field(raw, 43).value_or("N") == "Y";
  }

 private:
  std::unordered_set<std::string> seen_;  // "venue|ExecID"
};

}  // namespace fixguard::proxy
