// Logon authentication end to end: strategies proving who they are with a
// password (checked against a salted hash) or an HMAC-signed Logon, and
// everything else refused with a Logout that says only "Logon refused",
// a reason in the log, an entry in the journal, and a lockout once the
// failures pile up. The sessions configured correctly keep trading.
#include "config/credentials.h"
#include "fix/logon_signature.h"
#include "persistence/journal.h"
#include "tests/support/proxy_fixture.h"

#include <fstream>

namespace fixguard::testing {
namespace {

const std::string kAlphaPassword = "alpha-Correct-Horse-7";
const std::string kBetaKey = "beta-shared-key-0123456789abcdefXYZ";

std::string now_fix_time(int offset_s = 0) {
  FIX::UtcTimeStamp t;
  t += offset_s;
  return FIX::UtcTimeStampConvertor::convert(t, 3);
}

// A Logon with these extra fields, as a strategy would send it.
std::string logon(const std::string& sender, int seqnum, const std::vector<std::string>& extra,
                  const std::string& sending_time = now_fix_time()) {
  std::vector<std::string> f = {
      "35=A", "49=" + sender, "56=FIXGUARD", "34=" + std::to_string(seqnum), "52=" + sending_time, "98=0", "108=30"};
  f.insert(f.end(), extra.begin(), extra.end());
  return raw_fix("FIX.4.4", f);
}

// A Logon signed with `key` at `sending_time`.
std::string signed_logon(const std::string& sender, int seqnum, const std::string& key,
                         const std::string& sending_time = now_fix_time()) {
  const std::string seq = std::to_string(seqnum);
  const std::string signature = fix::logon_signature(key, {sending_time, "A", seq, sender, "FIXGUARD"});
  return logon(sender, seqnum, {"95=" + std::to_string(signature.size()), "96=" + signature}, sending_time);
}

// The answer to `bytes` sent on a fresh connection.
std::string answer_to(uint16_t port, const std::string& bytes) {
  RawClient c(port);
  c.send(bytes);
  return c.read_until_closed(kWait);
}

class LogonAuth : public ProxyTest {
 protected:
  // alpha: a password; beta: a signed Logon. `limits`: the limits: line.
  std::string yaml(const std::string& limits = "limits: { logon_timeout_ms: 2000 }\n") {
    std::string y = two_client_yaml(listen_port, venue_port);
    const std::string default_limits = "limits: { logon_timeout_ms: 500 }\n";
    y.replace(y.find(default_limits), default_limits.size(), limits);
    const std::string hash =
        config::PasswordHash::make(kAlphaPassword, config::PasswordHash::Algorithm::scrypt, 14).text();
    {
      std::ofstream(dir.file("alpha.hash")) << hash << "\n";
      std::ofstream(dir.file("beta.key")) << kBetaKey << "\n";
    }
    y.replace(y.find("    target_comp_id: ALPHA\n"), 26,
              "    target_comp_id: ALPHA\n    auth: { password_hash_file: alpha.hash }\n");
    y.replace(y.find("    target_comp_id: BETA\n"), 25,
              "    target_comp_id: BETA\n    auth: { hmac_key_file: beta.key, window_s: 30 }\n");
    return y;
  }
  void write_and_start(const std::string& text) {
    std::ofstream(dir.file("fixguard.yaml")) << text;
    start_file(dir.file("fixguard.yaml"), fills(proxy::SimulatorOptions::Fill::full));
  }
  proxy::StrategyPeer::Options credentials(const std::string& alpha_password, const std::string& beta_key,
                                           const std::string& log_dir = "") {
    proxy::StrategyPeer::Options o;
    o.credentials["alpha"].password = alpha_password;
    o.credentials["beta"].hmac_key = beta_key;
    o.log_dir = log_dir;
    return o;
  }
  void expect_trades(const std::string& client, const std::string& id) {
    ASSERT_TRUE(strategy->send(client, new_order(id)));
    EXPECT_TRUE(wait_er(client, id, "F")) << client << " could not trade (" << id << ")";
  }
  // The journal's security entries.
  std::vector<persistence::JournalEntry> security_entries() const {
    std::vector<persistence::JournalEntry> out;
    persistence::JournalReader(cfg.journal.path).each([&](const persistence::JournalEntry& e) {
      if (e.kind == persistence::JournalEntry::Kind::security) out.push_back(e);
    });
    return out;
  }
  LogCapture log;
};

TEST_F(LogonAuth, TheRightPasswordAndSignatureLogOnAndTrade) {
  write_and_start(yaml());
  connect({"alpha", "beta"}, credentials(kAlphaPassword, kBetaKey));
  expect_trades("alpha", "A1");
  expect_trades("beta", "B1");
  EXPECT_TRUE(log.contains("Logon for alpha from 127.0.0.1"));
  EXPECT_TRUE(log.contains("(password)"));
  EXPECT_TRUE(log.contains("(signed logon)"));
  const auto entries = security_entries();
  ASSERT_EQ(entries.size(), 2u);
  for (const auto& e : entries) {
    EXPECT_EQ(e.outcome, "accepted");
    EXPECT_EQ(e.msg_type, "A");
    EXPECT_EQ(e.raw.find(kAlphaPassword), std::string::npos) << "the journal keeps the Logon masked";
    EXPECT_EQ(field(e.raw, e.client == "alpha" ? 554 : 96), "***") << e.raw;
  }
  EXPECT_TRUE(persistence::JournalReader(cfg.journal.path).verify().intact);
}

TEST_F(LogonAuth, AWrongOrMissingPasswordIsRefusedWithoutDetail) {
  write_and_start(yaml());
  connect({"beta"}, credentials("", kBetaKey));
  for (const auto& [extra, reason] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"554=alpha-Correct-Horse-8"}, "wrong password (554)"},
           {{}, "no Password (554) in the Logon"},
       }) {
    const std::string reply = answer_to(listen_port, logon("ALPHA", 1, extra));
    EXPECT_EQ(field(reply, 35), "5") << reply;
    EXPECT_EQ(field(reply, 58), "Logon refused") << "no detail for the peer";
    EXPECT_TRUE(log.wait_for("refused Logon from 127.0.0.1", kWait));
    EXPECT_TRUE(log.wait_for(reason, kWait)) << reason;
  }
  expect_trades("beta", "B1");
  const auto entries = security_entries();
  int refused = 0;
  for (const auto& e : entries)
    if (e.outcome == "refused" && e.client == "alpha") {
      ++refused;
      EXPECT_EQ(e.raw.find("alpha-Correct-Horse"), std::string::npos) << e.raw;
      EXPECT_NE(e.text.find("Logon refused: "), std::string::npos) << e.text;
    }
  EXPECT_EQ(refused, 2);
  // What a compliance officer reads: the refused logons, with why.
  const CommandResult audit = run_fixguard("audit logons --journal " + cfg.journal.path);
  EXPECT_EQ(audit.status, 0) << audit.output;
  EXPECT_NE(audit.output.find("Logon refused: wrong password (554)"), std::string::npos) << audit.output;
  EXPECT_NE(audit.output.find("554=***"), std::string::npos) << audit.output;
  EXPECT_NE(audit.output.find("2 logon events"), std::string::npos) << audit.output;
  EXPECT_EQ(audit.output.find("alpha-Correct-Horse"), std::string::npos) << audit.output;
  const CommandResult accepted =
      run_fixguard("audit logons --outcome accepted --format csv --journal " + cfg.journal.path);
  EXPECT_NE(accepted.output.find("Logon accepted (signed logon)"), std::string::npos) << accepted.output;
  // The right password still works after the failures.
  proxy::StrategyPeer::Options o = credentials(kAlphaPassword, "");
  o.port = listen_port;
  proxy::StrategyPeer alpha({*cfg.find_client("alpha")}, o);
  alpha.start();
  EXPECT_TRUE(alpha.wait_logged_on("alpha", kWait));
  alpha.stop();
}

