// Durability `full`: nothing fixguard writes to a peer leaves before the
// journal entries and session-store rows that record it are on the disk.
//
// Connections hold their output while a barrier is in force. The first held
// write of a batch of work posts one flush to the io thread; it runs once
// the current handler (a whole read of many messages, a timer) has done its
// work, syncs the files once for everything that batch wrote (group
// commit), and then lets every held connection write. If a sync fails, the
// output stays held and the flush is tried again shortly: what is not on
// the disk is never seen by a peer.
//
// Thread: io thread only.
#pragma once

#include "proxy/asio.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace fixguard::proxy {

class Connection;

class WriteBarrier {
 public:
  // `sync` puts everything written so far on the disk, or says why not.
  using Sync = std::function<std::optional<std::string>()>;
  WriteBarrier(boost::asio::io_context& io, Sync sync);

  // `c` has output held until the next flush.
  void hold(const std::shared_ptr<Connection>& c);

  struct Stats {
    uint64_t flushes = 0;   // syncs that succeeded
    uint64_t released = 0;  // connection releases (one per connection per flush)
    uint64_t failures = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  void flush();

  boost::asio::io_context& io_;
  Sync sync_;
  boost::asio::steady_timer retry_;
  std::vector<std::weak_ptr<Connection>> held_;
  bool posted_ = false;
  bool failing_ = false;
  Stats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for the posted flush
};

}  // namespace fixguard::proxy
