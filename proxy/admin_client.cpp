#include "proxy/admin_client.h"

#include "proxy/asio.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

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
  std::string host = admin.listen.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  const std::string where = host + ":" + std::to_string(admin.listen.port);
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(host), admin.listen.port));
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
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    return AdminReply{static_cast<int>(res.result_int()), res.body()};
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot reach the admin interface at " + where + ": " + e.what());
  }
}

}  // namespace fixguard::proxy