TEST_F(LogonAuth, AReplayedStaleOrWronglySignedLogonIsRefused) {
  write_and_start(yaml());
  connect({"alpha", "beta"}, credentials(kAlphaPassword, kBetaKey, dir.file("strategy-logs")));
  // The Logon beta's strategy sent, as captured off the wire (its message log).
  std::ifstream in(dir.file("strategy-logs/FIX.4.4-BETA-FIXGUARD.messages.current.log"));
  std::string line, captured;
  while (std::getline(in, line))
    if (line.find("\x01"
                  "35=A\x01") != std::string::npos &&
        line.find("\x01"
                  "49=BETA\x01") != std::string::npos)
      captured = line.substr(line.find("8=FIX"));
  ASSERT_FALSE(captured.empty()) << "beta's Logon was not in its message log";
  ASSERT_FALSE(field(captured, 96).empty());

  const std::vector<std::pair<std::string, std::string>> attempts = {
      {captured, "signature already used (a replayed Logon)"},
      {signed_logon("BETA", 1, kBetaKey, now_fix_time(-120)), "s from fixguard's clock"},
      {signed_logon("BETA", 1, "another-key-of-the-right-length-000"), "wrong signature (RawData 96)"},
      {logon("BETA", 1, {}), "no signature (RawData 96) in the Logon"},
  };
  int n = 0;
  for (const auto& [bytes, reason] : attempts) {
    const std::string reply = answer_to(listen_port, bytes);
    EXPECT_EQ(field(reply, 58), "Logon refused") << reason;
    EXPECT_TRUE(log.wait_for(reason, kWait)) << reason;
    expect_trades("beta", "B" + std::to_string(++n));
  }
  EXPECT_TRUE(strategy->logged_on("beta")) << "the real beta was never disturbed";
  expect_trades("alpha", "A1");
}

