// Moves order flow between client and venue sessions.
//
// Client -> venue: order-entry messages (D, F, G, H, q, and 8, 9, j) and the
// session's pass-through types are forwarded with their body byte for byte;
// ClOrdID (11) and OrigClOrdID (41) get the client's prefix when a venue
// session is shared. Any other application message is refused with a
// BusinessMessageReject (380=3). While the venue is not logged on, orders are
// rejected at once with a Text that says so; nothing is queued.
//
// Venue -> client: each message goes to the client owning the order (the
// prefix of its ClOrdID, or for a BusinessMessageReject the forwarded message
// it refers to), with the prefix removed. A message that matches no client is
// logged and kept in the database.
//
// Trading controls: after each message (and each operator action, through
// settle()) the open orders of a scope an emergency stop or a halt covers
// are pulled from the venue, and the controls that changed are saved. A
// client session with cancel_on_disconnect has its open orders pulled when
// it drops (and after a clean Logout with cancel_on_logout).
//
// Venue session loss: the open orders routed through a venue that drops
// are in an unknown state. On its next logon (after the venue's own resend
// of what was missed) fixguard asks for the status of each
// (OrderStatusRequest, 35=H) and rejects new orders for that venue until
// every one is answered or `reconcile_timeout` passes (logged as an error).
//
// Thread: QuickFIX calls back on the io thread (the one calling Session::next).
#pragma once

#include "fix/quickfix.h"
#include "persistence/clordid_store.h"
#include "persistence/controls_store.h"
#include "persistence/journal.h"
#include "persistence/unrouted_messages.h"
#include "proxy/applied_reports.h"
#include "proxy/metrics.h"
#include "proxy/order_puller.h"
#include "proxy/session_slot.h"
#include "proxy/trading_calendar.h"
#include "risk/clordid_registry.h"
#include "risk/engine.h"

#include <functional>
#include <map>
#include <set>

namespace fixguard::proxy {

class Router : public FIX::Application {
 public:
  // `engine` decides each D, G and F before it may leave, counts what is
  // forwarded and follows what venues report (fills also move the mark); in
  // observe mode what it would reject is logged and forwarded.
  // With `ids` (unique ClOrdIDs configured), every ClOrdID is recorded in
  // `id_store` before its message can be forwarded.
  // The trading controls that change are saved to `controls`.
  // Trading days (ClOrdID uniqueness, daily counters) follow `calendar`.
  // Every message and decision goes to `journal`, an accepted order's
  // before the order is forwarded. The journal is written once per batch
  // of work (group commit, the gateway's write barrier), at end_batch(),
  // and `request_flush` asks for that end: strategies' orders accepted in a
  // batch wait for it and leave only once the journal holds them.
  Router(persistence::UnroutedMessages& unrouted, risk::Engine& engine, bool observe, risk::ClOrdIdRegistry* ids,
         persistence::ClOrdIdStore& id_store, persistence::ControlsStore& controls, const TradingCalendar& calendar,
         persistence::Journal& journal, std::function<void()> request_flush)
      : calendar_(calendar),
        journal_(journal),
        request_flush_(std::move(request_flush)),
        unrouted_(unrouted),
        engine_(engine),
        observe_(observe),
        ids_(ids),
        id_store_(id_store),
        controls_(controls),
        puller_(engine.portfolio()) {}

  void add(SessionSlot& slot);
  // Acts on what the engine's controls ask: pulls the open orders of halted
  // and tripped scopes (again later if a venue is down), and saves the
  // controls that changed. Runs after every message; call it after acting
  // on the engine from elsewhere (the operator interface).
  void settle();
  // fixguard itself is shutting down: sessions ending now are not
  // disconnects to act on.
  void stopping() { stopping_ = true; }
  // The clock the risk engine runs on: wall-clock nanoseconds, so that
  // cooldowns hold across restarts and replays can feed logged times.
  // While an Instant is held, it stands still at a whole microsecond.
  static int64_t now_ns();
  // Holds the clock for the handling of one message (nested: the outermost
  // one counts).
  class Instant {
   public:
    Instant();
    ~Instant();
    Instant(const Instant&) = delete;
    Instant& operator=(const Instant&) = delete;

