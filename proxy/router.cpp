#include "proxy/router.h"

#include "fix/forwarding.h"
#include "fix/log.h"
#include "fix/order_decoder.h"
#include "fix/raw_fields.h"
#include "fix/rejects.h"

#include <algorithm>
#include <chrono>
#include <variant>

namespace fixguard::proxy {
namespace {

// Messages a venue sends in answer to order entry.
bool is_venue_reply(const std::string& type) { return config::is_order_entry_type(type) || type == "r"; }

// While a message is handled, the clock stands still at the microsecond it
// arrived (see Router::Instant): its decision and its journal entries carry
// one time, which a replay of the journal feeds back exactly.
thread_local int64_t t_instant_ns = 0;

int64_t now_us() { return Router::now_ns() / 1000; }

std::string raw_of(const SessionSlot& slot, const FIX::Message& message) {
  FIX::MsgSeqNum seq;
  if (message.getHeader().getFieldIfSet(seq)) {
    std::string raw = slot.inbound_raw(seq.getValue());
    if (!raw.empty()) return raw;
  }
  // Not received as a frame (cannot happen with fixguard's transport): the
  // message as QuickFIX parsed it is the best there is.
  log::warn(slot.name(), "raw text of an inbound message not found; forwarding QuickFIX's rendering");
  return message.toString();
}

std::string describe(const risk::ControlsRecord& r) {
  std::string s = std::string(risk::scope_kind_name(r.kind)) + (r.name.empty() ? "" : " " + r.name) + ": " +
                  std::string(risk::trading_state_name(r.state.state));
  if (!r.state.reason.empty()) s += " (" + r.state.reason + ")";
  if (r.zone.state != risk::TradingState::active || r.size_factor)
    s += ", zone " + std::string(risk::trading_state_name(r.zone.state)) +
         (r.size_factor ? " size x" + r.size_factor->to_string() : "") + " (" + r.zone.reason + ")";
  s += ", emergency stop " + std::string(risk::phase_name(r.stop.phase));
  if (!r.stop.reason.empty()) s += " (" + r.stop.reason + ")";
  if (!r.stop.last_reset.empty()) s += ", last reset: " + r.stop.last_reset;
  if (r.monitor)
    s += ", peak equity " + r.monitor->peak.to_string() + ", day-start " + r.monitor->day_start.to_string();
  if (r.equity) s += ", equity set to " + r.equity->to_string();
  return s;
}

}  // namespace

int64_t Router::now_ns() {
  if (t_instant_ns) return t_instant_ns;
  using namespace std::chrono;
  return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

int32_t Router::today() const {
  return calendar_.day(std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(now_ns()))));
}

Router::Instant::Instant() : nested_(t_instant_ns != 0) {
  if (nested_) return;  // already held, by a caller up the stack
  using namespace std::chrono;
  t_instant_ns = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count() * 1000;
}

Router::Instant::~Instant() {
  if (!nested_) t_instant_ns = 0;
}

void Router::add(SessionSlot& slot) {
  slots_[slot.session->getSessionID()] = &slot;
  // What toApp() left to be journaled as it is stored (see toApp()).
  if (slot.store)
    slot.store->on_stored([this, &slot](const std::string& message) {
      if (!slot.journal_when_stored) return;
      slot.journal_when_stored = false;
      journal_sent(slot, message);
    });
  if (slot.side == SessionSlot::Side::client) puller_.add_client(slot);
}

void Router::settle() {
  for (risk::Pull& p : engine_.take_pulls()) {
    log::warn("risk", "pulling open orders of " +
                          (p.kind == risk::ScopeKind::global ? std::string("every account") : "account " + p.name) +
                          ": " + p.reason);
    pending_pulls_.push_back(std::move(p));
  }
  for (auto it = pending_pulls_.begin(); it != pending_pulls_.end();) {
    const risk::Pull& p = *it;
    const bool sent = puller_.pull(
        [&](const risk::OpenOrder& o) { return p.kind == risk::ScopeKind::global || puller_.account_of(o) == p.name; },
        p.reason);
    if (!sent) {
      ++it;
      continue;
    }
    engine_.acted(p);
    if (p.flatten) flatten(p.name, p.reason);
    it = pending_pulls_.erase(it);
  }
  const std::vector<risk::ControlsRecord> changes = engine_.take_changes();
  try {
    controls_.save(changes, now_ns() / 1000);
  } catch (const std::exception& e) {
    log::error("risk", e.what());
  }
  for (const risk::ControlsRecord& r : changes) {
    persistence::JournalEntry e = journal_entry(persistence::JournalEntry::Kind::control);
    if (r.kind == risk::ScopeKind::account) e.account = r.name;
    if (r.kind == risk::ScopeKind::client) e.client = r.name;
    if (r.kind == risk::ScopeKind::venue) e.venue = r.name;
    e.limits_version = std::string(engine_.limits_version());
    e.text = describe(r);
    journal_.append(std::move(e));
  }
  commit_journal();
}

