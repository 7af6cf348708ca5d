// TLS on both legs, end to end: a QuickFIX TLS initiator as the strategy,
// fixguard's TLS listener with client certificates, and a QuickFIX TLS
// acceptor as the venue, verified by its chain and host name. What must be
// refused is refused, each with a reason in fixguard's log.
#include "proxy/admin_client.h"
#include "proxy/asio.h"
#include "tests/support/proxy_fixture.h"
#include "tests/support/test_pki.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <boost/asio/ssl.hpp>

#include <fstream>

namespace fixguard::testing {
namespace {

namespace ssl = boost::asio::ssl;

// A TLS client made by hand: how the handshake with fixguard ended
// ("" if it succeeded), and the serial number of fixguard's certificate.
struct Probe {
  std::string error;
  long serial = -1;
  std::string answer;  // to `send`, until fixguard closed the connection
  // How that read ended: "" when fixguard closed its side of TLS first
  // (close_notify), else why not (a TCP close without it: "stream truncated").
  std::string end;
};
// With `cert`, a client certificate; `send` is written after the handshake.
Probe probe(uint16_t port, const std::string& ca, int max_version = 0, const CertFiles* cert = nullptr,
            const std::string& send = "") {
  boost::asio::io_context io;
  ssl::context ctx(ssl::context::tls_client);
  if (max_version) {
    SSL_CTX_set_security_level(ctx.native_handle(), 0);  // let it offer old versions at all
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
    SSL_CTX_set_max_proto_version(ctx.native_handle(), max_version);
  }
  ctx.load_verify_file(ca);
  if (cert) {
    ctx.use_certificate_chain_file(cert->cert);
    ctx.use_private_key_file(cert->key, ssl::context::pem);
  }
  ctx.set_verify_mode(ssl::verify_peer);
  ssl::stream<boost::asio::ip::tcp::socket> s(io, ctx);
  s.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
  Probe p;
  boost::system::error_code ec;
  s.handshake(ssl::stream_base::client, ec);
  if (ec) {
    p.error = ec.message();
    return p;
  }
  if (X509* cert = SSL_get1_peer_certificate(s.native_handle())) {
    p.serial = ASN1_INTEGER_get(X509_get_serialNumber(cert));
    X509_free(cert);
  }
  if (!send.empty()) {
    boost::asio::write(s, boost::asio::buffer(send), ec);
    char buf[4096];
    for (;;) {
      const std::size_t n = s.read_some(boost::asio::buffer(buf), ec);
      if (ec) break;
      p.answer.append(buf, n);
    }
    if (ec != boost::asio::error::eof) p.end = ec.message();
  }
  return p;
}

class TlsTest : public ProxyTest {
 protected:
  void SetUp() override {
    pki = std::make_unique<TestPki>(dir.path());
    alpha_cert = pki->client("ALPHA");
    beta_cert = pki->client("BETA");
  }
  // fixguard: plain and TLS listeners, client certificates from the test
  // CA, alpha only over TLS; the venue over TLS, checked against the CA.
  std::string yaml(const std::string& venue_server_name = "localhost") const {
    std::ostringstream y;
    y << "listen: \"127.0.0.1:" << listen_port << "\"\n"
      << "database: fixguard.db\n"
      << "limits: { logon_timeout_ms: 2000 }\n"
      << "tls:\n  listen: \"127.0.0.1:" << tls_port << "\"\n"
      << "  cert_file: server.pem\n  key_file: server.key\n  ca_file: ca.pem\n"
      << "venues:\n  - name: sim\n    begin_string: FIX.4.4\n    sender_comp_id: FIXGUARD\n"
      << "    target_comp_id: VENUE\n    connect: 127.0.0.1:" << venue_port << "\n"
      << "    reconnect: { initial_ms: 100, max_ms: 400 }\n"
      << "    tls: { ca_file: ca.pem, server_name: " << venue_server_name << " }\n"
      << "clients:\n"
      << "  - { name: alpha, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: ALPHA, venue: sim,"
      << " require_tls: true }\n"
      << "  - { name: beta, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: BETA, venue: sim }\n";
    return y.str();
  }
  proxy::SimulatorOptions venue_tls(const CertFiles& cert) const {
    proxy::SimulatorOptions o = fills(proxy::SimulatorOptions::Fill::full);
    o.tls = proxy::SimulatorOptions::Tls{cert.cert, cert.key, ""};
    return o;
  }
  // A strategy for `client` over TLS with `cert` (none if empty).
  std::unique_ptr<proxy::StrategyPeer> tls_strategy(const std::string& client, const CertFiles& cert) {
    proxy::StrategyPeer::Options o;
    o.port = tls_port;
    o.tls = proxy::StrategyPeer::Options::Tls{pki->ca(), cert.cert, cert.key};
    auto s = std::make_unique<proxy::StrategyPeer>(std::vector<config::ClientConfig>{*cfg.find_client(client)}, o);
    s->start();
    return s;
  }

