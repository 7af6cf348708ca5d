// A map from 64-bit keys to 32-bit indices in one flat, open-addressed array:
// a lookup touches one cache line where a node-based map touches several.
// Entries are never removed. Allocates only to grow. Thread: one at a time.
//
// Growing does not stop the caller for long. A full table is not rehashed at
// once (at a million entries that took ~0.3 s, an insert on the order path
// waiting for it): its entries move into a table twice its size a few slots
// per insert, lookups searching both tables meanwhile, and the old one is
// freed when the last has moved. An empty slot is all zero bits, so a new
// table is not written over before use (risk/zeroed_array.h).
#pragma once

#include "risk/zeroed_array.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace fixguard::risk {

class FlatIndex {
 public:
  // The one key a slot cannot hold (its stored form is the empty slot's): it
  // is kept as kEmpty - 1, one more hash collision, as rare.
  static constexpr uint64_t kEmpty = UINT64_MAX;

  std::optional<uint32_t> find(uint64_t key) const {
    key = folded(key);
    if (const Slot* s = find_in(table_, key)) return s->value;
    if (const Slot* s = find_in(old_, key)) return s->value;
    return std::nullopt;
  }

  // The index stored for `key`, or `value` stored as it if there was none.
  uint32_t insert(uint64_t key, uint32_t value) {
    key = folded(key);
    if (!old_.empty()) move_some();
    if ((in_table_ + 1) * 2 > table_.size()) grow();  // before the probe: the slot it finds stays
    Slot& s = probe(table_, key);
    if (!s.is_empty()) return s.value;
    if (const Slot* moving = find_in(old_, key)) return moving->value;
    s = Slot{~key, value};
    ++in_table_;
    ++size_;
    return value;
  }

  // Starts loading the slot where a lookup of `key` begins (a hint: a
  // lookup soon after finds it in cache).
  void prefetch(uint64_t key) const {
    if (!table_.empty()) __builtin_prefetch(&table_[mix(folded(key)) & (table_.size() - 1)]);
  }

  std::size_t size() const { return size_; }
  // True while entries are still moving into a larger table.
  bool growing() const { return !old_.empty(); }

 private:
  // Slots of the old table moved per insert while growing. The new table is
  // twice the old's size and the old at most half full, so the move ends
  // (after size/8 inserts) long before the new one needs to grow.
  static constexpr std::size_t kMovedPerInsert = 8;

  struct Slot {
    uint64_t stored;  // ~key (of a folded key: never 0); 0 when empty
    uint32_t value;
    bool is_empty() const { return stored == 0; }
    uint64_t key() const { return ~stored; }
  };
  static uint64_t folded(uint64_t key) { return key == kEmpty ? kEmpty - 1 : key; }
  using Slots = ZeroedArray<Slot>;  // a power of two of them, or none

  static std::size_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  // The slot holding `key`, or the empty one where it would go (`slots`
  // must have one).
  static Slot& probe(Slots& slots, uint64_t key) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask)
      if (slots[i].stored == ~key || slots[i].is_empty()) return slots[i];
  }
  static const Slot* find_in(const Slots& slots, uint64_t key) {
    if (slots.empty()) return nullptr;
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (slots[i].stored == ~key) return &slots[i];
      if (slots[i].is_empty()) return nullptr;
    }
  }

  void move_some() {
    const std::size_t end = std::min(moved_ + kMovedPerInsert, old_.size());
    for (; moved_ < end; ++moved_) {
      const Slot& s = old_[moved_];
      if (s.is_empty()) continue;
      probe(table_, s.key()) = s;  // not in the new table yet: inserts look in the old one first
      ++in_table_;
    }
    if (moved_ == old_.size()) {
      old_ = Slots();
      moved_ = 0;
    }
  }

  void grow() {
    while (!old_.empty()) move_some();  // not expected: a move ends first (kMovedPerInsert)
    old_ = std::move(table_);
    table_ = Slots(old_.empty() ? 64 : old_.size() * 2);
    in_table_ = 0;
  }

  Slots table_;  // where inserts go
  Slots old_;    // while growing: the table before, its slots from moved_ on still to move
  std::size_t moved_ = 0;
  std::size_t size_ = 0;      // entries in all
  std::size_t in_table_ = 0;  // of them, in table_
};

}  // namespace fixguard::risk