   private:
    bool nested_;
  };
  // How the Text of a refusal at its batch's end ends, after the order's
  // checks had passed (its ClOrdID counts as used, its rate tokens as
  // taken): for want of a journal, or of the venue lost since (unsent());
  // one refused for want of a journal before any check ends ": not
  // forwarded". A replay of the journal tells them apart by it.
  static constexpr std::string_view kRefusedAfterChecks = ": passed the checks, not forwarded";
  // How the Text of a refusal for want of a journal begins.
  static constexpr std::string_view kNoJournal = "journal cannot be written (";
  // Why the journal cannot be written ("" when it can). While it cannot,
  // orders are rejected; they pass again once a write succeeds.
  const std::string& journal_fault() const { return journal_.fault(); }
  persistence::Journal& journal() { return journal_; }
  // The trading day now.
  int32_t today() const;
  // Pulls every open order in a scope (global: name ""), as an operator's
  // halt with cancel asks; false if some could not be sent yet.
  bool pull_scope(risk::ScopeKind kind, const std::string& name, const std::string& why);
  // Closes every position of `account` (only `symbol`'s, if given) with a
  // market IOC order of fixguard's own ("FGF-..."), sent through the client
  // session that last traded the instrument, counted like any order, past
  // the risk checks. The number of orders sent.
  int flatten(const std::string& account, const std::string& why, std::string_view symbol = {});
  const Metrics& metrics() const { return metrics_; }
  // After a restart: every open order rebuilt from the journal is in an
  // unknown state until its venue, once logged on, answers for it.
  void reconcile_after_restart();
  // The ExecutionReports applied to the risk state (the journal's replay
  // adds those it applies).
  AppliedReports& applied_reports() { return applied_reports_; }
  // A journal entry of `kind` stamped with the time and trading day now.
  persistence::JournalEntry journal_entry(persistence::JournalEntry::Kind kind) const;
  // The journal's record of a message to or from `slot`'s session; `client`
  // owns it when `slot` is a venue's.
  persistence::JournalEntry message_entry(persistence::JournalEntry::Kind kind, const SessionSlot& slot,
                                          const std::string& raw, const std::string& client) const;
  // Appends `e` and writes what the journal holds.
  void record(persistence::JournalEntry e) {
    journal_.append(std::move(e));
    commit_journal();
  }
  // The end of a batch: writes the journal, then forwards the orders that
  // waited for it, or rejects them, saying why, if it could not be written.
  void end_batch();
  // Ends reconciliations that ran past their time (the gateway's tick).
  void check_reconciliations();
  // The venue's open orders still unconfirmed since it dropped (0: none).
  std::size_t unreconciled(const std::string& venue) const;
  static constexpr int64_t kReconcileTimeoutNs = 10'000'000'000;
  // Called with the slot whenever a session logs on.
  void on_logon_hook(std::function<void(SessionSlot&)> hook) { logon_hook_ = std::move(hook); }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override;
  void onLogout(const FIX::SessionID& id) override;
  // A Logon to a venue carries the venue's Username and Password, if set.
  void toAdmin(FIX::Message& message, const FIX::SessionID& id) override;
  void toApp(FIX::Message& message, const FIX::SessionID& id) override;
  void fromAdmin(const FIX::Message& message, const FIX::SessionID& id) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID& id) override;

