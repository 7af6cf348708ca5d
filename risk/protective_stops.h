// The protective-stop rule: a position must have a working stop order (an
// open OrdType 3 or 4 on the opposite side) at the venue. One left without
// for longer than the account's grace period raises an alert, once, and the
// configured action follows (REDUCE_ONLY for the account, or the position
// closed). A stop placed in
// time, or the position closing, clears it.
//
// Reviewed periodically (the proxy does once a second, so the grace period
// holds to about a second). Pure: time is a parameter. Thread: one at a time.
#pragma once

#include "risk/decimal.h"
#include "risk/portfolio.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace fixguard::risk {

struct ProtectiveStopRule {
  // alert: logged only; reduce_only: the account too; flatten: the position
  // is closed (by the proxy, which owns the sessions).
  enum class Action : uint8_t { alert, reduce_only, flatten };
  int64_t grace_ns = 0;
  Action action = Action::alert;
};

struct ProtectionAlert {
  std::string account, symbol;
  Quantity qty;  // signed: the unprotected position
  int64_t unprotected_ns = 0;
  ProtectiveStopRule::Action action = ProtectiveStopRule::Action::alert;
  // "PROTECTIVE_STOP IBM long 100 without a stop for 30s"
  std::string describe() const;
};

class ProtectiveStops {
 public:
  // The rule for an account's name (null: none applies).
  using RuleOf = std::function<const ProtectiveStopRule*(const std::string& account)>;

  // The alerts due at `now_ns`: positions unprotected for longer than their
  // grace period and not alerted yet.
  std::vector<ProtectionAlert> review(const Portfolio& portfolio, const RuleOf& rule_of, int64_t now_ns);

 private:
  static constexpr int64_t kNever = INT64_MIN;
  std::vector<int64_t> unprotected_since_;  // by position; kNever when protected or flat
  std::vector<bool> alerted_;               // by position, since it became unprotected
};

}  // namespace fixguard::risk