bool Router::commit_journal() {
  request_flush_();
  return journal_.fault().empty();
}

void Router::end_batch() {
  write_journal();
  if (waiting_.empty()) return;
  std::vector<Waiting> batch;
  batch.swap(waiting_);
  // Fail closed: what the journal does not hold does not leave. What it
  // holds (all, unless this write failed; then what a read earlier in the
  // batch wrote) leaves: those come first, the entries being in order.
  const auto unwritten =
      std::find_if(batch.begin(), batch.end(), [&](const Waiting& w) { return !journal_.written(w.seq); });
  for (auto w = batch.begin(); w != unwritten; ++w) forward(*w);
  // The others' entries give way to the rejects' (the latest first, so that
  // the earlier ones keep their numbers).
  for (auto w = batch.end(); w != unwritten;) journal_.withdraw((--w)->seq);
  for (auto w = unwritten; w != batch.end(); ++w)
    refuse_after_checks(*w, std::string(kNoJournal) + journal_.fault() + ")");
}

void Router::forward(Waiting& w) {
  SessionSlot& venue = *w.client->venue_slot;
  // Lost between the order's checks and its batch's end (a read of the
  // venue's socket in between found it closed). QuickFIX would keep what is
  // sent now for a resend after the next logon, where it would leave late,
  // PossDup, the strategy told nothing meanwhile: it never leaves.
  if (!venue.logged_on()) return unsent(w, "venue " + venue.name() + " was lost before the message left");
  const auto parts = fix::split(w.raw);  // split before: cannot fail
  FIX::Message out = fix::make_forward(*parts, w.body);
  if (!venue.session->send(out)) return unsent(w, "venue " + venue.name() + " did not accept the message");
  if (w.is_order) {
    metrics_.forwarded(w.type[0]);
    if (w.type != "F") last_client_[{w.account, w.symbol}] = w.client;
  }
}

void Router::unsent(const Waiting& w, const std::string& why) {
  // Only an order's: recovery and replay take an "unsent" entry's ClOrdID
  // as an order that is not open (a status request names an open one).
  if (w.is_order) journal_.append(order_entry(*w.client, w.raw, w.type, "unsent", nullptr, why));
  refuse_after_checks(w, why);
}

void Router::refuse_after_checks(const Waiting& w, const std::string& why) {
  if (w.is_order) engine_.on_refused(w.client->name(), w.cl_ord_id, false, now_ns(), today());
  reject_unforwarded(*w.client, w.raw, w.type, why + std::string(kRefusedAfterChecks));
}

bool Router::write_journal() {
  if (journal_.commit()) {
    if (journal_fault_logged_) log::warn("journal", "written again: orders are accepted again");
    journal_fault_logged_ = false;
    return true;
  }
  if (!journal_fault_logged_)
    log::error("journal", "cannot be written (" + journal_.fault() + "): orders are rejected until it can; " +
                              std::to_string(journal_.pending()) + " entries wait in memory");
  journal_fault_logged_ = true;
  return false;
}

persistence::JournalEntry Router::journal_entry(persistence::JournalEntry::Kind kind) const {
  persistence::JournalEntry e;
  e.at_us = now_us();
  e.day = today();
  e.kind = kind;
  return e;
}

persistence::JournalEntry Router::order_entry(const SessionSlot& client, const std::string& raw,
                                              const std::string& type, const char* outcome,
                                              const risk::Decision* decision, std::string text) const {
  persistence::JournalEntry e = message_entry(persistence::JournalEntry::Kind::order, client, raw, client.name());
  e.msg_type = type;
  e.outcome = outcome;
  e.mode = observe_ ? "observe" : "enforce";
  e.limits_version = std::string(engine_.limits_version());
  if (decision) {
    e.rule = std::string(risk::info(decision->rule).id);
    e.limit = decision->limit.to_string();
    e.observed = decision->observed.to_string();
    if (!decision->limits_version.empty()) e.limits_version = std::string(decision->limits_version);
  }
  e.text = std::move(text);
  return e;
}

persistence::JournalEntry Router::message_entry(persistence::JournalEntry::Kind kind, const SessionSlot& slot,
                                                const std::string& raw, const std::string& client) const {
  persistence::JournalEntry e = journal_entry(kind);
  if (slot.side == SessionSlot::Side::venue) {
    e.venue = slot.name();
    e.client = client;
  } else {
    e.client = slot.name();
    if (slot.venue_slot) e.venue = slot.venue_slot->name();
  }
  const fix::EntryKeys keys = fix::entry_keys(raw);
  e.msg_type = keys.msg_type;
  e.cl_ord_id = keys.cl_ord_id;
  e.account = keys.account;
  e.symbol = keys.symbol;
  e.raw = raw;
  return e;
}

