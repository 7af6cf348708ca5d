// Nothing secret in anything fixguard writes or says. A full session with
// every kind of secret in play: strategies logging on with a password and
// with an HMAC-signed Logon (one over TLS), a wrong password tried, the
// venue logged on to with fixguard's own password, TLS keys under
// passphrases, the operator interface over HTTPS with its token (and a
// wrong one tried), every FIX message logged at debug. Then every log
// line, every file fixguard wrote (databases, journal, WAL), the operator
// interface's answers and the audit's output are searched for each secret.
#include "config/credentials.h"
#include "fix/log.h"
#include "proxy/admin_client.h"
#include "proxy/tls.h"
#include "tests/support/proxy_fixture.h"
#include "tests/support/test_pki.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fixguard::testing {
namespace {

namespace fs = std::filesystem;

const std::string kAlphaPassword = "alpha-pw-Zq81-never-seen";
const std::string kWrongPassword = "wrong-pw-Kx27-never-seen";
const std::string kBetaKey = "beta-hmac-key-Pv55-never-seen-0123456789";
const std::string kVenuePassword = "venue-pw-Lm93-never-seen";
const std::string kListenerKeyPass = "listener-pass-Rt64-never-seen";
const std::string kAdminKeyPass = "admin-pass-Yw18-never-seen";
const std::string kToken = "admin-token-Hd40-never-seen-000";
const std::string kWrongToken = "wrong-token-Nc72-never-seen-000";
const std::vector<std::string> kSecrets = {kAlphaPassword,   kWrongPassword, kBetaKey, kVenuePassword,
                                           kListenerKeyPass, kAdminKeyPass,  kToken,   kWrongToken};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Where `text` has a secret field (554, 925, 96) whose value is not masked:
// "" if nowhere.
std::string unmasked_field(const std::string& text) {
  for (const std::string tag : {"554=", "925=", "96="})
    for (const char before : {'\x01', '|'}) {
      const std::string mark = std::string(1, before) + tag;
      for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + 1)) {
        const std::size_t value = at + mark.size();
        if (text.compare(value, 3, "***") != 0) return text.substr(at, 40);
      }
    }
  return "";
}

class Secrets : public ProxyTest {
 protected:
  void SetUp() override {
    pki = std::make_unique<TestPki>(dir.path());
    const auto write = [&](const std::string& name, const std::string& text) {
      std::ofstream(dir.file(name)) << text << "\n";
    };
    write("alpha.hash", config::PasswordHash::make(kAlphaPassword, config::PasswordHash::Algorithm::scrypt, 14).text());
    write("beta.key", kBetaKey);
    write("venue.pass", kVenuePassword);
    write("listener.pass", kListenerKeyPass);
    write("admin.token", kToken);
    ::setenv("FIXGUARD_TEST_ADMIN_KEY_PASS", kAdminKeyPass.c_str(), 1);
    listener_key = TestPki::encrypt_key(pki->server().key, kListenerKeyPass);
    fs::copy_file(pki->server().key, dir.file("admin.key"));
    admin_key = TestPki::encrypt_key(dir.file("admin.key"), kAdminKeyPass);
    fs::remove(dir.file("admin.key"));
  }
  void TearDown() override {
    ProxyTest::TearDown();
    log::set_level(log::Level::info);
    ::unsetenv("FIXGUARD_TEST_ADMIN_KEY_PASS");
  }
  std::string yaml() const {
    std::ostringstream y;
    y << "listen: \"127.0.0.1:" << listen_port << "\"\n"
      << "database: fixguard.db\n"
      << "log: { level: debug, messages: true }\n"
      << "limits: { logon_timeout_ms: 2000 }\n"
      << "tls:\n  listen: \"127.0.0.1:" << tls_port << "\"\n"
      << "  cert_file: server.pem\n  key_file: " << listener_key << "\n  key_password_file: listener.pass\n"
      << "admin:\n  listen: \"127.0.0.1:" << admin_port << "\"\n  token_file: admin.token\n"
      << "  tls: { cert_file: server.pem, key_file: " << admin_key
      << ", key_password_env: FIXGUARD_TEST_ADMIN_KEY_PASS }\n"
      << "venues:\n  - name: sim\n    begin_string: FIX.4.4\n    sender_comp_id: FIXGUARD\n"
      << "    target_comp_id: VENUE\n    connect: 127.0.0.1:" << venue_port << "\n"
      << "    reconnect: { initial_ms: 100, max_ms: 400 }\n"
      << "    username: fixguard-user\n    password_file: venue.pass\n"
      << "clients:\n"
      << "  - { name: alpha, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: ALPHA, venue: sim,"
      << " require_tls: true, auth: { password_hash_file: alpha.hash } }\n"
      << "  - { name: beta, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, target_comp_id: BETA, venue: sim,"
      << " auth: { hmac_key_file: beta.key } }\n";
    return y.str();
  }

  std::unique_ptr<TestPki> pki;
  std::string listener_key, admin_key;
  uint16_t tls_port = free_port();
  uint16_t admin_port = free_port();
};

