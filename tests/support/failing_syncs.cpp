#include "tests/support/failing_syncs.h"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace fixguard::testing {
namespace {

struct Armed {
  std::mutex mutex;
  std::atomic<bool> on{false};
  std::string suffix;
  int left = 0;
  int failed = 0;
  std::optional<off_t> synced_size;  // cut back to at a failure
};

Armed& armed() {
  static Armed a;
  return a;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// True if this sync of `fd` is to fail.
bool fails(int fd) {
  Armed& a = armed();
  if (!a.on.load(std::memory_order_acquire)) return false;
  char path[PATH_MAX];
  const ssize_t n = ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), path, sizeof path);
  if (n <= 0) return false;
  const std::lock_guard lock(a.mutex);
  if (a.left == 0 || !ends_with(std::string(path, static_cast<std::size_t>(n)), a.suffix)) return false;
  if (a.left > 0) --a.left;
  ++a.failed;
  if (a.synced_size && ::ftruncate(fd, *a.synced_size) != 0) return false;
  return true;
}

void arm(std::string suffix, int count, std::optional<off_t> synced_size) {
  Armed& a = armed();
  const std::lock_guard lock(a.mutex);
  if (a.on) throw std::logic_error("FailingSyncs: one at a time");
  a.suffix = std::move(suffix);
  a.left = count;
  a.failed = 0;
  a.synced_size = synced_size;
  a.on.store(true, std::memory_order_release);
}

}  // namespace

FailingSyncs::FailingSyncs(std::string suffix, int count) { arm(std::move(suffix), count, std::nullopt); }

FailingSyncs::FailingSyncs(std::string path, int count, LosingUnsynced) {
  const auto size = static_cast<off_t>(std::filesystem::file_size(path));
  arm(std::move(path), count, size);
}

FailingSyncs::~FailingSyncs() { armed().on.store(false, std::memory_order_release); }

int FailingSyncs::failed() const {
  Armed& a = armed();
  const std::lock_guard lock(a.mutex);
  return a.failed;
}

}  // namespace fixguard::testing

// Replaces the C library's for the whole executable (the shared libraries'
// calls included), forwarding to it unless a FailingSyncs says otherwise.
extern "C" int fdatasync(int fd) {
  if (fixguard::testing::fails(fd)) {
    errno = EIO;
    return -1;
  }
  using Sync = int (*)(int);
  static const auto real = reinterpret_cast<Sync>(::dlsym(RTLD_NEXT, "fdatasync"));
  return real(fd);
}
