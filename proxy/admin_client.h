// The client side of the operator interface, for `fixguard ctl`: one HTTP
// request with the token, the status and body back.
#pragma once

#include "config/config.h"

#include <map>
#include <string>

namespace fixguard::proxy {

struct AdminReply {
  int status = 0;
  std::string body;
};

// Sends `method` `path` to the configured admin address (loopback when it
// listens on every address) with `form` as the body of a POST. Throws
// std::runtime_error, without the token, when the server cannot be reached.
AdminReply admin_call(const config::AdminConfig& admin, const std::string& method, const std::string& path,
                      const std::map<std::string, std::string>& form);

}  // namespace fixguard::proxy
