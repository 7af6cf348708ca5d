#include "fix/log.h"

#include "fix/framer.h"
#include "fix/raw_fields.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace fixguard::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::mutex g_mutex;
Sink g_sink;  // guarded by g_mutex

const char* name(Level level) {
  switch (level) {
    case Level::debug:
      return "DEBUG";
    case Level::info:
      return "INFO ";
    case Level::warn:
      return "WARN ";
    case Level::error:
      return "ERROR";
  }
  return "?";
}

std::string timestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto us = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  const std::time_t t = system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long>(us));
  return buf;
}

bool is_secret(int tag) { return tag == 554 || tag == 925 || tag == 96 || tag == 91 || tag == 89; }

}  // namespace

Level parse_level(std::string_view n) {
  if (n == "debug") return Level::debug;
  if (n == "warn") return Level::warn;
  if (n == "error") return Level::error;
  return Level::info;
}

void set_level(Level level) { g_level = static_cast<int>(level); }
bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }

void set_sink(Sink sink) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_sink = std::move(sink);
}

void write(Level level, std::string_view component, std::string_view text) {
  std::string line = timestamp();
  line += ' ';
  line += name(level);
  line += ' ';
  line += component;
  line += ": ";
  line += text;
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_sink) {
    g_sink(level, line);
    return;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

std::string printable_fix(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  std::size_t done = 0;
  for (const fix::RawField& f : fix::RawFields(message)) {
    out.append(message.substr(f.begin, f.value_begin - f.begin));
    out.append(is_secret(f.tag) ? std::string_view("***") : f.value);
    out += '|';
    done = f.end;
  }
  // Whatever does not parse as fields (a data field whose length lies, say)
  // is shown split at each SOH, a secret tag's value still masked.
  std::string_view rest = message.substr(done);
  while (!rest.empty()) {
    const std::size_t soh = rest.find('\x01');
    const std::string_view item = rest.substr(0, soh);
    const std::size_t eq = item.find('=');
    int tag = 0;
    const bool numeric = eq != std::string_view::npos && eq > 0 && eq <= 9 &&
                         std::all_of(item.begin(), item.begin() + static_cast<std::ptrdiff_t>(eq),
                                     [](char c) { return c >= '0' && c <= '9'; });
    if (numeric) tag = std::stoi(std::string(item.substr(0, eq)));
    if (tag && is_secret(tag)) {
      out.append(item.substr(0, eq + 1));
      out.append("***");
    } else {
      out.append(item);
    }
    if (soh == std::string_view::npos) break;
    out += '|';
    rest.remove_prefix(soh + 1);
  }
  return out;
}

bool holds_secret(std::string_view message) {
  // One pass over the field starts (this runs for every message stored):
  // the tag after each SOH, read as far as it can be a secret's.
  for (std::size_t at = message.find('\x01'); at != std::string_view::npos; at = message.find('\x01', at + 1)) {
    int tag = 0;
    std::size_t i = at + 1;
    for (; i < message.size() && i < at + 5 && message[i] >= '0' && message[i] <= '9'; ++i)
      tag = tag * 10 + (message[i] - '0');
    if (i < message.size() && message[i] == '=' && is_secret(tag)) return true;
  }
  return false;
}

std::string redacted_fix(std::string_view message) {
  if (!holds_secret(message)) return std::string(message);
  bool secret = false;
  std::size_t parsed = 0;  // up to where the fields parse
  std::string begin, body;
  for (const fix::RawField& f : fix::RawFields(message)) {
    secret = secret || is_secret(f.tag);
    parsed = f.end;
    if (f.tag == 8) {
      begin = message.substr(f.begin, f.end - f.begin);
    } else if (f.tag != 9 && f.tag != 10) {
      body.append(message.substr(f.begin, f.value_begin - f.begin));
      const int data_tag = fix::data_field_for_length(f.tag);
      body.append(is_secret(f.tag)                  ? std::string_view("***")
                  : data_tag && is_secret(data_tag) ? std::string_view("3")
                                                    : f.value);
      body += '\x01';
    }
  }
  if (!secret || parsed != message.size()) return std::string(message);
  std::string out = begin + "9=" + std::to_string(body.size()) + "\x01" + body;
  char trailer[8];
  std::snprintf(trailer, sizeof trailer, "10=%03u\x01", fix::checksum(out) % 256);
  return out + trailer;
}

}  // namespace fixguard::log
