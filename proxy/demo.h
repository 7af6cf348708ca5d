// The sample strategy of `fixguard demo`: logs on as every client in the
// config, sends a short order flow through fixguard and prints what came back.
#pragma once

#include "config/config.h"

#include <ostream>
#include <string>
#include <vector>

namespace fixguard::proxy {

// Trades as the named clients (all when empty). The strategies keep their
// sequence numbers in `store_dir`, so the demo can be run again. Returns 0
// when every step got its answer, 1 otherwise.
int run_demo(const config::Config& config, const std::vector<std::string>& clients, const std::string& store_dir,
             std::ostream& out);

}  // namespace fixguard::proxy
