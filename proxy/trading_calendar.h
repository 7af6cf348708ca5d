// Which trading day a moment belongs to: days change at the configured
// local time in the configured time zone (daylight saving included), so a
// desk whose day starts at 17:00 New York time rolls over then, all year.
//
// A trading day is numbered by the local date on which it started, as days
// since 1970-01-01 (with the default, midnight UTC, that is the UTC date).
// Thread: any (immutable after construction).
#pragma once

#include "config/config.h"

#include <chrono>
#include <cstdint>

namespace date {
class time_zone;
}

namespace fixguard::proxy {

class TradingCalendar {
 public:
  // The zone was checked when the config was read.
  explicit TradingCalendar(const config::TradingDayConfig& config);

  int32_t day(std::chrono::system_clock::time_point t) const;
  int32_t today() const { return day(std::chrono::system_clock::now()); }

 private:
  const date::time_zone* zone_;
  std::chrono::minutes starts_at_;
};

}  // namespace fixguard::proxy
