#include "risk/notional.h"

namespace fixguard::risk {
std::optional<Notional> Notional::parse(std::string_view text) {
  const auto units = parse_scaled<__int128>(text, kDigits);
  return units ? std::optional<Notional>(Notional(*units)) : std::nullopt;
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
