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
  if (phase_ != Phase::armed) return false;
  phase_ = Phase::tripped;
  reason_ = std::move(reason);
  tripped_at_ns_ = now_ns;
  tripped_day_ = day;
  return true;
}

void EmergencyStop::acted() {
  if (phase_ == Phase::tripped) phase_ = Phase::cooling_down;
}

std::optional<std::string> EmergencyStop::reset(std::string_view operator_name, std::string_view reason,
                                                const Settings& settings, int64_t now_ns, int32_t day) {
  if (operator_name.empty() || reason.empty()) return "a reset needs an operator and a reason";
  switch (phase_) {
    case Phase::armed:
      return "the emergency stop is not tripped";
    case Phase::tripped:
      return "the emergency stop's orders are still being cancelled";
    case Phase::cooling_down:
      break;
  }
  if (now_ns - tripped_at_ns_ < settings.cooldown_ns) return "the emergency stop is cooling down";
  if (settings.lockout_until_next_day && day <= tripped_day_)
    return "the account is locked out until the next trading day";
  phase_ = Phase::armed;
  last_reset_ = std::string(operator_name) + ": " + std::string(reason);
  return std::nullopt;
}

}  // namespace fixguard::risk
