// Group commit: nothing fixguard writes to a peer leaves before the journal
// entries and database rows that record it are written (and, with
// durability `full`, synced to the disk).
//
// Connections hold their output while a barrier is in force. The first held
// write of a batch of work (or a write that waits in the database or the
// journal: request()) posts one flush to the io thread; it runs once the
// current handler (a whole read of many messages, a timer) has done its
// work, writes everything that batch recorded, in one transaction per file,
// syncs them with durability `full`, and then lets every held connection
// write. What is written while the flush runs (orders that waited for the
// journal) is released by the same flush. If the flush fails, the output
// stays held and the flush is tried again shortly: what is not recorded is
// never seen by a peer.
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
  // `flush` records everything written so far, or says why not.
  using Flush = std::function<std::optional<std::string>()>;
  WriteBarrier(boost::asio::io_context& io, Flush flush);

  // `c` has output held until the next flush.
  void hold(const std::shared_ptr<Connection>& c);
  // Something waits to be recorded: a flush is to run.
  void request();
  // Flushes now (at a stop), unless one is running.
  void flush_now() {
    if (!flushing_) flush();
  }

  struct Stats {
    uint64_t flushes = 0;   // flushes that succeeded
    uint64_t released = 0;  // connection releases (one per connection per flush)
    uint64_t failures = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  void flush();

  boost::asio::io_context& io_;
  Flush flush_;
  boost::asio::steady_timer retry_;
  std::vector<std::weak_ptr<Connection>> held_;
  bool posted_ = false;
  bool failing_ = false;
  bool flushing_ = false;
  Stats stats_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for the posted flush
};

}  // namespace fixguard::proxy
