#include "proxy/connection.h"

#include "fix/log.h"
#include "proxy/write_barrier.h"

#include <algorithm>
#include <atomic>

namespace fixguard::proxy {
namespace {

std::atomic<uint64_t> g_next_id{1};
constexpr auto kLinger = std::chrono::seconds(2);
constexpr std::size_t kMaxGather = 64;  // messages per write
// How long a TLS close waits for the peer's close_notify.
constexpr auto kGoodbye = std::chrono::milliseconds(500);

}  // namespace

std::string describe_peer(const boost::asio::ip::tcp::socket& s) {
  boost::system::error_code ec;
  const auto ep = s.remote_endpoint(ec);
  if (ec) return "unknown peer";
  const auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped())
    return addr.to_v6().to_v4().to_string() + ":" + std::to_string(ep.port());
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

std::array<uint8_t, 16> address_bytes(const boost::asio::ip::tcp::socket& s) {
  boost::system::error_code ec;
  const auto ep = s.remote_endpoint(ec);
  if (ec) return {};
  const auto addr = ep.address();
  if (addr.is_v6()) return addr.to_v6().to_bytes();
  return boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, addr.to_v4()).to_bytes();
}

Connection::Connection(boost::asio::ip::tcp::socket socket, std::size_t max_frame_bytes, std::size_t max_queue_bytes,
                       std::optional<TlsSetup> tls)
    : socket_(std::move(socket)),
      tls_setup_(std::move(tls)),
      linger_(socket_.get_executor()),
      framer_(max_frame_bytes),
      max_queue_bytes_(max_queue_bytes),
      peer_(describe_peer(socket_)),
      peer_address_(address_bytes(socket_)),
      id_(g_next_id++) {
  boost::system::error_code ec;
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  if (tls_setup_) {
    tls_ = std::make_unique<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>>(std::move(socket_),
                                                                                    *tls_setup_->context);
    handshaken_ = false;
  } else {
    // Plain TCP writes without blocking outside Asio's operations too (see
    // write()).
    socket_.non_blocking(true, ec);
  }
}

void Connection::start() {
  if (tls_)
    handshake();
  else
    read();
}

void Connection::handshake() {
  namespace ssl = boost::asio::ssl;
  const bool server = tls_setup_->role == TlsContext::Role::server;
  if (!server) {
    // The venue's certificate must name the host fixguard meant to reach
    // (OpenSSL checks it with the chain: a mismatch is a verify error).
    const std::string& name = tls_setup_->server_name;
    SSL* native = tls_->native_handle();
    boost::system::error_code ec;
    boost::asio::ip::make_address(name, ec);
    if (!ec) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(native), name.c_str());
    } else {
      SSL_set_tlsext_host_name(native, name.c_str());
      SSL_set_hostflags(native, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      SSL_set1_host(native, name.c_str());
    }
  }
  auto self = shared_from_this();
  tls_->async_handshake(
      server ? ssl::stream_base::server : ssl::stream_base::client, [this, self](boost::system::error_code ec) {
        if (closed_) return;
        if (ec) {
          finish("TLS handshake failed: " + tls_failure(ec, tls_->native_handle()));
          return;
        }
        handshaken_ = true;
        SSL* ssl = tls_->native_handle();
        tls_version_ = SSL_get_version(ssl);
        if (X509* cert = SSL_get1_peer_certificate(ssl)) {
          char cn[256] = {};
          if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0) peer_cn_ = cn;
          X509_free(cert);
        }
        if (closing_) return;
        read();
        if (!writing_) write();
      });
}

void Connection::read() {
  auto self = shared_from_this();
  const auto on_read = [this, self](boost::system::error_code ec, std::size_t n) {
    if (closed_ || saying_goodbye_) return;
    if (ec) {
      finish(closing_ && ec == boost::asio::error::operation_aborted ? close_reason_
             : ec == boost::asio::error::eof                         ? "peer closed the connection"
                                                                     : "read failed: " + ec.message());
      return;
    }
    if (closing_) return;  // a connection being closed reads nothing more
    framer_.append(read_buffer_.data(), n);
    for (;;) {
      fix::Framer::Result r = framer_.next();
      if (r.status == fix::Framer::Status::need_more) break;
      if (r.status == fix::Framer::Status::error) {
        if (handler_) handler_->on_framing_error(*this, r.error, r.fatal);
        if (r.fatal && !closing_) close_now(r.error);
      } else if (handler_) {
        handler_->on_frame(*this, r.frame);
      }
      if (closing_ || closed_) return;
    }
    read();
  };
  if (tls_)
    tls_->async_read_some(boost::asio::buffer(read_buffer_), on_read);
  else
    socket_.async_read_some(boost::asio::buffer(read_buffer_), on_read);
}

