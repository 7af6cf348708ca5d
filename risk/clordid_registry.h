// ClOrdIDs seen per client session and trading day: a ClOrdID is used once.
//
// Pure and in memory; fixguard persists every entry before the order it
// belongs to is forwarded, and loads them back on start.
#pragma once

#include "risk/limits.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fixguard::risk {

// A set of strings kept in one buffer, found by open addressing: no
// allocation per string (a day can hold millions of ClOrdIDs).
class StringSet {
 public:
  bool contains(std::string_view s) const;
  // False if it was already there.
  bool insert(std::string_view s);
  std::size_t size() const { return size_; }

 private:
  // Eight bytes, so that a table of millions stays small: where the string
  // is in chars_ (its length first, then its bytes) and the top half of its
  // hash, which rules out almost every other string without reading it.
  struct Slot {
    uint32_t offset = kEmpty;  // kEmpty: a free slot
    uint32_t tag = 0;
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;
  // The slot holding `s`, or the free slot where it would go.
  std::size_t find(std::string_view s, uint64_t hash) const;
  // The string at `offset` in chars_, and where the next one starts.
  std::string_view at(std::size_t offset, std::size_t* next = nullptr) const;
  void grow();

  std::vector<Slot> slots_;  // a power of two, at most half full
  std::string chars_;
  std::size_t size_ = 0;
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
