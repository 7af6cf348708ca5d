// Reading recorded FIX traffic, one message at a time: QuickFIX message logs
// (each line "<UTC time> : <message>"), and raw streams whose fields are
// separated by SOH, '|' or "^A", one message per line or run together.
// Lines that hold no FIX message are skipped and counted, never fatal.
//
// Thread: one reader, one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fixguard::proxy {

struct LoggedMessage {
  // The message, its fields separated by SOH. A view into the reader's
  // buffer: valid until the reader's next call to next().
  std::string_view text;
  std::string_view logged_at;  // the time its log line gives ("" if none), likewise
  int64_t line = 0;            // where it starts in its file (from 1)
  std::optional<int64_t> logged_ns() const;
};

class FixLogReader {
 public:
  // Throws std::runtime_error naming the file if it cannot be read.
  explicit FixLogReader(const std::string& path);
  ~FixLogReader();
  FixLogReader(const FixLogReader&) = delete;
  FixLogReader& operator=(const FixLogReader&) = delete;

  // The next message; false at the end of the file. Throws
  // std::runtime_error if the file cannot be read on.
  bool next(LoggedMessage& out);

  const std::string& path() const { return path_; }
  int64_t skipped_lines() const { return skipped_; }
  uint64_t size() const { return size_; }            // bytes in the file
  uint64_t bytes_read() const { return consumed_; }  // so far

 private:
  bool read_line();
  // More of the file after what is left unread; false at its end.
  bool fill();

  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  uint64_t consumed_ = 0;
  // The file is read in large blocks; lines are views into buf_, each
  // followed by one byte of buf_ the reader may overwrite (its newline).
  std::string buf_;
  std::size_t begin_ = 0, end_ = 0;  // buf_[begin_, end_): read, not yet a line
  bool eof_ = false;
  char* line_ = nullptr;
  std::size_t line_size_ = 0;
  std::size_t pos_ = 0;  // where to look for the next message in the line
  bool line_had_message_ = false;
  std::string_view line_time_;
  int64_t line_number_ = 0;
  int64_t skipped_ = 0;
};

// "20261201-14:30:05", with .sss, .ssssss or .sssssssss: nanoseconds since
// the epoch (UTC), or nothing if malformed. The format of SendingTime (52),
// TransactTime (60) and QuickFIX's log lines.
std::optional<int64_t> parse_fix_time(std::string_view text);

}  // namespace fixguard::proxy
