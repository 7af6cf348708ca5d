// libFuzzer target: the config parser on arbitrary text. Checked: it
// either parses or throws config::ConfigError (a message naming the key);
// any other exception escaping it, or a crash, is a finding.
#include "config/config.h"

#include <cstdint>
#include <cstdlib>
#include <string>

#ifndef FIXGUARD_SPECS_DIR
#define FIXGUARD_SPECS_DIR "specs"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    fixguard::config::Config::from_text(yaml, "/nonexistent-fixguard-fuzz", FIXGUARD_SPECS_DIR);
  } catch (const fixguard::config::ConfigError& e) {
    if (std::string(e.what()).empty()) std::abort();
  }
  return 0;
}
