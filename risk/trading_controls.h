// Trading controls: the states that stop or narrow trading, set by an
// operator or by the day's results, and the emergency stops.
//
// A state (ACTIVE, REDUCE_ONLY, HALTED) is kept per scope: global, venue
// session, client session and account; an account's loss controls add a
// zone state and may trip its emergency stop; a global stop halts
// everything. The strictest of an order's scopes applies (a tripped stop
// halts). Pure: time and the trading day are parameters.
// Thread: one at a time.
#pragma once

#include "risk/decimal.h"
#include "risk/emergency_stop.h"
#include "risk/limits.h"
#include "risk/loss_controls.h"
#include "risk/rule.h"
#include "risk/trading_state.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fixguard::risk {

// One scope's controls as a restart must find them again.
struct ControlsRecord {
  ScopeKind kind = ScopeKind::global;  // global, venue, client or account
  std::string name;                    // "" for global
  StateSetting state;                  // set by an operator
  // Accounts only: the drawdown zone and the loss monitor; accounts and
  // global: the emergency stop.
  StateSetting zone;
  std::optional<Ratio> size_factor;
  std::optional<LossMonitor::Record> monitor;
  EmergencyStop::Record stop;
  std::optional<Notional> equity;  // accounts: starting equity an operator set
};

// Open orders fixguard must pull from the venue: an emergency stop tripped
// or a drawdown zone halted the scope (an account, or global: everything).
struct Pull {
  ScopeKind kind = ScopeKind::account;
  std::string name;
  std::string reason;
  bool flatten = false;  // also close the account's positions (flatten_on_trip)
};

struct ControlsConfig {
  std::optional<LossLimits> losses;                               // for every account without its own
  std::map<std::string, LossLimits, std::less<>> account_losses;  // by account
  EmergencyStop::Settings global_stop;
};

class TradingControls {
 public:
  explicit TradingControls(ControlsConfig config) : config_(std::move(config)) {}
  // New loss limits and stop settings from now on; states, monitors (peak
  // and day-start equity) and stops stay as they are.
  void reconfigure(ControlsConfig config) { config_ = std::move(config); }

  // An operator sets a scope's state: global (name ""), a venue or a
  // client session, or an account (by portfolio number). `reason` says who
  // and why.
  void set_state(ScopeKind kind, std::string_view name, TradingState state, std::string reason);
  void set_account_state(uint32_t account, TradingState state, std::string reason);

  // The state entries of a venue and a client session, made on first use
  // and stable for the controls' life (the engine keeps them per session).
  const StateSetting* venue_state(std::string_view venue) { return &venues_[std::string(venue)]; }
  const StateSetting* client_state(std::string_view client) { return &clients_[std::string(client)]; }

  // What applies to an order of `account` (a portfolio number) from a
  // session with these states: the strictest state, the rule a refused
  // order names, the scope and why; and a caution factor on the maximum
  // order size.
  struct Standing {
    TradingState state = TradingState::active;
    Rule rule = Rule::halted;
    Scope scope;
    std::string_view reason;
    std::optional<Ratio> size_factor;
  };
  Standing standing(const StateSetting& venue, std::string_view venue_name, const StateSetting& client,
                    std::string_view client_name, uint32_t account, std::string_view account_name) const;
  // Starts loading what standing() reads of the account (a hint).
  void prefetch(uint32_t account) const {
    if (account >= accounts_.size()) return;
    const Account& a = accounts_[account];
    for (const void* p : {static_cast<const void*>(&a.state), static_cast<const void*>(&a.zone),
                          static_cast<const void*>(&a.size_factor), static_cast<const void*>(&a.stop)})
      __builtin_prefetch(p);
  }

  // The account's loss limits (null: none), and its review at `equity`
  // with `unrealized` P&L: zone state updated, the stop tripped if a limit
  // is crossed. `start` is its configured equity: the peak and day-start
  // equity before its first review. The trip's reason when this review
  // tripped it.
  const LossLimits* losses(std::string_view account_name) const;
  std::optional<std::string> review(uint32_t account, std::string_view account_name, Notional start, Notional equity,
                                    Notional unrealized, int64_t now_ns, int32_t day);
  // Venue answers and rate-limit breaches on the account's orders; a trip
  // reason when one tripped the stop.
  std::optional<std::string> on_venue_reject(uint32_t account, std::string_view account_name, int64_t now_ns,
                                             int32_t day);
  void on_venue_accept(uint32_t account);
  std::optional<std::string> on_rate_limit_breach(uint32_t account, std::string_view account_name, int64_t now_ns,
                                                  int32_t day);

