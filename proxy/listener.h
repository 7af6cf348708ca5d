// Accepts TCP connections on the configured addresses. "::" listens on IPv6
// and IPv4 at once (dual stack).
//
// Thread: io thread only.
#pragma once

#include "config/config.h"

#include "proxy/asio.h"

#include <functional>
#include <memory>
#include <vector>

namespace fixguard::proxy {

class Listener {
 public:
  // `tls`: accepted on an address listen() was told is for TLS.
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket, bool tls)>;

  Listener(boost::asio::io_context& io, OnAccept on_accept) : io_(io), on_accept_(std::move(on_accept)) {}

  // Binds every endpoint; throws std::runtime_error naming the address that failed.
  void listen(const std::vector<config::Endpoint>& endpoints, bool tls = false);
  void close();
  std::vector<boost::asio::ip::tcp::endpoint> local_endpoints() const;

 private:
  void accept(boost::asio::ip::tcp::acceptor& a, bool tls);

  boost::asio::io_context& io_;
  OnAccept on_accept_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
};

}  // namespace fixguard::proxy
