// The risk.controls section and the clients' cancel-on-disconnect keys.
#include "config/config.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

namespace fixguard::config {
namespace {

std::string with(const std::string& risk, const std::string& client_keys = "") {
  return testing::two_client_yaml(9880, 9878, "FIX.4.4", client_keys, risk);
}

std::string error_of(const std::string& yaml) {
  testing::TempDir dir;
  try {
    testing::make_config(yaml, dir.path());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ControlsConfig, ParsesLossLimitsZonesStopsAndPerAccountOverrides) {
  testing::TempDir dir;
  const Config c = testing::make_config(with(R"(risk:
  controls:
    losses:
      max_daily_loss: 1000.5
      max_daily_loss_percent: 2
      equity_floor: 90000
      max_drawdown_percent: 10
      max_open_loss_percent: 5
      drawdown_zones:
        - { at_percent: 5, size_factor: 0.5 }
        - { at_percent: 6, state: reduce_only }
        - { at_percent: 8, state: halted }
      max_consecutive_rejects: 5
      max_rate_limit_breaches: 10
      rate_breach_window_ms: 30000
      cooldown_s: 300
      lockout_until_next_day: true
      protective_stop: { grace_s: 30, action: reduce_only }
    accounts:
      ACC9: { max_daily_loss: 50 }
    global_stop: { cooldown_s: 60 }
)",
                                             "    cancel_on_disconnect: true\n    cancel_on_logout: true\n"),
                                        dir.path());
  const risk::ControlsConfig& k = c.risk.controls;
  ASSERT_TRUE(k.losses);
  EXPECT_EQ(k.losses->max_daily_loss->to_string(), "1000.5");
  EXPECT_EQ(k.losses->max_daily_loss_percent->to_string(), "2");
  EXPECT_EQ(k.losses->equity_floor->to_string(), "90000");
  EXPECT_EQ(k.losses->max_drawdown_percent->to_string(), "10");
  EXPECT_EQ(k.losses->max_open_loss_percent->to_string(), "5");
  ASSERT_EQ(k.losses->zones.size(), 3u);
  EXPECT_EQ(k.losses->zones[0].size_factor->to_string(), "0.5");
  EXPECT_EQ(k.losses->zones[0].state, risk::TradingState::active);
  EXPECT_EQ(k.losses->zones[1].state, risk::TradingState::reduce_only);
  EXPECT_EQ(k.losses->zones[2].drawdown.to_string(), "8");
  EXPECT_EQ(k.losses->zones[2].state, risk::TradingState::halted);
  EXPECT_EQ(k.losses->max_consecutive_rejects, 5);
  EXPECT_EQ(k.losses->max_rate_limit_breaches, 10);
  EXPECT_EQ(k.losses->rate_breach_window_ns, 30'000'000'000);
  EXPECT_EQ(k.losses->stop.cooldown_ns, 300'000'000'000);
  EXPECT_TRUE(k.losses->stop.lockout_until_next_day);
  ASSERT_TRUE(k.losses->protective_stop);
  EXPECT_EQ(k.losses->protective_stop->grace_ns, 30'000'000'000);
  EXPECT_EQ(k.losses->protective_stop->action, risk::ProtectiveStopRule::Action::reduce_only);
  ASSERT_EQ(k.account_losses.count("ACC9"), 1u);
  EXPECT_EQ(k.account_losses.at("ACC9").max_daily_loss->to_string(), "50");
  EXPECT_FALSE(k.account_losses.at("ACC9").max_drawdown_percent) << "an account's own limits replace the default";
  EXPECT_EQ(k.global_stop.cooldown_ns, 60'000'000'000);
  EXPECT_TRUE(c.find_client("alpha")->cancel_on_disconnect);
  EXPECT_TRUE(c.find_client("alpha")->cancel_on_logout);
  EXPECT_FALSE(c.find_venue("sim") == nullptr);
}

TEST(ControlsConfig, ErrorsNameTheKey) {
  EXPECT_EQ(error_of(with("risk:\n  controls: { losses: { max_daily_loss: -5 } }\n")),
            "risk.controls.losses.max_daily_loss: must be above zero, got '-5'");
  EXPECT_EQ(error_of(with("risk:\n  controls: { losses: { drawdown_zones: [ { at_percent: 5, state: paused } ] } }\n")),
            "risk.controls.losses.drawdown_zones[0].state: expected active, reduce_only or halted, got 'paused'");
  EXPECT_EQ(error_of(with("risk:\n  controls: { losses: { drawdown_zones: [ { at_percent: 6, state: halted }, "
                          "{ at_percent: 5, state: reduce_only } ] } }\n")),
            "risk.controls.losses.drawdown_zones[1].at_percent: zones must be listed by rising at_percent");
  EXPECT_EQ(
      error_of(with("risk:\n  controls: { losses: { drawdown_zones: [ { at_percent: 5, size_factor: 2 } ] } }\n")),
      "risk.controls.losses.drawdown_zones[0].size_factor: must be at most 1 (it scales max_order_qty down)");
  EXPECT_EQ(error_of(with("risk:\n  controls: { losses: { drawdown_zones: [ { at_percent: 5 } ] } }\n")),
            "risk.controls.losses.drawdown_zones[0]: a zone sets a state (reduce_only, halted) or a size_factor");
  EXPECT_EQ(error_of(with("risk:\n  controls: { accounts: { ACC1: { max_daily_los: 5 } } }\n")),
            "risk.controls.accounts.ACC1.max_daily_los: unknown key");
  EXPECT_EQ(error_of(with("risk:\n  controls: { global_stop: { cooldown_s: -1 } }\n")),
            "risk.controls.global_stop.cooldown_s: must be between 0 and 604800, got -1");
  EXPECT_EQ(error_of(with("risk:\n  controls: { losses: { protective_stop: { grace_s: 5, action: panic } } }\n")),
            "risk.controls.losses.protective_stop.action: expected alert, reduce_only or flatten, got 'panic'");
  EXPECT_EQ(error_of(with("risk:\n  controls: { losses: { protective_stop: { action: alert } } }\n")),
            "risk.controls.losses.protective_stop.grace_s: required key is missing");
  EXPECT_EQ(error_of(with("", "    cancel_on_logout: true\n")),
            "clients[0].cancel_on_logout: needs cancel_on_disconnect: true");
}

}  // namespace
}  // namespace fixguard::config
