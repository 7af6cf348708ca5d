// A map from 64-bit keys to 32-bit indices in one flat, open-addressed array:
// a lookup touches one cache line where a node-based map touches several.
// Entries are never removed. Allocates only to grow. Thread: one at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace fixguard::risk {

class FlatIndex {
 public:
  static constexpr uint64_t kEmpty = UINT64_MAX;  // not a valid key

  std::optional<uint32_t> find(uint64_t key) const {
    if (slots_.empty()) return std::nullopt;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == kEmpty) return std::nullopt;
    }
  }

  // The index stored for `key`, or `value` stored as it if there was none.
  uint32_t insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == kEmpty) {
        slots_[i] = {key, value};
        ++size_;
        return value;
      }
    }
  }

  // Starts loading the slot where a lookup of `key` begins (a hint: a
  // lookup soon after finds it in cache).
  void prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[mix(key) & (slots_.size() - 1)]);
  }

  std::size_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t key = kEmpty;
    uint32_t value = 0;
  };
  static std::size_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  void grow() {
    std::vector<Slot> old(slots_.empty() ? 64 : slots_.size() * 2);
    old.swap(slots_);
    size_ = 0;
    for (const Slot& s : old)
      if (s.key != kEmpty) insert(s.key, s.value);
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace fixguard::risk
