// The client-facing door: every connection accepted from a strategy comes
// here first. Before any byte reaches QuickFIX the gate requires a Logon
// within the logon timeout, from CompIDs and a BeginString in config, for a
// session not already connected, and without ResetSeqNumFlag=Y unless the
// session allows resets (QuickFIX would wipe the stored sequence numbers
// before its logon callbacks could refuse). Refusals get a Logout saying why
// and are logged. A session may require TLS, and with client certificates
// the certificate's Common Name is bound to the session. Once attached, frames go to the client's session.
//
// Thread: io thread only.
#pragma once

#include "config/config.h"
#include "proxy/connection.h"
#include "proxy/session_slot.h"
#include "proxy/write_barrier.h"

#include "proxy/asio.h"

#include <map>
#include <memory>
#include <vector>

namespace fixguard::proxy {

class ClientGate : public ConnectionHandler {
 public:
  // `barrier`: null, or the barrier every connection's output waits on.
  ClientGate(boost::asio::io_context& io, const config::LimitsConfig& limits, std::vector<SessionSlot*> clients,
             WriteBarrier* barrier);

  // Takes a freshly accepted socket; with `tls`, its handshake comes first.
  void accept(boost::asio::ip::tcp::socket socket, std::optional<TlsSetup> tls = std::nullopt);

  void on_frame(Connection& c, const std::string& frame) override;
  void on_framing_error(Connection& c, const std::string& reason, bool fatal) override;
  void on_closed(Connection& c, const std::string& reason) override;

  std::size_t open_connections() const { return pending_.size(); }
  // Drops every connection without a word (see Gateway::abort).
  void abort_all();

 private:
  struct Pending {
    std::shared_ptr<Connection> connection;
    std::unique_ptr<boost::asio::steady_timer> logon_timer;
    SessionSlot* slot = nullptr;  // set once the Logon was let through
  };

  void identify(Pending& p, const std::string& frame);
  // The Logout says why, unless `secret`: then it says only that the Logon
  // was refused (the log says why).
  void refuse(Pending& p, const std::string& frame, const std::string& why, bool secret = false);
  void on_logon_timeout(uint64_t id);

  boost::asio::io_context& io_;
  const config::LimitsConfig& limits_;
  WriteBarrier* barrier_;
  std::vector<SessionSlot*> clients_;
  std::map<uint64_t, Pending> pending_;  // every open client connection, by id
};

}  // namespace fixguard::proxy
