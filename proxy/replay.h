// `fixguard replay`: a recorded order flow run through the risk engine
// offline, with the clock the recording gives, to see what a config's
// limits would have decided.
//
// Messages are fed in the order they happened. Orders (D, G, F) from a
// strategy are decided as the live proxy decides them (ClOrdID checks when
// configured, then risk::Engine), always as in `enforce` mode; the venue's
// reports (8, 9, j) update the state as live, except those of orders this
// replay rejected: those never reached the venue, so their fills do not
// count. A new trading day (the config's calendar) resets the day's counters
// as live. A session is named by the config's client whose CompIDs it uses,
// else by the strategy's CompID.
//
// Thread: one thread.
#pragma once

#include "config/config.h"
#include "fix/order_decoder.h"
#include "proxy/applied_reports.h"
#include "proxy/operator_action.h"
#include "proxy/trading_calendar.h"
#include "risk/clordid_registry.h"
#include "risk/engine.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace fixguard::proxy {

struct ReplayedOrder {
  int64_t at_ns = 0;
  std::string client, msg_type, cl_ord_id, account, symbol;
  std::string side, quantity, price;  // as FIX wrote them
  std::string outcome;                // accepted, rejected, dropped (a resend already seen)
  std::string rule, limit, observed, text;
};

class Replay {
 public:
  // Throws config::ConfigError or std::runtime_error if the config's risk
  // section cannot be put in force. `config` must outlive the Replay.
  explicit Replay(const config::Config& config, std::string_view profile = {});
  // Other limits in force from now on, as a live reload or profile switch.
  void reconfigure(const config::Config& config, std::string_view profile);

  // Whether an order that passes the checks counts as sent: as decided, or
  // as it went live (a journal says): sent although rejected (observe
  // mode), or not sent although it passed (refused for want of a venue:
  // say so with refused(), for a resend of it to be refused again).
  enum class Forward { as_decided, always, never };
  // One recorded message (fields separated by SOH) at `at_ns`. Returns the
  // decision if it was an order from a strategy, until the next feed. An
  // ExecutionReport resent (its ExecID seen, with PossDup or PossResend) is
  // not applied again, as live.
  const ReplayedOrder* feed(std::string_view message, int64_t at_ns, Forward forward = Forward::as_decided);
  // The same, with the message's fields already found.
  const ReplayedOrder* feed(const fix::MessageFields& message, int64_t at_ns, Forward forward = Forward::as_decided);
  // A venue's report (8, 9, j) to `client`, with the client's own IDs.
  void report(std::string_view client, std::string_view message, int64_t at_ns);
  // An operator's action on the engine (a journal's), taken again.
  void operator_action(const OperatorAction& action, int64_t at_ns);
  // An order accepted, then found never sent (a journal's "unsent").
  void unsent(std::string_view client, std::string_view cl_ord_id, int64_t at_ns);
  // An order that passed the checks and was refused live all the same (no
  // venue), saying `text`: as live, a resend of it gets that refusal again
  // (rejected with no rule) and is not checked again, unsent or not.
  void refused(std::string_view client, std::string_view cl_ord_id, std::string_view text);
  // As fixguard settles after each message: the pulls of open orders a
  // stop or halt asked for are taken as done, the trading controls'
  // changes kept as fixguard saves them to its table.
  void save_controls();
  // fixguard started again: a new engine under `config`, its portfolio
  // rebuilt by `rebuild` (as recovery does), the controls as saved; the
  // ClOrdIDs seen stay (they are kept on disk live).
  void restart(const config::Config& config, std::string_view profile,
               const std::function<void(risk::Portfolio&)>& rebuild);

  struct Totals {
    int64_t orders = 0, accepted = 0, rejected = 0, dropped = 0;
    int64_t reports = 0;                     // venue reports applied
    int64_t resent = 0;                      // reports resent, not applied again
    int64_t unreadable = 0;                  // orders or reports that could not be decoded
    std::map<std::string, int64_t> by_rule;  // rejects per rule id
  };
  const Totals& totals() const { return totals_; }

