#include "proxy/fix_log_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace fixguard::proxy {
namespace {

constexpr char kSoh = '\x01';
constexpr std::size_t kBlock = 1 << 20;  // bytes read at a time

bool digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return false;
  for (std::size_t i = at; i < at + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int number(std::string_view s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// Separators as SOH, in place: "^A" always; '|' when the line has no SOH.
void normalize(char* line, std::size_t& size) {
  std::string_view view(line, size);
  if (std::size_t at = view.find("^A"); at != std::string_view::npos) {
    std::size_t out = at;
    for (std::size_t i = at; i < size; ++i) {
      if (line[i] == '^' && i + 1 < size && line[i + 1] == 'A') {
        line[out++] = kSoh;
        ++i;
      } else {
        line[out++] = line[i];
      }
    }
    size = out;
    view = std::string_view(line, size);
  }
  if (view.find(kSoh) == std::string_view::npos && view.find("|9=") != std::string_view::npos)
    for (std::size_t i = 0; i < size; ++i)
      if (line[i] == '|') line[i] = kSoh;
}

struct MessageEnd {
  std::size_t end;  // just past the message
  bool is_message;  // it has a MsgType (35)
};

// Where the message starting at `start` ends: after its CheckSum (10), or
// with the line. Its BodyLength (9) says where the CheckSum is; if it does
// not, the first CheckSum after the start is taken.
MessageEnd message_end(std::string_view line, std::size_t start) {
  constexpr std::string_view kType =
      "\x01"
      "35=";
  if (const std::size_t begin_soh = line.find(kSoh, start);
      begin_soh != std::string_view::npos && line.compare(begin_soh + 1, 2, "9=") == 0) {
    std::size_t p = begin_soh + 3, length = 0;
    for (; p < line.size() && p < begin_soh + 12 && line[p] >= '0' && line[p] <= '9'; ++p)
      length = length * 10 + static_cast<std::size_t>(line[p] - '0');
    const std::size_t body = p + 1, check = body + length;
    if (p < line.size() && line[p] == kSoh && length > 0 && check + 3 <= line.size() && line[check - 1] == kSoh &&
        line.compare(check, 3, "10=") == 0) {
      const std::size_t soh = line.find(kSoh, check + 3);
      const std::size_t end = soh == std::string_view::npos ? line.size() : soh + 1;
      return {end, line.compare(body, 3, "35=") == 0 ||
                       line.substr(start, end - start).find(kType) != std::string_view::npos};
    }
  }
  std::size_t end = line.size();
  if (const std::size_t check = line.find("\x01"
                                          "10=",
                                          start);
      check != std::string_view::npos) {
    const std::size_t soh = line.find(kSoh, check + 1);
    end = soh == std::string_view::npos ? line.size() : soh + 1;
  }
  return {end, line.substr(start, end - start).find(kType) != std::string_view::npos};
}

}  // namespace

std::optional<int64_t> parse_fix_time(std::string_view t) {
  // YYYYMMDD-HH:MM:SS[.fraction]
  if (t.size() < 17 || !digits(t, 0, 8) || t[8] != '-' || !digits(t, 9, 2) || t[11] != ':' || !digits(t, 12, 2) ||
      t[14] != ':' || !digits(t, 15, 2))
    return std::nullopt;
  int64_t fraction_ns = 0;
  if (t.size() > 17) {
    const std::size_t n = t.size() - 18;
    if (t[17] != '.' || n == 0 || n > 9 || !digits(t, 18, n)) return std::nullopt;
    fraction_ns = number(t, 18, n);
    for (std::size_t i = n; i < 9; ++i) fraction_ns *= 10;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(number(t, 0, 4)),
                                        std::chrono::month(static_cast<unsigned>(number(t, 4, 2))),
                                        std::chrono::day(static_cast<unsigned>(number(t, 6, 2)))};
  const int h = number(t, 9, 2), m = number(t, 12, 2), s = number(t, 15, 2);
  if (!ymd.ok() || h > 23 || m > 59 || s > 60) return std::nullopt;
  const auto at =
      std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(s);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count() + fraction_ns;
}

std::optional<int64_t> LoggedMessage::logged_ns() const {
  if (logged_at.empty()) return std::nullopt;
  return parse_fix_time(logged_at);
}

FixLogReader::FixLogReader(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) == 0) size_ = static_cast<uint64_t>(st.st_size);
  buf_.resize(kBlock + 1);
}

FixLogReader::~FixLogReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool FixLogReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // A line longer than the buffer: a larger buffer. One byte stays spare.
  if (end_ + 1 >= buf_.size()) buf_.resize(buf_.size() * 2);
  for (;;) {
    const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - 1 - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("cannot read " + path_ + ": " + std::strerror(errno));
    if (n == 0) eof_ = true;
    end_ += static_cast<std::size_t>(n);
    return n > 0;
  }
}

bool FixLogReader::read_line() {
  if (line_size_ > 0 && !line_had_message_) ++skipped_;
  std::size_t size = 0;
  for (;;) {
    const char* data = buf_.data();
    if (const void* nl = std::memchr(data + begin_, '\n', end_ - begin_)) {
      size = static_cast<std::size_t>(static_cast<const char*>(nl) - (data + begin_));
      consumed_ += size + 1;
      break;
    }
    if (fill()) continue;  // more to search
    if (begin_ == end_) {
      line_size_ = 0;
      return false;
    }
    size = end_ - begin_;  // the last line, without a newline: buf_[end_] is spare
    consumed_ += size;
    break;
  }
  line_ = buf_.data() + begin_;
  begin_ += size + (begin_ + size < end_ ? 1 : 0);
  ++line_number_;
  if (size > 0 && line_[size - 1] == '\r') --size;
  normalize(line_, size);
  line_size_ = size;
  pos_ = 0;
  line_had_message_ = false;
  line_time_ = {};
  // QuickFIX's log: "20261201-14:30:05.123 : 8=FIX..."
  const std::string_view head(line_, std::min<std::size_t>(size, 40));
  if (const std::size_t sep = head.find(" : 8=FIX"); sep != std::string_view::npos && sep < 32)
    line_time_ = head.substr(0, sep);
  return true;
}

bool FixLogReader::next(LoggedMessage& out) {
  for (;;) {
    const std::string_view line(line_, line_size_);
    std::size_t start = line.find("8=FIX", pos_);
    // A message starts a line, follows a separator or a log line's prefix.
    while (start != std::string_view::npos && start > 0 && line[start - 1] != kSoh && line[start - 1] != ' ')
      start = line.find("8=FIX", start + 1);
    if (start == std::string_view::npos) {
      if (!read_line()) return false;
      continue;
    }
    const MessageEnd m = message_end(line, start);
    pos_ = m.end;
    if (!m.is_message) continue;
    std::size_t size = m.end - start;
    if (line[m.end - 1] != kSoh) {
      // Ends with the line: its last field terminated in the byte after it.
      line_[m.end] = kSoh;
      ++size;
      pos_ = line_size_ = m.end + 1;
    }
    out.text = std::string_view(line_ + start, size);
    out.logged_at = line_time_;
    out.line = line_number_;
    line_had_message_ = true;
    return true;
  }
}

}  // namespace fixguard::proxy
