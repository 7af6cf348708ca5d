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
#include "proxy/applied_reports.h"
#include "risk/portfolio.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace fixguard::proxy {

// An order the journal accepted with no sign that it left: nothing went to
// its venue with its ClOrdID and nothing came back (fixguard stopped
// between the two). Its venue session's store says whether it was sent.
struct Unconfirmed {
  std::string client, venue, cl_ord_id;  // cl_ord_id as the client sent it
  std::string venue_cl_ord_id;           // with the client's prefix
  std::string msg_type;
  int32_t day = 0;
};

struct RecoveryStats {
  int64_t entries = 0;  // read
  int64_t orders = 0;   // forwarded orders applied
  int64_t reports = 0;  // venue reports applied
  int64_t skipped = 0;  // entries that could not be decoded (logged)
  // Trade cancels and corrections (busts): applied, and not (as live).
  int64_t corrections = 0, corrections_unapplied = 0;
  std::vector<Unconfirmed> unconfirmed;
};

// `prefixes`: each client session's ClOrdID prefix on its venue leg.
// `applied` gets each ExecutionReport applied; a PossDup resend of one
// already applied is not applied again.
// `before_seq`: only the entries before it (0: all), as a start at that
// entry saw them.
RecoveryStats replay_journal(const persistence::JournalReader& journal, risk::Portfolio& portfolio,
                             const std::map<std::string, std::string>& prefixes, AppliedReports& applied,
                             int64_t before_seq = 0);

}  // namespace fixguard::proxy
