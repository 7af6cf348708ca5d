#include "proxy/order_puller.h"

#include "fix/log.h"

#include <chrono>
#include <vector>

namespace fixguard::proxy {
namespace {

std::string side_text(char side) { return std::string(1, side ? side : '1'); }

}  // namespace

bool OrderPuller::pull(const std::function<bool(const risk::OpenOrder&)>& select, std::string_view why) {
  // Collected first: sending may not change the portfolio, but the venue's
  // answers arrive later on this thread and must find the orders as they are.
  std::vector<const risk::OpenOrder*> chosen;
  portfolio_.for_each_order([&](const risk::OpenOrder& o) {
    if (select(o) && !pulled_.count({o.client, o.cl_ord_id})) chosen.push_back(&o);
  });
  bool all_sent = true;
  for (const risk::OpenOrder* o : chosen) {
    const auto client = clients_.find(o->client);
    if (client == clients_.end()) {
      log::error("risk", "open order " + o->cl_ord_id + " of unknown client session " + o->client + " not pulled");
      continue;
    }
    all_sent = cancel(*o, *client->second, why) && all_sent;
  }
  return all_sent;
}

bool OrderPuller::cancel(const risk::OpenOrder& o, SessionSlot& client, std::string_view why) {
  SessionSlot& venue = *client.venue_slot;
  if (!venue.logged_on()) {
    log::warn(client.name(), "cannot pull order " + o.cl_ord_id + " now: venue " + venue.name() +
                                 " is not logged on (" + std::string(why) + ")");
    return false;
  }
  const std::string& prefix = client.client->clordid_prefix;
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const std::string id = "FG-" + std::to_string(us) + "-" + std::to_string(++sent_);
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderCancelRequest));
  m.setField(FIX::ClOrdID(prefix + id));
  m.setField(FIX::OrigClOrdID(prefix + o.cl_ord_id));
  const std::string& account = account_of(o);
  if (!account.empty()) m.setField(FIX::Account(account));
  m.setField(FIX::Symbol(portfolio_.instrument_name(portfolio_.positions()[o.position].instrument)));
  m.setField(FIX::FieldBase(FIX::FIELD::Side, side_text(o.side)));
  m.setField(FIX::FieldBase(FIX::FIELD::OrderQty, o.order_qty.to_string()));
  m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
  if (!venue.session->send(m)) {
    log::error(client.name(), "venue " + venue.name() + " did not take the cancel of order " + o.cl_ord_id);
    return false;
  }
  pulled_.emplace(o.client, o.cl_ord_id);
  log::warn(client.name(),
            "pulling order " + o.cl_ord_id + " at venue " + venue.name() + " (cancel " + id + "): " + std::string(why));
  return true;
}

}  // namespace fixguard::proxy
