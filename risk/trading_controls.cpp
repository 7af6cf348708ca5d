#include "risk/trading_controls.h"

namespace fixguard::risk {
namespace {

// Keeps `candidate` if it is stricter than what `out` holds (the first of
// equals wins: the widest scope).
void stricter(TradingControls::Standing& out, TradingState state, Rule rule, Scope scope, std::string_view reason) {
  if (state <= out.state) return;
  out.state = state;
  out.rule = rule;
  out.scope = scope;
  out.reason = reason;
}

Rule rule_of(TradingState state) { return state == TradingState::halted ? Rule::halted : Rule::reduce_only; }

}  // namespace

TradingControls::Account& TradingControls::account(uint32_t id) {
  if (id >= accounts_.size()) accounts_.resize(std::size_t{id} + 1);
  return accounts_[id];
}

void TradingControls::changed(uint32_t id) {
  Account& a = account(id);
  if (a.changed) return;
  a.changed = true;
  changed_accounts_.push_back(id);
}

void TradingControls::changed(ScopeKind kind, std::string_view name) {
  for (const auto& [k, n] : changed_scopes_)
    if (k == kind && n == name) return;
  changed_scopes_.emplace_back(kind, std::string(name));
}

void TradingControls::pull(uint32_t id, std::string_view account_name, std::string reason) {
  const LossLimits* limits = losses(account_name);
  // Only a tripped stop flattens; a halting zone pulls orders only.
  const bool flatten = limits && limits->flatten_on_trip && !account(id).stop.armed();
  pulls_.push_back(Pull{ScopeKind::account, std::string(account_name), std::move(reason), flatten});
  changed(id);
}

void TradingControls::set_state(ScopeKind kind, std::string_view name, TradingState state, std::string reason) {
  StateSetting* s = kind == ScopeKind::venue    ? &venues_[std::string(name)]
                    : kind == ScopeKind::client ? &clients_[std::string(name)]
                                                : &global_;
  *s = StateSetting{state, std::move(reason)};
  changed(kind == ScopeKind::venue || kind == ScopeKind::client ? kind : ScopeKind::global, name);
}

void TradingControls::set_equity(uint32_t id, Notional equity) {
  Account& a = account(id);
  a.equity = equity;
  a.monitor.reset();  // peak and day-start equity start again from it
  changed(id);
}

void TradingControls::set_account_state(uint32_t id, TradingState state, std::string reason) {
  account(id).state = StateSetting{state, std::move(reason)};
  changed(id);
}

TradingControls::Standing TradingControls::standing(const StateSetting& venue, std::string_view venue_name,
                                                    const StateSetting& client, std::string_view client_name,
                                                    uint32_t id, std::string_view account_name) const {
  Standing out;
  if (!global_stop_.armed())
    stricter(out, TradingState::halted, Rule::emergency_stop, Scope{ScopeKind::global, ""}, global_stop_.reason());
  stricter(out, global_.state, rule_of(global_.state), Scope{ScopeKind::global, ""}, global_.reason);
  stricter(out, venue.state, rule_of(venue.state), Scope{ScopeKind::venue, venue_name}, venue.reason);
  stricter(out, client.state, rule_of(client.state), Scope{ScopeKind::client, client_name}, client.reason);
  if (id < accounts_.size()) {
    const Account& a = accounts_[id];
    const Scope scope{ScopeKind::account, account_name};
    if (!a.stop.armed()) stricter(out, TradingState::halted, Rule::emergency_stop, scope, a.stop.reason());
    stricter(out, a.state.state, rule_of(a.state.state), scope, a.state.reason);
    stricter(out, a.zone.state, rule_of(a.zone.state), scope, a.zone.reason);
    out.size_factor = a.size_factor;
  }
  return out;
}

const LossLimits* TradingControls::losses(std::string_view account_name) const {
  if (const auto it = config_.account_losses.find(account_name); it != config_.account_losses.end()) return &it->second;
  return config_.losses ? &*config_.losses : nullptr;
}

std::optional<std::string> TradingControls::review(uint32_t id, std::string_view account_name, Notional start,
                                                   Notional equity, Notional unrealized, int64_t now_ns, int32_t day) {
  const LossLimits* limits = losses(account_name);
  if (!limits) return std::nullopt;
  Account& a = account(id);
  const bool first = !a.monitor;
  if (first) a.monitor.emplace(start, day);
  const LossMonitor::Record before = a.monitor->record();
  LossMonitor::Review r = a.monitor->review(*limits, equity, unrealized, day);
  const LossMonitor::Record after = a.monitor->record();
  const bool halts = r.state == TradingState::halted && a.zone.state != TradingState::halted;
  if (first || r.state != a.zone.state || r.zone != a.zone.reason || before.peak != after.peak ||
      before.day_start != after.day_start || before.day != after.day)
    changed(id);
  a.zone = StateSetting{r.state, std::move(r.zone)};
  a.size_factor = r.size_factor;
  if (r.trip && a.stop.trip(*r.trip, now_ns, day)) {
    pull(id, account_name, "EMERGENCY_STOP (" + *r.trip + ")");
    return r.trip;
  }
  if (halts) pull(id, account_name, "HALTED (" + a.zone.reason + ")");
  return std::nullopt;
}

template <class Event>
std::optional<std::string> TradingControls::on_event(uint32_t id, std::string_view account_name, int64_t now_ns,
                                                     int32_t day, Event event) {
  const LossLimits* limits = losses(account_name);
  if (!limits) return std::nullopt;
  Account& a = account(id);
  if (!a.monitor) return std::nullopt;  // reviewed on its first fill or order
  std::optional<std::string> reason = event(*a.monitor, *limits);
  if (reason && a.stop.trip(*reason, now_ns, day)) {
    pull(id, account_name, "EMERGENCY_STOP (" + *reason + ")");
    return reason;
  }
  return std::nullopt;
}

std::optional<std::string> TradingControls::on_venue_reject(uint32_t id, std::string_view account_name, int64_t now_ns,
                                                            int32_t day) {
  return on_event(id, account_name, now_ns, day,
                  [](LossMonitor& m, const LossLimits& limits) { return m.on_venue_reject(limits); });
}

void TradingControls::on_venue_accept(uint32_t id) {
  if (id < accounts_.size() && accounts_[id].monitor) accounts_[id].monitor->on_venue_accept();
}

std::optional<std::string> TradingControls::on_rate_limit_breach(uint32_t id, std::string_view account_name,
                                                                 int64_t now_ns, int32_t day) {
  return on_event(id, account_name, now_ns, day,
                  [&](LossMonitor& m, const LossLimits& limits) { return m.on_rate_limit_breach(limits, now_ns); });
}

EmergencyStop* TradingControls::account_stop(uint32_t id) {
  return id < accounts_.size() ? &accounts_[id].stop : nullptr;
}

bool TradingControls::trip(uint32_t id, std::string_view account_name, std::string reason, int64_t now_ns,
                           int32_t day) {
  if (!account(id).stop.trip(reason, now_ns, day)) return false;
  pull(id, account_name, "EMERGENCY_STOP (" + reason + ")");
  return true;
}

bool TradingControls::trip_global(std::string reason, int64_t now_ns, int32_t day) {
  if (!global_stop_.trip(reason, now_ns, day)) return false;
  pulls_.push_back(Pull{ScopeKind::global, "", "EMERGENCY_STOP (" + reason + ")"});
  changed(ScopeKind::global, "");
  return true;
}

void TradingControls::acted(const Pull& pull, std::optional<uint32_t> id) {
  if (pull.kind == ScopeKind::global) {
    global_stop_.acted();
    changed(ScopeKind::global, "");
  } else if (id && *id < accounts_.size()) {
    accounts_[*id].stop.acted();
    changed(*id);
  }
}

std::optional<std::string> TradingControls::reset(uint32_t id, std::string_view account_name,
                                                  std::string_view operator_name, std::string_view reason,
                                                  int64_t now_ns, int32_t day) {
  const LossLimits* limits = losses(account_name);
  auto refused =
      account(id).stop.reset(operator_name, reason, limits ? limits->stop : EmergencyStop::Settings{}, now_ns, day);
  if (!refused) changed(id);
  return refused;
}

std::optional<std::string> TradingControls::reset_global(std::string_view operator_name, std::string_view reason,
                                                         int64_t now_ns, int32_t day) {
  auto refused = global_stop_.reset(operator_name, reason, config_.global_stop, now_ns, day);
  if (!refused) changed(ScopeKind::global, "");
  return refused;
}

const LossMonitor* TradingControls::monitor(uint32_t id) const {
  return id < accounts_.size() && accounts_[id].monitor ? &*accounts_[id].monitor : nullptr;
}

ControlsRecord TradingControls::record(ScopeKind kind, std::string_view name) const {
  ControlsRecord r;
  r.kind = kind;
  r.name = std::string(name);
  if (kind == ScopeKind::global) {
    r.state = global_;
    r.stop = global_stop_.record();
  } else {
    const auto& states = kind == ScopeKind::venue ? venues_ : clients_;
    if (const auto it = states.find(name); it != states.end()) r.state = it->second;
  }
  return r;
}

ControlsRecord TradingControls::record(const Account& a, std::string_view name) {
  ControlsRecord r;
  r.kind = ScopeKind::account;
  r.name = std::string(name);
  r.state = a.state;
  r.zone = a.zone;
  r.size_factor = a.size_factor;
  if (a.monitor) r.monitor = a.monitor->record();
  r.stop = a.stop.record();
  r.equity = a.equity;
  return r;
}

std::optional<ControlsRecord> TradingControls::account_record(uint32_t id, std::string_view name) const {
  if (id >= accounts_.size()) return std::nullopt;
  const Account& a = accounts_[id];
  if (!a.monitor && a.stop.armed() && a.state.state == TradingState::active && !a.equity) return std::nullopt;
  return record(a, name);
}

void TradingControls::restore(const ControlsRecord& r, std::optional<uint32_t> id) {
  switch (r.kind) {
    case ScopeKind::global:
      global_ = r.state;
      global_stop_ = EmergencyStop(r.stop);
      if (global_stop_.phase() == EmergencyStop::Phase::tripped)
        pulls_.push_back(Pull{ScopeKind::global, "", "EMERGENCY_STOP (" + global_stop_.reason() + ")"});
      break;
    case ScopeKind::venue:
      venues_[r.name] = r.state;
      break;
    case ScopeKind::client:
      clients_[r.name] = r.state;
      break;
    case ScopeKind::account:
      if (id) {
        Account& a = account(*id);
        a.state = r.state;
        a.zone = r.zone;
        a.size_factor = r.size_factor;
        if (r.monitor) a.monitor.emplace(*r.monitor);
        a.stop = EmergencyStop(r.stop);
        a.equity = r.equity;
        // Tripped, but its orders may not all have been pulled: pull again.
        if (a.stop.phase() == EmergencyStop::Phase::tripped)
          pulls_.push_back(Pull{ScopeKind::account, r.name, "EMERGENCY_STOP (" + a.stop.reason() + ")"});
      }
      break;
    default:
      break;
  }
}

}  // namespace fixguard::risk
