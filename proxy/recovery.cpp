#include "proxy/recovery.h"

#include "fix/forwarding.h"
#include "fix/log.h"
#include "fix/order_decoder.h"
#include "fix/raw_fields.h"
#include "proxy/operator_action.h"
#include "risk/engine.h"

#include <variant>

namespace fixguard::proxy {
namespace {

using persistence::JournalEntry;

}  // namespace

RecoveryStats replay_journal(const persistence::JournalReader& journal, risk::Portfolio& portfolio,
                             const std::map<std::string, std::string>& prefixes, AppliedReports& applied,
                             int64_t before_seq) {
  RecoveryStats stats;
  std::map<std::string, Unconfirmed> unconfirmed;  // by venue ClOrdID
  const auto venue_id = [&](const std::string& client, const std::string& cl_ord_id) {
    const auto prefix = prefixes.find(client);
    return (prefix == prefixes.end() ? "" : prefix->second) + cl_ord_id;
  };
  const auto skip = [&](const JournalEntry& e, const std::string& why) {
    ++stats.skipped;
    log::error("recovery", "journal entry " + std::to_string(e.seq) + " not applied: " + why);
  };
  journal.each([&](const JournalEntry& e) {
    if (before_seq && e.seq >= before_seq) return;
    ++stats.entries;
    const int64_t now_ns = e.at_us * 1000;
    if (e.kind == JournalEntry::Kind::order && e.outcome == "accepted" &&
        (e.msg_type == "D" || e.msg_type == "G" || e.msg_type == "F")) {
      const auto decoded = fix::decode_order(e.raw, fix::Decoding::journaled);
      if (const auto* error = std::get_if<fix::DecodeError>(&decoded)) return skip(e, error->reason);
      risk::OrderRequest order = std::get<risk::OrderRequest>(decoded);
      std::string inherited;
      portfolio.take_original_account(order, e.client, inherited);
      portfolio.on_sent(e.client, order, risk::Engine::valuation(order, portfolio.mark(order.symbol)), now_ns, e.day);
      ++stats.orders;
      const std::string id = venue_id(e.client, e.cl_ord_id);
      unconfirmed[id] = Unconfirmed{e.client, e.venue, e.cl_ord_id, id, e.msg_type, e.day};
      return;
    }
    // Reference prices pushed by an operator or read from the marks file, at
    // their place in the flow: the orders after them are measured as they were
    // live (a market order or a sell below the market at the mark), and the
    // last one is in force again.
    if (e.kind == JournalEntry::Kind::control ||
        (e.kind == JournalEntry::Kind::operator_action && e.outcome == "done")) {
      if (const auto action = OperatorAction::parse(e.raw); action && action->what == "mark")
        if (const auto price = risk::Price::parse(action->value)) portfolio.set_mark(action->name, *price, now_ns);
      return;
    }
    if (e.kind == JournalEntry::Kind::order && e.outcome == "unsent") {  // found so at an earlier start
      portfolio.on_refused(e.client, e.cl_ord_id);
      unconfirmed.erase(venue_id(e.client, e.cl_ord_id));
      return;
    }
    if (e.kind == JournalEntry::Kind::out || e.kind == JournalEntry::Kind::venue) {
      const auto parts = fix::split(e.raw);
      if (parts)
        for (int tag : {11, 41})
          if (const auto id = fix::find_field(parts->body, tag)) unconfirmed.erase(std::string(*id));
    }
    if (e.kind != JournalEntry::Kind::venue) return;
    if (e.msg_type == "8" && applied.repeated(e.venue, e.raw, e.day)) return;
    // A report no client owned counted live for its fill alone (by its
    // Account and Symbol), as it does here.
    if (e.client.empty() && e.msg_type != "8") return;
    const auto prefix = prefixes.find(e.client);
    if (!e.client.empty() && prefix == prefixes.end())
      return skip(e, "client session " + e.client + " is no longer configured");
    const auto parts = fix::split(e.raw);
    if (!parts) return skip(e, "not a FIX message");
    const std::string body =
        e.client.empty() ? std::string(parts->body) : fix::without_prefix(parts->body, prefix->second);
    if (e.msg_type == "8") {
      const auto decoded = fix::decode_execution(body);
      if (const auto* error = std::get_if<fix::DecodeError>(&decoded)) return skip(e, error->reason);
      const auto& exec = std::get<risk::Execution>(decoded);
      const risk::ExecutionOutcome done = portfolio.on_execution(e.client, exec, now_ns, e.day);
      if (done.correction != risk::TradeCorrection::none)
        ++(done.correction == risk::TradeCorrection::applied ? stats.corrections : stats.corrections_unapplied);
      if (done.traded && exec.last_px.units() > 0 && !exec.symbol.empty())
        portfolio.set_mark(exec.symbol, exec.last_px, now_ns);
    } else if (e.msg_type == "9") {
      if (const auto id = fix::find_field(body, 11)) portfolio.on_cancel_reject(e.client, *id);
    } else if (e.msg_type == "j") {
      if (const auto id = fix::find_field(body, 379)) portfolio.on_refused(e.client, *id);
    } else {
      return;
    }
    ++stats.reports;
  });
  for (auto& [id, u] : unconfirmed) stats.unconfirmed.push_back(std::move(u));
  return stats;
}

}  // namespace fixguard::proxy
