// libFuzzer target: the FIX framer, fed arbitrary bytes in arbitrary
// pieces, as a hostile peer's socket would. Checked: every frame it hands
// out is one whole message within the limit whose BodyLength and CheckSum
// hold; its buffer stays within the limit plus one read; after a fatal
// error nothing more is read (as the connection closes).
#include "fix/framer.h"

#include <cstdint>
#include <cstdlib>
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

}  // namespace

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
