// A trading strategy speaking FIX through QuickFIX's own initiator sockets:
// the sample strategy of the demo, and the strategy of the end-to-end tests.
//
// Thread: QuickFIX calls it on its socket thread; the accessors are
// thread-safe.
#pragma once

#include "config/config.h"
#include "fix/quickfix.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::proxy {

class StrategyPeer : public FIX::Application {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    uint16_t port = 0;
    int heartbeat_s = 30;
    int reconnect_s = 1;
    std::string store_dir;  // FileStore directory; empty: in memory
    std::string log_dir;    // QuickFIX FileLog directory (messages and events); empty: none
    // Over TLS (QuickFIX's SSL initiator): the CAs the server's certificate
    // must chain to, and the client certificate and key if one is sent.
    struct Tls {
      std::string ca_file, cert_file, key_file;
      std::string protocol = "-all +TLSv1_2";  // QuickFIX's SSLProtocol: 1.2 and up
    };
    std::optional<Tls> tls;
    // What each client's Logon carries, by client name: Username (553),
    // Password (554), and with an HMAC key a signature in RawData (96)
    // (see fix/logon_signature.h).
    struct Credentials {
      std::string username, password, hmac_key;
    };
    std::map<std::string, Credentials> credentials;
  };

  // One QuickFIX initiator session per client, the client's CompIDs swapped.
  StrategyPeer(const std::vector<config::ClientConfig>& clients, Options options);
  ~StrategyPeer() override;

  void start();
  // Graceful: logs out and waits for the answer (about a second, QuickFIX
  // sends the Logout on its timer). Otherwise drops the connections.
  void stop(bool graceful = true);

  bool wait_logged_on(const std::string& client, int timeout_ms) const;
  bool logged_on(const std::string& client) const;
  // Sends through the client's session; false if it is not logged on.
  bool send(const std::string& client, FIX::Message message);

  // Application messages as raw text, in arrival / sending order.
  std::vector<std::string> received(const std::string& client) const;
  std::vector<std::string> sent(const std::string& client) const;
  // How many application messages `client` has received.
  std::size_t received_count(const std::string& client) const;
  // Waits for a received message of `client` that `match` accepts; returns it.
  std::optional<std::string> wait_for(const std::string& client, const std::function<bool(const std::string&)>& match,
                                      int timeout_ms) const;

  // Waits until `client` has received at least `count` application messages.
  bool wait_count(const std::string& client, std::size_t count, int timeout_ms) const;

  FIX::SessionID session_id(const std::string& client) const;
  FIX::Session* session(const std::string& client) const;

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override;
  void onLogout(const FIX::SessionID& id) override;
  void toAdmin(FIX::Message& message, const FIX::SessionID& id) override;
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&) override {}

  void record(const FIX::SessionID& id, const std::string& raw, bool incoming);

 private:
  std::string name_of(const FIX::SessionID& id) const;
  std::size_t received_locked(const std::string& client) const;  // mutex_ held

  std::map<std::string, FIX::SessionID> ids_;  // client name -> session
  Options options_;
  std::unique_ptr<FIX::SessionSettings> settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::LogFactory> file_log_;  // with Options::log_dir
  std::unique_ptr<FIX::LogFactory> log_;
  std::unique_ptr<FIX::Initiator> initiator_;
  bool tls_ = false;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::string, std::vector<std::string>> received_;  // guarded by mutex_
  std::map<std::string, std::vector<std::string>> sent_;      // guarded by mutex_
  std::map<std::string, bool> logged_on_;                     // guarded by mutex_
};

}  // namespace fixguard::proxy
