#include "config/config.h"

#include <date/tz.h>

#include "config/yaml_reader.h"

#include <yaml-cpp/yaml.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <sstream>

namespace fixguard::config {
namespace {

namespace fs = std::filesystem;
using detail::MapReader;
using detail::parse_endpoint;

const std::set<std::string> kBeginStrings = {"FIX.4.2", "FIX.4.4", "FIXT.1.1"};
const std::set<std::string> kApplVerIDs = {"FIX.5.0", "FIX.5.0SP1", "FIX.5.0SP2"};
// Message types fixguard handles itself or that belong to the session layer.
const std::set<std::string> kAdminTypes = {"0", "1", "2", "3", "4", "5", "A"};
// Messages that can make a trade at a venue in another shape than D/G:
// passed through, they would escape every check.
const std::map<std::string, std::string> kUncheckedOrderTypes = {
    {"E", "NewOrderList"},
    {"AB", "NewOrderMultileg"},
    {"AC", "MultilegOrderCancelReplace"},
    {"s", "NewOrderCross"},
    {"t", "CrossOrderCancelReplaceRequest"},
    {"S", "Quote"},
    {"i", "MassQuote"},
    {"AJ", "QuoteResponse"},
    {"l", "BidResponse"},
};
const std::set<std::string> kDays = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

std::string check_comp_id(const std::string& value, const std::string& path) {
  if (value.empty()) throw ConfigError(path, "must not be empty");
  for (unsigned char c : value)
    if (c <= ' ' || c >= 127 || c == '=') throw ConfigError(path, "must be printable ASCII without spaces or '='");
  return value;
}

std::string resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

std::string dictionary_file(const std::string& specs_dir, const std::string& version) {
  static const std::map<std::string, std::string> files = {
      {"FIX.4.2", "FIX42.xml"}, {"FIX.4.4", "FIX44.xml"}, {"FIXT.1.1", "FIXT11.xml"}, {"FIX.5.0SP2", "FIX50SP2.xml"}};
  const auto it = files.find(version);
  return it == files.end() ? std::string() : (fs::path(specs_dir) / it->second).string();
}

Schedule parse_schedule(MapReader& parent) {
  Schedule s;
  if (!parent.has("schedule")) return s;
  MapReader r(parent.get("schedule"), parent.path_of("schedule"));
  static const std::regex time_re("^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$");
  s.start_time = r.string("start_time", s.start_time);
  s.end_time = r.string("end_time", s.end_time);
  if (!std::regex_match(s.start_time, time_re))
    throw ConfigError(r.path_of("start_time"), "expected HH:MM:SS, got '" + s.start_time + "'");
  if (!std::regex_match(s.end_time, time_re))
    throw ConfigError(r.path_of("end_time"), "expected HH:MM:SS, got '" + s.end_time + "'");
  for (const char* key : {"start_day", "end_day"}) {
    if (!r.has(key)) continue;
    std::string day = r.string(key);
    std::transform(day.begin(), day.end(), day.begin(), ::tolower);
    if (!kDays.count(day)) throw ConfigError(r.path_of(key), "expected a weekday name, got '" + day + "'");
    (std::string(key) == "start_day" ? s.start_day : s.end_day) = day;
  }
  if (s.start_day.has_value() != s.end_day.has_value())
    throw ConfigError(r.path(), "start_day and end_day go together");
  r.finish();
  return s;
}

void parse_common(MapReader& r, SessionCommon& s, const std::string& base_dir, const std::string& specs_dir) {
  s.name = r.string("name");
  if (s.name.empty()) throw ConfigError(r.path_of("name"), "must not be empty");
  s.begin_string = r.string("begin_string");
  if (!kBeginStrings.count(s.begin_string))
    throw ConfigError(r.path_of("begin_string"), "expected FIX.4.2, FIX.4.4 or FIXT.1.1, got '" + s.begin_string + "'");
  s.sender_comp_id = check_comp_id(r.string("sender_comp_id"), r.path_of("sender_comp_id"));
  s.target_comp_id = check_comp_id(r.string("target_comp_id"), r.path_of("target_comp_id"));
  s.allow_unknown_fields = r.boolean("allow_unknown_fields", false);
  s.max_latency_s = static_cast<int>(r.integer("max_latency_s", 1, 86400, 120));
  s.schedule = parse_schedule(r);

  const bool fixt = s.begin_string == "FIXT.1.1";
  if (fixt) {
    s.default_appl_ver_id = r.string("default_appl_ver_id", std::string("FIX.5.0SP2"));
    if (!kApplVerIDs.count(s.default_appl_ver_id))
      throw ConfigError(r.path_of("default_appl_ver_id"),
                        "expected FIX.5.0, FIX.5.0SP1 or FIX.5.0SP2, got '" + s.default_appl_ver_id + "'");
  } else if (r.has("default_appl_ver_id")) {
    throw ConfigError(r.path_of("default_appl_ver_id"), "only FIXT.1.1 sessions take an ApplVerID");
  }

  s.dictionary =
      r.has("dictionary") ? resolve(base_dir, r.string("dictionary")) : dictionary_file(specs_dir, s.begin_string);
  if (!fs::is_regular_file(s.dictionary))
    throw ConfigError(r.path_of("dictionary"), "dictionary file not found: " + s.dictionary);
  if (fixt) {
    if (r.has("app_dictionary")) {
      s.app_dictionary = resolve(base_dir, r.string("app_dictionary"));
    } else {
      s.app_dictionary = dictionary_file(specs_dir, s.default_appl_ver_id);
      if (s.app_dictionary.empty())
        throw ConfigError(r.path_of("app_dictionary"), "fixguard ships no dictionary for " + s.default_appl_ver_id +
                                                           "; point app_dictionary at the venue's");
    }
    if (!fs::is_regular_file(s.app_dictionary))
      throw ConfigError(r.path_of("app_dictionary"), "dictionary file not found: " + s.app_dictionary);
  } else if (r.has("app_dictionary")) {
    throw ConfigError(r.path_of("app_dictionary"), "only FIXT.1.1 sessions take an app_dictionary");
  }
}

// A secret is never written in the config: `<name>_file` (its first line)
// or `<name>_env` (an environment variable) says where it is. With
// `in_place`, what is not secret itself (a password's hash) may also be
// written as `<name>`. Nothing if none is given (and `required` is false).
// Errors name the key, never the secret. `key` is set to the path of the
// key that gave it.
std::optional<std::string> read_secret(MapReader& r, const std::string& name, const std::string& base_dir,
                                       bool required, std::string& key, bool in_place = false) {
  const bool from_file = r.has(name + "_file"), from_env = r.has(name + "_env");
  if (in_place && r.has(name)) {
    if (from_file || from_env)
      throw ConfigError(r.path(), "set only one of " + name + ", " + name + "_file and " + name + "_env");
    key = r.path_of(name);
    return r.string(name);
  }
  if (from_file && from_env) throw ConfigError(r.path(), "set only one of " + name + "_file and " + name + "_env");
  if (!from_file && !from_env) {
    if (required) throw ConfigError(r.path(), "set one of " + name + "_file and " + name + "_env");
    return std::nullopt;
  }
  std::string secret;
  key = r.path_of(name + (from_file ? "_file" : "_env"));
  if (from_file) {
    const std::string path = resolve(base_dir, r.string(name + "_file"));
    std::ifstream in(path);
    if (!in) throw ConfigError(key, "cannot read " + path);
    std::getline(in, secret);
  } else {
    const std::string variable = r.string(name + "_env");
    const char* value = std::getenv(variable.c_str());
    if (!value) throw ConfigError(key, "environment variable " + variable + " is not set");
    secret = value;
  }
  while (!secret.empty() && std::isspace(static_cast<unsigned char>(secret.back()))) secret.pop_back();
  return secret;
}

// `server`: the client-facing listener's (certificate required; ca_file
// asks for client certificates); else a venue's.
TlsConfig parse_tls(MapReader& r, const std::string& base_dir, bool server) {
  TlsConfig t;
  const auto file = [&](const char* key) { return r.has(key) ? resolve(base_dir, r.string(key)) : std::string(); };
  t.cert_file = file("cert_file");
  t.key_file = file("key_file");
  t.ca_file = file("ca_file");
  if (server && t.cert_file.empty()) throw ConfigError(r.path_of("cert_file"), "required key is missing");
  if (t.cert_file.empty() != t.key_file.empty())
    throw ConfigError(r.path_of(t.cert_file.empty() ? "cert_file" : "key_file"), "cert_file and key_file go together");
  for (const std::string* path : {&t.cert_file, &t.key_file, &t.ca_file})
    if (!path->empty() && !fs::exists(*path)) throw ConfigError(r.path(), "no such file: " + *path);
  std::string key;
  if (auto password = read_secret(r, "key_password", base_dir, false, key)) t.key_password = std::move(*password);
  t.min_version = r.string("min_version", std::string("1.2"));
  if (t.min_version != "1.2" && t.min_version != "1.3")
    throw ConfigError(r.path_of("min_version"), "expected \"1.2\" or \"1.3\", got '" + t.min_version + "'");
  t.ciphers = r.string("ciphers", std::string());
  t.ciphersuites = r.string("ciphersuites", std::string());
  if (!server) t.server_name = r.string("server_name", std::string());
  return t;
}

AdminConfig parse_admin(const YAML::Node& node, const std::string& base_dir) {
  MapReader r(node, "admin");
  AdminConfig a;
  a.listen = parse_endpoint(r.string("listen", std::string("127.0.0.1:9881")), "admin.listen");
  std::string key;
  a.token = *read_secret(r, "token", base_dir, true, key);
  // The length is said, never the token.
  if (a.token.size() < 16)
    throw ConfigError(key, "the token must be at least 16 characters, got " + std::to_string(a.token.size()));
  if (r.has("tls")) {
    MapReader tr(r.get("tls"), r.path_of("tls"));
    if (tr.has("ca_file"))
      throw ConfigError(tr.path_of("ca_file"),
                        "the admin interface takes no client certificates (its token "
                        "authenticates the operator)");
    a.tls = parse_tls(tr, base_dir, true);
    tr.finish();
  }
  r.finish();
  return a;
}

LogonAuth parse_auth(MapReader& r, const std::string& base_dir) {
  LogonAuth a;
  a.username = r.string("username", std::string());
  if (r.has("password") || r.has("password_file") || r.has("password_env"))
    throw ConfigError(r.path_of("password"),
                      "plain passwords are not kept: set password_hash (fixguard "
                      "hash-password makes one)");
  std::string key;
  if (const auto hash_text = read_secret(r, "password_hash", base_dir, false, key, true)) {
    std::string why;
    a.password_hash = PasswordHash::parse(*hash_text, why);
    if (!a.password_hash) throw ConfigError(key, "not a usable password hash: " + why);
  }
  if (auto hmac_key = read_secret(r, "hmac_key", base_dir, false, key)) {
    // The length is said, never the key.
    if (hmac_key->size() < 32)
      throw ConfigError(key, "the HMAC key must be at least 32 characters, got " + std::to_string(hmac_key->size()));
    a.hmac_key = std::move(*hmac_key);
  }
  a.window_s = static_cast<int>(r.integer("window_s", 1, 3600, 30));
  if (!a.required()) throw ConfigError(r.path(), "set password_hash, hmac_key_file / hmac_key_env or username");
  return a;
}

std::vector<Endpoint> parse_listen(const YAML::Node& listen, const std::string& key) {
  std::vector<Endpoint> out;
  if (listen.IsScalar()) {
    out.push_back(parse_endpoint(listen.Scalar(), key));
  } else if (listen.IsSequence()) {
    for (std::size_t i = 0; i < listen.size(); ++i) {
      const std::string path = key + "[" + std::to_string(i) + "]";
      if (!listen[i].IsScalar()) throw ConfigError(path, "expected host:port");
      out.push_back(parse_endpoint(listen[i].Scalar(), path));
    }
  } else {
    throw ConfigError(key, "expected host:port or a list of them");
  }
  return out;
}

VenueConfig parse_venue(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                        const std::string& specs_dir) {
  MapReader r(node, path);
  VenueConfig v;
  parse_common(r, v, base_dir, specs_dir);
  v.connect = parse_endpoint(r.string("connect"), r.path_of("connect"));
  v.heartbeat_interval_s = static_cast<int>(r.integer("heartbeat_interval", 1, 3600, 30));
  v.connect_timeout_ms = static_cast<int>(r.integer("connect_timeout_ms", 10, 600000, 5000));
  v.reset_on_logon = r.boolean("reset_on_logon", false);
  v.username = r.string("username", std::string());
  std::string password_key;
  if (auto password = read_secret(r, "password", base_dir, false, password_key)) {
    if (password->empty()) throw ConfigError(password_key, "the password is empty");
    v.password = std::move(*password);
  }
  if (r.has("tls")) {
    MapReader tr(r.get("tls"), r.path_of("tls"));
    v.tls = parse_tls(tr, base_dir, false);
    if (v.tls->server_name.empty()) v.tls->server_name = v.connect.host;
    tr.finish();
  }
  if (r.has("reconnect")) {
    MapReader rr(r.get("reconnect"), r.path_of("reconnect"));
    v.reconnect.initial_ms = static_cast<int>(rr.integer("initial_ms", 10, 600000, 500));
    v.reconnect.max_ms = static_cast<int>(rr.integer("max_ms", 10, 3600000, 30000));
    if (v.reconnect.max_ms < v.reconnect.initial_ms)
      throw ConfigError(rr.path_of("max_ms"), "must not be below initial_ms");
    rr.finish();
  }
  r.finish();
  return v;
}

// `prefix_given` tells cross_check whether clordid_prefix was written or is
// to be derived from the venue's other clients.
ClientConfig parse_client(const YAML::Node& node, const std::string& path, const std::string& base_dir,
                          const std::string& specs_dir, bool& prefix_given) {
  MapReader r(node, path);
  ClientConfig c;
  parse_common(r, c, base_dir, specs_dir);
  c.venue = r.string("venue");
  c.allow_reset = r.boolean("allow_reset", false);
  c.cancel_on_disconnect = r.boolean("cancel_on_disconnect", false);
  c.cancel_on_logout = r.boolean("cancel_on_logout", false);
  c.require_tls = r.boolean("require_tls", false);
  if (r.has("allow_from")) {
    const YAML::Node list = r.get("allow_from");
    if (!list.IsSequence() || list.size() == 0)
      throw ConfigError(r.path_of("allow_from"), "expected a list of addresses or CIDR blocks");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item_path = r.path_of("allow_from") + "[" + std::to_string(i) + "]";
      const auto range = list[i].IsScalar() ? AddressRange::parse(list[i].Scalar()) : std::nullopt;
      if (!range)
        throw ConfigError(item_path, "expected an address or a CIDR block such as 10.0.0.0/8 or 2001:db8::/32");
      c.allow_from.push_back(*range);
    }
  }
  c.certificate_cn = r.string("certificate_cn", std::string());
  if (r.has("auth")) {
    MapReader ar(r.get("auth"), r.path_of("auth"));
    c.auth = parse_auth(ar, base_dir);
    ar.finish();
  }
  if (r.has("password") || r.has("password_file") || r.has("password_env"))
    throw ConfigError(r.path_of("auth"),
                      "a strategy's password is kept only as a hash: set auth.password_hash "
                      "(fixguard hash-password makes one)");
  if (c.cancel_on_logout && !c.cancel_on_disconnect)
    throw ConfigError(r.path_of("cancel_on_logout"), "needs cancel_on_disconnect: true");
  prefix_given = r.has("clordid_prefix");
  if (prefix_given) {
    c.clordid_prefix = r.string("clordid_prefix");
    for (unsigned char ch : c.clordid_prefix)
      if (ch <= ' ' || ch >= 127)
        throw ConfigError(r.path_of("clordid_prefix"), "must be printable ASCII without spaces");
  }
  if (r.has("pass_through")) {
    const YAML::Node list = r.get("pass_through");
    if (!list.IsSequence()) throw ConfigError(r.path_of("pass_through"), "expected a list of MsgTypes");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string item_path = r.path_of("pass_through") + "[" + std::to_string(i) + "]";
      if (!list[i].IsScalar()) throw ConfigError(item_path, "expected a MsgType");
      const std::string type = list[i].Scalar();
      if (type.empty() || type.size() > 4)
        throw ConfigError(item_path, "expected a MsgType such as AE, got '" + type + "'");
      if (kAdminTypes.count(type))
        throw ConfigError(item_path, "session-level message " + type + " cannot be passed through");
      if (is_order_entry_type(type))
        throw ConfigError(item_path, "order-entry message " + type + " is always forwarded");
      if (const auto unchecked = kUncheckedOrderTypes.find(type); unchecked != kUncheckedOrderTypes.end())
        throw ConfigError(item_path, type + " (" + unchecked->second +
                                         ") can trade, and would pass no pre-trade check: fixguard checks orders sent "
                                         "as D, G and F");
      c.pass_through.insert(type);
    }
  }
  r.finish();
  return c;
}