void Router::toAdmin(FIX::Message& message, const FIX::SessionID& id) {
  SessionSlot* slot = find(id);
  if (slot) slot->journal_when_stored = false;  // an admin message is not journaled
  if (message.getHeader().getField(FIX::FIELD::MsgType) != "A") return;
  if (!slot || slot->side != SessionSlot::Side::venue) return;
  if (!slot->venue->username.empty()) message.setField(FIX::FIELD::Username, slot->venue->username);
  if (!slot->venue->password.empty()) message.setField(FIX::FIELD::Password, slot->venue->password);
}

SessionSlot* Router::find(const FIX::SessionID& id) const {
  const auto it = slots_.find(id);
  return it == slots_.end() ? nullptr : it->second;
}

void Router::onLogon(const FIX::SessionID& id) {
  if (SessionSlot* slot = find(id)) {
    log::info(slot->name(), std::string(slot->side == SessionSlot::Side::venue ? "venue" : "client") +
                                " session logged on (" + id.toString() + ")");
    slot->logout_received = false;
    if (logon_hook_) logon_hook_(*slot);
    if (slot->side == SessionSlot::Side::venue) {
      ask_status(*slot);
      settle();  // pulls that waited for this venue
    }
  }
}

void Router::reconcile_after_restart() {
  for (const auto& [id, slot] : slots_)
    if (slot->side == SessionSlot::Side::venue) venue_down(*slot, "restarted");
}

void Router::venue_down(SessionSlot& venue, const std::string& why) {
  Reconciliation& r = reconciling_[venue.name()];
  r.asked = false;
  engine_.portfolio().for_each_order([&](const risk::OpenOrder& o) {
    for (const SessionSlot* c : venue.clients)
      if (c->name() == o.client) r.unknown.emplace(o.client, o.cl_ord_id);
  });
  if (r.unknown.empty()) {
    reconciling_.erase(venue.name());
    return;
  }
  log::warn(venue.name(), why + ": " + std::to_string(r.unknown.size()) +
                              " open orders in an unknown state until the venue confirms them");
}

void Router::ask_status(SessionSlot& venue) {
  const auto it = reconciling_.find(venue.name());
  if (it == reconciling_.end()) return;
  Reconciliation& r = it->second;
  r.asked = true;
  r.deadline_ns = now_ns() + kReconcileTimeoutNs;
  std::size_t asked = 0;
  engine_.portfolio().for_each_order([&](const risk::OpenOrder& o) {
    if (!r.unknown.count({o.client, o.cl_ord_id})) return;
    const SessionSlot* client = nullptr;
    for (const SessionSlot* c : venue.clients)
      if (c->name() == o.client) client = c;
    if (!client) return;
    const risk::Portfolio& p = engine_.portfolio();
    FIX::Message h;
    h.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderStatusRequest));
    h.setField(FIX::ClOrdID(client->client->clordid_prefix + o.cl_ord_id));
    h.setField(FIX::FieldBase(FIX::FIELD::Side, std::string(1, o.side ? o.side : '1')));
    h.setField(FIX::Symbol(p.instrument_name(p.positions()[o.position].instrument)));
    if (venue.session->send(h)) ++asked;
  });
  // Orders the venue's resend already closed are no longer open: no answer comes.
  for (auto u = r.unknown.begin(); u != r.unknown.end();)
    u = engine_.portfolio().order(u->first, u->second) ? std::next(u) : r.unknown.erase(u);
  log::info(venue.name(), "reconciling: status asked for " + std::to_string(asked) + " open orders");
  if (r.unknown.empty()) {
    log::info(venue.name(), "reconciled: every open order confirmed");
    reconciling_.erase(it);
  }
}

void Router::reconciled(const std::string& client, std::string_view cl_ord_id) {
  for (auto it = reconciling_.begin(); it != reconciling_.end(); ++it) {
    Reconciliation& r = it->second;
    if (!r.unknown.erase({client, std::string(cl_ord_id)})) continue;
    if (r.unknown.empty() && r.asked) {
      log::info(it->first, "reconciled: every open order confirmed; accepting orders again");
      reconciling_.erase(it);
    }
    return;
  }
}

void Router::check_reconciliations() {
  const int64_t now = now_ns();
  for (auto it = reconciling_.begin(); it != reconciling_.end();) {
    const Reconciliation& r = it->second;
    if (!r.asked || now < r.deadline_ns) {
      ++it;
      continue;
    }
    std::string ids;
    for (const auto& [client, id] : r.unknown) ids += " " + client + "/" + id;
    log::error(it->first, "reconciliation timed out: no status from the venue for" + ids +
                              "; they stay counted as open; accepting orders again");
    it = reconciling_.erase(it);
  }
}

std::size_t Router::unreconciled(const std::string& venue) const {
  const auto it = reconciling_.find(venue);
  return it == reconciling_.end() ? 0 : it->second.unknown.size();
}

