// The risk engine: every check, in the order it runs, over the state the
// orders and execution reports build. Pure: time and the trading day are
// parameters, so the same code serves the live proxy and offline replay.
//
//   flow (duplicates, rate limits, interval) -> trading state (halted,
//   emergency stop) -> permissions -> size (with a caution zone's factor) ->
//   price collar -> reduce-only -> position -> exposure, leverage, buying
//   power -> turnover
//
// Thread: one thread at a time.
#pragma once

#include "risk/decision.h"
#include "risk/flow_controls.h"
#include "risk/limits.h"
#include "risk/order.h"
#include "risk/portfolio.h"
#include "risk/protective_stops.h"
#include "risk/trading_controls.h"

#include <array>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fixguard::risk {

struct EngineConfig {
  LimitBook book;
  FlowLimits flow;
  // Where a check needs a reference price and none is known, let the order
  // through instead of rejecting it.
  bool allow_missing_reference = false;
  // Identifies the limits in force; recorded in every decision.
  std::string limits_version;
  // Loss limits and emergency stops.
  ControlsConfig controls;
};

class Engine {
 public:
  // A (venue session, client session) pair as decide() takes it: look it
  // up once per session, not once per order.
  struct Session {
    uint32_t index = 0;
  };

  explicit Engine(EngineConfig config);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Puts new limits in force at once (a reload or a profile switch): the
  // book, flow limits, loss limits and reference-price policy. Everything
  // counted so far stays: positions, orders, buckets, states, stops. The
  // new limits version is `config.limits_version` with the number of this
  // change ("desk-1#2"). Group membership must not change (the portfolio's
  // group sums follow it): check before calling.
  void reconfigure(EngineConfig config);
  int version_number() const { return version_number_; }

  // The pair's number, made on first sight (which allocates).
  Session session(std::string_view venue, std::string_view client);

  // The first rule a D, G or F from the session's client breaks, or
  // nothing. Counts the request against the flow limits whatever the
  // outcome; changes nothing else. No heap allocation once the request's
  // account and symbol have been seen.
  std::optional<Decision> decide(const OrderRequest& order, Session session, int64_t now_ns, int32_t day);
  std::optional<Decision> decide(const OrderRequest& order, std::string_view venue, std::string_view client,
                                 int64_t now_ns, int32_t day) {
    return decide(order, session(venue, client), now_ns, day);
  }
  // `order` is being forwarded: it counts from now on.
  void sent(const OrderRequest& order, std::string_view client, int64_t now_ns, int32_t day);

  // The price an order's notional counts at: measured_price (order.h), else
  // its stop price (zero with none of them).
  Price valuation(const OrderRequest& order) const { return valuation(order, portfolio_.mark(order.symbol)); }
  static Price valuation(const OrderRequest& order, std::optional<Price> reference);

  // What venues report, applied to the portfolio and the loss controls: a
  // fill moves its instrument's mark, and every account holding it is
  // reviewed; a venue reject of an order adds to its account's run of
  // rejects, an acknowledgement or fill ends the run.
  // What it did to the portfolio is returned (see Portfolio::on_execution).
  ExecutionOutcome on_execution(std::string_view client, const Execution& e, int64_t now_ns, int32_t day);
  // A forwarded D, G or F was refused outright: by the venue (a
  // session-level or business reject, which adds to the account's run of
  // rejects), or fixguard could not send it after all.
  void on_refused(std::string_view client, std::string_view cl_ord_id, bool by_venue, int64_t now_ns, int32_t day);
  // A reference price: the mark moves and the instrument's holders are
  // reviewed.
  void set_mark(std::string_view symbol, Price price, int64_t now_ns, int32_t day);

  // Emergency stops, by an operator: trip (an account's, or with account
  // "" the global one; false if it was not armed) and reset (the reason it
  // is refused, if it is).
  bool trip(std::string_view account, std::string reason, int64_t now_ns, int32_t day);
  std::optional<std::string> reset(std::string_view account, std::string_view operator_name, std::string_view reason,
                                   int64_t now_ns, int32_t day);
  // Open orders to pull from the venues (see TradingControls::take_pulls);
  // acted() once they are pulled, which lets a tripped stop cool down.
  std::vector<Pull> take_pulls() { return controls_.take_pulls(); }
  void acted(const Pull& pull);
  // The protective-stop rule, reviewed periodically: the alerts due now; an
  // alert whose action is REDUCE_ONLY has put its account in that state.
  std::vector<ProtectionAlert> review_protective_stops(int64_t now_ns);

  // Persistence of the controls: what changed since the last call, and
  // what a restart puts back.
  std::vector<ControlsRecord> take_changes();
  void restore(const std::vector<ControlsRecord>& records);

