// One TCP connection carrying FIX, plain or over TLS, read through the
// Framer and written through a bounded queue. It is the FIX::Responder
// QuickFIX sessions send through. Over TLS nothing is read or written
// before the handshake has succeeded; a failed one closes the connection,
// saying why.
//
// Thread: io thread only. Lifetime: shared_ptr; pending I/O keeps it alive.
#pragma once

#include "fix/framer.h"
#include "fix/quickfix.h"

#include "proxy/asio.h"
#include "proxy/tls.h"

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::proxy {

class Connection;
class WriteBarrier;

// "address:port" of the peer ("[v6]:port"; IPv4-mapped shown as IPv4).
std::string describe_peer(const boost::asio::ip::tcp::socket& socket);
// The remote address of `socket` as 16 bytes, IPv4 as ::ffff:a.b.c.d.
std::array<uint8_t, 16> address_bytes(const boost::asio::ip::tcp::socket& socket);

// Implemented by whoever owns the connection's traffic.
class ConnectionHandler {
 public:
  virtual ~ConnectionHandler() = default;
  // A whole, length- and checksum-verified FIX message.
  virtual void on_frame(Connection& c, const std::string& frame) = 0;
  // Bytes that are not FIX. The framer has skipped them; `fatal` means the
  // stream cannot be resynchronised (an oversized frame).
  virtual void on_framing_error(Connection& c, const std::string& reason, bool fatal) = 0;
  // Called once, when the socket is closed for any reason.
  virtual void on_closed(Connection& c, const std::string& reason) = 0;
};

class Connection : public FIX::Responder, public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, std::size_t max_frame_bytes, std::size_t max_queue_bytes,
             std::optional<TlsSetup> tls = std::nullopt);

  void set_handler(ConnectionHandler* handler) { handler_ = handler; }
  // With a barrier, what is sent waits for the barrier's next flush.
  void set_barrier(WriteBarrier* barrier) { barrier_ = barrier; }
  // The barrier's flush: what was held may be written.
  void release();
  void start();  // begins reading (after the TLS handshake)

  // FIX::Responder: queue bytes for writing. False once the connection is closing.
  bool send(const std::string& bytes) override;
  // FIX::Responder: close after what is queued has been written (bounded by a
  // short linger), as QuickFIX does after a Logout.
  void disconnect() override { close_after_flush("session disconnected"); }

  void close_after_flush(const std::string& reason);
  void close_now(const std::string& reason);
  // Closes the socket at once and tells no one, as a crash would.
  void abort();

  const std::string& peer() const { return peer_; }
  // The peer's address as 16 bytes, IPv4 as ::ffff:a.b.c.d (all zero if unknown).
  const std::array<uint8_t, 16>& peer_address() const { return peer_address_; }
  bool tls() const { return tls_ != nullptr; }
  // Over TLS, once the handshake is done: the Common Name of the peer's
  // certificate ("" if it sent none), and the protocol ("TLSv1.3").
  const std::string& peer_cn() const { return peer_cn_; }
  const std::string& tls_version() const { return tls_version_; }
  bool closing() const { return closing_; }
  uint64_t id() const { return id_; }

 private:
  void read();
  void write();
  void finish(const std::string& reason);
  // finish(close_reason_) from the event loop, unless closed by then; over
  // TLS, after a close that let the output go, say_goodbye() first.
  void finish_soon();
  // Ends TLS as it should end (close_notify, and the peer's, waited for
  // briefly), so that the peer can tell the close from a cut connection,
  // then finish(close_reason_).
  void say_goodbye();
  // The first `n` messages of queue_ as the buffers of one write.
  void gather(std::size_t n);
  // Takes the first `n` messages (ready, written) off queue_.
  void pop(std::size_t n);
  void handshake();
  boost::asio::ip::tcp::socket& socket() { return tls_ ? tls_->next_layer() : socket_; }

  boost::asio::ip::tcp::socket socket_;  // moved into tls_ when there is one
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  std::optional<TlsSetup> tls_setup_;
  bool handshaken_ = true;
  std::string peer_cn_, tls_version_;
  boost::asio::steady_timer linger_;
  fix::Framer framer_;
  std::size_t max_queue_bytes_;
  std::deque<std::string> queue_;
  std::vector<boost::asio::const_buffer> buffers_;  // of the write in flight
  std::size_t queued_bytes_ = 0;
  std::size_t ready_ = 0;  // messages at the front of queue_ that may be written
  bool writing_ = false;
  bool held_ = false;  // the barrier is to release queue_
  bool closing_ = false;
  bool closed_ = false;
  bool graceful_ = false;        // closing after the output was written
  bool saying_goodbye_ = false;  // TLS shutdown under way: the read ended
  std::string close_reason_;
  std::string peer_;
  std::array<uint8_t, 16> peer_address_{};
  uint64_t id_;
  std::array<char, 64 * 1024> read_buffer_;
  ConnectionHandler* handler_ = nullptr;
  WriteBarrier* barrier_ = nullptr;
};

}  // namespace fixguard::proxy