int Router::flatten(const std::string& account, const std::string& why, std::string_view symbol) {
  const risk::Portfolio& portfolio = engine_.portfolio();
  const auto account_id = portfolio.find_account(account);
  if (!account_id) return 0;
  int sent = 0;
  // Copied first: recording each order changes the positions.
  std::vector<std::pair<std::string, risk::Quantity>> open;
  for (const risk::PositionState& p : portfolio.positions())
    if (p.account == *account_id && !p.qty.is_zero() &&
        (symbol.empty() || portfolio.instrument_name(p.instrument) == symbol))
      open.emplace_back(portfolio.instrument_name(p.instrument), p.qty);
  for (const auto& [symbol, qty] : open) {
    const auto c = last_client_.find({account, symbol});
    SessionSlot* client = c == last_client_.end() ? nullptr : c->second;
    if (!client || !client->venue_slot->logged_on()) {
      log::error("risk", "cannot flatten " + account + " " + symbol + ": no connected session traded it");
      continue;
    }
    const bool sell = qty.units() > 0;
    const risk::Quantity size = sell ? qty : risk::Quantity() - qty;
    const std::string id = "FGF-" + std::to_string(now_ns() / 1000) + "-" + std::to_string(++flatten_sent_);
    risk::OrderRequest order;
    order.kind = risk::RequestKind::new_order;
    order.cl_ord_id = id;
    order.account = account;
    order.symbol = symbol;
    order.side = sell ? '2' : '1';
    order.ord_type = '1';
    order.time_in_force = '3';
    order.quantity = size;
    FIX::Message m;
    m.getHeader().setField(FIX::MsgType(FIX::MsgType_NewOrderSingle));
    m.setField(FIX::ClOrdID(id));
    if (!account.empty()) m.setField(FIX::Account(account));
    m.setField(FIX::Symbol(symbol));
    m.setField(FIX::FieldBase(FIX::FIELD::Side, std::string(1, order.side)));
    m.setField(FIX::FieldBase(FIX::FIELD::OrderQty, size.to_string()));
    m.setField(FIX::OrdType(FIX::OrdType_MARKET));
    m.setField(FIX::TimeInForce(FIX::TimeInForce_IMMEDIATE_OR_CANCEL));
    m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 3));
    // In the journal, as its client's own orders are, before it leaves:
    // written now (it is sent at once, not at the batch's end).
    journal_.append(
        order_entry(*client, m.toString(), "D", "accepted", nullptr, "fixguard's own order: flatten: " + why));
    if (!write_journal()) {
      journal_.retract();
      log::error(client->name(),
                 "flattening order for " + account + " " + symbol + " not sent: the journal cannot be written");
      continue;
    }
    engine_.sent(order, client->name(), now_ns(), today());
    m.setField(FIX::ClOrdID(client->client->clordid_prefix + id));
    if (!client->venue_slot->session->send(m)) {
      engine_.on_refused(client->name(), id, false, now_ns(), today());
      log::error(client->name(), "venue did not take flattening order " + id);
      continue;
    }
    ++sent;
    log::warn(client->name(), "flattening " + account + " " + symbol + ": " + (sell ? "sell " : "buy ") +
                                  size.to_string() + " at market (" + id + "): " + why);
  }
  return sent;
}

bool Router::pull_scope(risk::ScopeKind kind, const std::string& name, const std::string& why) {
  return puller_.pull(
      [&](const risk::OpenOrder& o) {
        switch (kind) {
          case risk::ScopeKind::global:
            return true;
          case risk::ScopeKind::account:
            return puller_.account_of(o) == name;
          case risk::ScopeKind::client:
            return o.client == name;
          case risk::ScopeKind::venue:
            for (const auto& [id, slot] : slots_)
              if (slot->side == SessionSlot::Side::client && slot->name() == o.client)
                return slot->venue_slot->name() == name;
            return false;
          default:
            return false;
        }
      },
      why);
}

void Router::onLogout(const FIX::SessionID& id) {
  SessionSlot* slot = find(id);
  if (!slot) return;
  log::info(slot->name(), std::string("session ") + (slot->logout_received ? "logged out" : "disconnected") + " (" +
                              id.toString() + ")");
  if (slot->side == SessionSlot::Side::venue && !stopping_) venue_down(*slot);
  if (slot->side != SessionSlot::Side::client || stopping_ || !slot->client->cancel_on_disconnect) return;
  if (slot->logout_received && !slot->client->cancel_on_logout) return;
  const std::string why = slot->logout_received ? "cancel on logout" : "cancel on disconnect";
  if (!puller_.pull([&](const risk::OpenOrder& o) { return o.client == slot->name(); }, why))
    log::error(slot->name(), why + ": some open orders could not be cancelled (venue not logged on)");
}

