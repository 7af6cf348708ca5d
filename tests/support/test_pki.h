// Certificates for TLS tests, made with OpenSSL when a test starts: a CA,
// certificates it signs (a server's for localhost and 127.0.0.1, one for
// another host name, clients' with a given Common Name), and a self-signed
// certificate no one trusts. PEM files in a directory.
#pragma once

#include <string>

namespace fixguard::testing {

struct CertFiles {
  std::string cert, key;
};

class TestPki {
 public:
  // Writes ca.pem, server.pem/.key ("localhost"), other-host.pem/.key
  // ("venue.example"), self-signed.pem/.key into `dir`.
  explicit TestPki(const std::string& dir);
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const std::string& ca() const { return ca_; }
  const CertFiles& server() const { return server_; }
  const CertFiles& other_host() const { return other_host_; }
  const CertFiles& self_signed() const { return self_signed_; }
  // A client certificate signed by the CA, Common Name `cn` (written once).
  CertFiles client(const std::string& cn);
  // The server's certificate and key again, newly issued (another serial),
  // over the same files: for reload tests. Returns its serial number.
  long reissue_server();
  // `key_file`'s key written again encrypted (AES-256) under `passphrase`,
  // beside it as <key_file>.enc; returns that path.
  static std::string encrypt_key(const std::string& key_file, const std::string& passphrase);

 private:
  struct Impl;
  Impl* impl_;
  std::string dir_, ca_;
  CertFiles server_, other_host_, self_signed_;
};

}  // namespace fixguard::testing
