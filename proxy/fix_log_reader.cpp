#include "proxy/fix_log_reader.h"

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace fixguard::proxy {
namespace {

constexpr char kSoh = '\x01';

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

// Separators as SOH: "^A" always; '|' when the line has no SOH.
void normalize(std::string& line) {
  if (line.find("^A") != std::string::npos) {
    std::string out;
    out.reserve(line.size());
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '^' && i + 1 < line.size() && line[i + 1] == 'A') {
        out += kSoh;
        ++i;
      } else {
        out += line[i];
      }
    }
    line.swap(out);
  }
  if (line.find(kSoh) == std::string::npos && line.find("|9=") != std::string::npos)
    for (char& c : line)
      if (c == '|') c = kSoh;
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

FixLogReader::FixLogReader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
  if (!in_) throw std::runtime_error("cannot read " + path);
  std::error_code ec;
  size_ = std::filesystem::file_size(path, ec);
}

bool FixLogReader::read_line() {
  if (!line_.empty() && !line_had_message_) ++skipped_;
  if (!std::getline(in_, line_)) return false;
  consumed_ += line_.size() + 1;
  ++line_number_;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  normalize(line_);
  pos_ = 0;
  line_had_message_ = false;
  line_time_.reset();
  // QuickFIX's log: "20261201-14:30:05.123 : 8=FIX..."
  if (const std::size_t sep = line_.find(" : 8=FIX"); sep != std::string::npos && sep < 32)
    line_time_ = parse_fix_time(std::string_view(line_).substr(0, sep));
  return true;
}

bool FixLogReader::next(LoggedMessage& out) {
  for (;;) {
    std::size_t start = line_.find("8=FIX", pos_);
    // A message starts a line, follows a separator or a log line's prefix.
    while (start != std::string::npos && start > 0 && line_[start - 1] != kSoh && line_[start - 1] != ' ')
      start = line_.find("8=FIX", start + 1);
    if (start == std::string::npos) {
      if (!read_line()) {
        line_.clear();
        return false;
      }
      continue;
    }
    // It ends after its CheckSum (10), or with the line.
    std::size_t end = line_.size();
    if (const std::size_t check = line_.find("\x01"
                                             "10=",
                                             start);
        check != std::string::npos) {
      const std::size_t soh = line_.find(kSoh, check + 1);
      end = soh == std::string::npos ? line_.size() : soh + 1;
    }
    pos_ = end;
    std::string_view text = std::string_view(line_).substr(start, end - start);
    if (text.find("\x01"
                  "35=") == std::string_view::npos)
      continue;  // not a message
    out.text.assign(text);
    if (out.text.back() != kSoh) out.text += kSoh;
    out.logged_ns = line_time_;
    out.line = line_number_;
    line_had_message_ = true;
    return true;
  }
}

}  // namespace fixguard::proxy
