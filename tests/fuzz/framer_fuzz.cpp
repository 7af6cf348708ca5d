// libFuzzer target: the FIX framer, fed arbitrary bytes in arbitrary
// pieces, as a hostile peer's socket would. Checked: every frame it hands
// out is one whole message within the limit whose BodyLength and CheckSum
// hold; its buffer stays within the limit plus one read; after a fatal
// error nothing more is read (as the connection closes).
#include "fix/framer.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// BodyLength and CheckSum of a frame the framer handed out, checked anew.
void check_frame(const std::string& frame, std::size_t max_frame) {
  check(frame.size() <= max_frame);
  check(frame.compare(0, 2, "8=") == 0);
  const std::size_t body_length_at = frame.find(
      "\x01"
      "9=");
  check(body_length_at != std::string::npos);
  const std::size_t body_start = frame.find('\x01', body_length_at + 1) + 1;
  const std::size_t trailer = frame.size() - 7;  // "10=ddd\x01"
  check(frame.size() >= 7 && frame.compare(trailer, 3, "10=") == 0 && frame.back() == '\x01');
  const std::size_t body_length = std::strtoul(frame.c_str() + body_length_at + 3, nullptr, 10);
  check(body_start + body_length == trailer);
  const unsigned sum = fixguard::fix::checksum(std::string_view(frame).substr(0, trailer)) % 256;
  check(sum == std::strtoul(frame.c_str() + trailer + 3, nullptr, 10));
}

// Structure-aware mutation: after libFuzzer's own mutation, every other
// input has each of its frames repaired (BodyLength and CheckSum made true),
// so that mutations of what lies between them reach the framer's later
// checks instead of dying at the first two.
std::string repaired(std::string_view in) {
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t start = in.find("8=", at);
    const std::size_t length_at = start == std::string_view::npos ? start
                                                                  : in.find(
                                                                        "\x01"
                                                                        "9=",
                                                                        start);
    const std::size_t body = length_at == std::string_view::npos ? length_at : in.find('\x01', length_at + 1);
    const std::size_t trailer = body == std::string_view::npos ? body
                                                               : in.find(
                                                                     "\x01"
                                                                     "10=",
                                                                     body);
    if (trailer == std::string_view::npos || trailer + 8 > in.size()) break;
    // 8=...<SOH>9=<n><SOH>body<SOH>10=ddd<SOH>, with n and ddd made true.
    out.append(in.substr(at, start - at));  // what lies before it, as it is
    const std::size_t frame_start = out.size();
    out.append(in.substr(start, length_at + 3 - start));
    out += std::to_string(trailer - body);
    out.append(in.substr(body, trailer + 1 - body));
    const unsigned sum = fixguard::fix::checksum(std::string_view(out).substr(frame_start)) % 256;
    char digits[4];
    std::snprintf(digits, sizeof digits, "%03u", sum);
    out += "10=";
    out += digits;
    out += '\x01';
    at = trailer + 8;
  }
  out.append(in.substr(at));
  return out;
}

}  // namespace

extern "C" std::size_t LLVMFuzzerMutate(uint8_t* data, std::size_t size, std::size_t max_size);

extern "C" std::size_t LLVMFuzzerCustomMutator(uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  size = LLVMFuzzerMutate(data, size, max_size);
  if (seed % 2 == 0 || size < 2) return size;
  const std::string fixed = repaired(std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2));
  if (fixed.size() + 2 > max_size) return size;
  std::memcpy(data + 2, fixed.data(), fixed.size());
  return fixed.size() + 2;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first byte picks the limit, the second how much each read brings.
  const std::size_t max_frame = 256 + std::size_t{data[0]} * 64;
  const std::size_t read_size = 1 + data[1] % 97;
  data += 2;
  size -= 2;
  fixguard::fix::Framer framer(max_frame);
  for (std::size_t at = 0; at < size; at += read_size) {
    const std::size_t n = std::min(read_size, size - at);
    framer.append(reinterpret_cast<const char*>(data + at), n);
    for (;;) {
      const auto r = framer.next();
      if (r.status == fixguard::fix::Framer::Status::need_more) break;
      if (r.status == fixguard::fix::Framer::Status::frame) {
        check_frame(r.frame, max_frame);
        continue;
      }
      check(!r.error.empty());
      if (r.fatal) return 0;  // the connection closes
    }
    check(framer.buffered() <= max_frame + read_size + 64);
  }
  return 0;
}
