#include "proxy/admin_server.h"

#include "config/credentials.h"

#include "fix/log.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <type_traits>

namespace fixguard::proxy {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

std::optional<std::string> url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      const int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool parse_form(std::string_view text, std::map<std::string, std::string>& out) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const auto key = url_decode(pair.substr(0, eq));
    const auto value = url_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value || key->empty()) return false;
    out[*key] = *value;
  }
  return true;
}

// `Stream`: beast::tcp_stream, or beast::ssl_stream over one (HTTPS).
template <class Stream>
class AdminServer::Connection : public std::enable_shared_from_this<AdminServer::Connection<Stream>> {
 public:
  template <class... TlsContext>
  Connection(tcp::socket socket, AdminServer& server, TlsContext&... tls)
      : stream_(std::move(socket), tls...), server_(server) {
    boost::system::error_code ec;
    const auto ep = socket_().remote_endpoint(ec);
    peer_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  // Over TLS, the handshake comes first (within the same 10 s).
  void start() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
      stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) {
          log::warn("admin",
                    "TLS handshake with " + self->peer_ + " failed: " + tls_failure(ec, self->stream_.native_handle()));
          return;
        }
        self->read();
      });
    } else {
      read();
    }
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;
  tcp::socket& socket_() { return beast::get_lowest_layer(stream_).socket(); }

  void read() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(64 * 1024);
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(10));
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return end();
    if (ec == ssl::error::stream_truncated) return;  // a client gone without TLS's close_notify, between requests
    if (ec) {
      if (ec != beast::error::timeout && ec != boost::asio::error::operation_aborted)
        log::info("admin", "request from " + peer_ + " not read: " + ec.message());
      return;
    }
    const http::request<http::string_body>& req = parser_->get();
    Response r = answer(req);
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), req.version());
    res->set(http::field::server, "fixguard");
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, "no-store");
    res->keep_alive(req.keep_alive());
    res->body() = std::move(r.body);
    res->prepare_payload();
    http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec) return;
      if (!res->keep_alive()) return self->end();
      self->read();
    });
  }

  // No more requests on this connection: over TLS, close_notify (and the
  // client's, waited for briefly), so that the client can tell the end of
  // the connection from a cut one; then the TCP close.
  void end() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(1));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        beast::error_code ignored;
        self->socket_().shutdown(tcp::socket::shutdown_both, ignored);
      });
    } else {
      beast::error_code ec;
      socket_().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  Response answer(const http::request<http::string_body>& req) {
    Request r;
    r.method = std::string(req.method_string());
    r.peer = peer_;
    const std::string_view target(req.target().data(), req.target().size());
    const std::size_t q = target.find('?');
    r.path = std::string(target.substr(0, q));
    const auto error = [](int status, const std::string& why) {
      return Response{status, "application/json", "{\"ok\":false,\"error\":\"" + why + "\"}\n"};
    };
    if (q != std::string_view::npos && !parse_form(target.substr(q + 1), r.params))
      return error(400, "malformed query string");
    const bool open = r.method == "GET" && (r.path == "/health" || r.path == "/ready");
    if (!open) {
      const auto auth = req[http::field::authorization];
      const std::string_view given(auth.data(), auth.size());
      constexpr std::string_view kBearer = "Bearer ";
      const bool ok = given.substr(0, kBearer.size()) == kBearer &&
                      config::same_secret(given.substr(std::min(given.size(), kBearer.size())), server_.config_.token);
      if (!ok) {
        log::warn("admin", "refused " + r.method + " " + r.path + " from " + peer_ + ": missing or wrong token");
        return error(401, "missing or wrong token");
      }
    }
    if (r.method == "POST") {
      const auto type = req[http::field::content_type];
      const std::string_view content_type(type.data(), type.size());
      if (!req.body().empty() && content_type.substr(0, 33) != "application/x-www-form-urlencoded")
        return error(415, "expected an application/x-www-form-urlencoded body");
      if (!parse_form(req.body(), r.params)) return error(400, "malformed form body");
    } else if (r.method != "GET") {
      return error(405, "only GET and POST");
    }
    try {
      return server_.handler_(r);
    } catch (const std::exception& e) {
      log::error("admin", r.method + " " + r.path + " failed: " + e.what());
      return error(500, "internal error, see the log");
    }
  }

  Stream stream_;
  AdminServer& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string peer_;
};

AdminServer::AdminServer(boost::asio::io_context& io, const config::AdminConfig& config, Handler handler)
    : io_(io), config_(config), handler_(std::move(handler)), acceptor_(io) {
  if (config_.tls) tls_.emplace(*config_.tls, TlsContext::Role::server);
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start() {
  const std::string where = config_.listen.to_string();
  try {
    const tcp::endpoint ep(boost::asio::ip::make_address(config_.listen.host), config_.listen.port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
  } catch (const std::exception& e) {
    throw std::runtime_error("admin interface cannot listen on " + where + ": " + e.what());
  }
  log::info("admin", std::string("operator interface on ") + (tls_ ? "https://" : "http://") + where);
  accept();
}

void AdminServer::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

uint16_t AdminServer::port() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void AdminServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed
    if (tls_) {
      // The context in force now: a reload serves later connections.
      const auto context = tls_->get();
      std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), *this, *context)->start();
    } else {
      std::make_shared<Connection<beast::tcp_stream>>(std::move(socket), *this)->start();
    }
    accept();
  });
}

}  // namespace fixguard::proxy
