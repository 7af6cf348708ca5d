#include "proxy/listener.h"

#include "fix/log.h"

#include <stdexcept>

namespace fixguard::proxy {

void Listener::listen(const std::vector<config::Endpoint>& endpoints, bool tls) {
  using boost::asio::ip::tcp;
  for (const config::Endpoint& ep : endpoints) {
    try {
      tcp::resolver resolver(io_);
      const auto results = resolver.resolve(ep.host, std::to_string(ep.port), tcp::resolver::passive);
      const tcp::endpoint local = results.begin()->endpoint();
      auto a = std::make_unique<tcp::acceptor>(io_);
      a->open(local.protocol());
      a->set_option(tcp::acceptor::reuse_address(true));
      if (local.address().is_v6() && local.address().is_unspecified()) a->set_option(boost::asio::ip::v6_only(false));
      a->bind(local);
      a->listen();
      log::info("listener", std::string("accepting strategies on ") + ep.to_string() + (tls ? " (TLS)" : ""));
      accept(*a, tls);
      acceptors_.push_back(std::move(a));
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot listen on " + ep.to_string() + ": " + e.code().message());
    }
  }
}

void Listener::accept(boost::asio::ip::tcp::acceptor& a, bool tls) {
  a.async_accept([this, &a, tls](boost::system::error_code ec, boost::asio::ip::tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !a.is_open()) return;
    if (!ec)
      on_accept_(std::move(socket), tls);
    else
      log::warn("listener", "accept failed: " + ec.message());
    accept(a, tls);
  });
}

void Listener::close() {
  for (auto& a : acceptors_) {
    boost::system::error_code ec;
    a->close(ec);
  }
}

std::vector<boost::asio::ip::tcp::endpoint> Listener::local_endpoints() const {
  std::vector<boost::asio::ip::tcp::endpoint> out;
  for (const auto& a : acceptors_) out.push_back(a->local_endpoint());
  return out;
}

}  // namespace fixguard::proxy
