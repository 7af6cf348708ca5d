// Hashing for the decision core's lookup tables.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace fixguard::risk {

// Hashing for lookups by std::string_view without building a std::string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

// A 64-bit key for an identifier within a scope (an ExecID of a client or of
// a venue), kept in a set or map where the strings would take an allocation
// each. Two different pairs share a key by a 64-bit hash collision only.
inline uint64_t scoped_key(std::string_view scope, std::string_view id) {
  const std::hash<std::string_view> h;
  return h(id) ^ (h(scope) * 0x9e3779b97f4a7c15ULL);
}

}  // namespace fixguard::risk
