// Reading a YAML mapping key by key, with the key path in every error.
// Internal to config/.
#pragma once

#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>

namespace fixguard::config::detail {

std::string join(const std::string& path, const std::string& key);
// "a mapping", "a list", "'text'": how a node is named in errors.
std::string describe(const YAML::Node& node);
// A mapping's key as text; a key that is a list or a mapping (YAML allows
// them) is a ConfigError at `path`.
std::string key_text(const YAML::Node& key, const std::string& path);
// host:port or [v6-address]:port; `path` names the key in errors.
Endpoint parse_endpoint(const std::string& text, const std::string& path);

// A YAML mapping read key by key. Every key it is asked about is marked seen;
// finish() rejects the rest, so misspelled keys are reported, not ignored.
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string path);

  const std::string& path() const { return path_; }
  std::string path_of(const std::string& key) const { return join(path_, key); }

  YAML::Node get(const std::string& key);
  bool has(const std::string& key);
  // Throws ConfigError when missing and no fallback is given, or not a scalar.
  std::string string(const std::string& key, std::optional<std::string> fallback = std::nullopt);
  int64_t integer(const std::string& key, int64_t min, int64_t max, std::optional<int64_t> fallback);
  bool boolean(const std::string& key, bool fallback);
  // Throws ConfigError naming the first key never asked about.
  void finish() const;

 private:
  YAML::Node node_;
  std::string path_;
  std::set<std::string> seen_;
};

}  // namespace fixguard::config::detail
