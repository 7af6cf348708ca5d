// libFuzzer target: decoding a message into an order or an execution, as
// the router does with every message a strategy or a venue sends. Checked:
// no crash or sanitizer report; a decoded order's views point into the
// message; an error names its reason.
#include "fix/order_decoder.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const fixguard::fix::MessageFields fields(message);
  for (int tag : {11, 35, 38, 44, 55, 9999, 0, -1, 100000}) {
    const auto v = fields.get(tag);
    if (v) check(inside(*v, message));
  }
  const auto order = fixguard::fix::decode_order(fields);
  if (const auto* o = std::get_if<fixguard::risk::OrderRequest>(&order)) {
    for (std::string_view part : {o->cl_ord_id, o->orig_cl_ord_id, o->account, o->symbol, o->exchange})
      check(inside(part, message));
  } else {
    check(!std::get<fixguard::fix::DecodeError>(order).reason.empty());
  }
  const auto execution = fixguard::fix::decode_execution(message);
  if (const auto* e = std::get_if<fixguard::fix::DecodeError>(&execution)) check(!e->reason.empty());
  return 0;
}
