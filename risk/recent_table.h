// When each key was last seen, for keys seen within a time horizon: an
// open-addressed table of fixed-size keys whose slots are reused once their
// time is past the horizon. Allocates only to grow; in a steady flow it
// settles at a size and allocates nothing more. Thread: one at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace fixguard::risk {

template <class Key, class Hash = std::hash<Key>>
class RecentTable {
 public:
  explicit RecentTable(std::size_t capacity = 1024) : slots_(round_up(capacity)) {}

  // Records `key` as seen at `now_ns` and returns when it was seen before,
  // if that was less than `horizon_ns` ago.
  std::optional<int64_t> touch(const Key& key, int64_t now_ns, int64_t horizon_ns) {
    if ((used_ + 1) * 4 > slots_.size() * 3) rebuild(now_ns, horizon_ns);
    const std::size_t mask = slots_.size() - 1;
    Slot* reusable = nullptr;
    for (std::size_t i = Hash()(key) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (!s.used) {
        Slot& target = reusable ? *reusable : s;
        if (!reusable) ++used_;
        target = Slot{key, now_ns, true};
        return std::nullopt;
      }
      if (s.key == key) {
        const int64_t before = s.time;
        s.time = now_ns;
        if (now_ns - before < horizon_ns) return before;
        return std::nullopt;
      }
      if (!reusable && now_ns - s.time >= horizon_ns) reusable = &s;
    }
  }

  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    Key key{};
    int64_t time = 0;
    bool used = false;
  };

  static std::size_t round_up(std::size_t n) {
    std::size_t p = 16;
    while (p < n) p *= 2;
    return p;
  }

  // Drops expired keys, and doubles the table if the live ones still fill
  // half of it. The old slots are kept as the next rebuild's buffer, so a
  // table that does not grow does not allocate.
  void rebuild(int64_t now_ns, int64_t horizon_ns) {
    std::vector<Slot>& old = spare_;
    old.swap(slots_);
    std::size_t live = 0;
    for (const Slot& s : old) live += s.used && now_ns - s.time < horizon_ns;
    slots_.assign(live * 2 >= old.size() ? old.size() * 2 : old.size(), Slot{});
    used_ = 0;
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (!s.used || now_ns - s.time >= horizon_ns) continue;
      std::size_t i = Hash()(s.key) & mask;
      while (slots_[i].used) i = (i + 1) & mask;
      slots_[i] = s;
      ++used_;
    }
  }

  std::vector<Slot> slots_;
  std::vector<Slot> spare_;
  std::size_t used_ = 0;  // slots ever filled since the last rebuild
};

}  // namespace fixguard::risk
