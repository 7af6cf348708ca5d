#include "proxy/venue_link.h"

#include "fix/log.h"

#include <algorithm>

namespace fixguard::proxy {

VenueLink::VenueLink(boost::asio::io_context& io, const config::LimitsConfig& limits, SessionSlot& slot,
                     WriteBarrier* barrier)
    : io_(io), limits_(limits), barrier_(barrier), slot_(slot), resolver_(io), timer_(io) {
  if (slot_.venue->tls) tls_.emplace(*slot_.venue->tls, TlsContext::Role::client);
}

void VenueLink::start() { connect(); }

void VenueLink::halt() {
  stopped_ = true;
  timer_.cancel();
  resolver_.cancel();
  if (connecting_) {
    boost::system::error_code ec;
    connecting_->close(ec);
  }
}

void VenueLink::stop() {
  halt();
  if (slot_.connection) slot_.connection->close_after_flush("fixguard stopping");
}

void VenueLink::abort() {
  halt();
  if (slot_.connection) slot_.connection->abort();
}

void VenueLink::connect() {
  if (stopped_) return;
  const config::Endpoint& ep = slot_.venue->connect;
  log::info(slot_.name(), "connecting to " + ep.to_string());
  resolver_.async_resolve(
      ep.host, std::to_string(ep.port),
      [this](boost::system::error_code ec, boost::asio::ip::tcp::resolver::results_type results) {
        if (stopped_) return;
        if (ec) {
          schedule_reconnect("cannot resolve " + slot_.venue->connect.host + ": " + ec.message());
          return;
        }
        auto socket = std::make_shared<boost::asio::ip::tcp::socket>(io_);
        connecting_ = socket;
        timer_.expires_after(std::chrono::milliseconds(slot_.venue->connect_timeout_ms));
        timer_.async_wait([socket](boost::system::error_code tec) {
          if (!tec) {
            boost::system::error_code ignore;
            socket->close(ignore);
          }
        });
        boost::asio::async_connect(
            *socket, results, [this, socket](boost::system::error_code cec, const boost::asio::ip::tcp::endpoint&) {
              connecting_.reset();
              timer_.cancel();
              if (stopped_) return;
              if (cec) {
                schedule_reconnect("connect failed: " + cec.message());
                return;
              }
              std::optional<TlsSetup> tls;
              if (tls_) tls = TlsSetup{tls_->get(), TlsContext::Role::client, tls_->config().server_name};
              auto c = std::make_shared<Connection>(std::move(*socket), limits_.max_frame_bytes,
                                                    limits_.max_send_queue_bytes, std::move(tls));
              c->set_handler(this);
              c->set_barrier(barrier_);
              log::info(slot_.name(),
                        "connected to " + c->peer() + (tls_ ? ", TLS handshake, then logging on" : ", logging on"));
              slot_.attach(c);
              c->start();
              slot_.session->next(FIX::UtcTimeStamp());  // the Logon (sent after a handshake)
            });
      });
}

void VenueLink::schedule_reconnect(const std::string& why) {
  if (stopped_) return;
  const int64_t base = slot_.venue->reconnect.initial_ms;
  const int64_t delay = std::min<int64_t>(slot_.venue->reconnect.max_ms, base << std::min(attempt_, 20));
  ++attempt_;
  log::warn(slot_.name(), why + "; reconnecting in " + std::to_string(delay) + " ms");
  timer_.expires_after(std::chrono::milliseconds(delay));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) connect();
  });
}

void VenueLink::on_frame(Connection& c, const std::string& frame) {
  const int seqnum = parse_seqnum(frame);
  if (seqnum < 1) {
    log::error(slot_.name(), "venue sent a message without a valid MsgSeqNum; disconnecting");
    c.close_now("MsgSeqNum missing or out of range");
    return;
  }
  slot_.deliver(frame, seqnum);
}

void VenueLink::on_framing_error(Connection& c, const std::string& reason, bool fatal) {
  if (fatal || !slot_.logged_on()) {
    log::error(slot_.name(), "closing venue connection: " + reason);
    c.close_now(reason);
    return;
  }
  log::warn(slot_.name(), "garbled message from venue ignored: " + reason);
}

void VenueLink::on_closed(Connection& c, const std::string& reason) {
  slot_.detach(c);
  schedule_reconnect("venue connection closed: " + reason);
}

}  // namespace fixguard::proxy