 private:
  struct Session {
    std::string client, venue;
    std::optional<risk::Engine::Session> handle;
  };
  // The session of a strategy's CompID and the CompID it sends to.
  const Session& session_of(std::string_view strategy, std::string_view gateway);
  void roll_day(int64_t now_ns, int32_t day);
  void decide(const fix::MessageFields& message, std::string_view type, const Session& s, int64_t now_ns, int32_t day,
              Forward forward);
  void apply_report(const fix::MessageFields& message, std::string_view type, std::string_view client, int64_t now_ns,
                    int32_t day);
  // The trading day of a moment; the calendar is asked once per second.
  int32_t day_of(int64_t at_ns);
  // A fresh engine under `config`, with its reference prices.
  void new_engine(const config::Config& config, std::string_view profile);
  int64_t day_second_ = INT64_MIN;
  bool marks_undated_ = false;  // the config's reference prices wait for the first message's time
  int32_t day_of_second_ = 0;

  const config::Config* config_;
  std::unique_ptr<risk::Engine> engine_;                                                    // a new one at each restart
  std::map<std::pair<risk::ScopeKind, std::string>, risk::ControlsRecord> saved_controls_;  // as the table holds them
  TradingCalendar calendar_;
  std::optional<risk::ClOrdIdRegistry> ids_;              // with risk.unique_clordid
  std::map<std::string, Session, std::less<>> sessions_;  // by "sender\x01target" of the strategy's messages
  // Orders rejected here (and never accepted), by client SOH ClOrdID, with
  // the last reject of each: their reports are not applied, and a resend of
  // one gets that reject again, as live.
  struct Rejected {
    std::string rule, limit, observed, text;
  };
  std::unordered_map<std::string, Rejected, risk::StringHash, std::equal_to<>> refused_;
  risk::SymbolSet unsent_;  // client SOH ClOrdID of orders accepted, never sent: a resend is decided anew
  AppliedReports applied_;  // of the reports fed (a journal's replay keeps its own)
  std::string key_;         // scratch for the keys of both
  const std::string& key(std::string_view client, std::string_view cl_ord_id);
  std::optional<int32_t> day_;
  ReplayedOrder last_;
  Totals totals_;
};

// The decisions as a table, CSV or JSON, then (table only) the totals.
enum class ReplayFormat { table, csv, json };
void write_replay(std::ostream& out, const std::vector<ReplayedOrder>& orders, const Replay::Totals& totals,
                  ReplayFormat format);

// Two configs' decisions on the same flow: the orders they decided
// differently, and each config's rejects per rule.
struct ReplayDifference {
  ReplayedOrder base, other;
};
// `names`: what the two are called in the table ("config", "other").
void write_comparison(std::ostream& out, const std::vector<ReplayDifference>& differences, const Replay::Totals& base,
                      const Replay::Totals& other, ReplayFormat format,
                      std::pair<std::string, std::string> names = {"config", "other"});

// The command: logs read (merged by time when there are several), run
// through a Replay of `config` (and of `other`, with --compare), reported.
struct ReplayRequest {
  std::vector<std::string> logs;
  // Each message's time: SendingTime (52), TransactTime (60), or the time
  // of its log line; the others stand in when it has not that one. By
  // TransactTime, only orders move the clock: reports come at the time of
  // the message before them.
  enum class Clock { sending, transact, logged } clock = Clock::sending;
  enum class Show { rejected, all, none } show = Show::rejected;  // which orders are listed
  ReplayFormat format = ReplayFormat::table;
  bool progress = false;  // a progress line on `err`
  std::string html;       // also write a self-contained HTML report there
};
// Whether `request` lists an order that ended `outcome` (with
// Show::rejected: those rejected, or left unanswered by a live fixguard).
bool lists(const ReplayRequest& request, std::string_view outcome);

struct ReplayResult {
  int64_t messages = 0;
  int64_t skipped_lines = 0;  // with no FIX message
  int64_t untimed = 0;        // messages with no time to run them at (skipped)
};
ReplayResult run_replay(const config::Config& config, const config::Config* other, const ReplayRequest& request,
                        std::ostream& out, std::ostream& err);

// Whether `path` is a fixguard journal (an SQLite file) rather than a log.
bool is_journal_file(const std::string& path);

// fixguard's journal replayed: every order decided again, under the config
// versions the journal recorded (or under `config`, to see where another
// would have decided otherwise), with the venue's reports as they came, each
// decision compared with the one recorded. Mismatches are listed, the first
// named in the summary.
struct JournalReplayResult {
  int64_t compared = 0;  // orders whose recorded decision was compared
  int64_t mismatches = 0;
  std::string first_mismatch;  // "" if none
};
JournalReplayResult replay_recorded_journal(const std::string& path, const std::string& archive_dir,
                                            const config::Config* config, const std::string& specs_dir,
                                            const ReplayRequest& request, std::ostream& out, std::ostream& err);

}  // namespace fixguard::proxy
