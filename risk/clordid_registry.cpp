#include "risk/clordid_registry.h"

#include <algorithm>
#include <stdexcept>

namespace fixguard::risk {

std::string_view StringSet::at(uint32_t offset) const {
  const std::string& block = blocks_[offset >> kBlockBits];
  std::size_t at = offset & (kBlock - 1);
  std::size_t length = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(block[at++]);
    length |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  return std::string_view(block).substr(at, length);
}

std::size_t StringSet::find(const Slots& slots, std::string_view s, uint64_t hash) const {
  const std::size_t mask = slots.size() - 1;
  const auto tag = static_cast<uint32_t>(hash >> 32);
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots[i];
    if (slot.offset_1 == 0) return i;
    if (slot.tag == tag && at(slot.offset_1 - 1) == s) return i;
  }
}

bool StringSet::contains(std::string_view s) const {
  if (size_ == 0) return false;
  const uint64_t hash = std::hash<std::string_view>()(s);
  return slots_[find(slots_, s, hash)].offset_1 != 0 || (!old_.empty() && old_[find(old_, s, hash)].offset_1 != 0);
}

bool StringSet::insert(std::string_view s) {
  if (!old_.empty()) move_some();
  if ((in_slots_ + 1) * 2 > slots_.size()) grow();
  const uint64_t hash = std::hash<std::string_view>()(s);
  const std::size_t i = find(slots_, s, hash);
  if (slots_[i].offset_1 != 0) return false;
  if (!old_.empty() && old_[find(old_, s, hash)].offset_1 != 0) return false;  // not moved yet
  char length[10];
  std::size_t length_size = 0;
  for (std::size_t n = s.size();; n >>= 7) {
    length[length_size++] = static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    if (n < 0x80) break;
  }
  const std::size_t size = length_size + s.size();
  if (blocks_.empty() || blocks_.back().size() + size > kBlock) {
    // A block at index kBlock - 1 could make an offset + 1 overflow.
    if (blocks_.size() == kBlock - 1) throw std::length_error("more ClOrdIDs than one day can hold");
    blocks_.emplace_back().reserve(std::max(kBlock, size));
  }
  std::string& block = blocks_.back();
  const auto offset = static_cast<uint32_t>((blocks_.size() - 1) << kBlockBits | block.size());
  block.append(length, length_size).append(s);
  slots_[i] = Slot{offset + 1, static_cast<uint32_t>(hash >> 32)};
  ++size_;
  ++in_slots_;
  return true;
}

void StringSet::place(const Slot& slot, uint64_t hash) {
  // No comparison needed: every string in the blocks is distinct.
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].offset_1 != 0) i = (i + 1) & mask;
  slots_[i] = slot;
  ++in_slots_;
}

void StringSet::move_some() {
  const std::size_t end = std::min(moved_ + kMovedPerInsert, old_.size());
  for (; moved_ < end; ++moved_) {
    const Slot& s = old_[moved_];
    if (s.offset_1 != 0) place(s, std::hash<std::string_view>()(at(s.offset_1 - 1)));
  }
  if (moved_ == old_.size()) {
    old_ = Slots();
    moved_ = 0;
  }
}

void StringSet::grow() {
  while (!old_.empty()) move_some();  // not expected: a move ends first (kMovedPerInsert)
  old_ = std::move(slots_);
  slots_ = Slots(std::max<std::size_t>(64, old_.size() * 2));
  in_slots_ = 0;
}

bool ClOrdIdRegistry::seen(std::string_view client, int32_t day, std::string_view cl_ord_id) const {
  const auto d = days_.find(day);
  if (d == days_.end()) return false;
  const auto c = d->second.find(client);
  return c != d->second.end() && c->second.contains(cl_ord_id);
}

bool ClOrdIdRegistry::remember(std::string_view client, int32_t day, std::string_view cl_ord_id) {
  Clients& clients = days_[day];
  auto c = clients.find(client);
  if (c == clients.end()) c = clients.emplace(std::string(client), StringSet()).first;
  return c->second.insert(cl_ord_id);
}

void ClOrdIdRegistry::forget_before(int32_t day) {
  for (auto it = days_.begin(); it != days_.end();) it = it->first < day ? days_.erase(it) : std::next(it);
}

std::size_t ClOrdIdRegistry::size() const {
  std::size_t n = 0;
  for (const auto& [day, clients] : days_)
    for (const auto& [client, ids] : clients) n += ids.size();
  return n;
}

}  // namespace fixguard::risk
