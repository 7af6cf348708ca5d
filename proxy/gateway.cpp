#include "proxy/gateway.h"

#include "fix/log.h"
#include "proxy/operator_action.h"
#include "proxy/recovery.h"

#include <algorithm>
#include <map>

namespace fixguard::proxy {

Gateway::Gateway(const config::Config& config, boost::asio::io_context& io)
    : config_(config),
      io_(io),
      db_(config.database, config.journal.path),
      stores_(db_,
              [](const std::string& m) -> std::optional<std::string> {
                // Sent Logons carry the venue's password: never stored.
                if (!log::holds_secret(m)) return std::nullopt;
                return log::redacted_fix(m);
              }),
      unrouted_(db_),
      logs_(config.log_messages),
      clordids_store_(db_),
      controls_store_(db_),
      operator_actions_(db_),
      journal_(config.journal.path,
               config.journal.full ? persistence::Journal::Durability::full : persistence::Journal::Durability::normal),
      barrier_(std::make_unique<WriteBarrier>(io, [this] { return flush(); })),
      engine_(config.risk.engine()),
      calendar_(config.trading_day),
      risk_(config.risk),
      profile_(config.risk.profile),
      config_text_(config.source_text),
      router_(unrouted_, engine_, config.risk.mode == config::RiskConfig::Mode::observe,
              config.risk.unique_clordid ? &clordids_ : nullptr, clordids_store_, controls_store_, calendar_, journal_,
              [this] { barrier_->request(); }),
      builder_(router_, stores_, &logs_),
      listener_(io,
                [this](boost::asio::ip::tcp::socket s, bool tls) {
                  std::optional<TlsSetup> setup;
                  if (tls) setup = TlsSetup{client_tls_->get(), TlsContext::Role::server, ""};
                  gate_->accept(std::move(s), std::move(setup));
                }),
      admin_api_(*this, operator_actions_),
      timer_(io) {
  if (config_.tls) client_tls_.emplace(*config_.tls, TlsContext::Role::server);
  for (const config::VenueConfig& v : config_.venues) {
    SessionSlot& s = slots_.emplace_back();
    s.side = SessionSlot::Side::venue;
    s.config = &v;
    s.venue = &v;
    s.session = builder_.initiator(v);
    s.store = stores_.find(s.session->getSessionID());
    router_.add(s);
    venue_links_.emplace_back(io_, config_.limits, s, barrier_.get());
  }
  std::vector<SessionSlot*> clients;
  for (const config::ClientConfig& c : config_.clients) {
    SessionSlot& s = slots_.emplace_back();
    s.side = SessionSlot::Side::client;
    s.config = &c;
    s.client = &c;
    s.session = builder_.acceptor(c);
    s.store = stores_.find(s.session->getSessionID());
    for (SessionSlot& v : slots_)
      if (v.side == SessionSlot::Side::venue && v.name() == c.venue) {
        s.venue_slot = &v;
        v.clients.push_back(&s);
      }
    router_.add(s);
    clients.push_back(&s);
  }
  for (const auto& [symbol, price] : config_.risk.reference_prices)
    engine_.portfolio().set_mark(symbol, price, Router::now_ns());
  log::info("risk", "limits version " + std::string(engine_.limits_version()));
  // The portfolio as the journal left it, then the controls as they were.
  std::map<std::string, std::string> prefixes;
  for (const config::ClientConfig& c : config_.clients) prefixes[c.name] = c.clordid_prefix;
  const RecoveryStats recovered =
      replay_journal(persistence::JournalReader(journal_.path(), config_.journal.archive_dir), engine_.portfolio(),
                     prefixes, router_.applied_reports());
  if (recovered.orders > 0)
    log::info("recovery", "rebuilt from " + std::to_string(recovered.entries) + " journal entries: " +
                              std::to_string(recovered.orders) + " orders, " + std::to_string(recovered.reports) +
                              " venue reports; " + std::to_string(engine_.portfolio().open_orders()) +
                              " open orders to confirm with their venues" +
                              (recovered.skipped ? "; " + std::to_string(recovered.skipped) + " entries skipped" : ""));
  if (recovered.corrections + recovered.corrections_unapplied > 0)
    log::info("recovery", "trade cancels and corrections in the journal: " + std::to_string(recovered.corrections) +
                              " applied, " + std::to_string(recovered.corrections_unapplied) +
                              " not applied (their fills unknown or named twice)");
  settle_unconfirmed(recovered.unconfirmed);
  router_.reconcile_after_restart();
  const std::vector<risk::ControlsRecord> controls = controls_store_.load();
  engine_.restore(controls);
  for (const risk::ControlsRecord& r : controls) {
    const bool stopped = r.stop.phase != risk::EmergencyStop::Phase::armed;
    if (r.state.state != risk::TradingState::active || r.zone.state != risk::TradingState::active || stopped)
      log::warn("risk", std::string(risk::scope_kind_name(r.kind)) + (r.name.empty() ? "" : " " + r.name) +
                            " restored " + std::string(risk::trading_state_name(r.state.state)) +
                            (r.zone.state != risk::TradingState::active
                                 ? ", zone " + std::string(risk::trading_state_name(r.zone.state))
                                 : "") +
                            (stopped ? ", emergency stop " + std::string(risk::phase_name(r.stop.phase)) + " (" +
                                           r.stop.reason + ")"
                                     : ""));
  }
  day_ = router_.today();
  // Read at the first tick, once the start is journaled (marks are journaled too).
  if (!config_.risk.marks_file.empty()) marks_.emplace(config_.risk.marks_file);
  if (config_.risk.unique_clordid) {
    const int32_t today = router_.today();
    clordids_store_.load_since(today, [this](const std::string& client, int32_t day, const std::string& id) {
      clordids_.remember(client, day, id);
    });
    log::info("risk", std::to_string(clordids_.size()) + " ClOrdIDs already used today loaded");
  }
  gate_ = std::make_unique<ClientGate>(io_, config_.limits, std::move(clients), barrier_.get());
  gate_->on_logon_event([this](const ClientGate::LogonEvent& event) {
    persistence::JournalEntry e = router_.journal_entry(persistence::JournalEntry::Kind::security);
    e.client = event.client;
    e.msg_type = event.logon.empty() ? "" : "A";
    e.outcome = event.accepted ? "accepted" : "refused";
    e.text = event.text + " (" + event.peer + ")";
    e.raw = event.logon;
    router_.record(std::move(e));
  });
  // From here on, one batch of work is appended to the journal's write log
  // (the journal's entries, then the database's writes: one sync with
  // durability `full`), applied to both files behind the order path.
  persistence::WriteLog& log = journal_.use_write_log({{db_.path(), persistence::Database::applier()}});
  log.gather_for(std::chrono::milliseconds(config_.journal.apply_interval_ms));
  if (journal_.durability() == persistence::Journal::Durability::normal && !log.mapped())
    log::warn("journal",
              "the write log's files could not be mapped (mmap failed): each append is a write() "
              "instead of a copy into the mapping, ~3 us more per batch");
  db_.batch([this] { barrier_->request(); }, log, 1);
  // A read of the database in the middle of a batch commits its writes:
  // the journal's go first, as at the flush (if they cannot, the orders
  // waiting for them are rejected at the flush, as there). Not at the
  // flush's own commit: the journal records what left with the batch after
  // it (see flush()).
  db_.settle_after([this] { journal_.commit(); });
  router_.on_logon_hook([this](SessionSlot& s) {
    for (VenueLink& link : venue_links_)
      if (&link.slot() == &s) link.on_logon();
  });
}

Gateway::~Gateway() {
  // What the last turns recorded, if no flush ran since.
  if (const auto why = flush()) log::error("persistence", "not written at the stop: " + *why);
}

std::optional<std::string> Gateway::flush() {
  // The journal first: what it does not hold is never sent, and a crash
  // between the two files leaves an order in the journal that its venue
  // session's store does not have, which recovery settles as unsent; the
  // strategy sends it again, its session's number being stored only with
  // this commit (see Database::write_at_commit).
  router_.end_batch();
  if (auto why = db_.commit()) return "database " + db_.path() + ": " + *why;
  if (!config_.journal.full) return std::nullopt;
  if (!journal_.sync()) return journal_.fault();
  return db_.sync();
}

std::optional<std::string> Gateway::reload() {
  if (config_.source_path.empty()) return "fixguard was not started from a config file";
  config::Config next;
  try {
    next = config::Config::from_file(config_.source_path, config_.specs_dir);
  } catch (const config::ConfigError& e) {
    return std::string("config error: ") + e.what();
  }
  if (next.outside_risk != config_.outside_risk)
    return "only the risk section can be reloaded; the other changes need a restart";
  auto members = [](std::vector<std::pair<std::string, std::string>> m) {
    std::sort(m.begin(), m.end());
    return m;
  };
  if (members(next.risk.group_members) != members(risk_.group_members))
    return "the members of instrument groups changed; that needs a restart";
  if (next.risk.contract_multipliers != risk_.contract_multipliers)
    return "risk.contract_multipliers changed; that needs a restart (positions are counted with them)";
  if (next.risk.mode != risk_.mode || next.risk.unique_clordid != risk_.unique_clordid ||
      next.risk.marks_file != risk_.marks_file)
    return "risk.mode, risk.unique_clordid and risk.marks_file need a restart";
  // The operator's profile stays in force if the new config still has it.
  const std::string profile = profile_ == "normal" || next.risk.profiles.count(profile_) ? profile_ : next.risk.profile;
  engine_.reconfigure(next.risk.engine(profile));
  risk_ = std::move(next.risk);
  profile_ = profile;
  config_text_ = std::move(next.source_text);
  log::warn("risk", "config reloaded from " + config_.source_path + ": limits version " +
                        std::string(engine_.limits_version()) + ", profile " + profile_);
  journal_limits("config reloaded from " + config_.source_path);
  return std::nullopt;
}

std::optional<std::string> Gateway::use_profile(const std::string& name) {
  if (name != "normal" && !risk_.profiles.count(name)) {
    std::string known = "normal";
    for (const auto& [n, scopes] : risk_.profiles) known += ", " + n;
    return "no profile named '" + name + "' (known: " + known + ")";
  }
  engine_.reconfigure(risk_.engine(name));
  profile_ = name;
  log::warn("risk", "profile " + name + " in force: limits version " + std::string(engine_.limits_version()));
  journal_limits("profile " + name + " in force");
  return std::nullopt;
}

void Gateway::settle_unconfirmed(const std::vector<Unconfirmed>& unconfirmed) {
  std::map<std::string, std::vector<const Unconfirmed*>> by_venue;
  for (const Unconfirmed& u : unconfirmed) by_venue[u.venue].push_back(&u);
  for (const auto& [name, orders] : by_venue) {
    const SessionSlot* venue = slot(name);
    std::vector<std::string> needles;
    for (const Unconfirmed* u : orders) needles.push_back(std::string(1, '\x01') + "11=" + u->venue_cl_ord_id + '\x01');
    bool in_doubt = true;  // they may be at the venue: asked for after the logon
    std::vector<std::optional<std::string>> messages(orders.size());  // as they left, if they did
    try {
      if (venue && venue->store) {
        messages = venue->store->holding(needles);
        in_doubt = false;
      }
    } catch (const std::exception& e) {
      log::error("recovery", e.what());
    }
    for (std::size_t i = 0; i < orders.size(); ++i) settle_unconfirmed(*orders[i], venue, messages[i], in_doubt);
  }
}

void Gateway::settle_unconfirmed(const Unconfirmed& u, const SessionSlot* venue,
                                 const std::optional<std::string>& message, bool in_doubt) {
  if (message) {
    // It left, but fixguard stopped before the journal recorded the message
    // that left (that entry is written with the batch after it): recorded
    // now, from the venue session's store.
    persistence::JournalEntry e =
        router_.message_entry(persistence::JournalEntry::Kind::out, *venue, *message, u.client);
    e.day = u.day;
    e.text = "sent before fixguard stopped; recorded at the restart from the venue session's store";
    log::warn("recovery", u.client + " " + u.msg_type + " ClOrdID=" + u.cl_ord_id + ": " + e.text);
    journal_.append(std::move(e));
    return;
  }
  if (in_doubt) return;
  // Accepted, then fixguard stopped before it left: it never reached the
  // venue. It counts no longer, and the strategy's resend is decided anew.
  engine_.portfolio().on_refused(u.client, u.cl_ord_id);
  persistence::JournalEntry e = router_.journal_entry(persistence::JournalEntry::Kind::order);
  e.day = u.day;  // the order's day, for the resend's lookup
  e.client = u.client;
  e.venue = u.venue;
  e.msg_type = u.msg_type;
  e.cl_ord_id = u.cl_ord_id;
  e.outcome = "unsent";
  e.text = "accepted, but fixguard stopped before it reached the venue: a resend is decided anew";
  log::warn("recovery", u.client + " " + u.msg_type + " ClOrdID=" + u.cl_ord_id + ": " + e.text);
  journal_.append(std::move(e));
}

void Gateway::journal_limits(const std::string& why) {
  persistence::JournalEntry e = router_.journal_entry(persistence::JournalEntry::Kind::control);
  e.limits_version = std::string(engine_.limits_version());
  e.text = why + ": limits version " + e.limits_version + ", profile " + profile_;
  e.raw = config_text_;  // so that a replay of the journal can put the same limits in force
  journal_.append(std::move(e));
}

void Gateway::archive_journal() {
  if (config_.journal.archive_dir.empty()) return;
  // A step at a time, so that the order path never waits long.
  constexpr std::size_t kStep = 2000;
  if (!journal_.commit()) return;  // archives only what is written; failure: the flush reports it
  try {
    const std::size_t moved = journal_.archive(config_.journal.archive_dir, router_.today(), kStep);
    if (!archive_fault_.empty()) log::warn("journal", "archiving works again");
    archive_fault_.clear();
    archived_ += moved;
    if (moved > 0 && moved < kStep) {
      log::info("journal",
                std::to_string(archived_) + " entries of past trading days archived in " + config_.journal.archive_dir);
      archived_ = 0;
    }
  } catch (const std::exception& e) {
    if (archive_fault_ != e.what()) log::error("journal", std::string("archiving failed (tried again): ") + e.what());
    archive_fault_ = e.what();
  }
}

void Gateway::watch_write_logs() {
  // Orders go on while a write log cannot be applied to its file (what is
  // appended is safe in the log, and applied once it can be); reads of the
  // file wait for it. Said once, and once when it works again.
  std::string fault;
  for (const persistence::WriteLog* w : {db_.log(), journal_.log()})
    if (w && fault.empty()) fault = w->fault();
  if (fault == write_log_fault_) return;
  if (fault.empty())
    log::warn("persistence", "write logs applied to their files again");
  else
    log::error("persistence", "a write log cannot be applied to its file (tried again; nothing is lost): " + fault);
  write_log_fault_ = fault;
}

const SessionSlot* Gateway::slot(const std::string& name) const {
  for (const SessionSlot& s : slots_)
    if (s.name() == name) return &s;
  return nullptr;
}

void Gateway::start() {
  // WAL checkpoints (and their syncs) off the io thread, once a second:
  // pinned round trips (all on one core) had p99 5-7% lower and p99.9 ~20%
  // lower than with one every 100 ms, at 2.5% less CPU; the WAL holds a
  // second of writes (a few MB at full speed) between them.
  persistence::Checkpointer::set_backstop(db_.sql());
  journal_.defer_checkpoints();
  checkpointer_ = std::make_unique<persistence::Checkpointer>(std::vector<std::string>{db_.path(), journal_.path()},
                                                              std::chrono::milliseconds(1000));
  journal_limits("fixguard started");
  listener_.listen(config_.listen);
  if (client_tls_) listener_.listen(config_.tls_listen, true);
  if (config_.admin) {
    admin_ = std::make_unique<AdminServer>(io_, *config_.admin,
                                           [this](const AdminServer::Request& r) { return admin_api_.handle(r); });
    admin_->start();
  }
  for (VenueLink& link : venue_links_) link.start();
  tick();
}

void Gateway::read_marks() {
  auto result = marks_->poll();
  if (const auto* error = std::get_if<MarksFile::Error>(&result)) {
    log::error("risk", "marks file not applied: " + error->reason);
  } else if (const auto* marks = std::get_if<MarksFile::Marks>(&result)) {
    for (const auto& [symbol, price] : *marks) {
      // Journaled as an action on the engine, so that a replay takes it again.
      const OperatorAction mark{"mark", "", symbol, "marks file", config_.risk.marks_file, price.to_string()};
      apply_to_engine(engine_, mark, Router::now_ns(), router_.today());
      persistence::JournalEntry e = router_.journal_entry(persistence::JournalEntry::Kind::control);
      e.symbol = symbol;
      e.text = "mark " + symbol + " " + mark.value + " from the marks file";
      e.raw = mark.to_text();
      journal_.append(std::move(e));
    }
    router_.settle();
    log::info("risk", std::to_string(marks->size()) + " reference prices applied from " + config_.risk.marks_file);
  }
}

void Gateway::reload_tls() {
  const auto reload = [](TlsContext& tls, const std::string& what) {
    const auto result = tls.reload_if_changed();
    if (!result) return;
    if (result->empty())
      log::info("tls", what + ": certificate and key read again; new connections use them");
    else
      log::error("tls", what + ": certificate not reloaded, the previous one stays: " + *result);
  };
  if (client_tls_) reload(*client_tls_, "listener");
  if (admin_ && admin_->tls()) reload(*admin_->tls(), "admin interface");
  for (VenueLink& link : venue_links_)
    if (TlsContext* tls = link.tls()) reload(*tls, link.slot().name());
}

void Gateway::tick() {
  const Router::Instant instant;
  if (marks_) read_marks();
  reload_tls();
  if (const int32_t today = router_.today(); today != day_) {
    // A new trading day: every account's day-start equity is taken now.
    day_ = today;
    engine_.review_all(Router::now_ns(), today);
    clordids_.forget_before(today);  // a ClOrdID is unique within its day
  }
  for (const risk::ProtectionAlert& a : engine_.review_protective_stops(Router::now_ns())) {
    using Action = risk::ProtectiveStopRule::Action;
    log::warn("risk", "alert: account " + a.account + " " + a.describe() +
                          (a.action == Action::reduce_only ? "; account now REDUCE_ONLY"
                           : a.action == Action::flatten   ? "; closing the position"
                                                           : ""));
    if (a.action == Action::flatten) router_.flatten(a.account, a.describe(), a.symbol);
  }
  watch_write_logs();
  router_.check_reconciliations();
  router_.settle();  // pulls that wait for a venue, controls to save
  archive_journal();
  // QuickFIX's timer work: heartbeats, test requests, logon and logout timeouts.
  for (SessionSlot& s : slots_)
    if (s.connection) s.session->next(FIX::UtcTimeStamp());
  if (stopping_) return;
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) tick();
  });
}

