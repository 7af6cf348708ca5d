// A configured FIX session inside fixguard: the QuickFIX Session, its
// config, its current transport and the raw text of the frames it is
// processing (so the body can be forwarded byte for byte).
//
// Thread: io thread only.
#pragma once

#include "config/config.h"
#include "fix/quickfix.h"
#include "persistence/sqlite_store.h"
#include "proxy/connection.h"
#include "risk/engine.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::proxy {

struct SessionSlot {
  enum class Side { client, venue };

  Side side = Side::client;
  const config::SessionCommon* config = nullptr;
  const config::ClientConfig* client = nullptr;  // side == client
  const config::VenueConfig* venue = nullptr;    // side == venue
  std::unique_ptr<FIX::Session> session;
  persistence::SqliteStore* store = nullptr;          // owned by the session
  std::shared_ptr<Connection> connection;             // the transport, while attached
  SessionSlot* venue_slot = nullptr;                  // side == client: where orders go
  std::optional<risk::Engine::Session> risk_session;  // side == client: looked up on its first order
  std::vector<SessionSlot*> clients;                  // side == venue: who routes here
  bool logout_received = false;                       // side == client: its Logout came before the session ended
  bool journal_when_stored = false;                   // an application message sent: journaled as its store gets it
  // Frames handed to the session, by MsgSeqNum, until it has processed them.
  std::map<int, std::string> inbound;

  const std::string& name() const { return config->name; }
  bool logged_on() const { return session && session->isLoggedOn(); }

  // Makes `c` the session's transport.
  void attach(std::shared_ptr<Connection> c);
  // Forgets the transport after it closed; the session logs out internally.
  void detach(const Connection& c);
  // Hands one received frame to the session. `seqnum` is its MsgSeqNum.
  void deliver(const std::string& frame, int seqnum);
  // The raw text of the message with this MsgSeqNum being processed, or "".
  std::string inbound_raw(int seqnum) const;
};

// The MsgSeqNum (34) of a frame, or -1 if it is missing or does not fit an
// int (QuickFIX would silently wrap such a number).
int parse_seqnum(const std::string& frame);

}  // namespace fixguard::proxy
