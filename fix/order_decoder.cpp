#include "fix/order_decoder.h"

#include "fix/raw_fields.h"

namespace fixguard::fix {
namespace {

DecodeError error(int tag, const char* name, std::string_view value, const char* what) {
  return DecodeError{tag, std::string(name) + " (" + std::to_string(tag) + ") '" + std::string(value) + "' " + what};
}

bool single_char(std::string_view v) { return v.size() == 1; }

}  // namespace

std::variant<risk::OrderRequest, DecodeError> decode_order(std::string_view message) {
  risk::OrderRequest r;
  bool have_type = false;
  bool have_qty = false;
  bool have_tif = false;
  for (const RawField& f : RawFields(message)) {
    // Only the first occurrence of a body field counts: later ones belong to
    // repeating groups (legs, allocations) and are not the order's own.
    switch (f.tag) {
      case 35:
        if (f.value == "D")
          r.kind = risk::RequestKind::new_order;
        else if (f.value == "G")
          r.kind = risk::RequestKind::replace;
        else if (f.value == "F")
          r.kind = risk::RequestKind::cancel;
        else
          return error(35, "MsgType", f.value, "is not an order-entry message");
        have_type = true;
        break;
      case 43:
        r.poss_dup = f.value == "Y";
        break;
      case 97:
        r.poss_resend = f.value == "Y";
        break;
      case 11:
        if (r.cl_ord_id.empty()) r.cl_ord_id = f.value;
        break;
      case 41:
        if (r.orig_cl_ord_id.empty()) r.orig_cl_ord_id = f.value;
        break;
      case 1:
        if (r.account.empty()) r.account = f.value;
        break;
      case 55:
        if (r.symbol.empty()) r.symbol = f.value;
        break;
      case 207:
        if (r.exchange.empty()) r.exchange = f.value;
        break;
      case 54:
        if (r.side == 0) {
          if (!single_char(f.value)) return error(54, "Side", f.value, "is not a single character");
          r.side = f.value[0];
        }
        break;
      case 40:
        if (r.ord_type == 0) {
          if (!single_char(f.value)) return error(40, "OrdType", f.value, "is not a single character");
          r.ord_type = f.value[0];
        }
        break;
      case 59:
        if (!have_tif) {
          if (!single_char(f.value)) return error(59, "TimeInForce", f.value, "is not a single character");
          r.time_in_force = f.value[0];
          have_tif = true;
        }
        break;
      case 38:
        if (!have_qty) {
          const auto q = risk::Quantity::parse(f.value);
          if (!q) return error(38, "OrderQty", f.value, "is not a decimal with at most 8 places");
          if (q->units() <= 0) return error(38, "OrderQty", f.value, "is not positive");
          r.quantity = *q;
          have_qty = true;
        }
        break;
      case 44:
        if (!r.price) {
          r.price = risk::Price::parse(f.value);
          if (!r.price) return error(44, "Price", f.value, "is not a decimal with at most 8 places");
        }
        break;
      case 99:
        if (!r.stop_price) {
          r.stop_price = risk::Price::parse(f.value);
          if (!r.stop_price) return error(99, "StopPx", f.value, "is not a decimal with at most 8 places");
        }
        break;
      default:
        break;
    }
  }
  if (!have_type) return DecodeError{35, "MsgType (35) is missing"};
  if (r.cl_ord_id.empty()) return DecodeError{11, "ClOrdID (11) is missing"};
  if (r.symbol.empty()) return DecodeError{55, "Symbol (55) is missing"};
  if (r.side == 0) return DecodeError{54, "Side (54) is missing"};
  if (r.kind != risk::RequestKind::new_order && r.orig_cl_ord_id.empty())
    return DecodeError{41, "OrigClOrdID (41) is missing"};
  if (r.kind != risk::RequestKind::cancel) {
    if (r.ord_type == 0) return DecodeError{40, "OrdType (40) is missing"};
    if (!have_qty) return DecodeError{38, "OrderQty (38) is missing"};
  }
  return r;
}

std::variant<risk::Execution, DecodeError> decode_execution(std::string_view message) {
  risk::Execution e;
  std::string_view last_qty, last_px;
  auto first = [](std::string_view& slot, std::string_view value) {
    if (slot.empty()) slot = value;
  };
  auto first_char = [](char& slot, std::string_view value) {
    if (slot == 0 && value.size() == 1) slot = value[0];
  };
  for (const RawField& f : RawFields(message)) {
    switch (f.tag) {
      case 11:
        first(e.cl_ord_id, f.value);
        break;
      case 41:
        first(e.orig_cl_ord_id, f.value);
        break;
      case 150:
        first_char(e.exec_type, f.value);
        break;
      case 39:
        first_char(e.ord_status, f.value);
        break;
      case 32:
        first(last_qty, f.value);
        break;
      case 31:
        first(last_px, f.value);
        break;
      case 1:
        first(e.account, f.value);
        break;
      case 55:
        first(e.symbol, f.value);
        break;
      case 54:
        first_char(e.side, f.value);
        break;
      default:
        break;
    }
  }
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
  if (e.last_qty.units() > 0 && last_px.empty()) return DecodeError{31, "LastPx (31) is missing from a fill"};
  return e;
}

}  // namespace fixguard::fix
