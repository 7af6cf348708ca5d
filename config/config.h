// fixguard's configuration: one YAML file parsed once into immutable structs.
//
// Every error names the key path (`clients[1].venue`) and the reason. Unknown
// keys are errors, so a typo never silently turns a setting off.
#pragma once

#include "config/credentials.h"
#include "config/risk_config.h"

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace fixguard::config {

// Thrown by the parser: what() is "<key path>: <reason>".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& path, const std::string& reason)
      : std::runtime_error(path.empty() ? reason : path + ": " + reason), path_(path) {}
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Order-entry messages (D, F, G, H, q, 8, 9, j): always forwarded, so no
// session lists them as pass-through.
bool is_order_entry_type(const std::string& msg_type);

struct Endpoint {
  std::string host;  // a name or an IPv4/IPv6 literal; "::" listens on both families
  uint16_t port = 0;
  std::string to_string() const;
};

// A block of addresses ("10.1.0.0/16", "2001:db8::/32", or one address).
// IPv4 is kept as IPv4-mapped IPv6, so one comparison serves both.
struct AddressRange {
  std::array<uint8_t, 16> address{};
  int prefix_bits = 128;
  std::string text;  // as written
  // `address`: 16 bytes, IPv4 as ::ffff:a.b.c.d.
  bool contains(const std::array<uint8_t, 16>& address) const;
  // Nothing if `text` is not an address or a CIDR block.
  static std::optional<AddressRange> parse(const std::string& text);
};

// When a FIX session's sequence numbers start over (QuickFIX StartTime/EndTime,
// UTC). The default, 00:00:00 to 00:00:00, is a session that resets daily at
// midnight UTC.
struct Schedule {
  std::string start_time = "00:00:00";
  std::string end_time = "00:00:00";
  std::optional<std::string> start_day;  // e.g. "sunday": weekly sessions
  std::optional<std::string> end_day;
};

// FIX session settings shared by both kinds of leg. CompIDs are from
// fixguard's point of view: sender_comp_id is what fixguard writes in 49.
struct SessionCommon {
  std::string name;
  std::string begin_string;         // FIX.4.2, FIX.4.4 or FIXT.1.1
  std::string default_appl_ver_id;  // FIXT.1.1 only, e.g. FIX.5.0SP2
  std::string sender_comp_id;
  std::string target_comp_id;
  std::string dictionary;             // resolved path of the (transport) dictionary
  std::string app_dictionary;         // FIXT.1.1 only: resolved application dictionary
  bool allow_unknown_fields = false;  // fields < 5000 missing from the dictionary
  Schedule schedule;
  int max_latency_s = 120;  // SendingTime accuracy check
};

// TLS on one kind of connection. Paths are resolved; the certificate and
// key are read again when their files change, without a restart.
struct TlsConfig {
  // fixguard's certificate (chain, PEM) and key: required on the listener;
  // on a venue, given when the venue wants a client certificate.
  std::string cert_file, key_file;
  std::string key_password;  // secret (key_password_file / key_password_env): never logged
  // Listener: client certificates are required (mutual TLS) and verified
  // against these CAs. Venue: the CAs the venue's certificate must chain to
  // ("": the system's).
  std::string ca_file;
  std::string min_version = "1.2";  // "1.2" or "1.3"; 1.3 is preferred whenever both sides speak it
  std::string ciphers;              // TLS 1.2 cipher list (OpenSSL syntax); "": ECDHE with AES-GCM or ChaCha20
  std::string ciphersuites;         // TLS 1.3 suites; "": OpenSSL's
  std::string server_name;          // venue: the name its certificate must carry ("": connect's host)
};

struct ReconnectPolicy {
  int initial_ms = 500;
  int max_ms = 30000;
};

struct VenueConfig : SessionCommon {
  Endpoint connect;
  // Sent in fixguard's Logon to the venue when set: Username (553) and
  // Password (554). The password is a secret (password_file /
  // password_env): masked in every log and never stored.
  std::string username;
  std::string password;
  int heartbeat_interval_s = 30;
  int connect_timeout_ms = 5000;
  ReconnectPolicy reconnect;
  bool reset_on_logon = false;   // send 141=Y on every logon
  std::optional<TlsConfig> tls;  // the venue's certificate and host name verified
};

// How a strategy proves who it is at Logon, beyond its CompIDs. Every
// method configured must pass.
struct LogonAuth {
  std::string username;                       // Username (553) must be this ("": not checked)
  std::optional<PasswordHash> password_hash;  // Password (554) must hash to it
  // A shared key (secret: hmac_key_file / hmac_key_env): RawData (96) must
  // be the base64 HMAC-SHA256 under it of SendingTime, MsgType, MsgSeqNum,
  // SenderCompID and TargetCompID, joined by SOH, as in the Logon. Its
  // SendingTime must be within `window_s` of fixguard's clock, and each
  // signature is taken once.
  std::string hmac_key;
  int window_s = 30;
  bool required() const { return !username.empty() || password_hash || !hmac_key.empty(); }
};

struct ClientConfig : SessionCommon {
  std::string venue;                   // name of the venue session orders route to
  bool allow_reset = false;            // accept ResetSeqNumFlag=Y on Logon
  std::string clordid_prefix;          // prepended to 11/41 on the venue leg
  std::set<std::string> pass_through;  // other application MsgTypes to forward
  // When the strategy's session drops, its open orders are cancelled at
  // the venue; with cancel_on_logout, after a clean Logout too.
  bool cancel_on_disconnect = false;
  bool cancel_on_logout = false;
  bool require_tls = false;  // logons only over the TLS listener
  // Where its strategy may connect from (empty: anywhere). Checked before
  // any byte reaches QuickFIX.
  std::vector<AddressRange> allow_from;
  // With client certificates (tls.ca_file), the Common Name the session's
  // certificate must carry; default: the strategy's CompID (target_comp_id).
  std::string certificate_cn;
  LogonAuth auth;
};

struct LimitsConfig {
  std::size_t max_frame_bytes = 64 * 1024;
  int logon_timeout_ms = 5000;                         // connection closed if no Logon by then
  std::size_t max_send_queue_bytes = 8 * 1024 * 1024;  // slow reader is cut off
  // Failed logons (unknown session, wrong credentials, refused address or
  // certificate): after this many within the window, from one address or
  // for one CompID, further logons from it or for it are refused unchecked
  // until the window has passed. 0: no limit.
  int failed_logons_per_address = 10;
  int failed_logons_per_comp_id = 5;
  int failed_logon_window_s = 60;
};

// When a trading day begins: ClOrdIDs are unique within it, daily counters
// and the day-start equity are taken at its start. Default: midnight UTC.
struct TradingDayConfig {
  std::string time_zone = "UTC";  // an IANA name, e.g. America/New_York
  int starts_at_minute = 0;       // minutes after local midnight, 0..1439
};

// The operator interface: an HTTP server, on loopback unless configured
// otherwise. Every request but /health and /ready carries the token
// ("Authorization: Bearer <token>"), read from a file or an environment
// variable, never written in the config itself.
struct AdminConfig {
  Endpoint listen;
  std::string token;  // secret: never logged
  // HTTPS: the certificate and key (reloaded when their files change). The
  // token still authenticates the operator; `fixguard ctl` trusts exactly
  // this certificate.
  std::optional<TlsConfig> tls;
};

// The journal and audit trail: its own SQLite file. Durability normal
// survives a crash of the process; full also a power loss: the journal and
// the session stores are synced before anything they record is sent, once
// per batch of work (group commit).
struct JournalConfig {
  std::string path;  // resolved; default: the database's name with "-journal" before its extension
  bool full = false;
  // How long the background writer gathers the write log's appends before
  // it writes them into the SQLite files, in one transaction per file.
  int apply_interval_ms = 10;
  // Where each past trading day's entries are moved, one file per day
  // (resolved; "": the journal is not archived).
  std::string archive_dir;
};

struct Config {
  std::vector<Endpoint> listen;      // plain TCP (none if `listen: []`)
  std::vector<Endpoint> tls_listen;  // TLS, with `tls`
  std::optional<TlsConfig> tls;
  std::string database;  // resolved path of the SQLite file
  JournalConfig journal;
  std::string log_level = "info";
  bool log_messages = false;  // every FIX message at debug level, secrets masked
  LimitsConfig limits;
  TradingDayConfig trading_day;
  RiskConfig risk;
  std::optional<AdminConfig> admin;
  std::vector<VenueConfig> venues;
  std::vector<ClientConfig> clients;

  // Where it was read from (from_file), so that it can be read again, and
  // a fingerprint of everything but the risk section: a reload may change
  // only the risk section.
  std::string source_path;
  std::string source_text;  // the YAML it was read from, as written (the journal keeps it)
  std::string specs_dir;
  std::string outside_risk;

  const VenueConfig* find_venue(const std::string& name) const;
  const ClientConfig* find_client(const std::string& name) const;

  // Parses and validates. `base_dir` resolves relative paths (the config
  // file's directory); `specs_dir` holds the dictionaries fixguard ships.
  static Config from_text(const std::string& yaml, const std::string& base_dir, const std::string& specs_dir);
  static Config from_file(const std::string& path, const std::string& specs_dir);
};

}  // namespace fixguard::config