void Router::fromAdmin(const FIX::Message& message, const FIX::SessionID& id) {
  const Instant instant;
  SessionSlot* slot = find(id);
  if (!slot) return;
  FIX::MsgType type;
  message.getHeader().getField(type);
  if (slot->side == SessionSlot::Side::client) {
    if (type.getValue() == FIX::MsgType_Logout) slot->logout_received = true;
    return;
  }
  // A session-level Reject from the venue about a message fixguard forwarded
  // is an order that did not reach the book: its owner must hear of it.
  if (type.getValue() != FIX::MsgType_Reject) return;
  FIX::RefSeqNum ref;
  FIX::Text text;
  message.getFieldIfSet(text);
  const std::string sent = message.getFieldIfSet(ref) ? slot->store->find(ref.getValue()) : std::string();
  const std::string sent_type(fix::find_field(sent, 35).value_or(""));
  SessionSlot* owner = config::is_order_entry_type(sent_type) ? owner_of(*slot, sent, sent_type) : nullptr;
  const std::string raw = raw_of(*slot, message);
  journal_message(persistence::JournalEntry::Kind::venue, *slot, raw, owner ? owner->name() : "");
  const auto parts = fix::split(sent);
  if (!owner || !parts) {
    keep_unrouted(*slot, raw, "session Reject of a message no client owns: " + text.getValue());
    return;
  }
  // The order as the client sent it, so the reject names the client's IDs.
  const std::string as_sent = "35=" + sent_type + "\x01" + client_body(*owner, parts->body);
  if (const auto id = fix::find_field(as_sent, 11)) engine_.on_refused(owner->name(), *id, true, now_ns(), today());
  settle();
  reject_unforwarded(*owner, as_sent, sent_type, "venue " + slot->name() + " rejected the message: " + text.getValue());
}

void Router::track(const SessionSlot& venue, std::string_view client, const std::string& type, std::string_view body,
                   bool reused) {
  if (type == "8") {
    const auto decoded = fix::decode_execution(body);
    if (const auto* error = std::get_if<fix::DecodeError>(&decoded)) {
      log::error(client.empty() ? "risk" : std::string(client),
                 "execution report not applied to the risk state: " + error->reason);
      return;
    }
    const auto& e = std::get<risk::Execution>(decoded);
    const risk::ExecutionOutcome done = engine_.on_execution(client, e, now_ns(), today());
    if (done.correction != risk::TradeCorrection::none) {
      trade_corrected(venue, client, e, done.correction);
    } else if (reused && done.traded) {
      exec_id_reused(venue, e.exec_id);
    }
  } else if (type == "9" && !client.empty()) {
    if (const auto id = fix::find_field(body, 11)) engine_.portfolio().on_cancel_reject(client, *id);
  } else if (type == "j" && !client.empty()) {
    if (const auto id = fix::find_field(body, 379)) engine_.on_refused(client, *id, true, now_ns(), today());
  }
}

std::string Router::client_body(const SessionSlot& owner, std::string_view venue_body) {
  return fix::without_prefix(venue_body, owner.client->clordid_prefix);
}

void Router::toApp(FIX::Message& message, const FIX::SessionID& id) {
  SessionSlot* slot = find(id);
  if (!slot) return;
  FIX::PossDupFlag poss_dup(false);
  FIX::MsgSeqNum seq;
  if (message.getHeader().getFieldIfSet(poss_dup) && poss_dup.getValue() && message.getHeader().getFieldIfSet(seq)) {
    // A resend: QuickFIX re-parsed the stored message, which reorders body
    // fields by tag. Put back the body exactly as it was first sent.
    const std::string stored = slot->store->find(seq.getValue());
    if (!stored.empty()) fix::restore_body(message, stored);
    journal_sent(*slot, message.toString());  // a resend is not stored again
    return;
  }
  // Sent for the first time: QuickFIX serializes it and stores it before it
  // sends it. It is journaled then, as sent (the store's on_stored), and
  // serialized once.
  slot->journal_when_stored = true;
}

void Router::journal_sent(const SessionSlot& slot, const std::string& raw) {
  if (slot.side == SessionSlot::Side::client) {
    journal_message(persistence::JournalEntry::Kind::client, slot, raw, slot.name());
    return;
  }
  const std::string type(fix::find_field(raw, 35).value_or(""));
  const SessionSlot* owner = owner_of(slot, raw, type);
  journal_message(persistence::JournalEntry::Kind::out, slot, raw, owner ? owner->name() : "");
}

void Router::fromApp(const FIX::Message& message, const FIX::SessionID& id) {
  const Instant instant;
  SessionSlot* slot = find(id);
  if (!slot) throw FIX::UnsupportedMessageType();
  FIX::MsgType type;
  message.getHeader().getField(type);
  const std::string raw = raw_of(*slot, message);
  if (slot->side == SessionSlot::Side::client)
    from_client(*slot, raw, type.getValue());
  else
    from_venue(*slot, raw, type.getValue());
  settle();
}

