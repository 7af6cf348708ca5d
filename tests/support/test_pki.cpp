#include "tests/support/test_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace fixguard::testing {
namespace {

// RSA (QuickFIX's TLS code takes no other keys). Making one takes a while,
// so the keys are made once per test process and reused; they are never freed.
EVP_PKEY* key_number(std::size_t i) {
  static std::mutex mutex;
  static std::vector<EVP_PKEY*> keys;
  std::lock_guard lock(mutex);
  while (keys.size() <= i) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key) throw std::runtime_error("cannot make a test key");
    keys.push_back(key);
  }
  return keys[i];
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) throw std::runtime_error("cannot make extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by `issuer` (self-signed if null).
X509* make_cert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key, bool ca,
                const std::string& alt_names, long serial) {
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 30L * 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("fixguard tests"), -1, -1,
                             0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
  add_extension(cert, issuer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  add_extension(cert, issuer, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
  add_extension(cert, issuer, NID_subject_key_identifier, "hash");
  if (!ca) add_extension(cert, issuer, NID_ext_key_usage, "serverAuth,clientAuth");
  if (!alt_names.empty()) add_extension(cert, issuer, NID_subject_alt_name, alt_names);
  if (X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()) <= 0)
    throw std::runtime_error("cannot sign test certificate " + cn);
  return cert;
}

void write(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw std::runtime_error("cannot write " + path);
  const bool ok =
      cert ? PEM_write_X509(f, cert) == 1 : PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(f);
  if (!ok) throw std::runtime_error("cannot write " + path);
}

}  // namespace

struct TestPki::Impl {
  EVP_PKEY* ca_key = nullptr;
  X509* ca_cert = nullptr;
  long serial = 1;
  std::size_t keys = 0;
  ~Impl() { X509_free(ca_cert); }
  CertFiles issue(const std::string& path_stem, const std::string& cn, const std::string& alt, bool self_signed) {
    EVP_PKEY* key = key_number(keys++);
    X509* cert = self_signed ? make_cert(key, cn, nullptr, nullptr, false, alt, serial++)
                             : make_cert(key, cn, ca_cert, ca_key, false, alt, serial++);
    CertFiles f{path_stem + ".pem", path_stem + ".key"};
    write(f.cert, cert, nullptr);
    write(f.key, nullptr, key);
    X509_free(cert);
    return f;
  }
};

TestPki::TestPki(const std::string& dir) : impl_(new Impl), dir_(dir) {
  impl_->ca_key = key_number(impl_->keys++);
  impl_->ca_cert = make_cert(impl_->ca_key, "fixguard test CA", nullptr, nullptr, true, "", impl_->serial++);
  ca_ = dir + "/ca.pem";
  write(ca_, impl_->ca_cert, nullptr);
  server_ = impl_->issue(dir + "/server", "localhost", "DNS:localhost,IP:127.0.0.1", false);
  other_host_ = impl_->issue(dir + "/other-host", "venue.example", "DNS:venue.example", false);
  self_signed_ = impl_->issue(dir + "/self-signed", "localhost", "DNS:localhost,IP:127.0.0.1", true);
}

TestPki::~TestPki() { delete impl_; }

CertFiles TestPki::client(const std::string& cn) { return impl_->issue(dir_ + "/client-" + cn, cn, "", false); }

long TestPki::reissue_server() {
  const long serial = impl_->serial;
  server_ = impl_->issue(dir_ + "/server", "localhost", "DNS:localhost,IP:127.0.0.1", false);
  return serial;
}

std::string TestPki::encrypt_key(const std::string& key_file, const std::string& passphrase) {
  FILE* in = std::fopen(key_file.c_str(), "r");
  if (!in) throw std::runtime_error("cannot read " + key_file);
  EVP_PKEY* key = PEM_read_PrivateKey(in, nullptr, nullptr, nullptr);
  std::fclose(in);
  if (!key) throw std::runtime_error("no key in " + key_file);
  const std::string path = key_file + ".enc";
  FILE* out = std::fopen(path.c_str(), "w");
  const bool ok = out && PEM_write_PrivateKey(out, key, EVP_aes_256_cbc(),
                                              reinterpret_cast<const unsigned char*>(passphrase.data()),
                                              static_cast<int>(passphrase.size()), nullptr, nullptr) == 1;
  if (out) std::fclose(out);
  EVP_PKEY_free(key);
  if (!ok) throw std::runtime_error("cannot write " + path);
  return path;
}

}  // namespace fixguard::testing