bool Connection::send(const std::string& bytes) {
  if (closing_ || closed_) return false;
  if (queued_bytes_ + bytes.size() > max_queue_bytes_) {
    // A peer that does not read is cut off rather than allowed to grow memory.
    close_now("send queue over " + std::to_string(max_queue_bytes_) + " bytes: peer is not reading");
    return false;
  }
  queued_bytes_ += bytes.size();
  queue_.push_back(bytes);
  if (!barrier_) {
    ++ready_;
  } else if (!held_) {
    held_ = true;
    barrier_->hold(shared_from_this());
  }
  if (!writing_) write();
  return true;
}

void Connection::release() {
  held_ = false;
  if (closed_) return;
  ready_ = queue_.size();
  if (!writing_) write();
}

void Connection::write() {
  for (;;) {
    if (!handshaken_ && !closed_) {
      writing_ = false;  // the handshake's end writes
      return;
    }
    if (ready_ == 0 || closed_) {
      writing_ = false;
      // Not from inside the caller's stack (a release by the barrier's
      // flush, a send from QuickFIX).
      if (closing_ && !closed_ && queue_.empty()) finish_soon();
      return;
    }
    writing_ = true;
    // Everything ready in one write (gathered): a busy connection does not
    // wait one event-loop turn per message.
    std::size_t n = std::min(ready_, kMaxGather);
    gather(n);
    if (tls_) break;
    // Plain TCP writes at once what the socket takes (it is non-blocking),
    // and leaves to an asynchronous write only what it does not take, or
    // an error, which is reported from the event loop.
    boost::system::error_code ec;
    std::size_t written = socket_.write_some(buffers_, ec);
    if (ec) break;
    std::size_t whole = 0;
    while (whole < n && written >= queue_[whole].size()) written -= queue_[whole++].size();
    pop(whole);
    n -= whole;
    if (n == 0) continue;  // all of it written: what else is ready
    queue_.front().erase(0, written);
    queued_bytes_ -= written;
    gather(n);
    break;
  }
  const std::size_t n = buffers_.size();
  auto self = shared_from_this();
  const auto on_written = [this, self, n](boost::system::error_code ec, std::size_t) {
    if (closed_) return;
    pop(n);
    if (ec) {
      // A write cancelled by close_now ends for close_now's reason.
      finish(closing_ ? close_reason_ : "write failed: " + ec.message());
      return;
    }
    write();
  };
  if (tls_)
    boost::asio::async_write(*tls_, buffers_, on_written);
  else
    boost::asio::async_write(socket_, buffers_, on_written);
}

void Connection::close_after_flush(const std::string& reason) {
  if (closing_ || closed_) return;
  closing_ = true;
  graceful_ = true;
  close_reason_ = reason;
  if (!writing_ && queue_.empty()) {
    // Not from inside the caller's stack (QuickFIX calls disconnect() from
    // deep inside Session::next).
    finish_soon();
    return;
  }
  auto self = shared_from_this();
  linger_.expires_after(kLinger);
  linger_.async_wait([this, self](boost::system::error_code ec) {
    if (!ec && !closed_) finish(close_reason_ + " (unsent data dropped)");
  });
}

void Connection::close_now(const std::string& reason) {
  if (closed_) return;
  closing_ = true;
  graceful_ = false;
  close_reason_ = reason;
  boost::system::error_code ec;
  socket().cancel(ec);
  finish_soon();
}

void Connection::pop(std::size_t n) {
  for (; n > 0; --n) {
    queued_bytes_ -= queue_.front().size();
    queue_.pop_front();
    --ready_;
  }
}

void Connection::gather(std::size_t n) {
  buffers_.clear();
  for (std::size_t i = 0; i < n; ++i) buffers_.push_back(boost::asio::buffer(queue_[i]));
}

void Connection::finish_soon() {
  auto self = shared_from_this();
  boost::asio::post(linger_.get_executor(), [this, self] {
    if (closed_ || saying_goodbye_) return;
    if (tls_ && handshaken_ && graceful_ && queue_.empty())
      say_goodbye();
    else
      finish(close_reason_);
  });
}

void Connection::say_goodbye() {
  saying_goodbye_ = true;
  auto self = shared_from_this();
  // The read under way ends (its handler ignores it): the shutdown reads the
  // peer's close_notify itself. Nothing is being written (the queue is empty).
  boost::system::error_code ec;
  socket().cancel(ec);
  linger_.expires_after(kGoodbye);  // a peer that does not answer is not waited for
  linger_.async_wait([this, self](boost::system::error_code ec) {
    if (!ec && !closed_) finish(close_reason_);
  });
  tls_->async_shutdown([this, self](boost::system::error_code) {
    if (!closed_) finish(close_reason_);
  });
}

void Connection::abort() {
  closed_ = closing_ = true;
  handler_ = nullptr;
  boost::system::error_code ec;
  socket().close(ec);
  linger_.cancel();
}

void Connection::finish(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  boost::system::error_code ec;
  socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket().close(ec);
  linger_.cancel();
  queue_.clear();
  queued_bytes_ = 0;
  ready_ = 0;
  if (handler_) {
    ConnectionHandler* h = handler_;
    handler_ = nullptr;
    h->on_closed(*this, reason);
  }
}

}  // namespace fixguard::proxy
