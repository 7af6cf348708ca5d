// QuickFIX SessionSettings for peers that use QuickFIX's own sockets: the
// venue simulator and the sample strategy. (fixguard's own sessions are
// driven by its transport and built by fix::SessionBuilder.)
#pragma once

#include "config/config.h"
#include "fix/quickfix.h"

#include <string>

namespace fixguard::proxy {

// Settings for the peer on the other side of `s`: CompIDs swapped, the same
// FIX version and dictionaries.
FIX::Dictionary peer_settings(const config::SessionCommon& s, bool initiator);

}  // namespace fixguard::proxy