TradingDayConfig parse_trading_day(const YAML::Node& node) {
  MapReader r(node, "trading_day");
  TradingDayConfig t;
  t.time_zone = r.string("time_zone", std::string("UTC"));
  try {
    date::locate_zone(t.time_zone);
  } catch (const std::exception&) {
    throw ConfigError("trading_day.time_zone", "unknown time zone '" + t.time_zone +
                                                   "' (an IANA name such as "
                                                   "America/New_York)");
  }
  const std::string at = r.string("starts_at", std::string("00:00"));
  const bool shaped = at.size() == 5 && at[2] == ':' && std::isdigit(static_cast<unsigned char>(at[0])) &&
                      std::isdigit(static_cast<unsigned char>(at[1])) &&
                      std::isdigit(static_cast<unsigned char>(at[3])) &&
                      std::isdigit(static_cast<unsigned char>(at[4]));
  const int hours = shaped ? (at[0] - '0') * 10 + (at[1] - '0') : -1;
  const int minutes = shaped ? (at[3] - '0') * 10 + (at[4] - '0') : -1;
  if (!shaped || hours > 23 || minutes > 59)
    throw ConfigError("trading_day.starts_at", "expected HH:MM (local time), got '" + at + "'");
  t.starts_at_minute = hours * 60 + minutes;
  r.finish();
  return t;
}

