#include "fix/logon_signature.h"

#include "config/credentials.h"

namespace fixguard::fix {
namespace {

std::string payload(const LogonFields& f) {
  std::string p;
  p.reserve(f.sending_time.size() + f.msg_type.size() + f.seqnum.size() + f.sender.size() + f.target.size() + 4);
  for (std::string_view part : {f.sending_time, f.msg_type, f.seqnum, f.sender}) {
    p += part;
    p += '\x01';
  }
  p += f.target;
  return p;
}

}  // namespace

std::string logon_signature(std::string_view key, const LogonFields& f) {
  return config::base64(config::hmac_sha256(key, payload(f)));
}

bool logon_signature_matches(std::string_view key, const LogonFields& f, std::string_view signature) {
  // Compared as raw bytes, so that padding or its absence does not matter.
  const auto given = config::from_base64(signature);
  return given && config::same_secret(*given, config::hmac_sha256(key, payload(f)));
}

}  // namespace fixguard::fix
