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
    db_.write([records, now_us](Database& db) {
      for (const risk::ControlsRecord& r : records) {
        SQLite::Statement& upsert = db.prepared(kUpsert);
        upsert.reset();
        upsert.bind(1, std::string(risk::scope_kind_name(r.kind)));
        upsert.bind(2, r.name);
        upsert.bind(3, std::string(risk::trading_state_name(r.state.state)));
        upsert.bind(4, r.state.reason);
        upsert.bind(5, std::string(risk::trading_state_name(r.zone.state)));
        upsert.bind(6, r.zone.reason);
        if (r.size_factor)
          upsert.bind(7, r.size_factor->to_string());
        else
          upsert.bind(7);
        if (r.monitor) {
          upsert.bind(8, r.monitor->peak.to_string());
          upsert.bind(9, r.monitor->day_start.to_string());
          upsert.bind(10, r.monitor->day);
        } else {
          upsert.bind(8);
          upsert.bind(9);
          upsert.bind(10);
        }
        upsert.bind(11, std::string(risk::phase_name(r.stop.phase)));
        upsert.bind(12, r.stop.reason);
        upsert.bind(13, static_cast<int64_t>(r.stop.tripped_at_ns));
        upsert.bind(14, r.stop.tripped_day);
        upsert.bind(15, r.stop.last_reset);
        if (r.equity)
          upsert.bind(16, r.equity->to_string());
        else
          upsert.bind(16);
        upsert.bind(17, static_cast<int64_t>(now_us));
        upsert.exec();
      }
    });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot record the trading controls: ") + e.what());
  }
}

std::vector<risk::ControlsRecord> ControlsStore::load() const {
  std::vector<risk::ControlsRecord> out;
  if (const auto why = db_.commit()) throw std::runtime_error("cannot write the trading controls: " + *why);
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
