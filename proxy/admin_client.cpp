#include "proxy/admin_client.h"

#include "proxy/asio.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace fixguard::proxy {
namespace {

std::string url_encode(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

AdminReply admin_call(const config::AdminConfig& admin, const std::string& method, const std::string& path,
                      const std::map<std::string, std::string>& form) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  namespace ssl = boost::asio::ssl;
  std::string host = admin.listen.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  const std::string where = host + ":" + std::to_string(admin.listen.port);
  http::request<http::string_body> req(method == "POST" ? http::verb::post : http::verb::get, path, 11);
  req.set(http::field::host, where);
  req.set(http::field::authorization, "Bearer " + admin.token);
  if (method == "POST") {
    std::string body;
    for (const auto& [k, v] : form) body += (body.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.body() = body;
  }
  req.prepare_payload();
  const auto exchange = [&](auto& stream) {
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    // Over TLS, TLS's own goodbye first (the server answers it, or closes).
    if constexpr (!std::is_same_v<std::decay_t<decltype(stream)>, beast::tcp_stream>) stream.shutdown(ec);
    beast::get_lowest_layer(stream).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    return AdminReply{static_cast<int>(res.result_int()), res.body()};
  };
  try {
    boost::asio::io_context io;
    const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address(host), admin.listen.port);
    if (!admin.tls) {
      beast::tcp_stream stream(io);
      stream.expires_after(std::chrono::seconds(10));
      stream.connect(endpoint);
      return exchange(stream);
    }
    // HTTPS: the server must present exactly the configured certificate
    // (trusted as it is, so a self-signed one works and no other does).
    ssl::context context(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    context.load_verify_file(admin.tls->cert_file);
    X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(context.native_handle()), X509_V_FLAG_PARTIAL_CHAIN);
    context.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, context);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(stream).connect(endpoint);
    stream.handshake(ssl::stream_base::client);
    return exchange(stream);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot reach the admin interface at " + where + ": " + e.what());
  }
}

}  // namespace fixguard::proxy
