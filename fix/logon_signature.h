// The signed Logon: a strategy proves it holds a key shared with fixguard
// by putting in RawData (96) the base64 HMAC-SHA256, under that key, of
//   SendingTime <SOH> MsgType <SOH> MsgSeqNum <SOH> SenderCompID <SOH> TargetCompID
// as they appear in the Logon (the layout several venues use). SendingTime
// bounds when the signature may be used; each is accepted once.
#pragma once

#include <string>
#include <string_view>

namespace fixguard::fix {

struct LogonFields {
  std::string_view sending_time, msg_type, seqnum, sender, target;
};

// The base64 signature of `f` under `key`.
std::string logon_signature(std::string_view key, const LogonFields& f);

// Whether `signature` (RawData as received) is `f`'s under `key`, compared
// in constant time.
bool logon_signature_matches(std::string_view key, const LogonFields& f, std::string_view signature);

}  // namespace fixguard::fix
