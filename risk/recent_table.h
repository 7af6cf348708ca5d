// When each key was last seen, for keys seen within a time horizon: an
// open-addressed table of fixed-size keys, and a queue of touches in time
// order that removes each key as soon as its last touch falls past the
// horizon. Every touch costs about the same (no periodic sweep), and the
// table holds only live keys, at most half full. Allocates only to grow; in
// a steady flow it settles at a size and allocates nothing more.
// Thread: one at a time.
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
  explicit RecentTable(std::size_t capacity = 1024) : slots_(round_up(capacity)), queue_(slots_.size()) {}

  // Records `key` as seen at `now_ns` and returns when it was seen before,
  // if that was less than `horizon_ns` ago. Times should not run backwards;
  // where they do, keys are kept longer, never forgotten early.
  std::optional<int64_t> touch(const Key& key, int64_t now_ns, int64_t horizon_ns) {
    expire(now_ns, horizon_ns);
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::size_t hash = Hash()(key);
    push(Touch{key, now_ns, hash});
    Slot& s = slots_[find(key, hash)];
    if (!s.used) {
      s = Slot{key, now_ns, hash, true};
      ++size_;
      return std::nullopt;
    }
    const int64_t before = s.time;
    s.time = now_ns;
    if (now_ns - before < horizon_ns) return before;
    return std::nullopt;
  }

  // Starts loading the slot where touch(key) begins its search.
  void prefetch(const Key& key) const { __builtin_prefetch(&slots_[Hash()(key) & (slots_.size() - 1)]); }

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    Key key{};
    int64_t time = 0;
    std::size_t hash = 0;
    bool used = false;
  };
  struct Touch {
    Key key{};
    int64_t time = 0;
    std::size_t hash = 0;
  };

  static std::size_t round_up(std::size_t n) {
    std::size_t p = 16;
    while (p < n) p *= 2;
    return p;
  }

  // The slot holding `key`, or the empty slot where it would go.
  std::size_t find(const Key& key, std::size_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    while (slots_[i].used && !(slots_[i].hash == hash && slots_[i].key == key)) i = (i + 1) & mask;
    return i;
  }

  // Forgets the keys whose last touch is `horizon_ns` or more before now.
  void expire(int64_t now_ns, int64_t horizon_ns) {
    while (queued_ > 0 && now_ns - queue_[head_].time >= horizon_ns) {
      const Touch& t = queue_[head_];
      const std::size_t i = find(t.key, t.hash);
      if (slots_[i].used && slots_[i].time == t.time) erase(i);  // not touched since
      head_ = (head_ + 1) & (queue_.size() - 1);
      --queued_;
    }
  }

  // Empties slot `i`, moving later keys of its probe run back so that every
  // key stays reachable from its home slot.
  void erase(std::size_t i) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t j = (i + 1) & mask; slots_[j].used; j = (j + 1) & mask) {
      const std::size_t home = slots_[j].hash & mask;
      // Slot j may move to i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (stays) continue;
      slots_[i] = slots_[j];
      i = j;
    }
    slots_[i] = Slot{};
    --size_;
  }

  void push(const Touch& t) {
    if (queued_ == queue_.size()) {
      std::vector<Touch> bigger(queue_.size() * 2);
      for (std::size_t k = 0; k < queued_; ++k) bigger[k] = queue_[(head_ + k) & (queue_.size() - 1)];
      queue_.swap(bigger);
      head_ = 0;
    }
    queue_[(head_ + queued_) & (queue_.size() - 1)] = t;
    ++queued_;
  }

  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& s : old)
      if (s.used) slots_[find(s.key, s.hash)] = s;
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::vector<Touch> queue_;  // a ring, oldest touch at head_; size a power of two
  std::size_t head_ = 0;
  std::size_t queued_ = 0;
};

}  // namespace fixguard::risk