JournalConfig parse_journal(MapReader& root, const std::string& database, const std::string& base_dir) {
  JournalConfig j;
  const std::string stem = database.size() > 3 && database.compare(database.size() - 3, 3, ".db") == 0
                               ? database.substr(0, database.size() - 3)
                               : database;
  j.path = stem + "-journal.db";
  if (!root.has("journal")) return j;
  MapReader r(root.get("journal"), "journal");
  if (r.has("path")) j.path = resolve(base_dir, r.string("path"));
  if (r.has("archive_dir")) j.archive_dir = resolve(base_dir, r.string("archive_dir"));
  const std::string durability = r.string("durability", std::string("normal"));
  if (durability == "full")
    j.full = true;
  else if (durability != "normal")
    throw ConfigError("journal.durability", "expected normal or full, got '" + durability + "'");
  j.apply_interval_ms = static_cast<int>(r.integer("apply_interval_ms", 1, 1000, j.apply_interval_ms));
  r.finish();
  if (j.path == database) throw ConfigError("journal.path", "must not be the database file itself");
  return j;
}

std::string session_key(const SessionCommon& s) {
  return s.begin_string + ":" + s.sender_comp_id + "->" + s.target_comp_id;
}

void cross_check(Config& c, const std::vector<bool>& prefix_given) {
  std::map<std::string, std::string> names;
  std::map<std::string, std::string> ids;
  auto claim = [&](const SessionCommon& s, const std::string& path) {
    if (!names.emplace(s.name, path).second)
      throw ConfigError(path + ".name", "name '" + s.name + "' is used twice (also " + names[s.name] + ")");
    if (!ids.emplace(session_key(s), path).second)
      throw ConfigError(path, "session " + session_key(s) + " is configured twice (also " + ids[session_key(s)] + ")");
  };
  for (std::size_t i = 0; i < c.venues.size(); ++i) claim(c.venues[i], "venues[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < c.clients.size(); ++i) claim(c.clients[i], "clients[" + std::to_string(i) + "]");
  for (std::size_t i = 0; i < c.clients.size(); ++i) {
    ClientConfig& client = c.clients[i];
    const std::string path = "clients[" + std::to_string(i) + "]";
    if (client.require_tls && !c.tls) throw ConfigError(path + ".require_tls", "needs a tls section (the listener)");
    const bool client_certificates = c.tls && !c.tls->ca_file.empty();
    if (!client.certificate_cn.empty() && !client_certificates)
      throw ConfigError(path + ".certificate_cn", "needs tls.ca_file (client certificates)");
    if (client.certificate_cn.empty() && client_certificates) client.certificate_cn = client.target_comp_id;
  }

  std::map<std::string, std::vector<ClientConfig*>> by_venue;
  for (std::size_t i = 0; i < c.clients.size(); ++i) {
    ClientConfig& client = c.clients[i];
    const std::string path = "clients[" + std::to_string(i) + "]";
    const VenueConfig* venue = c.find_venue(client.venue);
    if (!venue) throw ConfigError(path + ".venue", "no venue named '" + client.venue + "'");
    if (venue->begin_string != client.begin_string || venue->default_appl_ver_id != client.default_appl_ver_id)
      throw ConfigError(path + ".begin_string", "both legs of a route speak one FIX version: client is " +
                                                    client.begin_string + client.default_appl_ver_id + ", venue '" +
                                                    venue->name + "' is " + venue->begin_string +
                                                    venue->default_appl_ver_id);
    by_venue[client.venue].push_back(&client);
    if (!prefix_given[i]) client.clordid_prefix = "";
  }
  // ClOrdIDs of clients sharing a venue session are made unique by a prefix;
  // no prefix may start another, so the owner of a venue ClOrdID is unambiguous.
  for (auto& [venue, clients] : by_venue) {
    if (clients.size() < 2) continue;
    for (ClientConfig* client : clients) {
      const auto index = static_cast<std::size_t>(client - c.clients.data());
      if (!prefix_given[index]) client->clordid_prefix = client->name + "-";
    }
    for (ClientConfig* a : clients) {
      if (a->clordid_prefix.empty())
        throw ConfigError("clients." + a->name + ".clordid_prefix",
                          "must not be empty: venue '" + venue + "' is shared by several clients");
      for (ClientConfig* b : clients) {
        if (a != b && b->clordid_prefix.compare(0, a->clordid_prefix.size(), a->clordid_prefix) == 0)
          throw ConfigError("clients." + b->name + ".clordid_prefix",
                            "'" + b->clordid_prefix + "' starts with client " + a->name + "'s prefix '" +
                                a->clordid_prefix + "' on shared venue '" + venue + "'");
      }
    }
  }
}

}  // namespace