void Gateway::abort() {
  stopping_ = true;
  router_.stopping();
  timer_.cancel();
  listener_.close();
  if (admin_) admin_->stop();
  for (VenueLink& link : venue_links_) link.abort();
  gate_->abort_all();
}

void Gateway::stop(std::chrono::milliseconds grace, std::function<void()> done) {
  stopping_ = true;
  router_.stopping();
  timer_.cancel();
  listener_.close();
  if (admin_) admin_->stop();
  for (SessionSlot& s : slots_) {
    if (s.logged_on()) {
      s.session->logout("fixguard is shutting down");
      s.session->next(FIX::UtcTimeStamp());  // sends the Logout
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  finish_stop(deadline, std::move(done));
}

void Gateway::finish_stop(std::chrono::steady_clock::time_point deadline, std::function<void()> done) {
  bool pending = false;
  for (const SessionSlot& s : slots_) pending = pending || s.logged_on();
  if (pending && std::chrono::steady_clock::now() < deadline) {
    // Waiting for Logout answers; check again shortly.
    timer_.expires_after(std::chrono::milliseconds(10));
    timer_.async_wait([this, deadline, done = std::move(done)](boost::system::error_code) mutable {
      finish_stop(deadline, std::move(done));
    });
    return;
  }
  barrier_->flush_now();  // what waits leaves before the connections close
  for (VenueLink& link : venue_links_) link.stop();
  for (SessionSlot& s : slots_)
    if (s.connection) s.connection->close_now("fixguard stopped");
  if (done) done();
}

}  // namespace fixguard::proxy
