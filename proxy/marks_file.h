// Reference prices an operator pushes: a text file of "SYMBOL PRICE" lines
// ('#' starts a comment), read again whenever it changes. A file with a bad
// line is not applied at all, and the error names the line. Replace the file
// atomically (write a temporary file, then rename it) so a half-written one
// is never read.
#pragma once

#include "risk/decimal.h"

#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace fixguard::proxy {

class MarksFile {
 public:
  using Marks = std::vector<std::pair<std::string, risk::Price>>;
  struct Unchanged {};
  struct Error {
    std::string reason;
  };

  explicit MarksFile(std::filesystem::path path) : path_(std::move(path)) {}

  // The marks, if the file changed since the last call (or on the first).
  std::variant<Unchanged, Marks, Error> poll();

  // Parses the text of a marks file; `name` is used in errors.
  static std::variant<Marks, Error> parse(const std::string& text, const std::string& name);

 private:
  std::filesystem::path path_;
  std::filesystem::file_time_type seen_time_{};
  std::uintmax_t seen_size_ = 0;
  bool seen_ = false;
  std::string last_error_;
};

}  // namespace fixguard::proxy
