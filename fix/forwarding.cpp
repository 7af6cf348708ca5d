#include "fix/forwarding.h"

#include "fix/raw_fields.h"

#include <algorithm>
#include <array>
#include <vector>

namespace fixguard::fix {

bool is_leg_owned_header_tag(int tag) {
  switch (tag) {
    case 8:
    case 9:
    case 35:
    case 49:
    case 56:
    case 34:
    case 52:
    case 43:
    case 122:
    case 369:
    case 50:
    case 57:
    case 142:
    case 143:
    case 90:
    case 91:
    case 627:
    case 628:
    case 629:
    case 630:
    case 1128:
    case 1129:
    case 1156:
    case 1157:
      return true;
    default:
      return false;
  }
}

std::optional<RawParts> split(std::string_view message) {
  RawParts parts;
  std::size_t body_begin = std::string_view::npos;
  std::size_t body_end = std::string_view::npos;
  bool saw_checksum = false;
  for (const RawField& f : RawFields(message)) {
    if (f.tag == 35 && body_begin == std::string_view::npos) parts.msg_type = f.value;
    if (body_begin == std::string_view::npos) {
      if (is_header_tag(f.tag)) continue;
      body_begin = f.begin;
    }
    if (is_trailer_tag(f.tag) && body_end == std::string_view::npos) body_end = f.begin;
    if (f.tag == 10) {
      saw_checksum = f.end == message.size();
      break;
    }
  }
  if (!saw_checksum || parts.msg_type.empty()) return std::nullopt;
  parts.header = message.substr(0, body_begin);
  parts.body = message.substr(body_begin, body_end - body_begin);
  return parts;
}

EntryKeys entry_keys(std::string_view message) {
  // Read as split() reads: the body begins at the first field that is not a
  // header field and ends at the first trailer field; the message is whole
  // if its CheckSum ends it and its header has a MsgType.
  constexpr std::array<int, 3> kTags = {11, 1, 55};
  std::array<std::optional<std::string_view>, 3> in_body;
  std::array<std::optional<std::string_view>, 3> anywhere;
  std::optional<std::string_view> first_type;
  std::string_view header_type;
  enum class Where { header, body, trailer } where = Where::header;
  bool whole = false;
  for (const RawField& f : RawFields(message)) {
    if (f.tag == 35 && !first_type) first_type = f.value;
    if (where == Where::header) {
      if (f.tag == 35) header_type = f.value;
      if (is_header_tag(f.tag)) continue;
      where = Where::body;
    }
    if (where == Where::body && is_trailer_tag(f.tag)) where = Where::trailer;
    for (std::size_t i = 0; i < kTags.size(); ++i) {
      if (f.tag != kTags[i]) continue;
      if (!anywhere[i]) anywhere[i] = f.value;
      if (where == Where::body && !in_body[i]) in_body[i] = f.value;
    }
    if (f.tag == 10) {
      whole = f.end == message.size();
      break;
    }
  }
  const auto& found = whole && !header_type.empty() ? in_body : anywhere;
  return EntryKeys{first_type.value_or(""), found[0].value_or(""), found[1].value_or(""), found[2].value_or("")};
}

std::string map_order_ids(std::string_view body, std::initializer_list<int> tags, const IdMapper& map) {
  std::string out;
  out.reserve(body.size() + 32);
  std::vector<int> pending(tags);
  std::size_t copied = 0;
  for (const RawField& f : RawFields(body)) {
    const auto it = std::find(pending.begin(), pending.end(), f.tag);
    if (it != pending.end()) {
      pending.erase(it);
      out.append(body.substr(copied, f.value_begin - copied));
      out.append(map(f.tag, f.value));
      copied = f.end - 1;  // keep the SOH
    }
  }
  out.append(body.substr(copied));
  return out;
}

void set_opaque(FIX::FieldMap& map, std::string_view raw_fields) {
  if (raw_fields.size() < 3) return;
  const std::size_t eq = raw_fields.find('=');
  if (eq == std::string_view::npos || raw_fields.back() != '\x01') return;
  const int tag = std::stoi(std::string(raw_fields.substr(0, eq)));
  // Value = everything after the first '=', without the final SOH; QuickFIX
  // writes "tag=" + value + SOH, which is the original text again.
  map.setField(FIX::FieldBase(tag, std::string(raw_fields.substr(eq + 1, raw_fields.size() - eq - 2))), true);
}

FIX::Message make_forward(const RawParts& parts, std::string_view body) {
  FIX::Message m;
  m.getHeader().setField(FIX::MsgType(std::string(parts.msg_type)));
  for (const RawField& f : RawFields(parts.header))
    if (!is_leg_owned_header_tag(f.tag)) m.getHeader().setField(FIX::FieldBase(f.tag, std::string(f.value)), true);
  set_opaque(m, body);
  return m;
}

bool restore_body(FIX::Message& message, std::string_view raw) {
  const auto parts = split(raw);
  if (!parts) return false;
  static_cast<FIX::FieldMap&>(message).clear();
  set_opaque(message, parts->body);
  return true;
}

std::string without_prefix(std::string_view venue_body, std::string_view prefix) {
  if (prefix.empty()) return std::string(venue_body);
  return map_order_ids(venue_body, {11, 41, 379}, [&](int, std::string_view v) {
    const bool ours = v.compare(0, prefix.size(), prefix) == 0;
    return std::string(ours ? v.substr(prefix.size()) : v);
  });
}

}  // namespace fixguard::fix
