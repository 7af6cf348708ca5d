// JSON and CSV text for the operator interface and the reports: strings
// escaped, numbers written as their exact decimal text.
#pragma once

#include <string>
#include <string_view>

namespace fixguard::proxy {

// `s` as a quoted JSON string.
std::string json_string(std::string_view s);
// `s` as a CSV field: quoted (quotes doubled) if it holds a comma, a quote
// or a line break.
std::string csv_field(std::string_view s);

}  // namespace fixguard::proxy
