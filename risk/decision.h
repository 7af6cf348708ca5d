// What a check found: the rule, the limit, the value observed, and the scope
// the limit came from. Built without allocation; turned into text only when
// an order is rejected.
#pragma once

#include "risk/decimal.h"
#include "risk/limits.h"
#include "risk/notional.h"
#include "risk/rule.h"

#include <string>
#include <string_view>

namespace fixguard::risk {

struct Amount {
  enum class Unit : uint8_t { none, quantity, price, notional, character, text };
  Unit unit = Unit::none;
  __int128 units = 0;     // quantity/price: 10^-8, notional: 10^-16
  char character = 0;     // Unit::character: a FIX value such as OrdType '1'
  std::string_view text;  // Unit::text: e.g. an allowed list, owned by the LimitBook

  static Amount of(Quantity q) { return {Unit::quantity, q.units(), 0, {}}; }
  static Amount of(Price p) { return {Unit::price, p.units(), 0, {}}; }
  static Amount of(Notional n) { return {Unit::notional, n.units(), 0, {}}; }
  static Amount of_char(char c) { return {Unit::character, 0, c, {}}; }
  static Amount of_text(std::string_view t) { return {Unit::text, 0, 0, t}; }
  std::string to_string() const;
};

struct Decision {
  enum class Relation : uint8_t { above, below, not_multiple, not_in, in, repeated, missing };
  Rule rule = Rule::internal_error;
  Amount observed;
  Relation relation = Relation::missing;
  Amount limit;
  Scope scope;
};

// The reject Text: "MAX_ORDER_QTY 1500 > 1000 account=ACC1".
std::string describe(const Decision& d);

}  // namespace fixguard::risk
