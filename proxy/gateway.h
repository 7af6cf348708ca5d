// fixguard's proxy: wires the database, the QuickFIX sessions, the client
// gate, the venue links and the router onto one io_context.
//
// Thread: constructed, started and stopped on the thread that runs the
// io_context; all session and routing work happens there.
#pragma once

#include "config/config.h"
#include "fix/session_builder.h"
#include "fix/session_log.h"
#include "persistence/checkpointer.h"
#include "persistence/database.h"
#include "persistence/operator_actions.h"
#include "persistence/sqlite_store.h"
#include "persistence/unrouted_messages.h"
#include "proxy/admin_api.h"
#include "proxy/admin_server.h"
#include "proxy/client_gate.h"
#include "proxy/listener.h"
#include "proxy/marks_file.h"
#include "proxy/recovery.h"
#include "proxy/router.h"
#include "proxy/session_slot.h"
#include "proxy/tls.h"
#include "proxy/venue_link.h"
#include "proxy/write_barrier.h"

#include "proxy/asio.h"

#include <deque>
#include <functional>
#include <memory>

namespace fixguard::proxy {

class Gateway {
 public:
  // Opens the database and creates every session. Throws std::runtime_error
  // (or config::ConfigError) with a reason a person can act on.
  Gateway(const config::Config& config, boost::asio::io_context& io);
  ~Gateway();

  // Listens for strategies and connects to the venues.
  void start();
  // Logs every session out, waits up to `grace` for the Logouts to go, then
  // closes everything and calls `done`.
  void stop(std::chrono::milliseconds grace, std::function<void()> done);

  // Drops every connection at once, without Logouts, as a crash would. For
  // tests of recovery; the io_context should be stopped right after.
  void abort();

  std::vector<boost::asio::ip::tcp::endpoint> listening() const { return listener_.local_endpoints(); }
  const SessionSlot* slot(const std::string& name) const;
  // For tests that hand a session frames as its transport does.
  SessionSlot* slot(const std::string& name) {
    return const_cast<SessionSlot*>(static_cast<const Gateway&>(*this).slot(name));
  }
  // The risk engine and the router, for the operator interface and tests:
  // after acting on the engine, call router().settle().
  risk::Engine& engine() { return engine_; }
  Router& router() { return router_; }
  persistence::Database& database() { return db_; }
  const std::deque<SessionSlot>& slots() const { return slots_; }
  // Reads the config file again and puts its risk section in force at
  // once, or says why not (the limits in force stay): a parse error names
  // the key. Only the risk section may change, and not its groups' members,
  // mode, unique_clordid or marks_file (those need a restart).
  std::optional<std::string> reload();
  // Puts the named limit profile in force ("normal": risk.limits).
  std::optional<std::string> use_profile(const std::string& name);
  const std::string& profile() const { return profile_; }

  // The operator interface's port (0 without one), once started.
  uint16_t admin_port() const { return admin_ ? admin_->port() : 0; }
  // The group commits so far.
  const WriteBarrier* barrier() const { return barrier_.get(); }

 private:
  void tick();
  // Applies the operator's marks file if it changed.
  void read_marks();
  // Certificates and keys whose files changed are read again.
  void reload_tls();
  void finish_stop(std::chrono::steady_clock::time_point deadline, std::function<void()> done);

  const config::Config& config_;
  boost::asio::io_context& io_;
  persistence::Database db_;
  persistence::SqliteStoreFactory stores_;
  persistence::UnroutedMessages unrouted_;
  fix::SessionLogFactory logs_;
  persistence::ClOrdIdStore clordids_store_;
  persistence::ControlsStore controls_store_;
  persistence::OperatorActions operator_actions_;
  persistence::Journal journal_;
  std::unique_ptr<persistence::Checkpointer> checkpointer_;  // from start()
  std::unique_ptr<WriteBarrier> barrier_;
  // The barrier's flush: writes the journal (sending the orders that waited
  // for it), then the database; syncs both with durability full.
  std::optional<std::string> flush();
  void journal_limits(const std::string& why);  // a change of the limits in force
  // Whether each order accepted just before fixguard stopped left: looked
  // for in its venue session's store (one scan per venue).
  void settle_unconfirmed(const std::vector<Unconfirmed>& unconfirmed);
  // `venue`: its session (null if none); `message`: as it left, found in
  // that session's store; `in_doubt`: the store could not be read.
  void settle_unconfirmed(const Unconfirmed& u, const SessionSlot* venue, const std::optional<std::string>& message,
                          bool in_doubt);
  // Moves a step of past trading days' journal entries to their archives.
  void archive_journal();
  // Reports a write log that cannot be applied to its file, and when it can again.
  void watch_write_logs();
  std::string archive_fault_;    // the last archiving error, until one works
  std::string write_log_fault_;  // the last write log error reported, until they work
  std::size_t archived_ = 0;     // entries moved since the last report
  risk::ClOrdIdRegistry clordids_;
  risk::Engine engine_;
  TradingCalendar calendar_;
  config::RiskConfig risk_;  // the risk section in force
  std::string profile_;
  std::string config_text_;  // the config whose risk section is in force, as read
  Router router_;
  fix::SessionBuilder builder_;
  std::deque<SessionSlot> slots_;  // stable addresses
  std::deque<VenueLink> venue_links_;
  std::unique_ptr<ClientGate> gate_;
  std::optional<TlsContext> client_tls_;  // the TLS listener's
  Listener listener_;
  std::optional<MarksFile> marks_;
  AdminApi admin_api_;
  std::unique_ptr<AdminServer> admin_;  // null without admin config
  boost::asio::steady_timer timer_;
  bool stopping_ = false;
  int32_t day_ = 0;  // the trading day the last tick saw
};

}  // namespace fixguard::proxy
