// Pieces of the self-contained HTML reports (audit, replay): no scripts, no
// external files, a chart drawn as inline SVG.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace fixguard::proxy {

std::string html_escape(std::string_view s);
// The page's head and styles, and its title as a heading.
void write_html_start(std::ostream& out, const std::string& title);

// Counts of events over time, by series (a rule, "accepted"...), drawn as
// stacked bars: about 40 buckets over the span, each a whole number of
// minutes, with a legend.
class TimeChart {
 public:
  void add(int64_t at_us, std::string_view series);
  bool empty() const { return by_second_.empty(); }
  // `what` says what is counted ("rejects", "decisions").
  void write(std::ostream& out, const std::string& what) const;

 private:
  std::map<std::string, std::size_t, std::less<>> series_;  // name -> index
  std::map<int64_t, std::vector<int64_t>> by_second_;       // counts per series
};

}  // namespace fixguard::proxy
