// The side-by-side bench: one QuickFIX strategy (StrategyPeer, in this
// process) and one venue simulator (`fixguard venue`, a process of its
// own, filling every order), connected directly and through fixguard
// (`fixguard run`, a process of its own) with journal durability normal and
// full. For each path:
//   - round trip: one order at a time, NewOrderSingle sent -> its first
//     ExecutionReport received, after a warm-up (the fill is awaited before
//     the next order);
//   - pipelined: orders sent with up to --window in flight, until the last
//     fill; orders per second;
//   - CPU per order of the process in the middle (fixguard or a relay, or
//     the venue when direct), from /proc, and the lines fixguard logged per order.
// Prints a Markdown table with the ratios to direct, and writes each
// path's latency quantiles to a CSV file for the plot (scripts/bench).
//
//   fixguard_roundtrip --fixguard build/fixguard --label pinned --csv out.csv
// Other options: --warmup N, --orders N, --pipelined N, --window N,
// --paths direct,relay,quickfix,normal,full, --specs DIR, and --apply-interval-ms N
// (fixguard's journal.apply_interval_ms; its default if not given).
#include "config/config.h"
#include "fix/log.h"
#include "proxy/asio.h"
#include "proxy/quickfix_settings.h"
#include "proxy/sample_orders.h"
#include "proxy/strategy_peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace fixguard;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string fixguard = "build/fixguard";
  std::string specs = FIXGUARD_SPECS_DIR;
  std::string label = "unpinned";
  std::string csv;  // latency quantiles, appended
  int warmup = 2000;
  int orders = 20000;     // timed round trips
  int pipelined = 20000;  // orders in the throughput run
  int window = 200;       // in flight at most
  std::vector<std::string> paths = {"direct", "relay", "quickfix", "normal", "full"};
  int apply_interval_ms = 0;  // 0: fixguard's default
};

uint16_t free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

// A child process with its output in a file; stopped with SIGTERM.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& log) {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> args;
      for (const std::string& s : argv) args.push_back(const_cast<char*>(s.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Child() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  pid_t pid() const { return pid_; }
  // CPU time used so far, all threads (user + system), in microseconds.
  int64_t cpu_us() const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));  // after the command name
    std::string field;
    int64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
      if (i == 14) utime = std::stoll(field);
      if (i == 15) stime = std::stoll(field);
    }
    return (utime + stime) * 1000000 / ::sysconf(_SC_CLK_TCK);
  }
  // Resident memory, in KiB.
  int64_t rss_kib() const {
    std::ifstream f("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(f, line);)
      if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
    return 0;
  }

 private:
  pid_t pid_ = -1;
};

std::size_t lines_in(const std::string& path) {
  std::ifstream f(path);
  return static_cast<std::size_t>(
      std::count(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>(), '\n'));
}