  // Emergency stops: an account's (null if it has none yet) and the global one.
  EmergencyStop* account_stop(uint32_t account);
  EmergencyStop& global_stop() { return global_stop_; }
  // Trips / re-arms; reset says why it refused.
  bool trip(uint32_t account, std::string_view account_name, std::string reason, int64_t now_ns, int32_t day);
  std::optional<std::string> reset(uint32_t account, std::string_view account_name, std::string_view operator_name,
                                   std::string_view reason, int64_t now_ns, int32_t day);
  std::optional<std::string> reset_global(std::string_view operator_name, std::string_view reason, int64_t now_ns,
                                          int32_t day);
  // A starting equity an operator set for the account (instead of the
  // configured one), and what is set.
  void set_equity(uint32_t account, Notional equity);
  std::optional<Notional> equity(uint32_t account) const {
    return account < accounts_.size() ? accounts_[account].equity : std::nullopt;
  }
  // The account's loss monitor (null before its first review).
  const LossMonitor* monitor(uint32_t account) const;
  // An operator trips the global stop (the kill switch); false if it was
  // not armed.
  bool trip_global(std::string reason, int64_t now_ns, int32_t day);
  // fixguard has pulled the orders of a tripped stop: it cools down.
  void acted(const Pull& pull, std::optional<uint32_t> account);

  // Scopes whose pulls are due, oldest first; taking them empties the list.
  std::vector<Pull> take_pulls() { return std::exchange(pulls_, {}); }
  void pull(uint32_t account, std::string_view account_name, std::string reason);

  // Persistence: the records of what changed since the last call (accounts
  // by number, named through `name_of`), and a record put back on start.
  template <class NameOf>
  std::vector<ControlsRecord> take_changes(NameOf name_of);
  void restore(const ControlsRecord& record, std::optional<uint32_t> account);

  // Reading, for the operator interface.
  const StateSetting& global_state() const { return global_; }
  const std::unordered_map<std::string, StateSetting, StringHash, std::equal_to<>>& venue_states() const {
    return venues_;
  }
  const std::unordered_map<std::string, StateSetting, StringHash, std::equal_to<>>& client_states() const {
    return clients_;
  }
  // The account's record (as persisted) if it has any controls state.
  std::optional<ControlsRecord> account_record(uint32_t account, std::string_view name) const;

 private:
  struct Account {
    StateSetting state;  // set by an operator
    StateSetting zone;   // from the drawdown zones
    std::optional<Ratio> size_factor;
    std::optional<LossMonitor> monitor;
    EmergencyStop stop;
    std::optional<Notional> equity;  // set by an operator
    bool changed = false;            // since the last take_changes
  };
  Account& account(uint32_t id);
  void changed(uint32_t id);
  void changed(ScopeKind kind, std::string_view name);
  ControlsRecord record(ScopeKind kind, std::string_view name) const;
  static ControlsRecord record(const Account& a, std::string_view name);
  // Feeds an event to the account's monitor (once reviewed) and trips its
  // stop on the reason `event` returns.
  template <class Event>
  std::optional<std::string> on_event(uint32_t id, std::string_view account_name, int64_t now_ns, int32_t day,
                                      Event event);

  ControlsConfig config_;
  StateSetting global_;
  EmergencyStop global_stop_;
  std::unordered_map<std::string, StateSetting, StringHash, std::equal_to<>> venues_, clients_;
  std::vector<Account> accounts_;  // by portfolio account number
  std::vector<Pull> pulls_;
  std::vector<uint32_t> changed_accounts_;
  std::vector<std::pair<ScopeKind, std::string>> changed_scopes_;
};

template <class NameOf>
std::vector<ControlsRecord> TradingControls::take_changes(NameOf name_of) {
  std::vector<ControlsRecord> out;
  for (const auto& [kind, name] : changed_scopes_) out.push_back(record(kind, name));
  for (uint32_t id : changed_accounts_) {
    accounts_[id].changed = false;
    out.push_back(record(accounts_[id], name_of(id)));
  }
  changed_scopes_.clear();
  changed_accounts_.clear();
  return out;
}

}  // namespace fixguard::risk