TEST_F(LogonAuth, ALogonFloodLocksOutItsCompIdAndAddressWhileOthersTrade) {
  write_and_start(
      yaml("limits: { logon_timeout_ms: 2000, failed_logons_per_address: 8, failed_logons_per_comp_id: 3, "
           "failed_logon_window_s: 600 }\n"));
  connect({"alpha"}, credentials(kAlphaPassword, ""));
  int closed_unread = 0;
  for (int i = 0; i < 30; ++i) {
    // Wrong signatures for BETA first, then made-up CompIDs.
    const std::string bytes = i < 5 ? signed_logon("BETA", 1, "a-guess-of-the-right-length-00000" + std::to_string(i))
                                    : logon("GUESS" + std::to_string(i), 1, {});
    const std::string reply = answer_to(listen_port, bytes);
    if (reply.empty())
      ++closed_unread;
    else
      EXPECT_EQ(field(reply, 58), "Logon refused") << i;
    if (i % 5 == 0) expect_trades("alpha", "F" + std::to_string(i));
  }
  EXPECT_TRUE(log.contains("CompID BETA locked out: 3 failed logons within 600 s"));
  EXPECT_TRUE(log.contains("address 127.0.0.1 locked out: 8 failed logons within 600 s"));
  // Answered: BETA's 3 counted failures and 2 unchecked tries once it was
  // locked out, then 5 unknown CompIDs, the 8th failure locking the address.
  EXPECT_EQ(closed_unread, 30 - 10) << "once locked out, the address's connections close before a read";
  EXPECT_TRUE(log.contains("is locked out after failed logons")) << "BETA's 4th and 5th tries, unchecked";
  // Bounded audit: the failures that counted and the two lockouts, not the flood.
  int refused = 0, lockouts = 0;
  for (const auto& e : security_entries()) {
    if (e.text.find("locked out:") != std::string::npos)
      ++lockouts;
    else if (e.outcome == "refused")
      ++refused;
  }
  EXPECT_EQ(lockouts, 2);
  EXPECT_EQ(refused, 8);
  expect_trades("alpha", "AFTER");
  EXPECT_TRUE(strategy->logged_on("alpha"));
}

TEST_F(LogonAuth, ACompIdLockedOutFromElsewhereStillLogsOnFromItsOwnAddress) {
  write_and_start(
      yaml("limits: { logon_timeout_ms: 2000, failed_logons_per_address: 20, failed_logons_per_comp_id: 3, "
           "failed_logon_window_s: 600 }\n"));
  // beta logs on from its host (127.0.0.1) and goes away.
  {
    RawClient beta(listen_port);
    beta.send(signed_logon("BETA", 1, kBetaKey));
    EXPECT_EQ(field(beta.read_until_closed(1000), 35), "A") << "beta's own logon";
  }
  ASSERT_TRUE(log.wait_for("disconnected (127.0.0.1", kWait));
  // Someone at 127.0.0.2 who knows the CompID locks it out.
  for (int i = 0; i < 3; ++i) {
    RawClient guesser(listen_port, "127.0.0.1", "127.0.0.2");
    guesser.send(signed_logon("BETA", 2, "a-guess-of-the-right-length-00000" + std::to_string(i)));
    EXPECT_EQ(field(guesser.read_until_closed(kWait), 58), "Logon refused") << i;
  }
  ASSERT_TRUE(log.wait_for("CompID BETA locked out: 3 failed logons within 600 s", kWait));
  {
    RawClient guesser(listen_port, "127.0.0.1", "127.0.0.2");
    guesser.send(signed_logon("BETA", 2, kBetaKey));
    EXPECT_EQ(field(guesser.read_until_closed(kWait), 58), "Logon refused")
        << "from elsewhere even the right key is refused unchecked while locked out";
  }
  EXPECT_TRUE(log.wait_for("refused Logon from 127.0.0.2", kWait));
  // beta's host is not locked out with it.
  RawClient beta(listen_port);
  beta.send(signed_logon("BETA", 2, kBetaKey));
  const std::string reply = beta.read_until_closed(1000);
  EXPECT_EQ(field(reply, 35), "A") << reply;
}

TEST_F(LogonAuth, APlainPasswordInConfigIsRefused) {
  std::string y = yaml();
  const std::string hashed = "auth: { password_hash_file: alpha.hash }";
  y.replace(y.find(hashed), hashed.size(), "auth: { password: hunter22 }");
  try {
    config::Config::from_text(y, dir.path(), FIXGUARD_SPECS_DIR);
    FAIL() << "a plain password was accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(e.path(), "clients[0].auth.password");
    EXPECT_EQ(std::string(e.what()).find("hunter22"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fixguard::testing