bool is_order_entry_type(const std::string& msg_type) {
  static const std::set<std::string> types = {"D", "F", "G", "H", "q", "8", "9", "j"};
  return types.count(msg_type) > 0;
}

std::optional<AddressRange> AddressRange::parse(const std::string& text) {
  AddressRange r;
  r.text = text;
  const std::size_t slash = text.find('/');
  const std::string host = text.substr(0, slash);
  int max_bits = 128;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    r.address[10] = r.address[11] = 0xff;
    std::memcpy(r.address.data() + 12, &v4, 4);
    max_bits = 32;
  } else if (::inet_pton(AF_INET6, host.c_str(), r.address.data()) != 1) {
    return std::nullopt;
  }
  int bits = max_bits;
  if (slash != std::string::npos) {
    const std::string n = text.substr(slash + 1);
    if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    bits = std::stoi(n);
    if (bits > max_bits) return std::nullopt;
  }
  r.prefix_bits = bits + (max_bits == 32 ? 96 : 0);
  return r;
}

bool AddressRange::contains(const std::array<uint8_t, 16>& a) const {
  int bits = prefix_bits;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const auto mask = static_cast<uint8_t>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((a[i] & mask) != (address[i] & mask)) return false;
  }
  return true;
}

std::string Endpoint::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

