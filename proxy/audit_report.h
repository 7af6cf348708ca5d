// `fixguard audit`: the orders the journal holds (rejected ones unless asked
// for all), filtered, as a table, CSV or JSON, each with the raw FIX of the
// order and of the reject sent back; or as a self-contained HTML report with
// a chart of rejects over time by rule.
#pragma once

#include "persistence/journal.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace fixguard::proxy {

// "2026-12-01" (midnight UTC), "2026-12-01T14:30", "2026-12-01T14:30:05" or
// with a trailing Z: microseconds since the epoch, or nothing if malformed.
std::optional<int64_t> parse_utc_time(const std::string& text);
// Microseconds since the epoch as "2026-12-01T14:30:05.123456Z".
std::string utc_time(int64_t us);

enum class AuditFormat { table, csv, json };

void write_audit(std::ostream& out, const std::vector<persistence::JournalEntry>& rows, AuditFormat format);
// `title` names what was asked (filters), shown at the top of the report.
void write_audit_html(std::ostream& out, const std::vector<persistence::JournalEntry>& rows, const std::string& title);

}  // namespace fixguard::proxy