bool wait_for_line(const std::string& path, const std::string& text, int timeout_ms) {
  const auto until = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (Clock::now() < until) {
    std::ifstream f(path);
    std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (all.find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// The relay of the path "relay" (`fixguard_roundtrip relay LISTEN VENUE`, a
// process of its own): accepts one connection, connects it to the venue and
// copies bytes both ways, nothing else (no framing, no FIX): what a hop
// through one more process costs here, the floor of any proxy.
int run_relay(uint16_t listen_port, uint16_t venue_port) {
  const auto address = [](uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    return a;
  };
  const int one = 1;
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in at = address(listen_port), venue = address(venue_port);
  if (::bind(listener, reinterpret_cast<const sockaddr*>(&at), sizeof at) != 0 || ::listen(listener, 1) != 0) {
    std::perror("relay: listen");
    return 1;
  }
  std::cout << "accepting" << std::endl;
  const int client = ::accept(listener, nullptr, nullptr);
  const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
  if (client < 0 || ::connect(upstream, reinterpret_cast<const sockaddr*>(&venue), sizeof venue) != 0) {
    std::perror("relay: connect");
    return 1;
  }
  for (const int fd : {client, upstream}) ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  std::vector<char> buffer(1 << 16);
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (n <= 0) return 0;  // a peer closed: done
      for (ssize_t done = 0; done < n;) {
        const ssize_t w = ::write(fds[1 - i].fd, buffer.data() + done, static_cast<std::size_t>(n - done));
        if (w < 0 && errno != EINTR) return 1;
        done += std::max<ssize_t>(w, 0);
      }
    }
  }
}

// The relay of the path "quickfix" (`fixguard_roundtrip quickfix CONFIG
// SPECS LISTEN VENUE`, a process of its own): QuickFIX's own sessions on both
// legs (its threaded sockets, the same data dictionaries as fixguard's,
// sessions kept in memory, no log), each application message copied to the
// other leg: the session work of fixguard's design, without its checks,
// journal or session store.
class QuickfixRelay : public FIX::Application {
 public:
  QuickfixRelay(const config::VenueConfig& v, uint16_t listen_port, uint16_t venue_port)
      : to_strategy_(v.begin_string, v.target_comp_id, v.sender_comp_id),
        to_venue_(v.begin_string, v.sender_comp_id, v.target_comp_id) {
    FIX::Dictionary accepting = proxy::peer_settings(v, false);  // the venue's side, toward the strategy
    accepting.setInt("SocketAcceptPort", listen_port);
    accepting_.set(to_strategy_, accepting);
    FIX::Dictionary defaults;
    defaults.setInt("ReconnectInterval", 1);
    connecting_.set(defaults);
    FIX::Dictionary connecting = proxy::peer_settings(v, true);  // fixguard's side, toward the venue
    connecting.setString("SocketConnectHost", "127.0.0.1");
    connecting.setInt("SocketConnectPort", venue_port);
    connecting.setInt("HeartBtInt", 30);
    connecting_.set(to_venue_, connecting);
  }
  int run() {
    FIX::ThreadedSocketInitiator initiator(*this, store_, connecting_);
    initiator.start();
    {
      std::unique_lock lock(mutex_);
      if (!logged_on_cv_.wait_for(lock, std::chrono::seconds(10), [&] { return venue_logged_on_; })) {
        std::cerr << "quickfix relay: no logon to the venue\n";
        return 1;
      }
    }
    FIX::ThreadedSocketAcceptor acceptor(*this, store_, accepting_);
    acceptor.start();
    std::cout << "accepting" << std::endl;
    for (;;) ::pause();  // until SIGTERM
  }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    if (id != to_venue_) return;
    std::lock_guard lock(mutex_);
    venue_logged_on_ = true;
    logged_on_cv_.notify_all();
  }
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& message, const FIX::SessionID& id) override {
    FIX::Message copy(message);
    FIX::Session::sendToTarget(copy, id == to_venue_ ? to_strategy_ : to_venue_);
  }

 private:
  const FIX::SessionID to_strategy_, to_venue_;
  FIX::SessionSettings accepting_, connecting_;
  FIX::MemoryStoreFactory store_;
  std::mutex mutex_;
  std::condition_variable logged_on_cv_;
  bool venue_logged_on_ = false;
};

struct Result {
  std::string path;
  std::vector<int64_t> rtt_ns;  // sorted
  double orders_per_s = 0;
  double cpu_us_rtt = 0, cpu_us_pipelined = 0;  // per order, of the process in the middle
  double log_lines_per_order = 0;
  int64_t rss_kib = 0;
  int64_t quantile(double q) const {
    return rtt_ns.empty() ? 0 : rtt_ns[static_cast<std::size_t>(q * static_cast<double>(rtt_ns.size() - 1))];
  }
};

