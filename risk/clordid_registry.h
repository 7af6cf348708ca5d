// ClOrdIDs seen per client session and trading day: a ClOrdID is used once.
//
// Pure and in memory; fixguard persists every entry before the order it
// belongs to is forwarded, and loads them back on start.
#pragma once

#include "risk/limits.h"
#include "risk/zeroed_array.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fixguard::risk {

// A set of strings kept in blocks of 64 KiB, found by open addressing: no
// allocation per string (a day can hold millions of ClOrdIDs), and nothing
// copied or moved all at once as the day grows: the blocks are never
// reallocated, and the table grows as risk/flat_index.h does, a few slots
// moved into a table twice the size per insert (each string hashed again:
// at a million ClOrdIDs, a growth at once took tens of milliseconds in one
// insert, a buffer of all the strings reallocated ~0.1 s).
class StringSet {
 public:
  bool contains(std::string_view s) const;
  // False if it was already there.
  bool insert(std::string_view s);
  std::size_t size() const { return size_; }
  // True while slots are still moving into a larger table.
  bool growing() const { return !old_.empty(); }

 private:
  // Eight bytes, so that a table of millions stays small: where the string
  // is (its block << 16 | its place in the block, plus one), and the top
  // half of its hash, which rules out almost every other string without
  // reading it. All zero when free.
  struct Slot {
    uint32_t offset_1;  // offset + 1; 0: a free slot
    uint32_t tag;
  };
  using Slots = ZeroedArray<Slot>;  // a power of two of them, at most half full
  static constexpr std::size_t kMovedPerInsert = 8;  // as FlatIndex's
  static constexpr std::size_t kBlockBits = 16;
  static constexpr std::size_t kBlock = std::size_t{1} << kBlockBits;  // a string longer has a block of its own
  // The slot of `slots` holding `s`, or the free slot where it would go.
  std::size_t find(const Slots& slots, std::string_view s, uint64_t hash) const;
  // The string at `offset`.
  std::string_view at(uint32_t offset) const;
  // Puts `slot` into slots_, where its string's `hash` leads (it is not there).
  void place(const Slot& slot, uint64_t hash);
  void move_some();
  void grow();

  Slots slots_;  // where inserts go
  Slots old_;    // while growing: the table before, its slots from moved_ on still to move
  std::size_t moved_ = 0;
  // Each string as its length (a base-128 varint) and its bytes; no string
  // spans two blocks. Each block's capacity is reserved when it is made.
  std::deque<std::string> blocks_;
  std::size_t size_ = 0;
  std::size_t in_slots_ = 0;  // of them, in slots_
};

// Thread: one thread (the io thread) at a time.
class ClOrdIdRegistry {
 public:
  bool seen(std::string_view client, int32_t day, std::string_view cl_ord_id) const;
  // Remembers the ID; false if it was already there.
  bool remember(std::string_view client, int32_t day, std::string_view cl_ord_id);
  // Forgets every day before `day`.
  void forget_before(int32_t day);
  std::size_t size() const;

 private:
  using Clients = std::unordered_map<std::string, StringSet, StringHash, std::equal_to<>>;
  std::unordered_map<int32_t, Clients> days_;
};

}  // namespace fixguard::risk
