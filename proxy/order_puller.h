// Cancels open orders at the venue on fixguard's own initiative: the scope
// of a tripped emergency stop or a halted account, or the orders of a
// strategy whose session dropped.
//
// Each order gets one OrderCancelRequest (35=F) with a ClOrdID of
// fixguard's ("FG-..." behind the client's prefix), OrigClOrdID the order's
// current ClOrdID, and its Account, Symbol, Side and OrderQty. The venue's
// answers route to the owning strategy like any other: an unsolicited
// cancel, ExecType 4 with OrigClOrdID its order.
//
// Thread: io thread only.
#pragma once

#include "proxy/session_slot.h"
#include "risk/portfolio.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace fixguard::proxy {

class OrderPuller {
 public:
  explicit OrderPuller(const risk::Portfolio& portfolio) : portfolio_(portfolio) {}

  void add_client(SessionSlot& client) { clients_[client.name()] = &client; }

  // Sends a cancel for every open order `select` picks that is not already
  // being pulled. False if some could not be sent (its venue session is not
  // logged on): call again once it is.
  bool pull(const std::function<bool(const risk::OpenOrder&)>& select, std::string_view why);

  // The account an open order belongs to.
  const std::string& account_of(const risk::OpenOrder& o) const {
    return portfolio_.account_name(portfolio_.positions()[o.position].account);
  }

 private:
  bool cancel(const risk::OpenOrder& o, SessionSlot& client, std::string_view why);

  const risk::Portfolio& portfolio_;
  std::map<std::string, SessionSlot*, std::less<>> clients_;
  std::set<std::pair<std::string, std::string>> pulled_;  // (client, ClOrdID) with a cancel sent
  uint64_t sent_ = 0;
};

}  // namespace fixguard::proxy
