// FIX text -> risk::OrderRequest, in one pass over the fields and without
// allocating. Prices and quantities are parsed as exact decimals; a value
// that is not one is an error, never a zero.
#pragma once

#include "risk/order.h"
#include "risk/portfolio.h"

#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fixguard::fix {

namespace detail {
// The tags MessageFields reads in its pass; their slots are their places here.
inline constexpr int kFieldTags[] = {
    35,  49, 56, 52,  60,  43,  97,                       // header, times
    11,  41, 1,  55,  207, 54,  40,  59,                  // the order
    38,  44, 99, 152, 516,                                // its quantity and prices; sizes not checked
    48,  22, 65, 200, 205, 541, 201, 202, 206, 231, 454,  // its instrument beyond Symbol
    150, 39, 32, 31,  17,  19,  20,  151, 379,            // reports
};
inline constexpr int kFieldSlotTableSize = 542;
constexpr std::array<int8_t, kFieldSlotTableSize> field_slot_table() {
  std::array<int8_t, kFieldSlotTableSize> t{};
  for (auto& s : t) s = -1;
  for (std::size_t i = 0; i < std::size(kFieldTags); ++i) t[kFieldTags[i]] = static_cast<int8_t>(i);
  return t;
}
}  // namespace detail

// The fields an order or a venue's report is decided on, found in one pass
// over the message: each tag's first occurrence (later ones belong to
// repeating groups, not to the order). Views into the message, which must
// outlive this.
class MessageFields {
 public:
  explicit MessageFields(std::string_view message);

  // The first value of `tag`, if the message has it: for the tags listed in
  // order_decoder.cpp as read in the pass, for any other by a search.
  std::optional<std::string_view> get(int tag) const {
    const int slot = tag >= 0 && tag < kTableSize ? kSlotOf[tag] : -1;
    if (slot < 0) return search(tag);
    if (values_[slot].data() == nullptr) return std::nullopt;
    return values_[slot];
  }
  std::string_view message() const { return message_; }
  // The same fields in `copy`, a copy of the message elsewhere.
  MessageFields rebased(std::string_view copy) const;

  static constexpr int kSlots = static_cast<int>(std::size(detail::kFieldTags));

 private:
  static constexpr int kTableSize = detail::kFieldSlotTableSize;
  static constexpr std::array<int8_t, kTableSize> kSlotOf = detail::field_slot_table();
  std::optional<std::string_view> search(int tag) const;

  MessageFields() = default;
  std::string_view message_;
  std::array<std::string_view, kSlots> values_{};  // data() null: absent
};

struct DecodeError {
  int tag = 0;         // the field at fault, 0 for the message as a whole
  std::string reason;  // e.g. "OrderQty (38) '1e3' is not a decimal"
};

// `live`: an order to decide on; besides values that are not exact, what the
// checks cannot measure is an error (a side neither a buy nor a sell, a price
// of zero or below, CashOrderQty or OrderPercent, SecurityAltIDs). `journaled`: an order a
// journal holds as accepted, decoded by the version that accepted it, for
// recovery to count: only values that are not exact are errors.
enum class Decoding { live, journaled };

// Decodes a NewOrderSingle (D), OrderCancelReplaceRequest (G) or
// OrderCancelRequest (F). `message` must outlive the result.
std::variant<risk::OrderRequest, DecodeError> decode_order(std::string_view message, Decoding how = Decoding::live);
std::variant<risk::OrderRequest, DecodeError> decode_order(const MessageFields& fields, Decoding how = Decoding::live);

// Decodes what an ExecutionReport (8) says about an order's state. A fill
// whose LastQty (32) or LastPx (31) is not an exact decimal is an error.
// `message` must outlive the result.
std::variant<risk::Execution, DecodeError> decode_execution(std::string_view message);
std::variant<risk::Execution, DecodeError> decode_execution(const MessageFields& fields);

}  // namespace fixguard::fix
