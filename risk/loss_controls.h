// Loss controls: what the day's results do to an account by themselves.
//
// Equity is the account's configured equity plus its realized and
// unrealized P&L. The monitor keeps the day-start equity (captured at the
// first review of each trading day) and the peak equity, and reviews the
// account after every fill and mark:
// - a daily loss (money, or percent of the day-start equity), an equity
//   below the floor, a drawdown from the peak past the maximum, or an open
//   (unrealized) loss past its percent of the day-start equity trips the
//   account's emergency stop;
// - graduated drawdown zones move the account to caution (a factor on the
//   maximum order size), REDUCE_ONLY or HALTED; the deepest zone reached
//   applies, and the zone follows the drawdown back up as equity recovers;
// - a run of venue rejects, or repeated rate-limit breaches, trips it too.
// Every comparison is exact; exactly at a limit does not trip.
//
// Pure: time and the trading day are parameters. Thread: one at a time.
#pragma once

#include "risk/decimal.h"
#include "risk/emergency_stop.h"
#include "risk/notional.h"
#include "risk/protective_stops.h"
#include "risk/trading_state.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::risk {

struct DrawdownZone {
  Percent drawdown;  // from the peak equity, at or past which the zone applies
  TradingState state = TradingState::active;
  std::optional<Ratio> size_factor;  // caution: the maximum order size times this
};

struct LossLimits {
  std::optional<Notional> max_daily_loss;
  std::optional<Percent> max_daily_loss_percent;  // of the day-start equity
  std::optional<Notional> equity_floor;
  std::optional<Percent> max_drawdown_percent;   // from the peak equity
  std::optional<Percent> max_open_loss_percent;  // unrealized loss, of the day-start equity
  std::vector<DrawdownZone> zones;               // any order
  std::optional<int64_t> max_consecutive_rejects;
  std::optional<int64_t> max_rate_limit_breaches;  // within rate_breach_window_ns
  int64_t rate_breach_window_ns = 60'000'000'000;
  EmergencyStop::Settings stop;
  bool flatten_on_trip = false;  // a trip also closes the account's positions
  std::optional<ProtectiveStopRule> protective_stop;
};

class LossMonitor {
 public:
  // Starts with `equity` as both the peak and the day-start equity of `day`.
  LossMonitor(Notional equity, int32_t day) : peak_(equity), day_start_(equity), day_(day) {}
  // What a restart must find again: the peak and day-start equity.
  struct Record {
    Notional peak, day_start;
    int32_t day = 0;
  };
  explicit LossMonitor(const Record& r) : peak_(r.peak), day_start_(r.day_start), day_(r.day) {}
  Record record() const { return Record{peak_, day_start_, day_}; }

  struct Review {
    TradingState state = TradingState::active;  // from the zones
    std::optional<Ratio> size_factor;           // from the zones
    std::string zone;                           // why, when not plain ACTIVE: "DRAWDOWN 6% >= 6%"
    std::optional<std::string> trip;            // a limit that trips the stop, with the values
  };
  // Reviews the account at `equity` with `unrealized` P&L on `day`.
  Review review(const LossLimits& limits, Notional equity, Notional unrealized, int32_t day);

  // A venue refused one of the account's orders / accepted one. A trip
  // reason when the run of refusals reaches the maximum.
  std::optional<std::string> on_venue_reject(const LossLimits& limits);
  void on_venue_accept() { consecutive_rejects_ = 0; }
  // A rate limit refused one of its orders.
  std::optional<std::string> on_rate_limit_breach(const LossLimits& limits, int64_t now_ns);

  Notional peak_equity() const { return peak_; }
  Notional day_start_equity() const { return day_start_; }
  int32_t day() const { return day_; }

 private:
  Notional peak_, day_start_;
  int32_t day_;
  int64_t consecutive_rejects_ = 0;
  std::deque<int64_t> breaches_;  // times of recent rate-limit breaches
};

// part > whole x percent / 100, exactly; with whole <= 0, any part > 0.
bool over_percent(Notional part, Notional whole, Percent percent);

}  // namespace fixguard::risk
