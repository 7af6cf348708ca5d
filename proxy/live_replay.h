// `fixguard replay LOG... --live HOST:PORT`: a log's orders sent to a
// running fixguard by a QuickFIX strategy session per recorded session (the
// config's client with the log's CompIDs), at the recorded pace or faster,
// and what came back reported as the offline replay reports decisions.
#pragma once

#include "config/config.h"
#include "proxy/replay.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace fixguard::proxy {

struct LiveTarget {
  std::string host;
  uint16_t port = 0;
  double speed = 1;  // 2: twice as fast as recorded; 0: as fast as it can
};

// Returns how many orders got no answer in time (reported as "unanswered").
int64_t run_live_replay(const config::Config& config, const ReplayRequest& request, const LiveTarget& target,
                        std::ostream& out, std::ostream& err);

}  // namespace fixguard::proxy