  // An operator sets a scope's trading state: global (name ""), venue,
  // client or account. `reason` says who and why; reject texts quote it.
  void set_state(ScopeKind kind, std::string_view name, TradingState state, std::string reason);
  // Reviews an account's loss limits at its equity now (configured equity,
  // account scope else global, plus P&L): call after its fills and after
  // marks move. The trip's reason when this review tripped its emergency
  // stop (its open orders should then be cancelled, see controls()).
  // Accounts without an equity or loss limits are not reviewed.
  std::optional<std::string> review(std::string_view account, int64_t now_ns, int32_t day);
  // The same for every account the portfolio knows: (account, reason) per
  // trip.
  std::vector<std::pair<std::string, std::string>> review_all(int64_t now_ns, int32_t day);

  // An operator sets an account's starting equity (in place of the
  // configured one); the account is reviewed at once.
  void set_equity(std::string_view account, Notional equity, int64_t now_ns, int32_t day);
  // An account's equity now: its starting equity (set by an operator, else
  // configured for the account scope, else global) plus its P&L; none
  // without one.
  std::optional<Notional> equity(uint32_t account);

  TradingControls& controls() { return controls_; }
  Portfolio& portfolio() { return portfolio_; }
  const Portfolio& portfolio() const { return portfolio_; }
  const LimitBook& book() const { return config_.book; }
  std::string_view limits_version() const { return config_.limits_version; }

 private:
  // What the book sets for each session, account and instrument, looked up
  // on first sight and kept by number (the portfolio's numbers for accounts
  // and instruments).
  // Scopes that always apply together are combined ahead of time: global,
  // venue and client per session; an instrument's groups and its own scope
  // per instrument. A decision then scans at most four entries.
  struct SessionEntry {
    std::string venue, client;
    uint32_t client_key = 0;
    std::unique_ptr<ScopeEntry> limits;  // null: none set
    const StateSetting* venue_state = nullptr;
    const StateSetting* client_state = nullptr;
  };
  struct InstrumentEntry {
    const LimitBook::Instrument* book = nullptr;
    std::unique_ptr<ScopeEntry> limits;  // groups and Symbol; null: none set
    // Groups with group exposure limits, and their ordinals.
    std::array<const ScopeEntry*, LimitBook::kMaxGroupsPerSymbol> exposure_groups{};
    std::array<uint8_t, LimitBook::kMaxGroupsPerSymbol> ordinals{};
    std::size_t exposure_group_count = 0;
    uint32_t symbol_key = kNoSymbol;
    Multiplier multiplier;       // configured contract multiplier, zero: none
    std::string_view case_twin;  // see case_twin_of
  };
  struct PairHash {
    using is_transparent = void;
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& p) const;
  };
  struct PairEqual {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::string_view(a.first) == b.first && std::string_view(a.second) == b.second;
    }
  };

  const ScopeEntry* account_limits(uint32_t account);
  // Starts loading the limit entries of an account and an instrument looked
  // up before (a hint).
  void prefetch_limits(uint32_t account, uint32_t instrument) const;
  std::optional<std::string> review(uint32_t account, int64_t now_ns, int32_t day);
  std::optional<Notional> start_equity(uint32_t account);
  // Starts the account's loss monitor (its first review) if it has none:
  // runs of rejects and breaches count from then.
  void watch(uint32_t account, int64_t now_ns, int32_t day);
  const InstrumentEntry& instrument(uint32_t instrument, std::string_view symbol);
  // The symbol that `symbol` (instrument `instrument`) spells but for letter
  // case, if any: one the book configures (unless it configures `symbol`
  // too), or else one seen before it (an order, a fill, a mark). "" if none.
  std::string_view case_twin_of(uint32_t instrument, std::string_view symbol);

  EngineConfig config_;
  int version_number_ = 1;
  FlowControls flow_;
  Portfolio portfolio_;
  TradingControls controls_;
  ProtectiveStops protective_stops_;
  std::vector<SessionEntry> sessions_;
  std::unordered_map<std::pair<std::string, std::string>, uint32_t, PairHash, PairEqual> session_ids_;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> client_keys_;
  std::vector<std::optional<const ScopeEntry*>> account_limits_;  // by account; empty: not looked up yet
  std::vector<std::optional<InstrumentEntry>> instruments_;       // by instrument
  // The portfolio's instruments by folded spelling (the first seen), for
  // the first `folded_upto_` of them; and the twins' names (stable).
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> seen_spellings_;
  uint32_t folded_upto_ = 0;
  std::deque<std::string> twin_names_;
};

}  // namespace fixguard::risk
