#include "risk/notional.h"

namespace fixguard::risk {
namespace {

constexpr __int128 kMax = ~(static_cast<unsigned __int128>(1) << 127);

}  // namespace

std::optional<Notional> Notional::parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative || text[0] == '+') ++i;
  __int128 units = 0;
  int frac_digits = 0;
  bool point = false;
  bool digits = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    digits = true;
    if (point && frac_digits == kDigits) {
      if (c != '0') return std::nullopt;  // would lose precision
      continue;
    }
    if (units > (kMax - (c - '0')) / 10) return std::nullopt;
    units = units * 10 + (c - '0');
    if (point) ++frac_digits;
  }
  if (!digits) return std::nullopt;
  for (int k = frac_digits; k < kDigits; ++k) {
    if (units > kMax / 10) return std::nullopt;
    units *= 10;
  }
  return Notional(negative ? -units : units);
}

std::string Notional::to_string() const {
  unsigned __int128 abs = units_ < 0 ? static_cast<unsigned __int128>(0) - static_cast<unsigned __int128>(units_)
                                     : static_cast<unsigned __int128>(units_);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(abs % 10)));
    abs /= 10;
  } while (abs != 0);
  if (digits.size() <= static_cast<std::size_t>(kDigits)) digits.insert(0, kDigits + 1 - digits.size(), '0');
  std::string whole = digits.substr(0, digits.size() - kDigits);
  std::string frac = digits.substr(digits.size() - kDigits);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return (units_ < 0 ? "-" : "") + whole + (frac.empty() ? "" : "." + frac);
}

}  // namespace fixguard::risk