Result run_path(const Options& o, const std::string& path) {
  const fs::path dir = fs::temp_directory_path() / ("fixguard-roundtrip-" + std::to_string(::getpid()) + "-" + path);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const uint16_t listen = free_port(), venue_port = free_port();
  const std::string yaml = (dir / "fixguard.yaml").string();
  // Limits of every kind, set far enough out that every order passes: the
  // whole decision path runs.
  std::ofstream(yaml) << "listen: \"127.0.0.1:" << listen << "\"\n"
                      << "database: fixguard.db\n"
                      << "log: { level: info }\n"
                      << "journal: { durability: " << (path == "full" ? "full" : "normal")
                      << (o.apply_interval_ms > 0 ? ", apply_interval_ms: " + std::to_string(o.apply_interval_ms) : "")
                      << " }\n"
                      << "venues:\n  - { name: sim, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, "
                      << "target_comp_id: VENUE, connect: \"127.0.0.1:" << venue_port
                      << "\", heartbeat_interval: 30 }\n"
                      << "clients:\n  - { name: alpha, begin_string: FIX.4.4, sender_comp_id: FIXGUARD, "
                      << "target_comp_id: ALPHA, venue: sim }\n"
                      << "risk:\n"
                      << "  unique_clordid: true\n"
                      << "  reference_prices: { IBM: 150.25 }\n"
                      << "  limits:\n"
                      << "    global: { max_order_qty: 100000, max_notional: 100000000, collar_percent: 10,\n"
                      << "              max_long_qty: 1000000000, max_short_qty: 1000000000, max_open_orders: 100000,\n"
                      << "              equity: 100000000000, max_leverage: 100, max_daily_orders: 100000000 }\n"
                      << "    instruments: { IBM: { price_tick: 0.01 } }\n";
  const config::Config cfg = config::Config::from_file(yaml, o.specs);
  Child venue({o.fixguard, "venue", "--config", yaml, "--fill", "full"}, (dir / "venue.log").string());
  std::unique_ptr<Child> gateway;
  config::ClientConfig client = cfg.clients[0];
  proxy::StrategyPeer::Options so;
  const std::string gateway_log = (dir / "fixguard.log").string();
  std::unique_ptr<Child> relay;
  if (path == "direct" || path == "relay" || path == "quickfix") {
    // The strategy takes fixguard's place on the venue's session.
    if (!wait_for_line((dir / "venue.log").string(), "accepting", 10000))
      throw std::runtime_error("the venue simulator did not start");
    so.port = venue_port;
    client.sender_comp_id = "VENUE";
    client.target_comp_id = "FIXGUARD";
    if (path == "relay" || path == "quickfix") {
      const std::string relay_log = (dir / "relay.log").string();
      std::vector<std::string> args = {"/proc/self/exe", path};
      if (path == "quickfix") args.insert(args.end(), {yaml, o.specs});
      args.insert(args.end(), {std::to_string(listen), std::to_string(venue_port)});
      relay = std::make_unique<Child>(args, relay_log);
      if (!wait_for_line(relay_log, "accepting", 10000)) throw std::runtime_error("the relay did not start");
      so.port = listen;
    }
  } else {
    gateway = std::make_unique<Child>(std::vector<std::string>{o.fixguard, "run", "--config", yaml}, gateway_log);
    if (!wait_for_line(gateway_log, "venue session logged on", 10000))
      throw std::runtime_error("fixguard did not log on to the venue simulator (see " + gateway_log + ")");
    so.port = listen;
  }
  proxy::StrategyPeer strategy({client}, so);
  strategy.start();
  if (!strategy.wait_logged_on("alpha", 10000)) throw std::runtime_error("the strategy did not log on");
  const Child& middle = gateway ? *gateway : relay ? *relay : venue;

  std::size_t received = 0;  // ExecutionReports so far: an ack and a fill per order
  int sent = 0;
  const auto order = [&] {
    if (!strategy.send("alpha", proxy::new_order("R" + std::to_string(++sent), "10", "150.25")))
      throw std::runtime_error("send failed");
  };
  const auto await = [&](std::size_t count) {
    if (!strategy.wait_count("alpha", count, 30000))
      throw std::runtime_error(path + ": no answer after " + std::to_string(sent) + " orders");
    received = std::max(received, count);
  };
  for (int i = 0; i < o.warmup; ++i) {
    order();
    await(received + 2);
  }

  Result r;
  r.path = path;
  r.rtt_ns.reserve(static_cast<std::size_t>(o.orders));
  const std::size_t log_before = gateway ? lines_in(gateway_log) : 0;
  int64_t cpu = middle.cpu_us();
  for (int i = 0; i < o.orders; ++i) {
    const auto start = Clock::now();
    order();
    await(received + 1);  // its acknowledgement
    r.rtt_ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
    await(received + 1);  // its fill
  }
  r.cpu_us_rtt = static_cast<double>(middle.cpu_us() - cpu) / o.orders;
  std::sort(r.rtt_ns.begin(), r.rtt_ns.end());

  cpu = middle.cpu_us();
  const std::size_t base = received;
  const auto start = Clock::now();
  for (int i = 0; i < o.pipelined; ++i) {
    // Orders filled so far: (reports - base) / 2.
    const std::size_t in_flight = static_cast<std::size_t>(i) - (received - base) / 2;
    if (in_flight >= static_cast<std::size_t>(o.window)) await(base + 2 * (static_cast<std::size_t>(i) - o.window / 2));
    order();
  }
  await(base + 2 * static_cast<std::size_t>(o.pipelined));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  r.orders_per_s = o.pipelined / seconds;
  r.cpu_us_pipelined = static_cast<double>(middle.cpu_us() - cpu) / o.pipelined;
  r.rss_kib = middle.rss_kib();
  if (gateway)
    r.log_lines_per_order = static_cast<double>(lines_in(gateway_log) - log_before) / (o.orders + o.pipelined);
  strategy.stop(false);
  gateway.reset();
  relay.reset();
  fs::remove_all(dir);
  return r;
}