void Router::from_client(SessionSlot& client, const std::string& raw, const std::string& type) {
  if (!config::is_order_entry_type(type) && !client.client->pass_through.count(type)) {
    log::info(client.name(), "refused unsupported MsgType " + type);
    throw FIX::UnsupportedMessageType();  // QuickFIX answers 35=j 380=3
  }
  if (type == "D" || type == "G" || type == "F") metrics_.order_in(type[0]);
  // Fail closed: nothing passes that the journal could not record.
  // (A journal that is written but cannot be synced counts as unwritable.)
  if (!journal_.fault().empty() && (!write_journal() || !journal_.fault().empty())) {
    reject_unforwarded(client, raw, type, std::string(kNoJournal) + journal_.fault() + "): not forwarded");
    return;
  }
  observed_.reset();
  std::optional<risk::OrderRequest> order;
  if (type == "D" || type == "G" || type == "F") {
    order = checked_order(client, raw, type);
    if (!order) return;
  }
  SessionSlot& venue = *client.venue_slot;
  if (!venue.logged_on()) {
    reject_unforwarded(client, raw, type, "venue " + venue.name() + " is not connected");
    return;
  }
  if (const auto r = reconciling_.find(venue.name()); r != reconciling_.end() && type != "F") {
    reject_unforwarded(client, raw, type,
                       "venue " + venue.name() + " is reconciling " + std::to_string(r->second.unknown.size()) +
                           " open orders after its session was lost");
    return;
  }
  const auto parts = fix::split(raw);
  if (!parts) {
    reject_unforwarded(client, raw, type, "message could not be split into header and body");
    return;
  }
  const std::string& prefix = client.client->clordid_prefix;
  std::string body =
      prefix.empty()
          ? std::string(parts->body)
          : fix::map_order_ids(parts->body, {11, 41}, [&](int, std::string_view v) { return prefix + std::string(v); });
  if (order) {
    // Counted before it leaves: the state never lags what the venue has.
    try {
      engine_.sent(*order, client.name(), now_ns(), today());
    } catch (const std::exception& e) {
      reject_unforwarded(client, raw, type, std::string("INTERNAL_ERROR recording the order: ") + e.what(),
                         &risk::info(risk::Rule::internal_error));
      return;
    }
  }
  // Write-ahead: the decision is written before the order can leave.
  const int64_t seq =
      journal_.append(observed_ ? std::move(*observed_) : order_entry(client, raw, type, "accepted", nullptr, ""));
  observed_.reset();
  // Written with everything else of this batch, at its end.
  waiting_.push_back(Waiting{
      &client, std::move(body), raw, type, order.has_value(), order ? std::string(order->cl_ord_id) : std::string(),
      order ? std::string(order->account) : std::string(), order ? std::string(order->symbol) : std::string(), seq});
  request_flush_();
}

