// The fixguard command: the proxy, config checking, the venue simulator and
// the demo strategy.
#include "config/config.h"
#include "fix/log.h"
#include "persistence/journal.h"
#include "proxy/admin_client.h"
#include "proxy/audit_report.h"
#include "proxy/demo.h"
#include "proxy/gateway.h"
#include "proxy/live_replay.h"
#include "proxy/replay.h"
#include "proxy/venue_simulator.h"

#include "proxy/asio.h"

#include <openssl/crypto.h>
#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#ifndef FIXGUARD_SPECS_DIR
#define FIXGUARD_SPECS_DIR "specs"
#endif

namespace {

namespace fs = std::filesystem;
using namespace fixguard;

constexpr const char* kUsage = R"(fixguard: a pre-trade risk gateway for FIX order flow

Usage:
  fixguard run --config FILE          run the proxy in front of the configured venues
  fixguard check-config FILE          validate a config file; non-zero exit names the bad key
  fixguard venue --config FILE [--fill full|partial|none] [--fill-price PRICE]
                 [--reject-percent N] [--seed N] [--store DIR]
                                      run the venue simulator for the config's venue sessions
  fixguard demo --config FILE [--clients a,b]
                                      log on as the config's strategies and send a sample flow
  fixguard ctl --config FILE COMMAND [options]
                                      ask the running fixguard's operator interface (admin:)
      health | ready | state | metrics
      halt | reduce-only | resume  --scope global|venue|client|account [--name NAME]
                                   [--cancel true] (halt: also cancel the scope's open orders)
      trip | reset                 --scope global|account [--name ACCOUNT]
      flatten                      --scope account --name ACCOUNT (market orders closing its positions)
      equity                       --scope account --name ACCOUNT --equity AMOUNT
      mark                         --symbol SYMBOL --price PRICE
      reload                       the config file's risk section (all or nothing)
      profile                      --name PROFILE
      actions take --reason TEXT and --operator NAME (default: your login name)
  fixguard audit --config FILE [--from TIME] [--to TIME] [--client NAME] [--account ACCOUNT]
                 [--symbol SYMBOL] [--rule RULE] [--outcome rejected|accepted|dropped|unsent|all]
                 [--format table|csv|json] [--html FILE]
                                      the journal's orders (rejected ones by default), each with
                                      the FIX of the order and of the reject; TIME is UTC,
                                      2026-12-01 or 2026-12-01T14:30[:05]; --journal FILE in
                                      place of --config reads that journal file; the archives
                                      are read too (journal.archive_dir, or --archives DIR)
  fixguard audit logons --config FILE [--from TIME] [--to TIME] [--client NAME]
                 [--outcome refused|accepted|all] [--format table|csv|json]
                                      the strategies' logons the journal holds (refused ones by
                                      default, lockouts included), each with why, the peer and
                                      the Logon (secrets masked)
  fixguard audit verify --config FILE | --journal FILE
                                      check the journal's hash chain, archives included; names
                                      the first entry edited, deleted or moved
  fixguard replay LOG... --config FILE [--compare OTHER.yaml] [--clock sending|transact|log]
                 [--show rejected|all|none] [--format table|csv|json] [--html FILE]
                                      run recorded FIX (QuickFIX message logs, raw FIX with SOH,
                                      | or ^A) through the risk checks offline, on the logs'
                                      clock; each order's decision (rejected ones by default)
                                      and the rejects by rule; --compare lists the orders the
                                      two configs decide differently; --html FILE writes a
                                      report with a chart of decisions over time; --live
                                      HOST:PORT [--speed N] sends the orders to a running
                                      fixguard as the config's strategy sessions (at the
                                      recorded pace, N times faster, 0: at once) and reports
                                      what came back
  fixguard replay JOURNAL [--config FILE] [--archives DIR] [--show ...] [--format ...]
                                      fixguard's journal decided again under the configs it
                                      recorded (or FILE), each decision compared with the
                                      recorded one; exits 1 on a mismatch, naming the first
  fixguard hash-password [--algorithm scrypt|pbkdf2-sha256] [--cost N]
                                      reads a password on stdin (no echo on a terminal) and
                                      prints its salted hash for a client's auth.password_hash
                                      (cost: scrypt's ln, default 15, or PBKDF2's iterations,
                                      default 600000)
  fixguard --help                     this text

