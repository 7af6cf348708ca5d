#include "tests/support/harness.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <array>
#include <cstdio>

#include "fix/framer.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#ifndef FIXGUARD_SPECS_DIR
#error "FIXGUARD_SPECS_DIR must be defined"
#endif

namespace fixguard::testing {

namespace fs = std::filesystem;

uint16_t free_port() {
  // Below the kernel's range for outgoing connections' ports: a port handed
  // out there could be taken, before the test listens on it, by a
  // connection of this test or of one running beside it.
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  constexpr int kFirst = 10000;
  thread_local std::mt19937 random{std::random_device()()};
  std::uniform_int_distribution<int> below(kFirst, std::max(kFirst, ephemeral_low - 1));
  boost::asio::io_context io;
  for (int attempt = 0; attempt < 100; ++attempt) {
    // Port 0 (the kernel's choice, in that range) only if the range leaves no room below it.
    const int port = ephemeral_low > kFirst + 1000 ? below(random) : 0;
    boost::asio::ip::tcp::acceptor a(io);
    a.open(boost::asio::ip::tcp::v6());
    a.set_option(boost::asio::ip::v6_only(false));
    boost::system::error_code ec;
    a.bind(boost::asio::ip::tcp::endpoint(boost::asio::ip::tcp::v6(), static_cast<uint16_t>(port)), ec);
    if (!ec) return a.local_endpoint().port();
  }
  throw std::runtime_error("no free port");
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = (fs::temp_directory_path() / ("fixguard-test-" + std::to_string(rd()) + std::to_string(rd()))).string();
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

struct NoFileGrowth::Saved {
  rlimit limit{};
  void (*handler)(int) = SIG_DFL;
};

NoFileGrowth::NoFileGrowth() : saved_(std::make_unique<Saved>()) {
  saved_->handler = std::signal(SIGXFSZ, SIG_IGN);
  ::getrlimit(RLIMIT_FSIZE, &saved_->limit);
  const rlimit none{0, saved_->limit.rlim_max};
  ::setrlimit(RLIMIT_FSIZE, &none);
}

NoFileGrowth::~NoFileGrowth() {
  ::setrlimit(RLIMIT_FSIZE, &saved_->limit);
  std::signal(SIGXFSZ, saved_->handler);
}

std::string specs_dir() { return FIXGUARD_SPECS_DIR; }

config::Config make_config(const std::string& yaml, const std::string& dir) {
  return config::Config::from_text(yaml, dir, specs_dir());
}

std::string two_client_yaml(uint16_t listen_port, uint16_t venue_port, const std::string& begin_string,
                            const std::string& extra_client_keys, const std::string& extra_top) {
  std::ostringstream y;
  y << "listen: \"[::]:" << listen_port << "\"\n"
    << "database: fixguard.db\n"
    << "limits: { logon_timeout_ms: 500 }\n"
    << extra_top << "venues:\n"
    << "  - name: sim\n"
    << "    begin_string: " << begin_string << "\n"
    << "    sender_comp_id: FIXGUARD\n"
    << "    target_comp_id: VENUE\n"
    << "    connect: 127.0.0.1:" << venue_port << "\n"
    << "    heartbeat_interval: 5\n"
    << "    reconnect: { initial_ms: 100, max_ms: 400 }\n"
    << "clients:\n";
  for (const char* name : {"alpha", "beta"}) {
    std::string comp = name;
    for (char& ch : comp) ch = static_cast<char>(std::toupper(ch));
    y << "  - name: " << name << "\n"
      << "    begin_string: " << begin_string << "\n"
      << "    sender_comp_id: FIXGUARD\n"
      << "    target_comp_id: " << comp << "\n"
      << "    venue: sim\n"
      << extra_client_keys;
  }
  return y.str();
}

LogCapture::LogCapture() {
  log::set_sink([this](log::Level, const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(line);
    changed_.notify_all();
  });
}

LogCapture::~LogCapture() { log::set_sink(nullptr); }

bool LogCapture::contains(const std::string& text) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& l : lines_)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

bool LogCapture::wait_for(const std::string& text, int timeout_ms) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (const auto& l : lines_)
      if (l.find(text) != std::string::npos) return true;
    return false;
  });
}

std::vector<std::string> LogCapture::lines() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lines_;
}

GatewayRunner::GatewayRunner(const config::Config& config) : config_(config) {
  gateway_ = std::make_unique<proxy::Gateway>(config_, io_);
  gateway_->start();
  running_ = true;
  thread_ = std::thread([this] { io_.run(); });
}

GatewayRunner::~GatewayRunner() { stop(); }

void GatewayRunner::stop() {
  if (!running_) return;
  running_ = false;
  boost::asio::post(io_, [this] { gateway_->stop(std::chrono::milliseconds(300), [this] { io_.stop(); }); });
  thread_.join();
  gateway_.reset();
}

void GatewayRunner::kill() {
  if (!running_) return;
  running_ = false;
  boost::asio::post(io_, [this] {
    gateway_->abort();
    io_.stop();
  });
  thread_.join();
  gateway_.reset();
}

std::string raw_fix(const std::string& begin_string, const std::vector<std::string>& fields) {
  std::string body;
  for (const auto& f : fields) body += f + '\x01';
  std::string head = "8=" + begin_string + '\x01' + "9=" + std::to_string(body.size()) + '\x01';
  std::string msg = head + body;
  char trailer[16];
  std::snprintf(trailer, sizeof trailer, "10=%03u\x01", fix::checksum(msg));
  return msg + trailer;
}

std::string raw_logon(const std::string& begin_string, const std::string& sender, const std::string& target, int seqnum,
                      bool reset) {
  std::vector<std::string> f = {"35=A",
                                "49=" + sender,
                                "56=" + target,
                                "34=" + std::to_string(seqnum),
                                "52=" + FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3),
                                "98=0",
                                "108=30"};
  if (reset) f.push_back("141=Y");
  return raw_fix(begin_string, f);
}

RawClient::RawClient(uint16_t port, const std::string& host, const std::string& source) : socket_(io_) {
  const auto to = boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(host), port);
  if (!source.empty()) {
    socket_.open(to.protocol());
    socket_.bind(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(source), 0));
  }
  socket_.connect(to);
}

void RawClient::send(const std::string& bytes) {
  boost::system::error_code ec;
  boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
}

std::string RawClient::read_until_closed(int timeout_ms) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  socket_.non_blocking(true);
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    boost::system::error_code ec;
    const std::size_t n = socket_.read_some(boost::asio::buffer(buf), ec);
    if (ec == boost::asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    if (ec) {
      closed_ = true;
      break;
    }
    out.append(buf, n);
  }
  return out;
}

bool eventually(const std::function<bool()>& condition, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

FixguardProcess::FixguardProcess(const std::string& config_file, const std::string& log_file)
    : FixguardProcess(std::vector<std::string>{"run", "--config", config_file}, log_file) {}

FixguardProcess::FixguardProcess(const std::vector<std::string>& args, const std::string& log_file) {
  std::vector<std::string> argv = {FIXGUARD_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> c_args;
    for (std::string& a : argv) c_args.push_back(a.data());
    c_args.push_back(nullptr);
    ::execv(FIXGUARD_BINARY, c_args.data());
    ::_exit(127);
  }
}

FixguardProcess::~FixguardProcess() {
  if (pid_ > 0) stop(SIGKILL);
}

int FixguardProcess::stop(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

CommandResult run_fixguard(const std::string& args, const std::string& env) {
  const std::string cmd = (env.empty() ? "" : env + " ") + std::string(FIXGUARD_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, "popen failed"};
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

}  // namespace fixguard::testing
