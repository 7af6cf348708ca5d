#include "fix/log.h"

#include "fix/raw_fields.h"

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
  // Whatever does not parse as fields is shown as is, SOH made visible.
  for (std::size_t i = done; i < message.size(); ++i) out += message[i] == '\x01' ? '|' : message[i];
  return out;
}

}  // namespace fixguard::log