  uint16_t tls_port = free_port();
  std::unique_ptr<TestPki> pki;
  CertFiles alpha_cert, beta_cert;
};

TEST_F(TlsTest, AStrategyTradesOverTlsThroughFixguardToATlsVenue) {
  LogCapture log;
  start(yaml(), venue_tls(pki->server()));
  strategy = tls_strategy("alpha", alpha_cert);
  ASSERT_TRUE(strategy->wait_logged_on("alpha", kWait));
  ASSERT_TRUE(strategy->send("alpha", new_order("T1", "10", "100")));
  EXPECT_TRUE(wait_er("alpha", "T1", "F"));
  ASSERT_TRUE(venue->wait_received("D", 1, kWait));
  EXPECT_TRUE(log.contains("Logon for alpha from 127.0.0.1:"));
  EXPECT_TRUE(log.contains("(TLS)"));
}

TEST_F(TlsTest, WhatMayNotConnectIsRefusedWithAReason) {
  LogCapture log;
  start(yaml(), venue_tls(pki->server()));
  const auto refused = [&](const std::string& what) { return log.wait_for(what, kWait); };

  // Plain TCP on the TLS port.
  RawClient plain(tls_port);
  plain.send(raw_logon("FIX.4.4", "ALPHA", "FIXGUARD", 1));
  plain.read_until_closed(2000);
  EXPECT_TRUE(plain.closed());
  EXPECT_TRUE(refused("TLS handshake failed: ")) << "plain TCP";

  // A TLS 1.1 client.
  const Probe old = probe(tls_port, pki->ca(), TLS1_1_VERSION);
  EXPECT_FALSE(old.error.empty());
  EXPECT_TRUE(refused("TLS handshake failed: unsupported protocol"));

  // No client certificate, then one no CA of fixguard's signed.
  const Probe anonymous = probe(tls_port, pki->ca());
  EXPECT_TRUE(refused("TLS handshake failed: peer did not return a certificate"));
  auto rogue = tls_strategy("alpha", pki->self_signed());
  EXPECT_TRUE(refused("(self-signed certificate)"));
  EXPECT_FALSE(rogue->wait_logged_on("alpha", 500));
  rogue->stop(false);

  // Beta's certificate on alpha's session: the Logout says no more than that.
  const Probe borrowed = probe(tls_port, pki->ca(), 0, &beta_cert, raw_logon("FIX.4.4", "ALPHA", "FIXGUARD", 1));
  EXPECT_TRUE(refused("client certificate CN 'BETA' is not the one bound to session alpha ('ALPHA')"));
  EXPECT_EQ(field(borrowed.answer, 35), "5") << borrowed.answer;
  EXPECT_EQ(field(borrowed.answer, 58), "Logon refused");
  EXPECT_EQ(borrowed.end, "") << "the Logout is followed by TLS's close_notify";

  // Alpha over plain TCP.
  connect({"beta"});  // beta may
  proxy::StrategyPeer::Options o;
  o.port = listen_port;
  proxy::StrategyPeer plain_alpha({*cfg.find_client("alpha")}, o);
  plain_alpha.start();
  EXPECT_TRUE(refused("session alpha requires TLS (logon over plain TCP)"));
  EXPECT_FALSE(plain_alpha.wait_logged_on("alpha", 300));
  plain_alpha.stop(false);
  EXPECT_EQ(venue->received("D").size(), 0u);
}

TEST_F(TlsTest, AVenueCertificateForAnotherHostOrNoTrustedCaIsRefused) {
  for (const auto& [cert, reason] : {std::pair{pki->other_host(), "(hostname mismatch)"},
                                     std::pair{pki->self_signed(), "(self-signed certificate)"}}) {
    LogCapture log;
    cfg = config::Config::from_text(yaml(), dir.path(), FIXGUARD_SPECS_DIR);
    venue = std::make_unique<proxy::VenueSimulator>(cfg, venue_tls(cert));
    venue->start();
    gateway = std::make_unique<GatewayRunner>(cfg);
    EXPECT_TRUE(log.wait_for(std::string("TLS handshake failed: certificate verify failed ") + reason, kWait))
        << reason;
    EXPECT_FALSE(venue->wait_logged_on(300)) << reason;
    stop_all();
  }
}

TEST_F(TlsTest, ANewCertificateIsUsedWithoutARestart) {
  LogCapture log;
  start(yaml(), venue_tls(pki->server()));
  strategy = tls_strategy("alpha", alpha_cert);
  ASSERT_TRUE(strategy->wait_logged_on("alpha", kWait));
  const long before = probe(tls_port, pki->ca()).serial;
  const long serial = pki->reissue_server();
  ASSERT_NE(before, serial);
  ASSERT_TRUE(log.wait_for("listener: certificate and key read again", kWait));
  EXPECT_EQ(probe(tls_port, pki->ca()).serial, serial);
  // The session that was open goes on.
  ASSERT_TRUE(strategy->send("alpha", new_order("T2", "10", "100")));
  EXPECT_TRUE(wait_er("alpha", "T2", "F"));
}

TEST_F(TlsTest, HttpsConnectionsOfTheOperatorInterfaceEndWithTlsCloseNotify) {
  const uint16_t admin_port = free_port();
  std::ofstream(dir.file("admin.token")) << "operator-token-0123456789\n";
  start(yaml() + "admin:\n  listen: \"127.0.0.1:" + std::to_string(admin_port) +
            "\"\n  token_file: admin.token\n  tls: { cert_file: server.pem, key_file: server.key }\n",
        venue_tls(pki->server()));
  LogCapture log;
  // fixguard ends a connection after its answer (Connection: close) with TLS's close_notify.
  const Probe health =
      probe(admin_port, pki->ca(), 0, nullptr, "GET /health HTTP/1.1\r\nHost: fixguard\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(health.answer.rfind("HTTP/1.1 200 OK", 0), 0u) << health.answer;
  EXPECT_EQ(health.end, "") << "the answer is followed by TLS's close_notify";
  // `fixguard ctl` ends its connection the same way: nothing cut to report.
  EXPECT_EQ(proxy::admin_call(*cfg.admin, "GET", "/state", {}).status, 200);
  EXPECT_EQ(proxy::admin_call(*cfg.admin, "GET", "/metrics", {}).status, 200);
  EXPECT_FALSE(log.wait_for("admin: request from", 300)) << "a connection ended without TLS's close_notify";
}

}  // namespace
}  // namespace fixguard::testing
