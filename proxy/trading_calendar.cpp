#include "proxy/trading_calendar.h"

#include <date/tz.h>

namespace fixguard::proxy {

TradingCalendar::TradingCalendar(const config::TradingDayConfig& config)
    : zone_(date::locate_zone(config.time_zone)), starts_at_(config.starts_at_minute) {}

int32_t TradingCalendar::day(std::chrono::system_clock::time_point t) const {
  const auto local = zone_->to_local(std::chrono::time_point_cast<std::chrono::seconds>(t));
  const auto shifted = local - starts_at_;
  return static_cast<int32_t>(date::floor<date::days>(shifted).time_since_epoch().count());
}

}  // namespace fixguard::proxy
