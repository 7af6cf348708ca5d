#include "config/yaml_reader.h"

#include <algorithm>
#include <set>

namespace fixguard::config::detail {

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

std::string describe(const YAML::Node& node) {
  if (node.IsScalar()) return "'" + node.Scalar() + "'";
  if (node.IsSequence()) return "a list";
  if (node.IsMap()) return "a mapping";
  return "nothing";
}

std::string key_text(const YAML::Node& key, const std::string& path) {
  if (!key.IsScalar()) throw ConfigError(path, "a key must be a name, got " + describe(key));
  return key.Scalar();
}

MapReader::MapReader(const YAML::Node& node, std::string path) : node_(node), path_(std::move(path)) {
  if (!node_.IsMap()) throw ConfigError(path_, "expected a mapping, got " + describe(node_));
  // yaml-cpp keeps the first of two equal keys and drops the other without
  // a word: a setting written twice would silently lose one of its values.
  std::set<std::string> keys;
  for (const auto& kv : node_)
    if (!keys.insert(key_text(kv.first, path_)).second)
      throw ConfigError(path_of(kv.first.Scalar()), "written twice in the same mapping");
}

YAML::Node MapReader::get(const std::string& key) {
  seen_.insert(key);
  return node_[key];
}
bool MapReader::has(const std::string& key) {
  seen_.insert(key);
  const YAML::Node n = node_[key];
  return n.IsDefined() && !n.IsNull();
}

std::string MapReader::string(const std::string& key, std::optional<std::string> fallback) {
  const YAML::Node n = get(key);
  if (!n.IsDefined() || n.IsNull()) {
    if (!fallback) throw ConfigError(path_of(key), "required key is missing");
    return *fallback;
  }
  if (!n.IsScalar()) throw ConfigError(path_of(key), "expected a string, got " + describe(n));
  return n.Scalar();
}

int64_t MapReader::integer(const std::string& key, int64_t min, int64_t max, std::optional<int64_t> fallback) {
  const YAML::Node n = get(key);
  if (!n.IsDefined() || n.IsNull()) {
    if (!fallback) throw ConfigError(path_of(key), "required key is missing");
    return *fallback;
  }
  if (!n.IsScalar()) throw ConfigError(path_of(key), "expected an integer, got " + describe(n));
  const std::string& s = n.Scalar();
  int64_t value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(s, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s.size()) throw ConfigError(path_of(key), "expected an integer, got '" + s + "'");
  if (value < min || value > max)
    throw ConfigError(path_of(key),
                      "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + s);
  return value;
}

bool MapReader::boolean(const std::string& key, bool fallback) {
  const YAML::Node n = get(key);
  if (!n.IsDefined() || n.IsNull()) return fallback;
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
  }
  throw ConfigError(path_of(key), "expected true or false, got " + describe(n));
}

void MapReader::finish() const {
  for (const auto& kv : node_) {
    const std::string key = key_text(kv.first, path_);
    if (!seen_.count(key)) throw ConfigError(path_of(key), "unknown key");
  }
}

Endpoint parse_endpoint(const std::string& text, const std::string& path) {
  // host:port, [v6-literal]:port
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw ConfigError(path, "expected [address]:port, got '" + text + "'");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || text.find(':') != colon)
      throw ConfigError(path, "expected host:port or [address]:port, got '" + text + "'");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) throw ConfigError(path, "missing host in '" + text + "'");
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit))
    throw ConfigError(path, "port must be a number from 1 to 65535 in '" + text + "'");
  const long value = std::stol(port);
  if (value < 1 || value > 65535) throw ConfigError(path, "port must be a number from 1 to 65535 in '" + text + "'");
  return Endpoint{host, static_cast<uint16_t>(value)};
}

}  // namespace fixguard::config::detail
