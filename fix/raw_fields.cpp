#include "fix/raw_fields.h"

#include <cstdint>
#include <cstring>

namespace fixguard::fix {

int data_field_for_length(int length_tag) {
  switch (length_tag) {
    case 90:
      return 91;  // SecureDataLen -> SecureData
    case 93:
      return 89;  // SignatureLength -> Signature
    case 95:
      return 96;  // RawDataLength -> RawData
    case 212:
      return 213;  // XmlDataLen -> XmlData
    case 348:
      return 349;  // EncodedIssuerLen
    case 350:
      return 351;  // EncodedSecurityDescLen
    case 352:
      return 353;  // EncodedListExecInstLen
    case 354:
      return 355;  // EncodedTextLen
    case 356:
      return 357;  // EncodedSubjectLen
    case 358:
      return 359;  // EncodedHeadlineLen
    case 360:
      return 361;  // EncodedAllocTextLen
    case 362:
      return 363;  // EncodedUnderlyingIssuerLen
    case 364:
      return 365;  // EncodedUnderlyingSecurityDescLen
    case 445:
      return 446;  // EncodedListStatusTextLen
    case 618:
      return 619;  // EncodedLegIssuerLen
    case 621:
      return 622;  // EncodedLegSecurityDescLen
    default:
      return 0;
  }
}

void RawFields::iterator::advance() {
  // Runs for every field of every message read (several scans each): kept
  // to plain pointer arithmetic, memchr for the value's end.
  const char* const m = owner_->message_.data();
  const std::size_t size = owner_->message_.size();
  std::size_t p = pos_;
  if (p >= size) {
    done_ = true;
    return;
  }
  // tag: 1 to 9 digits, not 0, then '='
  const std::size_t digits_end = size - p < 9 ? size : p + 9;
  int tag = 0;
  while (p < digits_end) {
    const unsigned digit = static_cast<unsigned char>(m[p]) - unsigned{'0'};
    if (digit > 9) break;
    tag = tag * 10 + static_cast<int>(digit);
    ++p;
  }
  if (p == pos_ || p >= size || m[p] != '=' || tag == 0) {
    done_ = true;
    return;
  }
  const std::size_t value_begin = p + 1;
  std::size_t value_end;
  if (pending_data_tag_ == tag) {
    value_end = value_begin + pending_data_length_;
    if (value_end >= size || m[value_end] != '\x01') {
      done_ = true;
      return;
    }
  } else {
    const void* soh = value_begin < size ? std::memchr(m + value_begin, '\x01', size - value_begin) : nullptr;
    if (soh == nullptr) {
      done_ = true;
      return;
    }
    value_end = static_cast<std::size_t>(static_cast<const char*>(soh) - m);
  }
  field_.tag = tag;
  field_.value = std::string_view(m + value_begin, value_end - value_begin);
  field_.begin = pos_;
  field_.value_begin = value_begin;
  field_.end = value_end + 1;
  // Every length tag is 90 or more; most tags of a message are below.
  pending_data_tag_ = tag < 90 ? 0 : data_field_for_length(tag);
  pending_data_length_ = 0;
  if (pending_data_tag_ != 0) {
    std::size_t length = 0;
    for (char c : field_.value) {
      if (c < '0' || c > '9' || length > (1u << 26)) {
        pending_data_tag_ = 0;
        break;
      }
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    pending_data_length_ = length;
  }
}

std::optional<std::string_view> find_field(std::string_view message, int tag) {
  for (const RawField& f : RawFields(message))
    if (f.tag == tag) return f.value;
  return std::nullopt;
}

int parse_seqnum_value(std::string_view value) {
  if (value.empty() || value.size() > 10) return -1;
  int64_t n = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n > 2147483647 ? -1 : static_cast<int>(n);
}

bool is_header_tag(int tag) {
  switch (tag) {
    case 8:
    case 9:
    case 35:
    case 49:
    case 56:
    case 115:
    case 128:
    case 90:
    case 91:
    case 34:
    case 50:
    case 142:
    case 57:
    case 143:
    case 116:
    case 144:
    case 129:
    case 145:
    case 43:
    case 97:
    case 52:
    case 122:
    case 212:
    case 213:
    case 347:
    case 369:
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

bool is_trailer_tag(int tag) { return tag == 93 || tag == 89 || tag == 10; }

}  // namespace fixguard::fix
