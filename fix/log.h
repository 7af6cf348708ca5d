// fixguard's log: one line per event on stderr (or a sink a test installs),
// with FIX secrets masked wherever a message is written.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace fixguard::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3 };

// Parses "debug", "info", "warn" or "error"; anything else is info.
Level parse_level(std::string_view name);
void set_level(Level level);
bool enabled(Level level);

// Receives every line written (already formatted, no trailing newline).
// Replaces stderr while installed; pass an empty function to restore it.
// Thread-safe.
using Sink = std::function<void(Level, const std::string& line)>;
void set_sink(Sink sink);

void write(Level level, std::string_view component, std::string_view text);
inline void debug(std::string_view c, std::string_view t) {
  if (enabled(Level::debug)) write(Level::debug, c, t);
}
inline void info(std::string_view c, std::string_view t) {
  if (enabled(Level::info)) write(Level::info, c, t);
}
inline void warn(std::string_view c, std::string_view t) { write(Level::warn, c, t); }
inline void error(std::string_view c, std::string_view t) { write(Level::error, c, t); }

// A printable copy of a FIX message: SOH shown as '|', and the values of
// Password (554), NewPassword (925), RawData (96), SecureData (91) and
// Signature (89) replaced by "***".
std::string printable_fix(std::string_view message);

// `message` itself, still a valid FIX message, with the values of those
// secret fields replaced by "***" (a data field's length field set to
// match) and BodyLength and CheckSum computed anew: for what keeps sent
// messages (the session stores). Returned as is when it holds no secret or
// does not parse.
std::string redacted_fix(std::string_view message);
// Whether `message` may hold one of those secret fields (a quick look, no
// parse: true may be a false alarm, false is certain).
bool holds_secret(std::string_view message);

}  // namespace fixguard::log
