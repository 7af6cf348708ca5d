// Trading days roll over at the configured local time, daylight saving
// included.
#include "proxy/trading_calendar.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <date/date.h>

namespace fixguard::proxy {
namespace {

using namespace std::chrono;

system_clock::time_point utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return date::sys_days(date::year(y) / m / d) + hours(hh) + minutes(mm) + seconds(ss);
}

int32_t day_number(int y, unsigned m, unsigned d) {
  return static_cast<int32_t>(date::sys_days(date::year(y) / m / d).time_since_epoch().count());
}

TEST(TradingCalendar, TheDefaultIsTheUtcDate) {
  const TradingCalendar c{config::TradingDayConfig{}};
  EXPECT_EQ(c.day(utc(2026, 11, 22, 0, 0, 0)), day_number(2026, 11, 22));
  EXPECT_EQ(c.day(utc(2026, 11, 22, 23, 59, 59)), day_number(2026, 11, 22));
  EXPECT_EQ(c.day(utc(2026, 11, 23, 0, 0, 0)), day_number(2026, 11, 23));
}

TEST(TradingCalendar, ADayStartingAt1700NewYorkFollowsDaylightSaving) {
  const TradingCalendar c{config::TradingDayConfig{"America/New_York", 17 * 60}};
  // Winter, UTC-5: 17:00 local is 22:00 UTC.
  EXPECT_EQ(c.day(utc(2026, 11, 23, 21, 59, 59)), day_number(2026, 11, 22));
  EXPECT_EQ(c.day(utc(2026, 11, 23, 22, 0, 0)), day_number(2026, 11, 23));
  // Summer, UTC-4: 17:00 local is 21:00 UTC.
  EXPECT_EQ(c.day(utc(2026, 7, 1, 20, 59, 59)), day_number(2026, 6, 30));
  EXPECT_EQ(c.day(utc(2026, 7, 1, 21, 0, 0)), day_number(2026, 7, 1));
}

std::string error_of(const std::string& trading_day) {
  testing::TempDir dir;
  try {
    testing::make_config(testing::two_client_yaml(9880, 9878, "FIX.4.4", "", trading_day), dir.path());
  } catch (const config::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(TradingCalendar, TheConfigNamesABadZoneOrTime) {
  EXPECT_EQ(error_of("trading_day: { time_zone: Mars/Olympus }\n"),
            "trading_day.time_zone: unknown time zone 'Mars/Olympus' (an IANA name such as America/New_York)");
  EXPECT_EQ(error_of("trading_day: { starts_at: \"25:00\" }\n"),
            "trading_day.starts_at: expected HH:MM (local time), got '25:00'");
  EXPECT_EQ(error_of("trading_day: { time_zone: Europe/London, starts_at: \"07:30\" }\n"), "");
}

}  // namespace
}  // namespace fixguard::proxy