std::optional<risk::OrderRequest> Router::checked_order(SessionSlot& client, const std::string& raw,
                                                        const std::string& type) {
  const auto decoded = fix::decode_order(raw);
  if (const auto* error = std::get_if<fix::DecodeError>(&decoded)) {
    // Fail closed: an order whose values cannot be read exactly is not sent.
    reject_unforwarded(client, raw, type, "INVALID_ORDER " + error->reason, &risk::info(risk::Rule::invalid_order));
    return std::nullopt;
  }
  risk::OrderRequest order = std::get<risk::OrderRequest>(decoded);
  // A replace or cancel without Account (1) acts on its original order's
  // account: it is checked against that account's limits.
  engine_.portfolio().take_original_account(order, client.name(), inherited_account_);
  if (ids_ && !first_use(client, raw, type, order)) return std::nullopt;
  std::optional<risk::Decision> decision;
  try {
    if (!client.risk_session) client.risk_session = engine_.session(client.venue_slot->name(), client.name());
    const auto started = std::chrono::steady_clock::now();
    decision = engine_.decide(order, *client.risk_session, now_ns(), today());
    metrics_.decision_took(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
  } catch (const std::exception& e) {
    reject_unforwarded(client, raw, type, std::string("INTERNAL_ERROR in the risk checks: ") + e.what(),
                       &risk::info(risk::Rule::internal_error));
    return std::nullopt;
  }
  if (!decision) return order;
  const std::string text = risk::describe(*decision);
  const std::string version = " (limits " + std::string(decision->limits_version) + ")";
  if (observe_) {
    log::info(client.name(), "observe mode, would reject " + type + " ClOrdID=" + std::string(order.cl_ord_id) + ": " +
                                 text + version);
    observed_ = order_entry(client, raw, type, "accepted", &*decision, "would reject: " + text);
    return order;
  }
  reject_unforwarded(client, raw, type, text, &risk::info(decision->rule), &*decision);
  return std::nullopt;
}

bool Router::first_use(SessionSlot& client, const std::string& raw, const std::string& type,
                       const risk::OrderRequest& order) {
  const int32_t day = today();
  if (ids_->seen(client.name(), day, order.cl_ord_id)) {
    if (order.poss_dup || order.poss_resend) {
      using Outcome = persistence::Journal::Decided::Outcome;
      persistence::Journal::Decided decided{Outcome::accepted, {}, {}};  // unless the journal says otherwise
      try {
        decided = journal_.decided(client.name(), order.cl_ord_id, day);
      } catch (const std::exception& e) {
        log::error("journal", std::string("cannot be read: ") + e.what());
      }
      if (decided.outcome == Outcome::none) {
        // Recorded, then fixguard stopped before deciding on it (or before
        // it left): this resend is the order's first chance.
        log::warn(client.name(), "resend of " + type + " ClOrdID=" + std::string(order.cl_ord_id) +
                                     " never decided on before: deciding now");
        return true;
      }
      if (decided.outcome == Outcome::rejected) {
        // Rejected and never forwarded: the strategy may never have had
        // the reject (fixguard can stop after recording it and before the
        // reply leaves), so it gets the same reject again.
        log::warn(client.name(), "possible resend of " + type + " ClOrdID=" + std::string(order.cl_ord_id) +
                                     " rejected before: rejected again");
        reject_unforwarded(client, raw, type, decided.text, risk::find_rule(decided.rule), nullptr, true);
        return false;
      }
      // The strategy is resending what it may have sent: what was forwarded
      // once is never forwarded again, and no reject contradicts it.
      log::warn(client.name(), "possible resend of " + type + " ClOrdID=" + std::string(order.cl_ord_id) +
                                   " already seen today: not forwarded again");
      journal_.append(order_entry(client, raw, type, "dropped", nullptr, "possible resend, already seen today"));
      return false;
    }
    const risk::Decision d = risk::duplicate_clordid(client.name(), order.cl_ord_id);
    if (observe_) {
      log::info(client.name(), "observe mode, would reject " + type + " ClOrdID=" + std::string(order.cl_ord_id) +
                                   ": " + risk::describe(d));
      observed_ = order_entry(client, raw, type, "accepted", &d, "would reject: " + risk::describe(d));
      return true;
    }
    reject_unforwarded(client, raw, type, risk::describe(d), &risk::info(d.rule), &d);
    return false;
  }
  try {
    id_store_.add(client.name(), day, order.cl_ord_id);  // before anything can be forwarded
  } catch (const std::exception& e) {
    reject_unforwarded(client, raw, type, std::string("INTERNAL_ERROR ") + e.what(),
                       &risk::info(risk::Rule::internal_error));
    return false;
  }
  ids_->remember(client.name(), day, order.cl_ord_id);
  return true;
}

void Router::reject_unforwarded(SessionSlot& client, const std::string& raw, const std::string& type,
                                const std::string& why, const risk::RuleInfo* rule, const risk::Decision* decision,
                                bool again) {
  const std::string& begin = client.config->begin_string;
  FIX::Message reject;
  if (type == "D") {
    reject = fix::reject_new_order(raw, begin, fix::ord_rej_reason_for(begin, rule ? rule->ord_rej_reason : 99), why);
  } else if (type == "F" || type == "G") {
    reject = fix::reject_cancel(raw, fix::cxl_rej_reason_for(begin, rule ? rule->cxl_rej_reason : 99), why);
  } else {
    reject = fix::business_reject(raw, FIX::BusinessRejectReason_APPLICATION_NOT_AVAILABLE, why);
  }
  // What the strategy may have had already under another MsgSeqNum: it
  // says so, so that a strategy that did can tell it from a new answer.
  if (again) reject.getHeader().setField(FIX::PossResend(true));
  if (type == "D" || type == "G" || type == "F") metrics_.rejected(rule ? rule->rule : risk::Rule::count_);
  const auto id = fix::find_field(raw, 11);
  const std::string_view version = decision ? decision->limits_version : std::string_view();
  log::info(client.name(), "rejected " + type + (id ? " ClOrdID=" + std::string(*id) : std::string()) + ": " + why +
                               (version.empty() ? "" : " (limits " + std::string(version) + ")"));
  persistence::JournalEntry e = order_entry(client, raw, type, "rejected", decision, why);
  if (rule && !decision) e.rule = std::string(rule->id);
  const int64_t at = journal_.append(std::move(e));
  client.session->send(reject);  // QuickFIX fills in the header
  journal_.set_reply(at, reject.toString());
}

SessionSlot* Router::owner_of(const SessionSlot& venue, const std::string& raw, const std::string& type) const {
  if (venue.clients.size() == 1 && venue.clients.front()->client->clordid_prefix.empty()) return venue.clients.front();
  auto by_prefix = [&](std::string_view id) -> SessionSlot* {
    for (SessionSlot* c : venue.clients) {
      const std::string& p = c->client->clordid_prefix;
      if (!p.empty() && id.size() > p.size() && id.compare(0, p.size(), p) == 0) return c;
    }
    return nullptr;
  };
  for (int tag : {11, 41}) {
    if (const auto id = fix::find_field(raw, tag))
      if (SessionSlot* c = by_prefix(*id)) return c;
  }
  if (type == "j") {
    // BusinessRejectRefID, else the forwarded message it refers to.
    if (const auto id = fix::find_field(raw, 379))
      if (SessionSlot* c = by_prefix(*id)) return c;
    if (const auto ref = fix::find_field(raw, 45)) {
      if (const int seq = fix::parse_seqnum_value(*ref); seq > 0) {
        const std::string sent = venue.store->find(seq);
        if (const auto id = fix::find_field(sent, 11))
          if (SessionSlot* c = by_prefix(*id)) return c;
      }
    }
  }
  return nullptr;
}

void Router::exec_id_reused(const SessionSlot& venue, std::string_view exec_id) {
  metrics_.exec_id_reused();
  // Said at the first and then at each power of ten: a venue that reuses
  // every ExecID does not flood the log; the metric counts them all.
  const uint64_t n = metrics_.exec_ids_reused();
  uint64_t power = 1;
  while (power * 10 <= n) power *= 10;
  if (n != power) return;
  log::warn(venue.name(), "ExecutionReport ExecID=" + std::string(exec_id) +
                              " used before by this venue without PossDup or PossResend: its fill is applied again" +
                              " (ExecIDs should be unique for the day; " + std::to_string(n) +
                              " such report(s) so far, see fixguard_exec_ids_reused_total)");
}

void Router::trade_corrected(const SessionSlot& venue, std::string_view client, const risk::Execution& e,
                             risk::TradeCorrection done) {
  const bool applied = done == risk::TradeCorrection::applied;
  metrics_.trade_corrected(applied);
  const bool corrects = risk::trade_correction(e) == 'G';
  std::string s = "ExecutionReport ExecID=" + std::string(e.exec_id) + (corrects ? " corrects" : " cancels") +
                  " the fill ExecRefID=" + std::string(e.exec_ref_id.empty() ? "(none)" : e.exec_ref_id) +
                  " of ClOrdID=" + std::string(e.cl_ord_id) + (client.empty() ? "" : " of " + std::string(client));
  if (applied) {
    s += corrects ? ": booked again as corrected, " + e.last_qty.to_string() + " at " + e.last_px.to_string()
                  : ": taken back from its position";
  } else if (done == risk::TradeCorrection::unknown) {
    s += ": NOT applied, no such fill is kept (today's and yesterday's are); the position keeps it, check it";
  } else {
    s += ": NOT applied (that ExecID named two fills, its fill was taken back already, the instrument or side "
         "differ, or a correction without LastQty and LastPx); check the position";
  }
  log::warn(venue.name(), s);
}

void Router::keep_unrouted(const SessionSlot& venue, const std::string& raw, const std::string& why) {
  log::warn(venue.name(), "unrouted message kept (" + why + "): " + log::printable_fix(raw));
  unrouted_.add(persistence::UnroutedMessage{now_us(), venue.name(), why, raw});
}

void Router::from_venue(SessionSlot& venue, const std::string& raw, const std::string& type) {
  bool routable = is_venue_reply(type);
  for (const SessionSlot* c : venue.clients) routable = routable || c->client->pass_through.count(type);
  if (!routable) {
    log::info(venue.name(), "refused unsupported MsgType " + type + " from venue");
    throw FIX::UnsupportedMessageType();
  }
  SessionSlot* owner = owner_of(venue, raw, type);
  journal_message(persistence::JournalEntry::Kind::venue, venue, raw, owner ? owner->name() : "");
  const auto seen = type == "8" ? applied_reports_.check(venue.name(), raw, today()) : AppliedReports::Seen::first;
  const bool repeated = seen == AppliedReports::Seen::resent;
  if (repeated) {
    metrics_.report_resent();
    log::info(venue.name(), "ExecutionReport ExecID=" + std::string(fix::find_field(raw, 17).value_or("")) +
                                " resent (PossDup or PossResend): already applied to the risk state, forwarded only");
  }
  const bool reused = seen == AppliedReports::Seen::reused;
  if (!owner) {
    if (const auto parts = fix::split(raw); parts && !repeated) track(venue, "", type, parts->body, reused);
    keep_unrouted(venue, raw, "no client owns ClOrdID " + std::string(fix::find_field(raw, 11).value_or("(none)")));
    return;
  }
  const auto parts = fix::split(raw);
  if (!parts) {
    keep_unrouted(venue, raw, "message could not be split into header and body");
    return;
  }
  const std::string body = client_body(*owner, parts->body);
  if (!repeated) track(venue, owner->name(), type, body, reused);
  if (!reconciling_.empty() && (type == "8" || type == "9"))
    for (int tag : {11, 41})
      if (const auto id = fix::find_field(body, tag)) reconciled(owner->name(), *id);
  FIX::Message out = fix::make_forward(*parts, body);
  // A report fixguard had before goes on as one the strategy may have had
  // too (PossResend): the venue leg's PossDupFlag is not the client leg's.
  if (repeated) out.getHeader().setField(FIX::PossResend(true));
  // Stored by the client's session even while it is offline, and delivered
  // by its resend when it logs on again.
  owner->session->send(out);
}

}  // namespace fixguard::proxy
