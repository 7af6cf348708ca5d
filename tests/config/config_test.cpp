#include "config/config.h"
#include "tests/support/harness.h"

#include <gtest/gtest.h>

#include <fstream>

namespace fixguard::config {
namespace {

using testing::make_config;
using testing::TempDir;

std::string base(const std::string& client_extra = "", const std::string& top = "") {
  return testing::two_client_yaml(9880, 9878, "FIX.4.4", client_extra, top);
}

// The error message of parsing `yaml` with its files in `dir`, or "" if it
// parsed.
std::string error_in(const std::string& yaml, const TempDir& dir) {
  try {
    make_config(yaml, dir.path());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string error_of(const std::string& yaml) { return error_in(yaml, TempDir()); }

TEST(Config, ParsesTheExampleShippedWithFixguard) {
  const Config c =
      Config::from_file(std::string(FIXGUARD_SOURCE_DIR) + "/examples/fixguard.yaml", testing::specs_dir());
  ASSERT_EQ(c.venues.size(), 1u);
  ASSERT_EQ(c.clients.size(), 3u);
  EXPECT_EQ(c.listen.front().host, "::");
  EXPECT_EQ(c.listen.front().port, 9880);
  EXPECT_EQ(c.clients[0].clordid_prefix, "A-");
  EXPECT_EQ(c.venues[0].connect.to_string(), "127.0.0.1:9878");
  EXPECT_NE(c.clients[0].dictionary.find("FIX44.xml"), std::string::npos);
}

TEST(Config, DefaultsPrefixesOnlyWhenAVenueIsShared) {
  TempDir dir;
  const Config shared = make_config(base(), dir.path());
  EXPECT_EQ(shared.clients[0].clordid_prefix, "alpha-");
  EXPECT_EQ(shared.clients[1].clordid_prefix, "beta-");
  EXPECT_EQ(shared.find_venue("sim")->heartbeat_interval_s, 5);
}

TEST(Config, TheJournalSitsBesideTheDatabaseUnlessConfigured) {
  TempDir dir;
  const Config defaults = make_config(base(), dir.path());
  EXPECT_EQ(defaults.journal.path, dir.path() + "/fixguard-journal.db");
  EXPECT_FALSE(defaults.journal.full);
  EXPECT_EQ(defaults.journal.archive_dir, "") << "not archived unless configured";
  EXPECT_EQ(defaults.journal.apply_interval_ms, 10);
  const Config full = make_config(
      base("", "journal: { path: audit/j.db, durability: full, archive_dir: audit/old, apply_interval_ms: 3 }\n"),
      dir.path());
  EXPECT_EQ(full.journal.path, dir.path() + "/audit/j.db");
  EXPECT_TRUE(full.journal.full);
  EXPECT_EQ(full.journal.archive_dir, dir.path() + "/audit/old");
  EXPECT_EQ(full.journal.apply_interval_ms, 3);
  EXPECT_EQ(error_of(base("", "journal: { apply_interval_ms: 0 }\n")),
            "journal.apply_interval_ms: must be between 1 and 1000, got 0");
  EXPECT_EQ(error_of(base("", "journal: { durability: sometimes }\n")),
            "journal.durability: expected normal or full, got 'sometimes'");
  EXPECT_EQ(error_of(base("", "journal: { path: fixguard.db }\n")),
            "journal.path: must not be the database file itself");
}

TEST(Config, TlsSettingsAreCheckedAndTheirSecretsNeverShown) {
  TempDir dir;
  for (const char* f : {"server.pem", "server.key", "ca.pem"}) std::ofstream(dir.file(f)) << "x\n";
  const auto error = [&](const std::string& yaml) { return error_in(yaml, dir); };
  const std::string tls = "tls: { listen: \"127.0.0.1:9443\", cert_file: server.pem, key_file: server.key";
  EXPECT_EQ(error(base("", "tls: { listen: \"127.0.0.1:9443\" }\n")), "tls.cert_file: required key is missing");
  EXPECT_EQ(error(base("", tls + ", min_version: \"1.1\" }\n")),
            "tls.min_version: expected \"1.2\" or \"1.3\", got '1.1'");
  EXPECT_EQ(error(base("    require_tls: true\n")), "clients[0].require_tls: needs a tls section (the listener)");
  EXPECT_EQ(error(base("    certificate_cn: A\n", tls + " }\n")),
            "clients[0].certificate_cn: needs tls.ca_file (client certificates)");
  EXPECT_EQ(error(base("", tls + ", key_password_env: FIXGUARD_TEST_UNSET_VARIABLE }\n")),
            "tls.key_password_env: environment variable FIXGUARD_TEST_UNSET_VARIABLE is not set");
  EXPECT_NE(error(base("", tls + ", ca_file: missing.pem }\n")).find("tls: no such file: "), std::string::npos);
  // With client certificates, each session is bound to its strategy's CompID
  // unless told otherwise; the passphrase is read from its file.
  std::ofstream(dir.file("pass")) << "s3cret-passphrase\n";
  const Config c = make_config(base("", tls + ", ca_file: ca.pem, key_password_file: pass }\n"), dir.path());
  EXPECT_EQ(c.clients[0].certificate_cn, "ALPHA");
  EXPECT_EQ(c.tls->key_password, "s3cret-passphrase");
  EXPECT_EQ(c.tls_listen.front().port, 9443);
}

TEST(Config, LogonAuthKeepsOnlyHashesAndNamesTheBadKey) {
  TempDir dir;
  const auto error = [&](const std::string& yaml) { return error_in(yaml, dir); };
  const std::string hash = PasswordHash::make("pw-for-config", PasswordHash::Algorithm::scrypt, 14).text();
  std::ofstream(dir.file("alpha.hash")) << hash << "\n";
  std::ofstream(dir.file("short.key")) << "too-short-key\n";
  std::ofstream(dir.file("good.key")) << std::string(40, 'k') << "\n";
  std::ofstream(dir.file("venue.pass")) << "venue-secret\n";

  std::string yaml =
      base("    auth: { username: u1, password_hash_file: alpha.hash, hmac_key_file: good.key, window_s: 10 }\n");
  const std::string limits = "limits: { logon_timeout_ms: 500 }\n";
  yaml.replace(yaml.find(limits), limits.size(),
               "limits: { failed_logons_per_address: 0, failed_logons_per_comp_id: 2, failed_logon_window_s: 30 }\n");
  const Config c = make_config(yaml, dir.path());
  const LogonAuth& a = c.clients[0].auth;
  EXPECT_EQ(a.username, "u1");
  ASSERT_TRUE(a.password_hash);
  EXPECT_TRUE(a.password_hash->verify("pw-for-config"));
  EXPECT_EQ(a.hmac_key, std::string(40, 'k'));
  EXPECT_EQ(a.window_s, 10);
  EXPECT_EQ(c.limits.failed_logons_per_address, 0);
  EXPECT_EQ(c.limits.failed_logons_per_comp_id, 2);
  EXPECT_EQ(c.limits.failed_logon_window_s, 30);
  const Config inline_hash = make_config(base("    auth: { password_hash: \"" + hash + "\" }\n"), dir.path());
  EXPECT_TRUE(inline_hash.clients[1].auth.password_hash);
  const Config defaults = make_config(base(), dir.path());
  EXPECT_FALSE(defaults.clients[0].auth.required());
  EXPECT_EQ(defaults.limits.failed_logons_per_address, 10) << "on unless turned off";
  EXPECT_EQ(defaults.limits.failed_logons_per_comp_id, 5);

  EXPECT_EQ(error(base("    auth: { password: hunter22 }\n")),
            "clients[0].auth.password: plain passwords are not kept: set password_hash (fixguard hash-password "
            "makes one)");
  EXPECT_EQ(error(base("    password_file: venue.pass\n")),
            "clients[0].auth: a strategy's password is kept only as a hash: set auth.password_hash (fixguard "
            "hash-password makes one)");
  EXPECT_EQ(error(base("    auth: { password_hash: \"$scrypt$ln=10,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$AAAA\" }\n")),
            "clients[0].auth.password_hash: not a usable password hash: scrypt's ln must be 14..22");
  EXPECT_EQ(error(base("    auth: { hmac_key_file: short.key }\n")),
            "clients[0].auth.hmac_key_file: the HMAC key must be at least 32 characters, got 13");
  EXPECT_EQ(error(base("    auth: { window_s: 5 }\n")),
            "clients[0].auth: set password_hash, hmac_key_file / hmac_key_env or username");
  EXPECT_EQ(error(base("    auth: { password_hash: x, password_hash_file: alpha.hash }\n")),
            "clients[0].auth: set only one of password_hash, password_hash_file and password_hash_env");

  // The venue's own password: from a file or the environment, never inline.
  std::string venue = base();
  venue.replace(venue.find("    heartbeat_interval: 5\n"), 26,
                "    heartbeat_interval: 5\n    username: fg\n    password_file: venue.pass\n");
  const Config v = make_config(venue, dir.path());
  EXPECT_EQ(v.venues[0].username, "fg");
  EXPECT_EQ(v.venues[0].password, "venue-secret");
  std::string inline_password = base();
  inline_password.replace(inline_password.find("    heartbeat_interval: 5\n"), 26,
                          "    heartbeat_interval: 5\n    password: venue-secret\n");
  const std::string why = error(inline_password);
  EXPECT_NE(why.find("venues[0].password"), std::string::npos) << why;
  EXPECT_EQ(why.find("venue-secret"), std::string::npos) << why;
}

TEST(Config, AKeyWrittenTwiceIsAnError) {
  EXPECT_EQ(error_of(base("", "limits: { max_frame_bytes: 1024 }\n")), "limits: written twice in the same mapping");
  EXPECT_EQ(error_of(base("    venue: sim\n")), "clients[0].venue: written twice in the same mapping");
}

TEST(Config, TheAdminInterfaceMaySpeakHttps) {
  TempDir dir;
  for (const char* f : {"server.pem", "server.key", "ca.pem"}) std::ofstream(dir.file(f)) << "x\n";
  std::ofstream(dir.file("token")) << "a-token-of-twenty-chars\n";
  const Config c = make_config(
      base("", "admin: { token_file: token, tls: { cert_file: server.pem, key_file: server.key } }\n"), dir.path());
  ASSERT_TRUE(c.admin->tls);
  EXPECT_EQ(c.admin->tls->cert_file, dir.file("server.pem"));
  try {
    make_config(base("",
                     "admin: { token_file: token, tls: { cert_file: server.pem, key_file: server.key, ca_file: "
                     "ca.pem } }\n"),
                dir.path());
    FAIL() << "client certificates on the admin interface were accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "admin.tls.ca_file");
  }
}

TEST(Config, AllowlistsTakeAddressesAndCidrBlocksOfBothFamilies) {
  const auto range = [](const std::string& t) { return *AddressRange::parse(t); };
  const auto bytes = [](const std::string& t) { return AddressRange::parse(t)->address; };
  EXPECT_TRUE(range("10.0.0.0/8").contains(bytes("10.200.3.4")));
  EXPECT_FALSE(range("10.0.0.0/8").contains(bytes("11.0.0.1")));
  EXPECT_TRUE(range("192.168.1.7").contains(bytes("192.168.1.7")));
  EXPECT_FALSE(range("192.168.1.7").contains(bytes("192.168.1.8")));
  EXPECT_TRUE(range("2001:db8::/32").contains(bytes("2001:db8:ffff::1")));
  EXPECT_FALSE(range("2001:db8::/32").contains(bytes("2001:db9::1")));
  EXPECT_FALSE(range("::/1").contains(bytes("10.0.0.1")) && range("8000::/1").contains(bytes("10.0.0.1")));
  EXPECT_TRUE(range("0.0.0.0/0").contains(bytes("203.0.113.9")));
  EXPECT_FALSE(range("0.0.0.0/0").contains(bytes("2001:db8::1"))) << "IPv4 blocks hold no IPv6 address";
  for (const char* bad : {"10.0.0.0/33", "10.0.0/8", "::/129", "host.example", "10.0.0.0/"})
    EXPECT_FALSE(AddressRange::parse(bad).has_value()) << bad;
  EXPECT_EQ(error_of(base("    allow_from: [10.0.0.0/40]\n")),
            "clients[0].allow_from[0]: expected an address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32");
}

TEST(Config, UnknownKeyIsReportedWithItsPath) {
  EXPECT_EQ(error_of(base("    colour: blue\n")), "clients[0].colour: unknown key");
  EXPECT_EQ(error_of(base("", "verbose: true\n")), "verbose: unknown key");
}

// Found by the config fuzzer: YAML allows a list or a mapping as a key, and
// yaml-cpp's conversion of one to text threw past the parser's errors.
TEST(Config, AKeyThatIsAListOrAMappingIsAnErrorNamingWhereItIs) {
  EXPECT_EQ(error_of(base("", "? [a, b]\n: 1\n")), "a key must be a name, got a list");
  EXPECT_EQ(error_of(base("    {x: 1}: 2\n")), "clients[0]: a key must be a name, got a mapping");
  EXPECT_EQ(error_of(base("", "risk: { limits: { accounts: { [ACC1]: { max_order_qty: 5 } } } }\n")),
            "risk.limits.accounts: a key must be a name, got a list");
  EXPECT_EQ(error_of(base("", "risk: { reference_prices: { [IBM]: 100 } }\n")),
            "risk.reference_prices: a key must be a name, got a list");
}

TEST(Config, WrongTypesAndImpossibleValuesNameTheKey) {
  std::string yaml = base();
  yaml.replace(yaml.find("heartbeat_interval: 5"), 21, "heartbeat_interval: often");
  EXPECT_EQ(error_of(yaml), "venues[0].heartbeat_interval: expected an integer, got 'often'");
  yaml = base();
  yaml.replace(yaml.find("heartbeat_interval: 5"), 21, "heartbeat_interval: 0");
  EXPECT_EQ(error_of(yaml), "venues[0].heartbeat_interval: must be between 1 and 3600, got 0");
  yaml = base();
  yaml.replace(yaml.find("127.0.0.1:9878"), 14, "127.0.0.1:99999");
  EXPECT_NE(error_of(yaml).find("venues[0].connect: port must be a number from 1 to 65535"), std::string::npos);
  yaml = base();
  yaml.replace(yaml.find("logon_timeout_ms: 500"), 21, "logon_timeout_ms: 500, max_frame_bytes: 10");
  EXPECT_EQ(error_of(yaml), "limits.max_frame_bytes: must be between 256 and 16777216, got 10");
}

TEST(Config, CrossChecksRoutesAndIdentities) {
  std::string yaml = base();
  yaml.replace(yaml.find("venue: sim"), 10, "venue: nowhere");
  EXPECT_EQ(error_of(yaml), "clients[0].venue: no venue named 'nowhere'");

  yaml = base();
  yaml.replace(yaml.find("target_comp_id: BETA"), 20, "target_comp_id: ALPHA");
  EXPECT_EQ(error_of(yaml), "clients[1]: session FIX.4.4:FIXGUARD->ALPHA is configured twice (also clients[0])");

  yaml = base();
  const auto second = yaml.find("begin_string: FIX.4.4", yaml.find("name: beta"));
  yaml.replace(second, 21, "begin_string: FIX.4.2");
  EXPECT_NE(error_of(yaml).find("clients[1].begin_string: both legs of a route speak one FIX version"),
            std::string::npos);
}

TEST(Config, PrefixesOnASharedVenueMustNotStartOneAnother) {
  std::string yaml = base();
  yaml.insert(yaml.find("  - name: beta"), "    clordid_prefix: A\n");
  yaml += "    clordid_prefix: AB\n";
  EXPECT_NE(error_of(yaml).find("'AB' starts with client alpha's prefix 'A'"), std::string::npos);
}

TEST(Config, BadYamlAndMissingSectionsAreErrors) {
  EXPECT_NE(error_of("venues: [").find("not valid YAML"), std::string::npos);
  EXPECT_EQ(error_of("listen: \"[::]:9880\"\n"), "venues: required key is missing");
  EXPECT_EQ(error_of(""), "the configuration is empty");
}

TEST(Config, FixtSessionsGetTransportAndApplicationDictionaries) {
  TempDir dir;
  const Config c = make_config(testing::two_client_yaml(9880, 9878, "FIXT.1.1"), dir.path());
  EXPECT_EQ(c.clients[0].default_appl_ver_id, "FIX.5.0SP2");
  EXPECT_NE(c.clients[0].dictionary.find("FIXT11.xml"), std::string::npos);
  EXPECT_NE(c.clients[0].app_dictionary.find("FIX50SP2.xml"), std::string::npos);
}

TEST(Config, MissingDictionaryFileIsAnError) {
  EXPECT_NE(error_of(base("    dictionary: /nonexistent/FIX44.xml\n"))
                .find("clients[0].dictionary: dictionary file not found"),
            std::string::npos);
}

TEST(Config, PassThroughRefusesSessionAndOrderMessages) {
  EXPECT_EQ(error_of(base("    pass_through: [AE, \"0\"]\n")),
            "clients[0].pass_through[1]: session-level message 0 cannot be passed through");
  EXPECT_EQ(error_of(base("    pass_through: [D]\n")),
            "clients[0].pass_through[0]: order-entry message D is always forwarded");
  // Orders in another shape would escape every check.
  EXPECT_EQ(error_of(base("    pass_through: [AE, AB]\n")),
            "clients[0].pass_through[1]: AB (NewOrderMultileg) can trade, and would pass no pre-trade check: fixguard "
            "checks orders sent as D, G and F");
  for (const char* type : {"E", "AC", "s", "t", "S", "i", "AJ", "l"})
    EXPECT_NE(error_of(base(std::string("    pass_through: [") + type + "]\n")), "") << type;
}

}  // namespace
}  // namespace fixguard::config