const VenueConfig* Config::find_venue(const std::string& name) const {
  for (const auto& v : venues)
    if (v.name == name) return &v;
  return nullptr;
}

const ClientConfig* Config::find_client(const std::string& name) const {
  for (const auto& c : clients)
    if (c.name == name) return &c;
  return nullptr;
}

Config Config::from_text(const std::string& yaml, const std::string& base_dir, const std::string& specs_dir) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw ConfigError("", "not valid YAML at line " + std::to_string(e.mark.line + 1) + ", column " +
                              std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) throw ConfigError("", "the configuration is empty");

  Config c;
  c.specs_dir = specs_dir;
  if (root.IsMap()) {
    for (const auto& kv : root)
      if (kv.first.Scalar() != "risk") c.outside_risk += kv.first.Scalar() + ":" + YAML::Dump(kv.second) + "\n";
  }
  MapReader r(root, "");
  if (r.has("tls")) {
    MapReader tr(r.get("tls"), "tls");
    c.tls = parse_tls(tr, base_dir, true);
    if (!tr.has("listen")) throw ConfigError("tls.listen", "required key is missing");
    c.tls_listen = parse_listen(tr.get("listen"), "tls.listen");
    if (c.tls_listen.empty()) throw ConfigError("tls.listen", "expected host:port or a list of them");
    tr.finish();
  }
  if (r.has("listen")) {
    c.listen = parse_listen(r.get("listen"), "listen");
    if (c.listen.empty() && c.tls_listen.empty()) throw ConfigError("listen", "no address to accept strategies on");
  } else if (!c.tls) {
    c.listen.push_back(Endpoint{"::", 9880});
  }
  c.database = resolve(base_dir, r.string("database", std::string("fixguard.db")));
  c.journal = parse_journal(r, c.database, base_dir);

  if (r.has("log")) {
    MapReader lr(r.get("log"), "log");
    c.log_level = lr.string("level", std::string("info"));
    if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" && c.log_level != "error")
      throw ConfigError("log.level", "expected debug, info, warn or error, got '" + c.log_level + "'");
    c.log_messages = lr.boolean("messages", false);
    lr.finish();
  }
  if (r.has("admin")) c.admin = parse_admin(r.get("admin"), base_dir);
  if (r.has("trading_day")) c.trading_day = parse_trading_day(r.get("trading_day"));
  if (r.has("limits")) {
    MapReader lr(r.get("limits"), "limits");
    c.limits.max_frame_bytes =
        static_cast<std::size_t>(lr.integer("max_frame_bytes", 256, 16 * 1024 * 1024, 64 * 1024));
    c.limits.logon_timeout_ms = static_cast<int>(lr.integer("logon_timeout_ms", 100, 600000, 5000));
    c.limits.max_send_queue_bytes =
        static_cast<std::size_t>(lr.integer("max_send_queue_bytes", 64 * 1024, int64_t{1} << 30, 8 * 1024 * 1024));
    c.limits.failed_logons_per_address = static_cast<int>(lr.integer("failed_logons_per_address", 0, 100000, 10));
    c.limits.failed_logons_per_comp_id = static_cast<int>(lr.integer("failed_logons_per_comp_id", 0, 100000, 5));
    c.limits.failed_logon_window_s = static_cast<int>(lr.integer("failed_logon_window_s", 1, 86400, 60));
    lr.finish();
  }

  if (r.has("risk")) c.risk = parse_risk(r.get("risk"), "risk");
  if (!c.risk.marks_file.empty()) c.risk.marks_file = resolve(base_dir, c.risk.marks_file);
  std::vector<bool> prefix_given;
  for (const char* section : {"venues", "clients"}) {
    const YAML::Node list = r.get(section);
    if (!list.IsDefined() || list.IsNull()) throw ConfigError(section, "required key is missing");
    if (!list.IsSequence() || list.size() == 0) throw ConfigError(section, "expected a non-empty list of sessions");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = std::string(section) + "[" + std::to_string(i) + "]";
      if (std::string(section) == "venues")
        c.venues.push_back(parse_venue(list[i], path, base_dir, specs_dir));
      else {
        bool given = false;
        c.clients.push_back(parse_client(list[i], path, base_dir, specs_dir, given));
        prefix_given.push_back(given);
      }
    }
  }
  r.finish();
  cross_check(c, prefix_given);
  c.source_text = yaml;
  return c;
}

Config Config::from_file(const std::string& path, const std::string& specs_dir) {
  std::ifstream in(path);
  if (!in) throw ConfigError("", "cannot read config file " + path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string base = fs::absolute(fs::path(path)).parent_path().string();
  Config c = from_text(text.str(), base, specs_dir);
  c.source_path = fs::absolute(fs::path(path)).string();
  return c;
}

}  // namespace fixguard::config
