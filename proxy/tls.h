// TLS contexts built from config: TLS 1.2 at least (1.3 whenever both sides
// speak it), forward-secret AEAD ciphers unless configured otherwise, the
// peer verified (the venue's chain and host name; with client CAs, the
// strategy's certificate). The certificate, key and CAs are read again
// when their files change: new connections get the new context, open ones
// keep theirs.
//
// Thread: io thread only.
#pragma once

#include "config/config.h"

#include "proxy/asio.h"

#include <boost/asio/ssl.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::proxy {

class TlsContext {
 public:
  enum class Role { server, client };

  // Throws std::runtime_error naming the file or setting that could not be
  // used (never the key's passphrase).
  TlsContext(config::TlsConfig config, Role role);

  std::shared_ptr<boost::asio::ssl::context> get() const { return context_; }
  const config::TlsConfig& config() const { return config_; }
  Role role() const { return role_; }

  // Reads the files again if one changed since: nothing if none did; ""
  // if the new files are in use; else why not (the old context stays).
  std::optional<std::string> reload_if_changed();

 private:
  std::shared_ptr<boost::asio::ssl::context> build() const;
  std::vector<std::filesystem::file_time_type> file_times() const;

  config::TlsConfig config_;
  Role role_;
  std::shared_ptr<boost::asio::ssl::context> context_;
  std::vector<std::filesystem::file_time_type> times_;
};

// What a connection needs to speak TLS.
struct TlsSetup {
  std::shared_ptr<boost::asio::ssl::context> context;
  TlsContext::Role role = TlsContext::Role::server;
  std::string server_name;  // client: sent (SNI) and verified against the certificate
};

// Why a handshake failed, from the error and the verification result.
std::string tls_failure(const boost::system::error_code& ec, SSL* ssl);

}  // namespace fixguard::proxy