Dictionaries are read from $FIXGUARD_SPECS_DIR, else from the specs/ folder
fixguard was built from.
)";

std::string specs_dir(const char* argv0) {
  if (const char* env = std::getenv("FIXGUARD_SPECS_DIR")) return env;
  std::vector<fs::path> candidates = {FIXGUARD_SPECS_DIR};
  std::error_code ec;
  const fs::path exe = fs::canonical(fs::path(argv0), ec);
  if (!ec) candidates.push_back(exe.parent_path().parent_path() / "specs");
  for (const fs::path& p : candidates)
    if (fs::exists(p / "FIX44.xml", ec)) return p.string();
  return FIXGUARD_SPECS_DIR;
}

// Options after the subcommand: "--name value" pairs and positional words.
struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
};

Args parse_args(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    const std::string s = argv[i];
    if (s.rfind("--", 0) == 0) {
      if (i + 1 >= argc) throw std::runtime_error("option " + s + " needs a value");
      a.options[s.substr(2)] = argv[++i];
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

config::Config load(const Args& a, const char* argv0) {
  const auto it = a.options.find("config");
  std::string path = it != a.options.end() ? it->second : (a.positional.empty() ? "" : a.positional.front());
  if (path.empty()) throw std::runtime_error("no config file given (--config FILE)");
  return config::Config::from_file(path, specs_dir(argv0));
}

// The value of --`option` among `choices`, or an error naming them all.
template <class T>
T one_of(const char* option, const std::string& value, std::initializer_list<std::pair<const char*, T>> choices) {
  std::string names;  // "a, b or c"
  std::size_t n = 0;
  for (const auto& [name, result] : choices) {
    if (value == name) return result;
    if (n > 0) names += n + 1 == choices.size() ? " or " : ", ";
    names += name;
    ++n;
  }
  throw std::runtime_error(std::string("--") + option + ": expected " + names + ", got '" + value + "'");
}

void check_options(const Args& a, std::initializer_list<const char*> allowed) {
  for (const auto& [name, value] : a.options) {
    bool ok = false;
    for (const char* n : allowed) ok = ok || name == n;
    if (!ok) throw std::runtime_error("unknown option --" + name);
  }
}

// Runs `io` until SIGINT/SIGTERM, then `on_signal` (which must stop io).
void run_until_signal(boost::asio::io_context& io, const std::function<void()>& on_signal) {
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info("fixguard", std::string("received ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ", stopping");
    on_signal();
  });
  io.run();
}

int cmd_run(const Args& a, const char* argv0) {
  check_options(a, {"config"});
  // A file-size limit reached is a failed write (rejected orders, an error
  // in the log), not the end of the process.
  std::signal(SIGXFSZ, SIG_IGN);
  const config::Config cfg = load(a, argv0);
  log::set_level(log::parse_level(cfg.log_level));
  boost::asio::io_context io(1);
  proxy::Gateway gateway(cfg, io);
  gateway.start();
  log::info("fixguard", "running: " + std::to_string(cfg.clients.size()) + " client sessions, " +
                            std::to_string(cfg.venues.size()) + " venue sessions, database " + cfg.database);
  run_until_signal(io, [&] { gateway.stop(std::chrono::milliseconds(1000), [&] { io.stop(); }); });
  log::info("fixguard", "stopped");
  return 0;
}

int cmd_check(const Args& a, const char* argv0) {
  check_options(a, {"config"});
  const config::Config cfg = load(a, argv0);
  std::cout << "config OK: " << cfg.clients.size() << " client sessions, " << cfg.venues.size() << " venue sessions\n";
  return 0;
}

int cmd_venue(const Args& a, const char* argv0) {
  check_options(a, {"config", "fill", "fill-price", "reject-percent", "seed", "store"});
  const config::Config cfg = load(a, argv0);
  log::set_level(log::parse_level(cfg.log_level));
  proxy::SimulatorOptions o;
  o.record = false;  // nothing here reads the record
  const auto opt = [&](const char* k) -> std::optional<std::string> {
    const auto it = a.options.find(k);
    return it == a.options.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  if (auto f = opt("fill")) {
    if (*f == "full")
      o.fill = proxy::SimulatorOptions::Fill::full;
    else if (*f == "partial")
      o.fill = proxy::SimulatorOptions::Fill::partial;
    else if (*f == "none")
      o.fill = proxy::SimulatorOptions::Fill::none;
    else
      throw std::runtime_error("--fill: expected full, partial or none, got '" + *f + "'");
  }
  if (auto p = opt("fill-price")) {
    o.fill_price = risk::Price::parse(*p);
    if (!o.fill_price) throw std::runtime_error("--fill-price: not a decimal price: '" + *p + "'");
  }
  if (auto r = opt("reject-percent")) {
    o.reject_percent = std::stoi(*r);
    if (o.reject_percent < 0 || o.reject_percent > 100) throw std::runtime_error("--reject-percent: 0 to 100");
  }
  if (auto s = opt("seed")) o.seed = std::stoull(*s);
  if (auto d = opt("store")) {
    fs::create_directories(*d);
    o.store_dir = *d;
  }
  proxy::VenueSimulator sim(cfg, o);
  sim.start();
  for (const auto& v : cfg.venues)
    log::info("venue-sim", "accepting " + v.target_comp_id + " <- " + v.sender_comp_id + " on port " +
                               std::to_string(v.connect.port));
  boost::asio::io_context io(1);
  run_until_signal(io, [&] { io.stop(); });
  sim.stop();
  return 0;
}

int cmd_demo(const Args& a, const char* argv0) {
  check_options(a, {"config", "clients"});
  const config::Config cfg = load(a, argv0);
  log::set_level(log::Level::warn);
  std::vector<std::string> clients;
  if (const auto it = a.options.find("clients"); it != a.options.end()) {
    std::stringstream list(it->second);
    for (std::string name; std::getline(list, name, ',');)
      if (!name.empty()) clients.push_back(name);
  }
  const fs::path store = fs::path(cfg.database).parent_path() / "demo-strategy-store";
  fs::create_directories(store);
  return proxy::run_demo(cfg, clients, store.string(), std::cout);
}

// Who runs ctl: $USER, else $LOGNAME, else the account's name ("" if none).
std::string login_name() {
  for (const char* var : {"USER", "LOGNAME"})
    if (const char* v = std::getenv(var); v && *v) return v;
  const passwd* pw = ::getpwuid(::getuid());
  return pw && pw->pw_name ? pw->pw_name : "";
}

int cmd_ctl(const Args& a, const char* argv0) {
  check_options(a, {"config", "scope", "name", "cancel", "symbol", "price", "equity", "operator", "reason"});
  if (a.positional.size() != 1) throw std::runtime_error("ctl needs one command (see fixguard --help)");
  const std::string command = a.positional.front();
  Args config_only = a;
  config_only.positional.clear();
  const config::Config cfg = load(config_only, argv0);
  if (!cfg.admin) throw std::runtime_error("the config has no admin: section, so fixguard runs no operator interface");
  const bool read = command == "health" || command == "ready" || command == "state" || command == "metrics";
  std::map<std::string, std::string> form;
  if (!read) {
    for (const char* key : {"scope", "name", "cancel", "symbol", "price", "equity", "reason"})
      if (const auto it = a.options.find(key); it != a.options.end()) form[key] = it->second;
    const auto who = a.options.find("operator");
    form["operator"] = who != a.options.end() ? who->second : login_name();
  }
  const proxy::AdminReply reply = proxy::admin_call(*cfg.admin, read ? "GET" : "POST", "/" + command, form);
  std::cout << reply.body;
  if (!reply.body.empty() && reply.body.back() != '\n') std::cout << "\n";
  return reply.status >= 200 && reply.status < 300 ? 0 : 1;
}

int cmd_audit(const Args& a, const char* argv0) {
  check_options(a, {"config", "journal", "archives", "from", "to", "client", "account", "symbol", "rule", "outcome",
                    "format", "html"});
  const bool verify = !a.positional.empty() && a.positional.front() == "verify";
  const bool logons = !a.positional.empty() && a.positional.front() == "logons";
  if (a.positional.size() > (verify || logons ? 1u : 0u))
    throw std::runtime_error("audit takes options, or verify, or logons");
  std::string path, archives;
  if (const auto j = a.options.find("journal"); j != a.options.end()) {
    path = j->second;
  } else {
    Args config_only;
    config_only.options["config"] = a.options.count("config") ? a.options.at("config") : "";
    const config::Config cfg = load(config_only, argv0);
    path = cfg.journal.path;
    archives = cfg.journal.archive_dir;
  }
  if (const auto d = a.options.find("archives"); d != a.options.end()) archives = d->second;
  if (!fs::exists(path)) throw std::runtime_error("no journal at " + path);
  if (!archives.empty() && !fs::is_directory(archives))
    throw std::runtime_error("no journal archive directory at " + archives);
  const persistence::JournalReader reader(path, archives);
  const std::size_t archived = persistence::archive_paths(archives, path).size();
  if (archived > 0) path += " and " + std::to_string(archived) + " archives in " + archives;
  if (verify) {
    const auto v = reader.verify();
    if (v.intact) {
      std::cout << "journal " << path << " intact: " << v.entries << " entries\n";
      return 0;
    }
    std::cout << "journal " << path << " NOT intact: " << v.problem << "\n";
    return 1;
  }
  persistence::JournalReader::Filter f;
  const auto opt = [&](const char* k) { return a.options.count(k) ? a.options.at(k) : std::string(); };
  for (const char* k : {"from", "to"})
    if (!opt(k).empty()) {
      const auto t = proxy::parse_utc_time(opt(k));
      if (!t)
        throw std::runtime_error(std::string("--") + k + ": expected a UTC time such as 2026-12-01T14:30, got '" +
                                 opt(k) + "'");
      (std::string(k) == "from" ? f.from_us : f.to_us) = *t;
    }
  f.client = opt("client");
  f.account = opt("account");
  f.symbol = opt("symbol");
  f.rule = opt("rule");
  std::string outcome;
  if (logons) {
    f.kind = persistence::JournalEntry::Kind::security;
    outcome = opt("outcome").empty() ? "refused" : opt("outcome");
    f.outcome =
        one_of<std::string>("outcome", outcome, {{"refused", "refused"}, {"accepted", "accepted"}, {"all", ""}});
  } else {
    outcome = opt("outcome").empty() ? "rejected" : opt("outcome");
    f.outcome = one_of<std::string>("outcome", outcome,
                                    {{"rejected", "rejected"},
                                     {"accepted", "accepted"},
                                     {"dropped", "dropped"},
                                     {"unsent", "unsent"},
                                     {"all", ""}});
  }
  const std::vector<persistence::JournalEntry> rows = reader.orders(f);
  if (!opt("html").empty()) {
    std::ofstream out(opt("html"));
    std::string title = (logons ? "logons: " : "orders: ") + outcome;
    for (const char* k : {"from", "to", "client", "account", "symbol", "rule"})
      if (!opt(k).empty()) title += std::string(", ") + k + " " + opt(k);
    proxy::write_audit_html(out, rows, title + "; journal " + path);
    out.close();
    if (!out) throw std::runtime_error("cannot write " + opt("html"));
    std::cout << "wrote " << opt("html") << ": " << rows.size() << " orders\n";
    return 0;
  }
  proxy::write_audit(std::cout, rows,
                     one_of<proxy::AuditFormat>("format", opt("format").empty() ? "table" : opt("format"),
                                                {{"table", proxy::AuditFormat::table},
                                                 {"csv", proxy::AuditFormat::csv},
                                                 {"json", proxy::AuditFormat::json}}));
  return 0;
}

int cmd_replay(const Args& a, const char* argv0) {
  check_options(a, {"config", "compare", "clock", "show", "format", "archives", "html", "live", "speed"});
  if (a.positional.empty()) throw std::runtime_error("replay needs one or more FIX logs, or a journal");
  const bool journal = proxy::is_journal_file(a.positional.front());
  if (journal && a.positional.size() > 1) throw std::runtime_error("replay takes one journal at a time");
  if (!journal && !a.options.count("config")) throw std::runtime_error("replay needs --config FILE");
  if (journal && a.options.count("compare"))
    throw std::runtime_error("--compare is for logs; a journal is compared with itself");
  std::optional<config::Config> cfg;
  if (a.options.count("config")) cfg = load(a, argv0);
  std::optional<config::Config> other;
  if (const auto c = a.options.find("compare"); c != a.options.end())
    other = config::Config::from_file(c->second, specs_dir(argv0));
  proxy::ReplayRequest r;
  r.logs = a.positional;
  const auto opt = [&](const char* k, const char* fallback) {
    return a.options.count(k) ? a.options.at(k) : std::string(fallback);
  };
  using Request = proxy::ReplayRequest;
  r.clock = one_of<Request::Clock>(
      "clock", opt("clock", "sending"),
      {{"sending", Request::Clock::sending}, {"transact", Request::Clock::transact}, {"log", Request::Clock::logged}});
  r.show = one_of<Request::Show>(
      "show", opt("show", "rejected"),
      {{"rejected", Request::Show::rejected}, {"all", Request::Show::all}, {"none", Request::Show::none}});
  r.format = one_of<proxy::ReplayFormat>(
      "format", opt("format", "table"),
      {{"table", proxy::ReplayFormat::table}, {"csv", proxy::ReplayFormat::csv}, {"json", proxy::ReplayFormat::json}});
  r.progress = ::isatty(STDERR_FILENO) != 0;
  if (a.options.count("html")) r.html = a.options.at("html");
  if (journal) {
    const std::string archives = a.options.count("archives") ? a.options.at("archives") : "";
    const proxy::JournalReplayResult result = proxy::replay_recorded_journal(
        a.positional.front(), archives, cfg ? &*cfg : nullptr, specs_dir(argv0), r, std::cout, std::cerr);
    return result.mismatches == 0 ? 0 : 1;
  }
  if (const auto live = a.options.find("live"); live != a.options.end()) {
    if (other) throw std::runtime_error("--compare and --live do not go together");
    proxy::LiveTarget target;
    const std::size_t colon = live->second.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("--live: expected HOST:PORT, got '" + live->second + "'");
    target.host = live->second.substr(0, colon);
    try {
      const int port = std::stoi(live->second.substr(colon + 1));
      if (port <= 0 || port > 65535) throw std::out_of_range("port");
      target.port = static_cast<uint16_t>(port);
      if (a.options.count("speed")) target.speed = std::stod(a.options.at("speed"));
    } catch (const std::exception&) {
      throw std::runtime_error("--live HOST:PORT and --speed N (0: as fast as possible) expected");
    }
    return proxy::run_live_replay(*cfg, r, target, std::cout, std::cerr) == 0 ? 0 : 1;
  }
  proxy::run_replay(*cfg, other ? &*other : nullptr, r, std::cout, std::cerr);
  return 0;
}

}  // namespace

int cmd_hash_password(const Args& a) {
  const std::string algorithm = a.options.count("algorithm") ? a.options.at("algorithm") : "scrypt";
  if (algorithm != "scrypt" && algorithm != "pbkdf2-sha256") {
    std::cerr << "fixguard: --algorithm is scrypt or pbkdf2-sha256, not '" << algorithm << "'\n";
    return 2;
  }
  uint32_t cost = 0;
  if (a.options.count("cost")) {
    const std::string& text = a.options.at("cost");
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), cost);
    if (ec != std::errc() || end != text.data() + text.size() || cost == 0) {
      std::cerr << "fixguard: --cost takes a positive number\n";
      return 2;
    }
  }
  // On a terminal the password is not echoed.
  const bool tty = isatty(STDIN_FILENO);
  termios saved{};
  if (tty) {
    std::cerr << "password: " << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    std::cerr << "fixguard: no password on stdin\n";
    return 2;
  }
  const auto kind =
      algorithm == "scrypt" ? config::PasswordHash::Algorithm::scrypt : config::PasswordHash::Algorithm::pbkdf2_sha256;
  const config::PasswordHash hash = config::PasswordHash::make(password, kind, cost);
  OPENSSL_cleanse(password.data(), password.size());
  std::cout << hash.text() << "\n";
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  try {
    const Args a = parse_args(argc, argv, 2);
    if (cmd == "run") return cmd_run(a, argv[0]);
    if (cmd == "check-config") return cmd_check(a, argv[0]);
    if (cmd == "venue") return cmd_venue(a, argv[0]);
    if (cmd == "demo") return cmd_demo(a, argv[0]);
    if (cmd == "ctl") return cmd_ctl(a, argv[0]);
    if (cmd == "audit") return cmd_audit(a, argv[0]);
    if (cmd == "replay") return cmd_replay(a, argv[0]);
    if (cmd == "hash-password") return cmd_hash_password(a);
    std::cerr << "fixguard: unknown command '" << cmd << "' (see fixguard --help)\n";
    return 2;
  } catch (const config::ConfigError& e) {
    std::cerr << "fixguard: config error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "fixguard: " << e.what() << "\n";
    return 1;
  }
}
