// A FIX venue for demos and tests: a QuickFIX acceptor (QuickFIX's own
// sockets, so it is a peer independent of fixguard's transport) that acks,
// fills, cancels and replaces orders, and rejects a configured share. Stop
// orders (OrdType 3 and 4) rest untriggered.
//
// Thread: QuickFIX calls it on its socket thread; the accessors are
// thread-safe.
#pragma once

#include "config/config.h"
#include "fix/quickfix.h"
#include "risk/decimal.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::proxy {

struct SimulatorOptions {
  enum class Fill { full, partial, none };
  Fill fill = Fill::partial;
  std::optional<risk::Price> fill_price;  // default: the order's limit price (or 100 for market orders)
  int reject_percent = 0;                 // share of new orders rejected, 0..100
  uint64_t seed = 1;                      // for the reject draw
  std::string store_dir;                  // FileStore directory; empty: in memory
  // Over TLS (QuickFIX's SSL acceptor): its certificate and key, and the CAs
  // a client certificate must chain to if one is required.
  struct Tls {
    std::string cert_file, key_file, client_ca_file;
  };
  std::optional<Tls> tls;
  // A Logon must carry this Password (554), else it is rejected ("": any).
  std::string password;
  // Keeps every message in and out for received(), sent() and
  // logons_received() (tests). The `fixguard venue` process keeps none, so
  // that its memory does not grow with the flow.
  bool record = true;
  // Orders done (filled or cancelled) kept per session to answer status
  // requests; beyond it, the oldest are forgotten (answered as unknown), so
  // that a long run's memory does not grow with its orders.
  std::size_t done_kept = 100000;
  // Without a store_dir: messages sent kept per session for resends; a
  // resend of older ones is gap-filled, so that memory stays flat.
  std::size_t messages_kept = 200000;
};

// QuickFIX's MemoryStore keeping only the last `kept` messages sent: a
// resend of older ones is gap-filled (QuickFIX's answer to a message it no
// longer has).
class RecentMemoryStore : public FIX::MemoryStore {
 public:
  explicit RecentMemoryStore(std::size_t kept) : kept_(kept) {}
  bool set(int seqnum, const std::string& message) override;
  void get(int begin, int end, std::vector<std::string>& out) const override;
  void reset() override;

 private:
  std::size_t kept_;
  std::map<int, std::string> messages_;
};

class RecentMemoryStoreFactory : public FIX::MessageStoreFactory {
 public:
  explicit RecentMemoryStoreFactory(std::size_t kept) : kept_(kept) {}
  FIX::MessageStore* create(const FIX::SessionID&) override { return new RecentMemoryStore(kept_); }
  void destroy(FIX::MessageStore* store) override { delete store; }

 private:
  std::size_t kept_;
};

class VenueSimulator : public FIX::Application {
 public:
  // Accepts the venue sessions of `config` (fixguard's initiators), CompIDs
  // swapped, on each venue's connect port.
  VenueSimulator(const config::Config& config, SimulatorOptions options);
  ~VenueSimulator() override;

  void start();
  void stop();
  // Stops without waiting for the sessions' Logouts to be answered, as a
  // venue that drops its connections does.
  void kill();
  // Changes how later orders fill.
  void set_fill(SimulatorOptions::Fill fill) { fill_ = fill; }
  // false: later new orders get no answer at all (a venue gone quiet).
  void set_answer_orders(bool answer) { answer_orders_ = answer; }

  // Every application message received, as the raw text that arrived.
  std::vector<std::string> received() const;
  // Every application message sent, as the raw text written.
  std::vector<std::string> sent() const;
  std::vector<std::string> received(const std::string& msg_type) const;
  // Waits until `count` messages of `msg_type` have arrived.
  bool wait_received(const std::string& msg_type, std::size_t count, int timeout_ms) const;
  bool wait_logged_on(int timeout_ms) const;
  // Every Logon received, as the raw text that arrived.
  std::vector<std::string> logons_received() const;
  bool logged_on() const;

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID& id) override;

  // Called by the simulator's log with every raw message in and out.
  void record(const std::string& raw, bool incoming);

 private:
  struct Order {
    std::string order_id, cl_ord_id, symbol, side, ord_type, account;
    risk::Quantity qty, cum;
    risk::Price price, avg;
    bool has_price = false;
    char status = '0';
  };

  void on_new(const FIX::Message& m, const FIX::SessionID& id);
  void on_cancel(const FIX::Message& m, const FIX::SessionID& id);
  void on_replace(const FIX::Message& m, const FIX::SessionID& id);
  void on_status(const FIX::Message& m, const FIX::SessionID& id);
  void on_mass_cancel(const FIX::Message& m, const FIX::SessionID& id);
  void fill(Order& o, risk::Quantity qty, const FIX::SessionID& id);
  // The order with this ClOrdID is done: kept among the last done_kept.
  void done(const FIX::SessionID& id, const std::string& cl_ord_id);
  void report(const Order& o, char exec_type, const FIX::SessionID& id, const std::string& orig = "",
              const std::string& text = "", std::optional<risk::Quantity> last_qty = std::nullopt);
  void cancel_reject(const FIX::Message& m, char response_to, const FIX::SessionID& id);
  bool draw_reject();

  SimulatorOptions options_;
  std::atomic<SimulatorOptions::Fill> fill_;
  std::atomic<bool> answer_orders_{true};
  std::unique_ptr<FIX::SessionSettings> settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::LogFactory> log_;
  std::unique_ptr<FIX::Acceptor> acceptor_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<std::string> received_;                           // guarded by mutex_
  std::vector<std::string> sent_;                               // guarded by mutex_
  std::vector<std::string> logons_;                             // guarded by mutex_
  int logged_on_ = 0;                                           // guarded by mutex_
  std::map<std::string, std::map<std::string, Order>> orders_;  // session -> ClOrdID -> order; QuickFIX thread
  std::map<std::string, std::deque<std::string>> done_;         // session -> ClOrdIDs done, oldest first; same
  // OrderIDs and ExecIDs begin with it: "SIM-" at the first start on a
  // session store, "SIM2-", "SIM3-"... at the next ones (counted in the
  // store's directory), so that a restarted simulator repeats no ID.
  std::string id_prefix_;
  uint64_t next_id_ = 1;  // QuickFIX thread
  uint64_t rng_;          // QuickFIX thread
};

}  // namespace fixguard::proxy