TEST_F(Secrets, NoSecretInAnyLogFileJournalOrAnswer) {
  LogCapture log;
  log::set_level(log::Level::debug);
  std::ofstream(dir.file("fixguard.yaml")) << yaml();
  proxy::SimulatorOptions sim = fills(proxy::SimulatorOptions::Fill::full);
  sim.password = kVenuePassword;  // the venue lets fixguard in only with it
  start_file(dir.file("fixguard.yaml"), sim);

  // alpha over TLS with its password, beta over TCP with its signed Logon.
  proxy::StrategyPeer::Options alpha_options;
  alpha_options.port = tls_port;
  alpha_options.tls = proxy::StrategyPeer::Options::Tls{pki->ca(), "", ""};
  alpha_options.credentials["alpha"].password = kAlphaPassword;
  proxy::StrategyPeer alpha({*cfg.find_client("alpha")}, alpha_options);
  alpha.start();
  proxy::StrategyPeer::Options beta_options;
  beta_options.credentials["beta"].hmac_key = kBetaKey;
  connect({"beta"}, beta_options);
  ASSERT_TRUE(alpha.wait_logged_on("alpha", kWait));

  // A wrong password (over plain TCP, which alpha may not use either).
  RawClient wrong(listen_port);
  wrong.send(raw_fix("FIX.4.4", {"35=A", "49=ALPHA", "56=FIXGUARD", "34=1",
                                 "52=" + FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3), "98=0", "108=30",
                                 "554=" + kWrongPassword, "925=" + kWrongPassword}));
  EXPECT_EQ(field(wrong.read_until_closed(kWait), 58), "Logon refused");

  // Trading on both.
  ASSERT_TRUE(alpha.send("alpha", new_order("A1", "10", "100")));
  ASSERT_TRUE(strategy->send("beta", new_order("B1", "10", "100")));
  EXPECT_TRUE(wait_er("beta", "B1", "F"));
  EXPECT_TRUE(alpha.wait_for(
      "alpha", [](const std::string& m) { return field(m, 11) == "A1" && field(m, 150) == "F"; }, kWait));

  // The operator interface over HTTPS, with the token and with a wrong one.
  const proxy::AdminReply state = proxy::admin_call(*cfg.admin, "GET", "/state", {});
  EXPECT_EQ(state.status, 200);
  const proxy::AdminReply metrics = proxy::admin_call(*cfg.admin, "GET", "/metrics", {});
  EXPECT_EQ(metrics.status, 200);
  config::AdminConfig intruder = *cfg.admin;
  intruder.token = kWrongToken;
  EXPECT_EQ(proxy::admin_call(intruder, "GET", "/state", {}).status, 401);
  config::AdminConfig plain = *cfg.admin;
  plain.tls.reset();
  EXPECT_THROW(proxy::admin_call(plain, "GET", "/state", {}), std::runtime_error) << "no plain HTTP on an HTTPS port";

  // A key with the wrong passphrase: the error names the file, not the passphrase.
  config::TlsConfig wrong_pass = *cfg.tls;
  wrong_pass.key_password = kWrongPassword;
  std::string tls_error;
  try {
    proxy::TlsContext(wrong_pass, proxy::TlsContext::Role::server);
  } catch (const std::exception& e) {
    tls_error = e.what();
  }
  EXPECT_NE(tls_error.find(listener_key), std::string::npos) << tls_error;

  // The secrets did their work: the venue got fixguard's password, and the
  // messages that carried secrets were logged (masked).
  bool venue_saw_password = false;
  for (const std::string& m : venue->logons_received())
    venue_saw_password = venue_saw_password || field(m, 554) == kVenuePassword;
  alpha.stop();
  stop_all();
  const std::vector<std::string> lines = log.lines();
  const auto logged = [&](const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != l.npos; });
  };
  EXPECT_TRUE(logged("554=***")) << "the Logons with passwords were logged, masked";
  EXPECT_TRUE(logged("96=***")) << "the signed Logon was logged, masked";
  EXPECT_TRUE(logged("missing or wrong token"));
  EXPECT_TRUE(logged("wrong password (554)") || logged("requires TLS"));

  // Everything searched: log lines, files fixguard wrote, answers, audit.
  std::vector<std::pair<std::string, std::string>> outputs;  // what, text
  for (const std::string& l : lines) outputs.emplace_back("log line", l);
  const std::set<std::string> inputs = {"alpha.hash", "beta.key", "venue.pass", "listener.pass", "admin.token"};
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || inputs.count(name) || name.find(".pem") != std::string::npos ||
        name.find(".key") != std::string::npos)
      continue;
    outputs.emplace_back(name, read_bytes(entry.path().string()));
    ++files;
  }
  EXPECT_GE(files, 3) << "the database, the journal and their WAL files at least";
  outputs.emplace_back("/state", state.body);
  outputs.emplace_back("/metrics", metrics.body);
  outputs.emplace_back("TLS error", tls_error);
  const CommandResult audit = run_fixguard("audit --journal " + cfg.journal.path + " --outcome all --format json");
  EXPECT_EQ(audit.status, 0) << audit.output;
  EXPECT_NE(audit.output.find("\"A1\""), std::string::npos) << "the audit saw the orders";
  outputs.emplace_back("audit", audit.output);

  for (const auto& [what, text] : outputs) {
    for (const std::string& secret : kSecrets)
      EXPECT_EQ(text.find(secret), std::string::npos) << "a secret in " << what << ": " << secret;
    EXPECT_EQ(unmasked_field(text), "") << "an unmasked secret field in " << what;
  }
  EXPECT_TRUE(venue_saw_password) << "fixguard logged on to the venue with its password";
}

}  // namespace
}  // namespace fixguard::testing
