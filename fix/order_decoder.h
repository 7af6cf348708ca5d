// FIX text -> risk::OrderRequest, in one pass over the fields and without
// allocating. Prices and quantities are parsed as exact decimals; a value
// that is not one is an error, never a zero.
#pragma once

#include "risk/order.h"
#include "risk/portfolio.h"

#include <string>
#include <string_view>
#include <variant>

namespace fixguard::fix {

struct DecodeError {
  int tag = 0;         // the field at fault, 0 for the message as a whole
  std::string reason;  // e.g. "OrderQty (38) '1e3' is not a decimal"
};

// Decodes a NewOrderSingle (D), OrderCancelReplaceRequest (G) or
// OrderCancelRequest (F). `message` must outlive the result.
std::variant<risk::OrderRequest, DecodeError> decode_order(std::string_view message);

// Decodes what an ExecutionReport (8) says about an order's state. A fill
// whose LastQty (32) or LastPx (31) is not an exact decimal is an error.
// `message` must outlive the result.
std::variant<risk::Execution, DecodeError> decode_execution(std::string_view message);

}  // namespace fixguard::fix