std::string fixed(double v, int decimals) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "relay")
    return run_relay(static_cast<uint16_t>(std::stoi(argv[2])), static_cast<uint16_t>(std::stoi(argv[3])));
  if (argc == 6 && std::string(argv[1]) == "quickfix") {
    try {
      const config::Config cfg = config::Config::from_file(argv[2], argv[3]);
      return QuickfixRelay(cfg.venues.at(0), static_cast<uint16_t>(std::stoi(argv[4])),
                           static_cast<uint16_t>(std::stoi(argv[5])))
          .run();
    } catch (const std::exception& e) {
      std::cerr << "quickfix relay: " << e.what() << "\n";
      return 1;
    }
  }
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--fixguard")
      o.fixguard = v;
    else if (k == "--specs")
      o.specs = v;
    else if (k == "--label")
      o.label = v;
    else if (k == "--csv")
      o.csv = v;
    else if (k == "--warmup")
      o.warmup = std::stoi(v);
    else if (k == "--orders")
      o.orders = std::stoi(v);
    else if (k == "--pipelined")
      o.pipelined = std::stoi(v);
    else if (k == "--window")
      o.window = std::stoi(v);
    else if (k == "--apply-interval-ms")
      o.apply_interval_ms = std::stoi(v);
    else if (k == "--paths") {
      o.paths.clear();
      std::stringstream list(v);
      for (std::string p; std::getline(list, p, ',');) o.paths.push_back(p);
    } else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  log::set_level(log::Level::warn);
  std::vector<Result> results;
  try {
    for (const std::string& p : o.paths) {
      std::cerr << o.label << ": " << p << "...\n";
      results.push_back(run_path(o, p));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench failed: " << e.what() << "\n";
    return 1;
  }
  const Result* direct = nullptr;
  for (const Result& r : results)
    if (r.path == "direct") direct = &r;
  const auto ratio = [&](double v, double d) {
    return direct && d > 0 ? " (" + fixed(v / d, 2) + "x)" : std::string();
  };
  std::cout << "\n"
            << o.label << ": " << o.orders << " round trips after " << o.warmup << " warm-up, " << o.pipelined
            << " pipelined orders (" << o.window << " in flight)\n\n"
            << "| path | p50 us | p99 us | p99.9 us | pipelined orders/s | CPU us/order (round trip, pipelined) | "
               "log lines/order |\n|---|---|---|---|---|---|---|\n";
  for (const Result& r : results) {
    const auto q = [&](double p) {
      return fixed(static_cast<double>(r.quantile(p)) / 1000.0, 0) +
             (direct && &r != direct
                  ? ratio(static_cast<double>(r.quantile(p)), static_cast<double>(direct->quantile(p)))
                  : "");
    };
    const bool fixguard = r.path != "direct" && r.path != "relay" && r.path != "quickfix";
    std::cout << "| "
              << (fixguard               ? "fixguard, " + r.path
                  : r.path == "relay"    ? "relay (copies bytes)"
                  : r.path == "quickfix" ? "QuickFIX relay (sessions only)"
                                         : r.path)
              << " | " << q(0.50) << " | " << q(0.99)
              << " | " << q(0.999) << " | " << fixed(r.orders_per_s, 0)
              << (direct && &r != direct ? ratio(r.orders_per_s, direct->orders_per_s) : "") << " | "
              << fixed(r.cpu_us_rtt, 1) << ", " << fixed(r.cpu_us_pipelined, 1)
              << (r.path == "direct" ? " (venue)" : "") << " | "
              << (fixguard ? fixed(r.log_lines_per_order, 4) : "-") << " |\n";
  }
  if (!o.csv.empty()) {
    // label path quantile latency_us, one row per quantile.
    std::ofstream csv(o.csv, std::ios::app);
    for (const Result& r : results)
      for (double q = 0.0; q <= 0.9991; q += 0.001)
        csv << o.label << ',' << r.path << ',' << fixed(q, 4) << ',' << fixed(r.quantile(q) / 1000.0, 1) << '\n';
  }
  return 0;
}
