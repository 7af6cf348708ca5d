#include "risk/clordid_registry.h"

#include <algorithm>
#include <stdexcept>

namespace fixguard::risk {

std::string_view StringSet::at(std::size_t offset, std::size_t* next) const {
  // The length as a base-128 varint, then the bytes.
  std::size_t length = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(chars_[offset++]);
    length |= static_cast<std::size_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  if (next) *next = offset + length;
  return std::string_view(chars_).substr(offset, length);
}

std::size_t StringSet::find(std::string_view s, uint64_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  const auto tag = static_cast<uint32_t>(hash >> 32);
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.offset == kEmpty) return i;
    if (slot.tag == tag && at(slot.offset) == s) return i;
  }
}

bool StringSet::contains(std::string_view s) const {
  return size_ > 0 && slots_[find(s, std::hash<std::string_view>()(s))].offset != kEmpty;
}

bool StringSet::insert(std::string_view s) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  const uint64_t hash = std::hash<std::string_view>()(s);
  const std::size_t i = find(s, hash);
  if (slots_[i].offset != kEmpty) return false;
  if (chars_.size() + s.size() + 10 >= kEmpty) throw std::length_error("more ClOrdIDs than one day can hold");
  slots_[i] = Slot{static_cast<uint32_t>(chars_.size()), static_cast<uint32_t>(hash >> 32)};
  for (std::size_t n = s.size();; n >>= 7) {
    chars_ += static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
    if (n < 0x80) break;
  }
  chars_.append(s);
  ++size_;
  return true;
}

void StringSet::grow() {
  // Twice the slots; the strings are read in order, each hashed again.
  slots_.assign(std::max<std::size_t>(64, slots_.size() * 2), Slot{});
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t offset = 0; offset < chars_.size();) {
    const std::size_t here = offset;
    const uint64_t hash = std::hash<std::string_view>()(at(here, &offset));
    std::size_t i = hash & mask;
    while (slots_[i].offset != kEmpty) i = (i + 1) & mask;
    slots_[i] = Slot{static_cast<uint32_t>(here), static_cast<uint32_t>(hash >> 32)};
  }
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
