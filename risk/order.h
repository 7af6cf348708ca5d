// An order-entry request as the risk checks see it: value fields decoded
// from the FIX text, nothing else. Text fields are views into the message the
// request was decoded from, which must outlive it.
#pragma once

#include "risk/decimal.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace fixguard::risk {

// Fields besides Symbol (55) and SecurityExchange (207) that can name the
// instrument an order trades: SecurityID (48), SecurityIDSource (22),
// SymbolSfx (65), MaturityMonthYear (200), MaturityDay (205), MaturityDate
// (541), PutOrCall (201), StrikePrice (202), OptAttribute (206) and
// ContractMultiplier (231). Limits and positions are kept per Symbol, so an
// order carrying one of them passes only where its instrument's
// configuration names the same value (instrument_fields): else another
// contract, series or share class than the one checked could trade.
inline constexpr std::array<int, 10> kInstrumentFieldTags = {48, 22, 65, 200, 205, 541, 201, 202, 206, 231};
// Their FIX names, in the same order (the config takes either).
inline constexpr std::array<std::string_view, kInstrumentFieldTags.size()> kInstrumentFieldNames = {
    "SecurityID",   "SecurityIDSource", "SymbolSfx",   "MaturityMonthYear", "MaturityDay",
    "MaturityDate", "PutOrCall",        "StrikePrice", "OptAttribute",      "ContractMultiplier"};
// The place of `tag` in kInstrumentFieldTags, or -1.
constexpr int instrument_field_index(int tag) {
  for (std::size_t i = 0; i < kInstrumentFieldTags.size(); ++i)
    if (kInstrumentFieldTags[i] == tag) return static_cast<int>(i);
  return -1;
}

enum class RequestKind : char { new_order = 'D', replace = 'G', cancel = 'F' };

struct OrderRequest {
  RequestKind kind = RequestKind::new_order;
  std::string_view cl_ord_id;       // 11
  std::string_view orig_cl_ord_id;  // 41 (replace, cancel)
  std::string_view account;         // 1
  std::string_view symbol;          // 55
  std::string_view exchange;        // 207
  char side = 0;                    // 54, FIX value: '1' buy, '2' sell, '5' sell short...
  char ord_type = 0;                // 40, FIX value: '1' market, '2' limit...
  char time_in_force = '0';         // 59, FIX value; Day when absent
  // Which of kInstrumentFieldTags the order carries: bit i for
  // instrument_fields[i] (the common order, none, reads only this).
  uint16_t instrument_field_bits = 0;
  Quantity quantity;                // 38
  std::optional<Price> price;       // 44
  std::optional<Price> stop_price;  // 99
  bool poss_dup = false;            // 43
  bool poss_resend = false;         // 97
  // The values of kInstrumentFieldTags, in its order, where the bit is set.
  std::array<std::string_view, kInstrumentFieldTags.size()> instrument_fields{};

  // Field `index` of kInstrumentFieldTags: set to `value`, or cleared.
  constexpr void set_instrument_field(std::size_t index, std::string_view value) {
    instrument_fields[index] = value;
    instrument_field_bits |= static_cast<uint16_t>(1u << index);
  }
  constexpr void clear_instrument_field(std::size_t index) {
    instrument_fields[index] = {};
    instrument_field_bits &= static_cast<uint16_t>(~(1u << index));
  }
};

// True for Side (54) values that sell: sell, sell plus, sell short (exempt).
constexpr bool is_sell(char side) { return side == '2' || side == '4' || side == '5' || side == '6'; }

// The price an order's amount is measured at: a buy's limit (the most it can
// pay); a sell's limit or the market's price, whichever is higher (a sell
// limited below the market fills at the market: measured at its limit, a
// sell of a million at 0.01 would pass every notional limit); without a limit,
// the market's price. The market's price is the reference price, or for a
// stop order the stop when the market must move to it first (up for a buy,
// down for a sell: a protective sell stop is measured where it can trade, not
// at today's price). None when the order has no limit and no reference is known.
constexpr std::optional<Price> measured_price(const OrderRequest& o, std::optional<Price> reference) {
  const bool sell = is_sell(o.side);
  std::optional<Price> market = reference;
  if (market && o.stop_price && (sell ? *o.stop_price < *market : *o.stop_price > *market)) market = o.stop_price;
  if (!o.price) return market;
  if (sell && market && *market > *o.price) return market;
  return o.price;
}

}  // namespace fixguard::risk
