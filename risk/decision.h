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
  enum class Unit : uint8_t {
    none,
    quantity,
    price,
    notional,
    percent,
    ratio,
    multiplier,
    character,
    text,
    count,
    rate,
    duration,
    field,  // a FIX field: "48=US0378331005" (units: the tag, text: the value)
  };
  Unit unit = Unit::none;
  __int128 units = 0;     // quantity/price/percent/ratio/multiplier: 10^-8, notional: 10^-16, count, duration: ns
  int64_t per_ns = 0;     // Unit::rate: units per this many ns
  char character = 0;     // Unit::character: a FIX value such as OrdType '1'
  std::string_view text;  // Unit::text: e.g. an allowed list, owned by the LimitBook

  static Amount of(Quantity q) { return make(Unit::quantity, q.units()); }
  static Amount of(Price p) { return make(Unit::price, p.units()); }
  static Amount of(Notional n) { return make(Unit::notional, n.units()); }
  static Amount of(Percent p) { return make(Unit::percent, p.units()); }
  static Amount of(Ratio r) { return make(Unit::ratio, r.units()); }
  static Amount of(Multiplier m) { return make(Unit::multiplier, m.units()); }
  static Amount of_count(int64_t n) { return make(Unit::count, n); }
  static Amount of_duration(int64_t ns) { return make(Unit::duration, ns); }
  static Amount of_rate(int64_t n, int64_t per_ns) {
    Amount a = make(Unit::rate, n);
    a.per_ns = per_ns;
    return a;
  }
  static Amount of_char(char c) {
    Amount a = make(Unit::character, 0);
    a.character = c;
    return a;
  }
  static Amount of_text(std::string_view t) {
    Amount a = make(Unit::text, 0);
    a.text = t;
    return a;
  }
  static Amount of_field(int tag, std::string_view value) {
    Amount a = make(Unit::field, tag);
    a.text = value;
    return a;
  }
  std::string to_string() const;

 private:
  static Amount make(Unit u, __int128 n) {
    Amount a;
    a.unit = u;
    a.units = n;
    return a;
  }
};

struct Decision {
  enum class Relation : uint8_t {
    above,
    at_or_above,
    below,
    not_multiple,
    not_in,
    in,
    repeated,
    over_rate,
    again_within,
    outside_percent,
    outside_ticks,
    over_leverage,  // observed exposure > limit (a ratio) x reference (equity)
    no_equity,
    missing,
    because,         // observed is the reason (a text): a state or a trip
    differs,         // observed != limit (a field and the value configured for it)
    not_configured,  // observed is a field no scope configures a value for
    case_variant,    // observed (a Symbol field) spells limit, another symbol, but for letter case
  };
  Rule rule = Rule::internal_error;
  Amount observed;
  Relation relation = Relation::missing;
  Amount limit;
  Scope scope;
  Amount reference;  // the price a collar was measured from
  // The version of the limits in force (see risk::Engine), set by the engine.
  std::string_view limits_version;
};

// The reject Text: "MAX_ORDER_QTY 1500 > 1000 account=ACC1".
std::string describe(const Decision& d);

// A ClOrdID `client` used before today (the live proxy's and the replay's
// check, before the engine's). Views `client`, which must outlive it.
inline Decision duplicate_clordid(std::string_view client, std::string_view cl_ord_id) {
  return Decision{Rule::duplicate_clordid, Amount::of_text(cl_ord_id), Decision::Relation::repeated, Amount(),
                  Scope{ScopeKind::client, client}};
}

}  // namespace fixguard::risk
