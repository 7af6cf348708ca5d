#include "persistence/controls_store.h"

#include <stdexcept>

namespace fixguard::persistence {
namespace {

using risk::EmergencyStop;
using risk::ScopeKind;
using risk::TradingState;

// The names written are the ones the operator interface shows.
template <class Enum, class NameOf>
Enum parse_name(const std::string& text, std::initializer_list<Enum> values, NameOf name_of, const char* what) {
  for (Enum v : values)
    if (name_of(v) == text) return v;
  throw std::runtime_error(std::string("unknown ") + what + " '" + text + "'");
}

TradingState state_of(const std::string& text) {
  return parse_name(text, {TradingState::active, TradingState::reduce_only, TradingState::halted},
                    risk::trading_state_name, "trading state");
}

template <class T>
T decimal_of(const std::string& text) {
  const auto v = T::parse(text);
  if (!v) throw std::runtime_error("not a decimal: '" + text + "'");
  return *v;
}

constexpr const char* kUpsert =
    "INSERT OR REPLACE INTO trading_controls(kind, name, state, state_reason, zone, zone_reason, size_factor, "
    "peak, day_start, monitor_day, stop_phase, stop_reason, tripped_at_ns, tripped_day, last_reset, equity, "
    "updated_us) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

}  // namespace

ControlsStore::ControlsStore(Database& db) : db_(db) {}

void ControlsStore::save(const std::vector<risk::ControlsRecord>& records, int64_t now_us) {
  if (records.empty()) return;
  try {
    db_.write([records, now_us](Statements& s) {
      using Param = Statements::Param;
      for (const risk::ControlsRecord& r : records) {
        const std::string size_factor = r.size_factor ? r.size_factor->to_string() : "";
        const std::string peak = r.monitor ? r.monitor->peak.to_string() : "";
        const std::string day_start = r.monitor ? r.monitor->day_start.to_string() : "";
        const std::string equity = r.equity ? r.equity->to_string() : "";
        s.add(kUpsert,
              {risk::scope_kind_name(r.kind), r.name, risk::trading_state_name(r.state.state), r.state.reason,
               risk::trading_state_name(r.zone.state), r.zone.reason, r.size_factor ? Param{size_factor} : Param{},
               r.monitor ? Param{peak} : Param{}, r.monitor ? Param{day_start} : Param{},
               r.monitor ? Param{int64_t{r.monitor->day}} : Param{}, risk::phase_name(r.stop.phase), r.stop.reason,
               static_cast<int64_t>(r.stop.tripped_at_ns), int64_t{r.stop.tripped_day}, r.stop.last_reset,
               r.equity ? Param{equity} : Param{}, int64_t{now_us}});
      }
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot record the trading controls: ") + e.what());
  }
}

std::vector<risk::ControlsRecord> ControlsStore::load() const {
  std::vector<risk::ControlsRecord> out;
  if (const auto why = db_.settle()) throw std::runtime_error("cannot write the trading controls: " + *why);
  SQLite::Statement q(db_.sql(),
                      "SELECT kind, name, state, state_reason, zone, zone_reason, size_factor, peak, day_start, "
                      "monitor_day, stop_phase, stop_reason, tripped_at_ns, tripped_day, last_reset, equity "
                      "FROM trading_controls ORDER BY kind, name");
  while (q.executeStep()) {
    const std::string kind = q.getColumn(0).getString();
    const std::string name = q.getColumn(1).getString();
    try {
      risk::ControlsRecord r;
      r.kind = parse_name(kind, {ScopeKind::global, ScopeKind::venue, ScopeKind::client, ScopeKind::account},
                          risk::scope_kind_name, "scope kind");
      r.name = name;
      r.state = {state_of(q.getColumn(2).getString()), q.getColumn(3).getString()};
      r.zone = {state_of(q.getColumn(4).getString()), q.getColumn(5).getString()};
      if (!q.getColumn(6).isNull()) r.size_factor = decimal_of<risk::Ratio>(q.getColumn(6).getString());
      if (!q.getColumn(7).isNull())
        r.monitor =
            risk::LossMonitor::Record{decimal_of<risk::Notional>(q.getColumn(7).getString()),
                                      decimal_of<risk::Notional>(q.getColumn(8).getString()), q.getColumn(9).getInt()};
      r.stop.phase =
          parse_name(q.getColumn(10).getString(),
                     {EmergencyStop::Phase::armed, EmergencyStop::Phase::tripped, EmergencyStop::Phase::cooling_down},
                     risk::phase_name, "emergency stop phase");
      r.stop.reason = q.getColumn(11).getString();
      r.stop.tripped_at_ns = q.getColumn(12).getInt64();
      r.stop.tripped_day = q.getColumn(13).getInt();
      r.stop.last_reset = q.getColumn(14).getString();
      if (!q.getColumn(15).isNull()) r.equity = decimal_of<risk::Notional>(q.getColumn(15).getString());
      out.push_back(std::move(r));
    } catch (const std::exception& e) {
      throw std::runtime_error("trading controls of " + kind + " '" + name + "' unreadable: " + e.what());
    }
  }
  return out;
}

}  // namespace fixguard::persistence
