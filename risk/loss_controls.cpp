#include "risk/loss_controls.h"

#include "risk/decision.h"

#include <limits>

namespace fixguard::risk {
namespace {

// The sign of part / whole x 100 - percent, exactly, for whole > 0.
int compare_percent(Notional part, Notional whole, Percent percent) {
  // part / whole vs percent / 100  <=>  part x 100 x 10^8 vs whole x percent units
  __int128 lhs, rhs;
  if (__builtin_mul_overflow(part.units(), static_cast<__int128>(100) * Percent::kOne, &lhs))
    return part.units() > 0 ? 1 : -1;
  if (__builtin_mul_overflow(whole.units(), static_cast<__int128>(percent.units()), &rhs)) return -1;
  return lhs > rhs ? 1 : lhs < rhs ? -1 : 0;
}

std::string money(Notional n) { return Amount::of(n).to_string(); }
std::string percent(Percent p) { return Amount::of(p).to_string(); }

// `part` of `whole` as a percent, to two decimals, for texts ("6.25%").
std::string share(Notional part, Notional whole) {
  if (whole.units() <= 0) return "all";
  // Near the range's end (sums saturate there) part x 10000 would overflow:
  // then whole / 10000 instead, the last digits approximate.
  __int128 basis_points = 0;
  if (__builtin_mul_overflow(part.units(), 10000, &basis_points)) {
    basis_points = part.units() / (whole.units() / 10000 + 1);
  } else {
    basis_points /= whole.units();
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t bp = basis_points > kMax ? kMax : basis_points < -kMax ? -kMax : static_cast<int64_t>(basis_points);
  std::string out = std::to_string(bp / 100);
  const int64_t cents = bp % 100;
  if (cents != 0) out += (cents < 10 ? ".0" : ".") + std::to_string(cents);
  return out + "%";
}

}  // namespace

bool over_percent(Notional part, Notional whole, Percent percent) {
  if (whole.units() <= 0) return part.units() > 0;
  return compare_percent(part, whole, percent) > 0;
}

LossMonitor::Review LossMonitor::review(const LossLimits& limits, Notional equity, Notional unrealized, int32_t day) {
  if (day != day_) {
    day_ = day;
    day_start_ = equity;
  }
  if (equity > peak_) peak_ = equity;
  Review r;
  const Notional daily_loss = day_start_ - equity;
  const Notional drawdown = peak_ - equity;
  const Notional open_loss = Notional() - unrealized;
  if (limits.max_daily_loss && daily_loss > *limits.max_daily_loss)
    r.trip = "DAILY_LOSS " + money(daily_loss) + " > " + money(*limits.max_daily_loss);
  else if (limits.max_daily_loss_percent && daily_loss.units() > 0 &&
           over_percent(daily_loss, day_start_, *limits.max_daily_loss_percent))
    r.trip = "DAILY_LOSS " + share(daily_loss, day_start_) + " > " + percent(*limits.max_daily_loss_percent) +
             " of day-start equity " + money(day_start_);
  else if (limits.equity_floor && equity < *limits.equity_floor)
    r.trip = "EQUITY_FLOOR " + money(equity) + " < " + money(*limits.equity_floor);
  else if (limits.max_drawdown_percent && drawdown.units() > 0 &&
           over_percent(drawdown, peak_, *limits.max_drawdown_percent))
    r.trip = "DRAWDOWN " + share(drawdown, peak_) + " > " + percent(*limits.max_drawdown_percent) + " from peak " +
             money(peak_);
  else if (limits.max_open_loss_percent && open_loss.units() > 0 &&
           over_percent(open_loss, day_start_, *limits.max_open_loss_percent))
    r.trip = "OPEN_LOSS " + share(open_loss, day_start_) + " > " + percent(*limits.max_open_loss_percent) +
             " of day-start equity " + money(day_start_);

  // The deepest zone reached applies.
  const DrawdownZone* deepest = nullptr;
  for (const DrawdownZone& z : limits.zones) {
    const bool reached = peak_.units() <= 0 ? drawdown.units() > 0 : compare_percent(drawdown, peak_, z.drawdown) >= 0;
    if (reached && (!deepest || z.drawdown > deepest->drawdown)) deepest = &z;
  }
  if (deepest && drawdown.units() > 0) {
    r.state = deepest->state;
    r.size_factor = deepest->size_factor;
    r.zone = "DRAWDOWN " + share(drawdown, peak_) + " >= " + percent(deepest->drawdown) + " from peak " + money(peak_);
  }
  return r;
}

std::optional<std::string> LossMonitor::on_venue_reject(const LossLimits& limits) {
  ++consecutive_rejects_;
  if (limits.max_consecutive_rejects && consecutive_rejects_ >= *limits.max_consecutive_rejects)
    return "VENUE_REJECTS " + std::to_string(consecutive_rejects_) + " in a row";
  return std::nullopt;
}

std::optional<std::string> LossMonitor::on_rate_limit_breach(const LossLimits& limits, int64_t now_ns) {
  if (!limits.max_rate_limit_breaches) return std::nullopt;
  breaches_.push_back(now_ns);
  while (!breaches_.empty() && now_ns - breaches_.front() >= limits.rate_breach_window_ns) breaches_.pop_front();
  if (static_cast<int64_t>(breaches_.size()) >= *limits.max_rate_limit_breaches)
    return "RATE_LIMIT breached " + std::to_string(breaches_.size()) + " times within " +
           Amount::of_duration(limits.rate_breach_window_ns).to_string();
  return std::nullopt;
}

}  // namespace fixguard::risk
