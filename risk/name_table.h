// Numbers for names (accounts, symbols): 0, 1, 2... in order of first
// sight, never reused. One flat, open-addressed array whose slots hold a
// short name inline, so a lookup usually reads one cache line and hashes
// the name once. Allocates only to grow. Thread: one at a time.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fixguard::risk {

class NameTable {
 public:
  // The number of `name`, made on first sight.
  uint32_t intern(std::string_view name) {
    if ((names_.size() + 1) * 2 > slots_.size()) grow();
    const uint64_t h = hash(name);
    Slot& s = slots_[find(name, h)];
    if (s.id != kEmpty) return s.id;
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(name);
    fill(s, name, h, id);
    return id;
  }

  std::optional<uint32_t> find(std::string_view name) const {
    if (slots_.empty()) return std::nullopt;
    const Slot& s = slots_[find(name, hash(name))];
    if (s.id == kEmpty) return std::nullopt;
    return s.id;
  }

  const std::string& name(uint32_t id) const { return names_[id]; }
  std::size_t size() const { return names_.size(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr std::size_t kInline = 19;  // longer names are compared with names_
  struct Slot {
    uint64_t hash = 0;
    uint32_t id = kEmpty;
    uint8_t size = 0;  // of the name, capped at 255
    char text[kInline] = {};
  };
  static_assert(sizeof(Slot) == 32);

  // 64-bit multiply-mix over 8-byte words: fast for short names.
  static uint64_t hash(std::string_view name) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ name.size();
    std::size_t i = 0;
    for (; i + 8 <= name.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, name.data() + i, 8);
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 31;
    }
    uint64_t tail = 0;
    if (i < name.size()) std::memcpy(&tail, name.data() + i, name.size() - i);
    // A full avalanche, so that the low bits (the slot) depend on every byte.
    h ^= tail;
    h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDull;
    h = (h ^ (h >> 33)) * 0xC4CEB9FE1A85EC53ull;
    return h ^ (h >> 33);
  }

  bool same(const Slot& s, std::string_view name, uint64_t h) const {
    if (s.hash != h || s.size != static_cast<uint8_t>(name.size() > 255 ? 255 : name.size())) return false;
    if (name.size() <= kInline) return name.empty() || std::memcmp(s.text, name.data(), name.size()) == 0;
    return names_[s.id] == name;
  }

  // The slot holding `name`, or the empty one where it would go.
  std::size_t find(std::string_view name, uint64_t h) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].id != kEmpty && !same(slots_[i], name, h)) i = (i + 1) & mask;
    return i;
  }

  static void fill(Slot& s, std::string_view name, uint64_t h, uint32_t id) {
    s.hash = h;
    s.id = id;
    s.size = static_cast<uint8_t>(name.size() > 255 ? 255 : name.size());
    if (!name.empty()) std::memcpy(s.text, name.data(), name.size() <= kInline ? name.size() : kInline);
  }

  void grow() {
    std::vector<Slot> old(slots_.empty() ? 64 : slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kEmpty) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].id != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::string> names_;
};

}  // namespace fixguard::risk
