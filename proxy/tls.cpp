#include "proxy/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace fixguard::proxy {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2: ephemeral ECDH key exchange and AEAD ciphers only.
constexpr const char* kDefaultCiphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!MD5:!SHA1:!DSS";

std::string openssl_error() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(e, text, sizeof text);
  return text;
}

}  // namespace

TlsContext::TlsContext(config::TlsConfig config, Role role) : config_(std::move(config)), role_(role) {
  context_ = build();
  times_ = file_times();
}

std::vector<std::filesystem::file_time_type> TlsContext::file_times() const {
  std::vector<std::filesystem::file_time_type> out;
  for (const std::string* path : {&config_.cert_file, &config_.key_file, &config_.ca_file}) {
    std::error_code ec;
    out.push_back(path->empty() ? std::filesystem::file_time_type() : std::filesystem::last_write_time(*path, ec));
  }
  return out;
}

std::optional<std::string> TlsContext::reload_if_changed() {
  const auto now = file_times();
  if (now == times_) return std::nullopt;
  try {
    context_ = build();
    times_ = now;
    return "";
  } catch (const std::exception& e) {
    times_ = now;  // said once per change
    return e.what();
  }
}

std::shared_ptr<ssl::context> TlsContext::build() const {
  auto ctx =
      std::make_shared<ssl::context>(role_ == Role::server ? ssl::context::tls_server : ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  const auto step = [&](const std::string& what, const auto& f) {
    try {
      f();
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error(what + ": " + e.code().message());
    }
  };
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_min_proto_version(native, config_.min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(native, 0);  // the highest there is
  const std::string ciphers = config_.ciphers.empty() ? kDefaultCiphers : config_.ciphers;
  if (SSL_CTX_set_cipher_list(native, ciphers.c_str()) != 1)
    throw std::runtime_error("no usable TLS 1.2 cipher in '" + ciphers + "': " + openssl_error());
  if (!config_.ciphersuites.empty() && SSL_CTX_set_ciphersuites(native, config_.ciphersuites.c_str()) != 1)
    throw std::runtime_error("no usable TLS 1.3 suite in '" + config_.ciphersuites + "': " + openssl_error());
  if (!config_.key_password.empty()) {
    const std::string password = config_.key_password;
    ctx->set_password_callback([password](std::size_t, ssl::context::password_purpose) { return password; });
  }
  if (!config_.cert_file.empty()) {
    step("cannot use certificate " + config_.cert_file, [&] { ctx->use_certificate_chain_file(config_.cert_file); });
    step("cannot use key " + config_.key_file + " (or its passphrase)",
         [&] { ctx->use_private_key_file(config_.key_file, ssl::context::pem); });
    if (SSL_CTX_check_private_key(native) != 1)
      throw std::runtime_error("key " + config_.key_file + " does not match certificate " + config_.cert_file);
  }
  if (role_ == Role::server) {
    if (!config_.ca_file.empty()) {
      // Mutual TLS: a strategy without a certificate from these CAs is refused.
      step("cannot use CA file " + config_.ca_file, [&] { ctx->load_verify_file(config_.ca_file); });
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config_.ca_file.c_str());
      if (names) SSL_CTX_set_client_CA_list(native, names);
      ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  } else {
    if (!config_.ca_file.empty())
      step("cannot use CA file " + config_.ca_file, [&] { ctx->load_verify_file(config_.ca_file); });
    else
      step("cannot use the system's CAs", [&] { ctx->set_default_verify_paths(); });
    ctx->set_verify_mode(ssl::verify_peer);
  }
  return ctx;
}

std::string tls_failure(const boost::system::error_code& ec, SSL* ssl) {
  std::string why = ec.message();
  if (ssl) {
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) why += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
  }
  return why;
}

}  // namespace fixguard::proxy
