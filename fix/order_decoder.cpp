#include "fix/order_decoder.h"

#include "fix/raw_fields.h"

#include <cstdint>
#include <tuple>

namespace fixguard::fix {
namespace {

DecodeError error(int tag, const char* name, std::string_view value, const char* what) {
  return DecodeError{tag, std::string(name) + " (" + std::to_string(tag) + ") '" + std::string(value) + "' " + what};
}

}  // namespace

MessageFields::MessageFields(std::string_view message) : message_(message) {
  int left = kSlots;
  for (const RawField& f : RawFields(message)) {
    const int slot = f.tag < kTableSize ? kSlotOf[f.tag] : -1;
    if (slot < 0 || values_[slot].data() != nullptr) continue;
    values_[slot] = f.value;  // an empty value counts too: data() is never null
    if (--left == 0) break;
  }
}

MessageFields MessageFields::rebased(std::string_view copy) const {
  MessageFields m;
  m.message_ = copy;
  for (int i = 0; i < kSlots; ++i)
    if (values_[i].data() != nullptr)
      m.values_[i] = copy.substr(static_cast<std::size_t>(values_[i].data() - message_.data()), values_[i].size());
  return m;
}

std::optional<std::string_view> MessageFields::search(int tag) const { return find_field(message_, tag); }

std::variant<risk::OrderRequest, DecodeError> decode_order(std::string_view message, Decoding how) {
  return decode_order(MessageFields(message), how);
}

std::variant<risk::OrderRequest, DecodeError> decode_order(const MessageFields& m, Decoding how) {
  risk::OrderRequest r;
  const auto type = m.get(35);
  if (!type) return DecodeError{35, "MsgType (35) is missing"};
  if (*type == "D")
    r.kind = risk::RequestKind::new_order;
  else if (*type == "G")
    r.kind = risk::RequestKind::replace;
  else if (*type == "F")
    r.kind = risk::RequestKind::cancel;
  else
    return error(35, "MsgType", *type, "is not an order-entry message");
  r.poss_dup = m.get(43) == "Y";
  r.poss_resend = m.get(97) == "Y";
  r.cl_ord_id = m.get(11).value_or("");
  r.orig_cl_ord_id = m.get(41).value_or("");
  r.account = m.get(1).value_or("");
  r.symbol = m.get(55).value_or("");
  r.exchange = m.get(207).value_or("");
  for (std::size_t i = 0; i < risk::kInstrumentFieldTags.size(); ++i)
    if (const auto v = m.get(risk::kInstrumentFieldTags[i])) r.set_instrument_field(i, *v);
  // One-character fields: Side, OrdType, TimeInForce.
  for (const auto& [tag, name, slot] : {std::tuple{54, "Side", &r.side}, std::tuple{40, "OrdType", &r.ord_type},
                                        std::tuple{59, "TimeInForce", &r.time_in_force}}) {
    const auto v = m.get(tag);
    if (!v) continue;
    if (v->size() != 1) return error(tag, name, *v, "is not a single character");
    *slot = (*v)[0];
  }
  const auto qty = m.get(38);
  if (qty) {
    const auto q = risk::Quantity::parse(*qty);
    if (!q) return error(38, "OrderQty", *qty, "is not a decimal with at most 8 places");
    if (q->units() <= 0) return error(38, "OrderQty", *qty, "is not positive");
    r.quantity = *q;
  }
  for (const auto& [tag, name, slot] : {std::tuple{44, "Price", &r.price}, std::tuple{99, "StopPx", &r.stop_price}}) {
    const auto v = m.get(tag);
    if (!v) continue;
    *slot = risk::Price::parse(*v);
    if (!*slot) return error(tag, name, *v, "is not a decimal with at most 8 places");
  }
  if (r.cl_ord_id.empty()) return DecodeError{11, "ClOrdID (11) is missing"};
  if (r.symbol.empty()) return DecodeError{55, "Symbol (55) is missing"};
  if (r.side == 0) return DecodeError{54, "Side (54) is missing"};
  if (r.kind != risk::RequestKind::new_order && r.orig_cl_ord_id.empty())
    return DecodeError{41, "OrigClOrdID (41) is missing"};
  if (r.kind != risk::RequestKind::cancel) {
    if (r.ord_type == 0) return DecodeError{40, "OrdType (40) is missing"};
    if (!qty) return DecodeError{38, "OrderQty (38) is missing"};
    if (how == Decoding::journaled) return r;
    // Fail closed on what the checks cannot measure: a side that is neither
    // a buy nor a sell (cross, undisclosed, as defined, ...) would count as a
    // buy, and a price of zero or below as no amount, or a negative one.
    if (r.side < '1' || r.side > '6') return error(54, "Side", *m.get(54), "is not a buy or a sell (1-6)");
    if (r.price && r.price->units() <= 0) return error(44, "Price", *m.get(44), "is not positive");
    if (r.stop_price && r.stop_price->units() <= 0) return error(99, "StopPx", *m.get(99), "is not positive");
    // A size in money or in percent beside OrderQty: the venue might trade it.
    for (const auto& [tag, name] : {std::pair{152, "CashOrderQty"}, std::pair{516, "OrderPercent"}})
      if (const auto v = m.get(tag)) return error(tag, name, *v, "is not checked: orders are sized by OrderQty (38)");
    // Another name for the instrument: the venue might trade by it.
    if (const auto v = m.get(454); v && *v != "0")
      return error(454, "NoSecurityAltID", *v, "is not checked: instruments are named by Symbol (55)");
  }
  return r;
}

std::variant<risk::Execution, DecodeError> decode_execution(std::string_view message) {
  return decode_execution(MessageFields(message));
}

std::variant<risk::Execution, DecodeError> decode_execution(const MessageFields& m) {
  risk::Execution e;
  e.cl_ord_id = m.get(11).value_or("");
  e.orig_cl_ord_id = m.get(41).value_or("");
  e.account = m.get(1).value_or("");
  e.symbol = m.get(55).value_or("");
  e.exec_id = m.get(17).value_or("");
  e.exec_ref_id = m.get(19).value_or("");
  // Read for a bust that reopens its order; a report without them, or with
  // them unreadable, is still applied.
  if (const auto leaves = m.get(151)) e.leaves_qty = risk::Quantity::parse(*leaves);
  if (const auto price = m.get(44)) e.price = risk::Price::parse(*price);
  for (const auto& [tag, slot] : {std::pair{150, &e.exec_type}, std::pair{39, &e.ord_status}, std::pair{54, &e.side},
                                  std::pair{20, &e.trans_type}})
    if (const auto v = m.get(tag); v && v->size() == 1) *slot = (*v)[0];
  const std::string_view last_qty = m.get(32).value_or(""), last_px = m.get(31).value_or("");
  if (!last_qty.empty()) {
    const auto q = risk::Quantity::parse(last_qty);
    if (!q || q->units() < 0) return error(32, "LastQty", last_qty, "is not a decimal with at most 8 places");
    e.last_qty = *q;
  }
  if (!last_px.empty()) {
    const auto p = risk::Price::parse(last_px);
    if (!p) return error(31, "LastPx", last_px, "is not a decimal with at most 8 places");
    e.last_px = *p;
  }
  // A trade cancel names its fill by ExecRefID; it need not say the price.
  if (e.last_qty.units() > 0 && last_px.empty() && risk::trade_correction(e) != 'H')
    return DecodeError{31, "LastPx (31) is missing from a fill"};
  return e;
}

}  // namespace fixguard::fix
