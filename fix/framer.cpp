#include "fix/framer.h"

namespace fixguard::fix {
namespace {

constexpr std::string_view kStart = "8=FIX";
constexpr std::size_t kMaxBeginString = 16;  // "8=FIXT.1.1|" and friends
constexpr std::size_t kMaxLengthDigits = 9;
constexpr std::size_t kTrailer = 7;  // "10=ddd|"

}  // namespace

unsigned checksum(std::string_view bytes) {
  unsigned sum = 0;
  for (unsigned char c : bytes) sum += c;
  return sum % 256;
}

void Framer::compact() {
  if (start_ > 0 && (start_ == buffer_.size() || start_ > 64 * 1024)) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
}

std::size_t Framer::resync_point(std::size_t from) const {
  const std::size_t next = buffer_.find(kStart, from);
  if (next != std::string::npos) return next;
  // Keep only a tail that may still grow into "8=FIX".
  for (std::size_t keep = std::min(kStart.size() - 1, buffer_.size() - from); keep > 0; --keep)
    if (buffer_.compare(buffer_.size() - keep, keep, kStart.substr(0, keep)) == 0) return buffer_.size() - keep;
  return buffer_.size();
}

Framer::Result Framer::fail(std::string reason, bool fatal, std::size_t skip_to) {
  // Resynchronise on the next message start after the bad bytes; skip_to is
  // always past start_, so every error consumes input.
  start_ = resync_point(std::min(skip_to, buffer_.size()));
  compact();
  Result r;
  r.status = Status::error;
  r.error = std::move(reason);
  r.fatal = fatal;
  return r;
}

Framer::Result Framer::next() {
  const std::string_view buf(buffer_.data() + start_, buffer_.size() - start_);
  if (buf.empty()) return {};

  // Message start.
  const std::size_t head = std::min(buf.size(), kStart.size());
  if (buf.compare(0, head, kStart.substr(0, head)) != 0) {
    const std::size_t next = resync_point(start_ + 1);
    const std::size_t skipped = next - start_;
    return fail(std::to_string(skipped) + " bytes of garbage where a message should start", false, next);
  }
  if (buf.size() < kStart.size()) return {};
  const std::size_t soh1 = buf.find('\x01');
  if (soh1 == std::string_view::npos) {
    if (buf.size() > kMaxBeginString) return fail("BeginString is not terminated", false, start_ + 1);
    return {};
  }
  if (soh1 > kMaxBeginString) return fail("BeginString is too long", false, start_ + 1);

  // BodyLength.
  const std::size_t len_tag = soh1 + 1;
  if (buf.size() < len_tag + 2) return {};
  if (buf.compare(len_tag, 2, "9=") != 0) return fail("BodyLength (9) does not follow BeginString", false, start_ + 1);
  std::size_t body_length = 0;
  std::size_t p = len_tag + 2;
  for (;; ++p) {
    if (p >= buf.size()) {
      if (p - (len_tag + 2) > kMaxLengthDigits) return fail("BodyLength is not a number", true, start_ + 1);
      return {};
    }
    const char c = buf[p];
    if (c == '\x01') break;
    if (c < '0' || c > '9' || p - (len_tag + 2) >= kMaxLengthDigits)
      return fail("BodyLength is not a number", false, start_ + 1);
    body_length = body_length * 10 + static_cast<std::size_t>(c - '0');
  }
  if (p == len_tag + 2) return fail("BodyLength is empty", false, start_ + 1);
  const std::size_t body_begin = p + 1;
  const std::size_t frame_size = body_begin + body_length + kTrailer;
  if (frame_size > max_frame_) {
    // Never wait for (or buffer) a body larger than the limit.
    return fail("BodyLength " + std::to_string(body_length) + " exceeds the frame limit of " +
                    std::to_string(max_frame_) + " bytes",
                true, buffer_.size());
  }
  if (buf.size() < frame_size) return {};

  // Trailer: exactly where BodyLength says.
  const std::size_t trailer = body_begin + body_length;
  const std::string_view t = buf.substr(trailer, kTrailer);
  const bool digits = t[3] >= '0' && t[3] <= '9' && t[4] >= '0' && t[4] <= '9' && t[5] >= '0' && t[5] <= '9';
  if (t.compare(0, 3, "10=") != 0 || !digits || t[6] != '\x01' || (trailer > 0 && buf[trailer - 1] != '\x01'))
    return fail("BodyLength " + std::to_string(body_length) + " does not end at the CheckSum field", false, start_ + 1);
  const unsigned stated = static_cast<unsigned>((t[3] - '0') * 100 + (t[4] - '0') * 10 + (t[5] - '0'));
  const unsigned actual = checksum(buf.substr(0, trailer));
  if (stated != actual)
    return fail("CheckSum " + std::to_string(stated) + " does not match the computed " + std::to_string(actual), false,
                start_ + frame_size);

  Result r;
  r.status = Status::frame;
  r.frame.assign(buf.data(), frame_size);
  start_ += frame_size;
  compact();
  return r;
}

}  // namespace fixguard::fix
