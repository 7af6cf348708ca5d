// Reading recorded FIX traffic, one message at a time: QuickFIX message logs
// (each line "<UTC time> : <message>"), and raw streams whose fields are
// separated by SOH, '|' or "^A", one message per line or run together.
// Lines that hold no FIX message are skipped and counted, never fatal.
//
// Thread: one reader, one thread.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>

namespace fixguard::proxy {

struct LoggedMessage {
  std::string text;                  // the message, its fields separated by SOH
  std::optional<int64_t> logged_ns;  // the time its log line gives, if any
  int64_t line = 0;                  // where it starts in its file (from 1)
};

class FixLogReader {
 public:
  // Throws std::runtime_error naming the file if it cannot be read.
  explicit FixLogReader(const std::string& path);

  // The next message; false at the end of the file.
  bool next(LoggedMessage& out);

  const std::string& path() const { return path_; }
  int64_t skipped_lines() const { return skipped_; }
  uint64_t size() const { return size_; }            // bytes in the file
  uint64_t bytes_read() const { return consumed_; }  // so far

 private:
  bool read_line();

  std::string path_;
  std::ifstream in_;
  uint64_t size_ = 0;
  uint64_t consumed_ = 0;
  std::string line_;
  std::size_t pos_ = 0;  // where to look for the next message in line_
  bool line_had_message_ = false;
  std::optional<int64_t> line_time_;
  int64_t line_number_ = 0;
  int64_t skipped_ = 0;
};

// "20261201-14:30:05", with .sss, .ssssss or .sssssssss: nanoseconds since
// the epoch (UTC), or nothing if malformed. The format of SendingTime (52),
// TransactTime (60) and QuickFIX's log lines.
std::optional<int64_t> parse_fix_time(std::string_view text);

}  // namespace fixguard::proxy
