#include "risk/emergency_stop.h"

namespace fixguard::risk {

std::string_view phase_name(EmergencyStop::Phase phase) {
  switch (phase) {
    case EmergencyStop::Phase::armed:
      return "ARMED";
    case EmergencyStop::Phase::tripped:
      return "TRIPPED";
    case EmergencyStop::Phase::cooling_down:
      return "COOLING_DOWN";
  }
  return "?";
}

bool EmergencyStop::trip(std::string reason, int64_t now_ns, int32_t day) {
  if (r_.phase != Phase::armed) return false;
  r_.phase = Phase::tripped;
  r_.reason = std::move(reason);
  r_.tripped_at_ns = now_ns;
  r_.tripped_day = day;
  return true;
}

void EmergencyStop::acted() {
  if (r_.phase == Phase::tripped) r_.phase = Phase::cooling_down;
}

std::optional<std::string> EmergencyStop::reset(std::string_view operator_name, std::string_view reason,
                                                const Settings& settings, int64_t now_ns, int32_t day) {
  if (operator_name.empty() || reason.empty()) return "a reset needs an operator and a reason";
  switch (r_.phase) {
    case Phase::armed:
      return "the emergency stop is not tripped";
    case Phase::tripped:
      return "the emergency stop's orders are still being cancelled";
    case Phase::cooling_down:
      break;
  }
  if (const int64_t left = settings.cooldown_ns - (now_ns - r_.tripped_at_ns); left > 0) {
    const int64_t seconds = (left + 999'999'999) / 1'000'000'000;
    return "the emergency stop is cooling down (" + std::to_string(seconds) + " s left)";
  }
  if (settings.lockout_until_next_day && day <= r_.tripped_day)
    return "the account is locked out until the next trading day";
  r_.phase = Phase::armed;
  r_.last_reset = std::string(operator_name) + ": " + std::string(reason);
  return std::nullopt;
}

}  // namespace fixguard::risk
