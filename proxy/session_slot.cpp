#include "proxy/session_slot.h"

#include "fix/log.h"
#include "fix/raw_fields.h"

namespace fixguard::proxy {

int parse_seqnum(const std::string& frame) {
  const auto value = fix::find_field(frame, 34);
  return value ? fix::parse_seqnum_value(*value) : -1;
}

void SessionSlot::attach(std::shared_ptr<Connection> c) {
  connection = std::move(c);
  inbound.clear();
  session->setResponder(connection.get());
}

void SessionSlot::detach(const Connection& c) {
  if (!connection || connection.get() != &c) return;
  // The socket is closed already; Session::disconnect() clears the logon
  // state, tells the application, and drops its pointer to the responder.
  session->disconnect();
  connection.reset();
  inbound.clear();
}

void SessionSlot::deliver(const std::string& frame, int seqnum) {
  inbound[seqnum] = frame;
  try {
    session->next(frame, FIX::UtcTimeStamp());
  } catch (const FIX::InvalidMessage& e) {
    log::warn(name(), std::string("invalid message ignored: ") + e.what());
  } catch (const std::exception& e) {
    // Processing failed before the session counted the message in; the peer
    // will send it again after reconnecting. Nothing half-done is kept.
    log::error(name(), std::string("processing failed, disconnecting: ") + e.what());
    if (connection) connection->close_now(std::string("processing failed: ") + e.what());
  }
  const int expected = session->getExpectedTargetNum();
  inbound.erase(inbound.begin(), inbound.lower_bound(expected));
}

std::string SessionSlot::inbound_raw(int seqnum) const {
  const auto it = inbound.find(seqnum);
  return it == inbound.end() ? std::string() : it->second;
}

}  // namespace fixguard::proxy
