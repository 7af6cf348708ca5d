// The client-facing door: every connection accepted from a strategy comes
// here first. Before any byte reaches QuickFIX the gate requires a Logon
// within the logon timeout and checks, in this order:
//   1. who it is: CompIDs of a configured session, from an address in its
//      allow_from, over TLS if it requires it, with the certificate bound to
//      it, and with the credentials it requires (Username, a password
//      checked against its salted hash off the io thread, an HMAC-signed
//      Logon within its time window and never seen before);
//   2. whether it may log on now: a BeginString in config, a session not
//      already connected, no ResetSeqNumFlag=Y unless allowed (QuickFIX
//      would wipe the stored sequence numbers before its logon callbacks
//      could refuse).
// A failure of (1) is a failed logon: counted per address and per CompID
// (LogonThrottle), audited, logged with its reason, and answered with a
// Logout that says only "Logon refused". A failure of (2) is answered with
// its reason, since the peer has proved who it is.
//
// Thread: io thread only (password hashes are computed on a thread of the
// gate's own; their verdicts come back to the io thread).
#pragma once

#include "config/config.h"
#include "proxy/connection.h"
#include "proxy/logon_throttle.h"
#include "proxy/session_slot.h"
#include "proxy/write_barrier.h"

#include "proxy/asio.h"

#include <boost/asio/thread_pool.hpp>

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace fixguard::proxy {

class ClientGate : public ConnectionHandler {
 public:
  // `barrier`: null, or the barrier every connection's output waits on.
  ClientGate(boost::asio::io_context& io, const config::LimitsConfig& limits, std::vector<SessionSlot*> clients,
             WriteBarrier* barrier);
  ~ClientGate() override;

  // A logon accepted or refused, or an address or CompID locked out, for
  // the audit trail.
  struct LogonEvent {
    bool accepted = false;
    std::string client;  // the session's name ("" if none matched)
    std::string peer;    // address:port
    std::string text;    // what happened and why
    std::string logon;   // the Logon, secrets masked ("" for a lockout)
  };
  void on_logon_event(std::function<void(const LogonEvent&)> f) { on_event_ = std::move(f); }

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
    // While its password is being checked: the Logon, and what came after
    // it (bounded), delivered once it is let through.
    SessionSlot* verifying = nullptr;
    std::vector<std::string> held;
  };

  void identify(Pending& p, const std::string& frame);
  // Step (1) after the CompIDs: why `frame` does not prove it is `match`
  // ("" if it does, or if the password check was started: then `p` waits).
  std::string authenticate(Pending& p, const std::string& frame, SessionSlot& match);
  void on_password_checked(uint64_t id, bool ok);
  // Step (2), then the session takes the connection.
  void admit(Pending& p, const std::string& frame, SessionSlot& match);
  // A failed logon (1): counted, audited, answered "Logon refused".
  void fail(Pending& p, const std::string& frame, const SessionSlot* match, const std::string& why);
  // The Logout says why, unless `secret`: then it says only that the Logon
  // was refused (the log says why).
  void refuse(Pending& p, const std::string& frame, const std::string& why, bool secret = false);
  void on_logon_timeout(uint64_t id);
  void audit(LogonEvent e);

  boost::asio::io_context& io_;
  const config::LimitsConfig& limits_;
  WriteBarrier* barrier_;
  std::vector<SessionSlot*> clients_;
  std::map<uint64_t, Pending> pending_;  // every open client connection, by id
  LogonThrottle throttle_;
  // HMAC signatures accepted, until their Logon's time window has passed:
  // a replayed one is refused.
  std::map<std::string, std::chrono::system_clock::time_point> signatures_seen_;
  std::function<void(const LogonEvent&)> on_event_;
  // Lets a verdict that comes back after the gate is gone find it gone.
  std::shared_ptr<ClientGate*> self_ = std::make_shared<ClientGate*>(this);
  boost::asio::thread_pool hashing_{1};  // last: joined first
};

}  // namespace fixguard::proxy
