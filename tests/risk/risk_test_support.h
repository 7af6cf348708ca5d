// Small builders for the pure risk tests (in-memory, no I/O).
#pragma once

#include "risk/limits.h"
#include "risk/order.h"

namespace fixguard::risk::test {

inline Quantity qty(const char* s) { return *Quantity::parse(s); }
inline Price px(const char* s) { return *Price::parse(s); }
inline Notional money(const char* s) { return *Notional::parse(s); }

// A limit buy of `quantity` IBM at `price` for account ACC1.
inline OrderRequest order(const char* quantity, const char* price = "100") {
  OrderRequest o;
  o.kind = RequestKind::new_order;
  o.cl_ord_id = "C1";
  o.account = "ACC1";
  o.symbol = "IBM";
  o.side = '1';
  o.ord_type = '2';
  o.quantity = qty(quantity);
  o.price = px(price);
  return o;
}

// The scopes that apply to `o` from alpha on venue sim.
inline ApplicableLimits applicable(const LimitBook& book, const OrderRequest& o) {
  return book.applicable("sim", "alpha", o.account, o.symbol, o.exchange);
}

}  // namespace fixguard::risk::test
