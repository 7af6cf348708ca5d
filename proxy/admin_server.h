// The operator interface's HTTP server (Boost.Beast) on the io thread.
//
// Every request but GET /health and GET /ready must carry the configured
// token as "Authorization: Bearer <token>", compared in constant time;
// others get 401 and a log line that names the peer, never the token.
// Requests are small: headers up to 8 KiB, bodies up to 64 KiB, 10 s to
// send one. Parameters come from the query string and, for POST, a form
// body (application/x-www-form-urlencoded).
//
// Thread: io thread only; the handler runs there too, so it may use the
// engine and the sessions directly.
#pragma once

#include "config/config.h"
#include "proxy/asio.h"
#include "proxy/tls.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace fixguard::proxy {

class AdminServer {
 public:
  struct Request {
    std::string method;  // "GET", "POST"
    std::string path;    // without the query string
    std::map<std::string, std::string> params;
    std::string peer;  // address:port
  };
  struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
  };
  using Handler = std::function<Response(const Request&)>;

  AdminServer(boost::asio::io_context& io, const config::AdminConfig& config, Handler handler);
  ~AdminServer();

  // Binds and listens; throws std::runtime_error naming the address when it
  // cannot.
  void start();
  void stop();
  uint16_t port() const;
  // HTTPS: its context, to reload (null without TLS).
  TlsContext* tls() { return tls_ ? &*tls_ : nullptr; }

 private:
  template <class Stream>
  class Connection;
  void accept();

  boost::asio::io_context& io_;
  const config::AdminConfig& config_;
  Handler handler_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::optional<TlsContext> tls_;  // with config.tls
};

// Decodes %XX and '+' in a query or form value; nullopt if malformed.
std::optional<std::string> url_decode(std::string_view text);
// "a=1&b=x%20y" into `out`; false on a malformed pair.
bool parse_form(std::string_view text, std::map<std::string, std::string>& out);

}  // namespace fixguard::proxy
