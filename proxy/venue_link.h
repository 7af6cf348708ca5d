// Keeps fixguard's initiator session with one venue connected: connects,
// lets QuickFIX log on, and after any loss reconnects with exponential
// backoff (initial_ms, doubling, capped at max_ms). With the venue's `tls`,
// over TLS: its certificate chain and host name verified.
//
// Thread: io thread only.
#pragma once

#include "proxy/connection.h"
#include "proxy/session_slot.h"
#include "proxy/write_barrier.h"

#include "proxy/asio.h"
#include "proxy/tls.h"

namespace fixguard::proxy {

class VenueLink : public ConnectionHandler {
 public:
  // `barrier`: null, or the barrier the connection's output waits on.
  // Throws std::runtime_error if the venue's TLS settings cannot be used.
  VenueLink(boost::asio::io_context& io, const config::LimitsConfig& limits, SessionSlot& slot, WriteBarrier* barrier);

  void start();
  void stop();   // no more reconnects; closes the connection
  void abort();  // no more reconnects; drops the connection at once

  void on_frame(Connection& c, const std::string& frame) override;
  void on_framing_error(Connection& c, const std::string& reason, bool fatal) override;
  void on_closed(Connection& c, const std::string& reason) override;

  const SessionSlot& slot() const { return slot_; }
  // Called when the session logs on: the backoff starts over.
  void on_logon() { attempt_ = 0; }
  // The TLS context, if the venue has one (for reloads).
  TlsContext* tls() { return tls_ ? &*tls_ : nullptr; }

 private:
  void connect();
  void halt();  // no more connects or reconnects
  void schedule_reconnect(const std::string& why);

  boost::asio::io_context& io_;
  const config::LimitsConfig& limits_;
  WriteBarrier* barrier_;
  SessionSlot& slot_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<boost::asio::ip::tcp::socket> connecting_;
  std::optional<TlsContext> tls_;
  int attempt_ = 0;
  bool stopped_ = false;
};

}  // namespace fixguard::proxy
