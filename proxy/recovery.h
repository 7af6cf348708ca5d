// Rebuilding the risk state from the journal at start: the orders fixguard
// forwarded and what the venues reported of them, applied in order to the
// portfolio, give back the open orders, positions, average costs and P&L
// as they were when fixguard stopped (or crashed: an order is in the
// journal before it can leave).
//
// Only the portfolio is rebuilt: trading states, zones, emergency stops and
// equities are restored from their own table, so replaying old fills trips
// nothing again and pulls no order.
#pragma once

#include "persistence/journal.h"
#include "risk/portfolio.h"

#include <cstdint>
#include <map>
#include <string>

namespace fixguard::proxy {

struct RecoveryStats {
  int64_t entries = 0;  // read
  int64_t orders = 0;   // forwarded orders applied
  int64_t reports = 0;  // venue reports applied
  int64_t skipped = 0;  // entries that could not be decoded (logged)
};

// `prefixes`: each client session's ClOrdID prefix on its venue leg.
RecoveryStats replay_journal(const persistence::JournalReader& journal, risk::Portfolio& portfolio,
                             const std::map<std::string, std::string>& prefixes);

}  // namespace fixguard::proxy
