// Cuts a TCP byte stream into FIX messages, with hard limits.
//
// QuickFIX's own parser has no size cap (9=2000000000 makes it buffer
// without end), so every byte a peer sends passes this framer first. A frame
// is `8=...|9=N|` + N bytes + `10=ddd|`; the BodyLength is checked against
// the limit before the body is awaited, and BodyLength and CheckSum are
// verified here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace fixguard::fix {

class Framer {
 public:
  enum class Status { frame, need_more, error };

  struct Result {
    Status status = Status::need_more;
    std::string frame;   // with Status::frame: one whole message
    std::string error;   // with Status::error: why the bytes were refused
    bool fatal = false;  // with Status::error: the stream cannot be trusted any more
  };

  explicit Framer(std::size_t max_frame_bytes) : max_frame_(max_frame_bytes) {}

  // Bytes received. The buffer never grows past the frame limit plus one read.
  void append(const char* data, std::size_t size) { buffer_.append(data, size); }

  // The next frame, or need_more, or an error. After a non-fatal error the
  // framer has skipped the bad bytes and resynchronised on the next
  // "8=FIX"; calling next() again continues from there.
  Result next();

  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  Result fail(std::string reason, bool fatal, std::size_t skip_to);
  // Where the next message may start at or after `from`.
  std::size_t resync_point(std::size_t from) const;
  void compact();

  std::size_t max_frame_;
  std::string buffer_;
  std::size_t start_ = 0;  // offset of the first unconsumed byte
};

// The FIX checksum of `bytes`: the sum of the bytes modulo 256.
unsigned checksum(std::string_view bytes);

}  // namespace fixguard::fix
