// An emergency stop, per account or for everything: ARMED until something
// trips it; TRIPPED until fixguard has pulled the open orders in its scope;
// then COOLING_DOWN until an operator resets it. A reset carries the
// operator's name and a reason, and is refused until the cooldown has run
// from the trip (and, with a lockout, until the next trading day). While not
// ARMED, the scope is halted: only cancels pass.
//
// Pure: time and the trading day are parameters. Thread: one at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fixguard::risk {

class EmergencyStop {
 public:
  enum class Phase : uint8_t { armed, tripped, cooling_down };
  struct Settings {
    int64_t cooldown_ns = 0;
    bool lockout_until_next_day = false;
  };
  // Everything a restart must find again.
  struct Record {
    Phase phase = Phase::armed;
    std::string reason;
    int64_t tripped_at_ns = 0;
    int32_t tripped_day = 0;
    std::string last_reset;
  };

  EmergencyStop() = default;
  explicit EmergencyStop(Record record) : r_(std::move(record)) {}
  const Record& record() const { return r_; }

  Phase phase() const { return r_.phase; }
  bool armed() const { return r_.phase == Phase::armed; }
  // Why it last tripped ("DAILY_LOSS 1200 > 1000"), and when.
  const std::string& reason() const { return r_.reason; }
  int64_t tripped_at_ns() const { return r_.tripped_at_ns; }
  int32_t tripped_day() const { return r_.tripped_day; }

  // Trips an armed stop; false, changing nothing, if it is not armed.
  bool trip(std::string reason, int64_t now_ns, int32_t day);
  // fixguard has pulled the scope's orders: the stop cools down.
  void acted();
  // Re-arms the stop for `operator_name`, or says why not.
  std::optional<std::string> reset(std::string_view operator_name, std::string_view reason, const Settings& settings,
                                   int64_t now_ns, int32_t day);
  // Who re-armed it last, and why ("alice: losses reviewed").
  const std::string& last_reset() const { return r_.last_reset; }

 private:
  Record r_;
};

std::string_view phase_name(EmergencyStop::Phase phase);

}  // namespace fixguard::risk
