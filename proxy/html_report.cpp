#include "proxy/html_report.h"

#include "proxy/audit_report.h"

#include <algorithm>

namespace fixguard::proxy {

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  return out;
}

void write_html_start(std::ostream& out, const std::string& title) {
  out << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" << html_escape(title) << "</title>\n<style>\n"
      << "body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;font-size:13px}\n"
         "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\n"
         "th{background:#f0f0f0}code{font-size:11px;word-break:break-all}.legend span{margin-right:1.2em}\n"
         ".swatch{display:inline-block;width:10px;height:10px;margin-right:4px}\n</style></head><body>\n"
      << "<h1>" << html_escape(title) << "</h1>\n";
}

void TimeChart::add(int64_t at_us, std::string_view series) {
  auto s = series_.find(series);
  if (s == series_.end()) s = series_.emplace(std::string(series), series_.size()).first;
  std::vector<int64_t>& counts = by_second_[at_us / 1'000'000];
  if (counts.size() <= s->second) counts.resize(s->second + 1, 0);
  ++counts[s->second];
}

void TimeChart::write(std::ostream& out, const std::string& what) const {
  constexpr int64_t kMinute = 60;
  const int64_t first = by_second_.empty() ? 0 : by_second_.begin()->first;
  const int64_t last = by_second_.empty() ? 0 : by_second_.rbegin()->first;
  const int64_t bucket = std::max<int64_t>(kMinute, ((last - first) / 40 / kMinute + 1) * kMinute);
  const int64_t start = first - first % bucket;
  const std::size_t buckets = by_second_.empty() ? 0 : static_cast<std::size_t>((last - start) / bucket + 1);
  std::vector<std::vector<int64_t>> counts(buckets, std::vector<int64_t>(series_.size(), 0));
  int64_t tallest = 1;
  for (const auto& [second, per_series] : by_second_) {
    auto& column = counts[static_cast<std::size_t>((second - start) / bucket)];
    for (std::size_t i = 0; i < per_series.size(); ++i) column[i] += per_series[i];
  }
  for (const auto& column : counts) {
    int64_t sum = 0;
    for (int64_t c : column) sum += c;
    tallest = std::max(tallest, sum);
  }
  static const char* kColours[] = {"#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd",
                                   "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  constexpr int kWidth = 900, kHeight = 260, kLeft = 40, kBottom = 30;
  const double bar = buckets ? static_cast<double>(kWidth - kLeft) / static_cast<double>(buckets) : 0;
  out << "<p>" << what << " per " << bucket / kMinute << " min:</p>\n";
  out << "<svg width=\"" << kWidth << "\" height=\"" << kHeight + kBottom << "\" role=\"img\">\n";
  out << "<text x=\"0\" y=\"12\" font-size=\"11\">" << tallest << "</text>"
      << "<line x1=\"" << kLeft << "\" y1=\"" << kHeight << "\" x2=\"" << kWidth << "\" y2=\"" << kHeight
      << "\" stroke=\"#888\"/>\n";
  for (std::size_t b = 0; b < buckets; ++b) {
    double y = kHeight;
    for (const auto& [name, r] : series_) {
      if (!counts[b][r]) continue;
      const double h = static_cast<double>(counts[b][r]) * (kHeight - 20) / static_cast<double>(tallest);
      y -= h;
      out << "<rect x=\"" << kLeft + static_cast<double>(b) * bar << "\" y=\"" << y << "\" width=\""
          << std::max(1.0, bar - 1) << "\" height=\"" << h << "\" fill=\"" << kColours[r % 10] << "\"><title>"
          << utc_time((start + static_cast<int64_t>(b) * bucket) * 1'000'000) << " " << html_escape(name) << ": "
          << counts[b][r] << "</title></rect>\n";
    }
  }
  if (buckets)
    out << "<text x=\"" << kLeft << "\" y=\"" << kHeight + 20 << "\" font-size=\"11\">" << utc_time(start * 1'000'000)
        << "</text><text x=\"" << kWidth << "\" y=\"" << kHeight + 20 << "\" font-size=\"11\" text-anchor=\"end\">"
        << utc_time((start + static_cast<int64_t>(buckets) * bucket) * 1'000'000) << "</text>\n";
  out << "</svg>\n<p class=\"legend\">";
  for (const auto& [name, index] : series_)
    out << "<span><i class=\"swatch\" style=\"background:" << kColours[index % 10] << "\"></i>" << html_escape(name)
        << "</span>";
  out << "</p>\n";
}

}  // namespace fixguard::proxy
