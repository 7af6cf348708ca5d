// JSON text for the operator interface: strings escaped, numbers written as
// their exact decimal text.
#pragma once

#include <string>
#include <string_view>

namespace fixguard::proxy {

// `s` as a quoted JSON string.
std::string json_string(std::string_view s);

}  // namespace fixguard::proxy
