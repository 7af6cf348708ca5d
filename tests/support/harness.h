// What the tests need to run fixguard for real: free loopback ports, temporary
// directories, configs, an in-process gateway on its own io thread, a log
// capture, raw FIX text and a raw TCP client for hostile peers.
#pragma once

#include "config/config.h"
#include "fix/log.h"
#include "proxy/asio.h"
#include "proxy/gateway.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace fixguard::testing {

// A TCP port nothing listens on right now (IPv4 and IPv6 loopback).
uint16_t free_port();

// A fresh directory, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// While alive, no file of this process grows (RLIMIT_FSIZE 0, SIGXFSZ
// ignored): writes that would fail as on a full disk (EFBIG).
class NoFileGrowth {
 public:
  NoFileGrowth();
  ~NoFileGrowth();
  NoFileGrowth(const NoFileGrowth&) = delete;
  NoFileGrowth& operator=(const NoFileGrowth&) = delete;

 private:
  struct Saved;
  std::unique_ptr<Saved> saved_;
};

std::string specs_dir();
// Parses YAML with the shipped dictionaries; relative paths resolve in `dir`.
config::Config make_config(const std::string& yaml, const std::string& dir);

// The common test topology: venue `sim` on `venue_port`, clients alpha and
// beta on `listen_port`. `extra_client_keys` is appended to every client.
std::string two_client_yaml(uint16_t listen_port, uint16_t venue_port, const std::string& begin_string = "FIX.4.4",
                            const std::string& extra_client_keys = "", const std::string& extra_top = "");

// Captures fixguard's log lines while alive.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  bool contains(const std::string& text) const;
  // Waits until a line containing `text` was written.
  bool wait_for(const std::string& text, int timeout_ms) const;
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<std::string> lines_;
};

// fixguard's gateway running on its own io thread.
class GatewayRunner {
 public:
  explicit GatewayRunner(const config::Config& config);
  ~GatewayRunner();

  // Logs out every session and stops.
  void stop();
  // Stops at once as a crash would: sockets closed, no Logout sent.
  void kill();

  // Runs `f` on the io thread and returns its result.
  template <class F>
  auto call(F f) -> decltype(f(std::declval<proxy::Gateway&>())) {
    using R = decltype(f(*gateway_));
    std::packaged_task<R()> task([&] { return f(*gateway_); });
    auto result = task.get_future();
    boost::asio::post(io_, [&task] { task(); });
    return result.get();
  }

 private:
  config::Config config_;
  boost::asio::io_context io_;
  std::unique_ptr<proxy::Gateway> gateway_;
  std::thread thread_;
  bool running_ = false;
};

// A FIX message as text: BeginString, BodyLength and CheckSum computed.
// `fields` are "tag=value" pairs in order, without SOH.
std::string raw_fix(const std::string& begin_string, const std::vector<std::string>& fields);

// A Logon as a strategy would send it.
std::string raw_logon(const std::string& begin_string, const std::string& sender, const std::string& target, int seqnum,
                      bool reset = false);

// A plain TCP client for peers that do not speak FIX properly.
class RawClient {
 public:
  // `source`, if given, is the local address to connect from (any of
  // 127.0.0.0/8 on loopback: a peer at another address).
  explicit RawClient(uint16_t port, const std::string& host = "127.0.0.1", const std::string& source = "");
  void send(const std::string& bytes);
  // Reads until the peer closes or `timeout_ms` passes. Returns what came.
  std::string read_until_closed(int timeout_ms);
  bool closed() const { return closed_; }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  bool closed_ = false;
};

// The fixguard binary run with `args` (shell words), stdout and stderr
// together, and its exit status (-1 if it did not exit). `env`: variable
// assignments (shell words) for its environment.
struct CommandResult {
  int status;
  std::string output;
};
CommandResult run_fixguard(const std::string& args, const std::string& env = "");

// `fixguard run --config FILE` as a process of its own, its output appended
// to `log_file`, so that a test can kill it as the machine would.
class FixguardProcess {
 public:
  FixguardProcess(const std::string& config_file, const std::string& log_file);
  // `fixguard ARGS...` (e.g. venue --config FILE).
  FixguardProcess(const std::vector<std::string>& args, const std::string& log_file);
  ~FixguardProcess();  // SIGKILL if still running
  // Sends `signal` and waits for the process to end. Its exit status, or
  // -signal if the signal ended it.
  int stop(int signal);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// Waits until `condition` holds, polling; false on timeout.
bool eventually(const std::function<bool()>& condition, int timeout_ms);

}  // namespace fixguard::testing