 private:
  SessionSlot* find(const FIX::SessionID& id) const;
  void from_client(SessionSlot& client, const std::string& raw, const std::string& type);
  void from_venue(SessionSlot& venue, const std::string& raw, const std::string& type);
  // Answers the client for a message fixguard does not forward. `rule` gives
  // the reject codes; without one they say "other". The log line names the
  // limits version a risk decision was taken under.
  // `decision` (when a limit decided) goes to the journal with the reject.
  // `again`: this reject repeats one sent before (it carries PossResend=Y).
  void reject_unforwarded(SessionSlot& client, const std::string& raw, const std::string& type, const std::string& why,
                          const risk::RuleInfo* rule = nullptr, const risk::Decision* decision = nullptr,
                          bool again = false);
  // The journal's record of a message from a strategy and what became of it.
  persistence::JournalEntry order_entry(const SessionSlot& client, const std::string& raw, const std::string& type,
                                        const char* outcome, const risk::Decision* decision, std::string text) const;
  void journal_message(persistence::JournalEntry::Kind kind, const SessionSlot& slot, const std::string& raw,
                       const std::string& client) {
    journal_.append(message_entry(kind, slot, raw, client));
  }
  // Journals an application message `slot`'s session sends, as sent.
  void journal_sent(const SessionSlot& slot, const std::string& raw);
  // Writes what the journal holds; an error logged once per fault.
  bool write_journal();
  // Asks for the batch's end, which writes the journal; true unless the
  // journal is known to be unwritable.
  bool commit_journal();
  // An order accepted, its journal entry waiting to be written.
  struct Waiting {
    SessionSlot* client;
    std::string body;  // as it is to leave
    std::string raw, type;
    bool is_order;  // a D, G or F the engine counted
    std::string cl_ord_id, account, symbol;
    int64_t seq;  // its journal entry
  };
  // Sends an accepted message on its venue session, or, if the venue was
  // lost since it was accepted (or does not take it), refuses it: unsent().
  void forward(Waiting& w);
  // An accepted message that did not leave: an order counts no longer and
  // the journal says so ("unsent", then the reject, one after the other; a
  // resend of it gets the same reject); the strategy gets the reject.
  void unsent(const Waiting& w, const std::string& why);
  // Refuses an accepted message at its batch's end, saying `why` and that it
  // had passed the checks; an order counts no longer.
  void refuse_after_checks(const Waiting& w, const std::string& why);
  // Runs the risk checks on a D, G or F: the order, if it may be forwarded.
  std::optional<risk::OrderRequest> checked_order(SessionSlot& client, const std::string& raw, const std::string& type);
  // Records the order's ClOrdID, or answers a reuse; true if it was new.
  bool first_use(SessionSlot& client, const std::string& raw, const std::string& type, const risk::OrderRequest& order);
  SessionSlot* owner_of(const SessionSlot& venue, const std::string& raw, const std::string& type) const;
  void keep_unrouted(const SessionSlot& venue, const std::string& raw, const std::string& why);
  // A fill applied whose ExecID `venue` used before without a resend's flag.
  void exec_id_reused(const SessionSlot& venue, std::string_view exec_id);
  // What a venue message tells the risk state: fills (which also move the
  // mark), busts and corrections, order states, refused replaces and
  // cancels. `client` owns it ("" when no client does); `body` is as the
  // client sees it; `reused`: an ExecutionReport whose ExecID the venue
  // used before (AppliedReports::Seen::reused).
  void track(const SessionSlot& venue, std::string_view client, const std::string& type, std::string_view body,
             bool reused);
  // Says what a trade cancel or correction from `venue` did.
  void trade_corrected(const SessionSlot& venue, std::string_view client, const risk::Execution& e,
                       risk::TradeCorrection done);
  // A venue message body as the owning client is to see it: its prefix taken
  // off ClOrdID, OrigClOrdID and BusinessRejectRefID.
  static std::string client_body(const SessionSlot& owner, std::string_view venue_body);

  const TradingCalendar& calendar_;
  persistence::Journal& journal_;
  const std::function<void()> request_flush_;
  std::vector<Waiting> waiting_;  // for the batch's end
  bool journal_fault_logged_ = false;
  // Observe mode: the decision an order passed despite, for its journal entry.
  std::optional<persistence::JournalEntry> observed_;
  // The account a replace or cancel without one takes from its original
  // order, for as long as the message is handled.
  std::string inherited_account_;
  persistence::UnroutedMessages& unrouted_;
  risk::Engine& engine_;
  const bool observe_;
  risk::ClOrdIdRegistry* ids_;  // null when ClOrdIDs need not be unique
  persistence::ClOrdIdStore& id_store_;
  persistence::ControlsStore& controls_;
  OrderPuller puller_;
  std::vector<risk::Pull> pending_pulls_;  // not yet sent in full
  bool stopping_ = false;
  Metrics metrics_;
  // Per venue session: orders in an unknown state since it dropped, and
  // (once it is back) until when their status answers are awaited.
  struct Reconciliation {
    std::set<std::pair<std::string, std::string>> unknown;  // (client, ClOrdID)
    bool asked = false;
    int64_t deadline_ns = 0;
  };
  std::map<std::string, Reconciliation, std::less<>> reconciling_;
  // (account, symbol) -> the client session that last sent an order for it.
  std::map<std::pair<std::string, std::string>, SessionSlot*> last_client_;
  uint64_t flatten_sent_ = 0;
  AppliedReports applied_reports_;
  // The venue's open orders are in an unknown state (`why`) until it answers for them.
  void venue_down(SessionSlot& venue, const std::string& why = "venue session lost");
  void ask_status(SessionSlot& venue);
  void reconciled(const std::string& client, std::string_view cl_ord_id);
  std::map<FIX::SessionID, SessionSlot*> slots_;
  std::function<void(SessionSlot&)> logon_hook_;
};

}  // namespace fixguard::proxy
