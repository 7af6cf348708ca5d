#include "proxy/marks_file.h"

#include <fstream>
#include <sstream>

namespace fixguard::proxy {

std::variant<MarksFile::Marks, MarksFile::Error> MarksFile::parse(const std::string& text, const std::string& name) {
  Marks marks;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    std::string symbol, price, extra;
    if (!(words >> symbol)) continue;
    const std::string where = name + ":" + std::to_string(number) + ": ";
    if (!(words >> price) || (words >> extra)) return Error{where + "expected 'SYMBOL PRICE'"};
    const auto p = risk::Price::parse(price);
    if (!p || p->units() <= 0)
      return Error{where + "price '" + price + "' is not a positive decimal with at most 8 places"};
    marks.emplace_back(symbol, *p);
  }
  return marks;
}

std::variant<MarksFile::Unchanged, MarksFile::Marks, MarksFile::Error> MarksFile::poll() {
  std::error_code ec;
  const auto time = std::filesystem::last_write_time(path_, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path_, ec);
  if (ec) {
    // Reported once, not at every poll, until the file is back.
    std::string reason = path_.string() + ": " + ec.message();
    seen_ = false;
    if (reason == last_error_) return Unchanged{};
    last_error_ = reason;
    return Error{std::move(reason)};
  }
  last_error_.clear();
  if (seen_ && time == seen_time_ && size == seen_size_) return Unchanged{};
  seen_ = true;
  seen_time_ = time;
  seen_size_ = size;
  std::ifstream in(path_);
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse(text.str(), path_.string());
  if (auto* error = std::get_if<Error>(&parsed)) return *error;
  return std::get<Marks>(std::move(parsed));
}

}  // namespace fixguard::proxy
