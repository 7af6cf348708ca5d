// The sample strategy of `fixguard demo`: logs on as every client in the
// config, sends a short order flow through fixguard and prints what came back.
#pragma once

#include "config/config.h"

#include <ostream>

namespace fixguard::proxy {

// Returns 0 when every step got its answer, 1 otherwise.
int run_demo(const config::Config& config, std::ostream& out);

}  // namespace fixguard::proxy
