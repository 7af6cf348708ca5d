#include "proxy/write_barrier.h"

#include "fix/log.h"
#include "proxy/connection.h"

namespace fixguard::proxy {
namespace {

constexpr auto kRetry = std::chrono::milliseconds(100);

}  // namespace

WriteBarrier::WriteBarrier(boost::asio::io_context& io, Flush flush) : io_(io), flush_(std::move(flush)), retry_(io) {}

void WriteBarrier::hold(const std::shared_ptr<Connection>& c) {
  held_.push_back(c);
  request();
}

void WriteBarrier::request() {
  if (posted_ || failing_ || flushing_) return;
  posted_ = true;
  boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) flush();
  });
}

void WriteBarrier::flush() {
  posted_ = false;
  flushing_ = true;
  const std::optional<std::string> why = flush_();
  flushing_ = false;
  if (why) {
    ++stats_.failures;
    if (!failing_) log::error("persistence", "cannot write (" + *why + "): nothing is sent to any peer until it can");
    failing_ = true;
    retry_.expires_after(kRetry);
    retry_.async_wait([this](boost::system::error_code ec) {
      if (!ec) flush();
    });
    return;
  }
  if (failing_) log::warn("persistence", "written again: output flows again");
  failing_ = false;
  ++stats_.flushes;
  // Releasing may write at once; a write that holds again starts a new batch.
  std::vector<std::weak_ptr<Connection>> held;
  held.swap(held_);
  for (const auto& w : held)
    if (auto c = w.lock()) {
      c->release();
      ++stats_.released;
    }
}

}  // namespace fixguard::proxy
