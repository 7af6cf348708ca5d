// The signed Logon's signature: golden value computed independently
// (Python's hmac module) over the documented layout.
#include "fix/logon_signature.h"

#include <gtest/gtest.h>

namespace fixguard::fix {
namespace {

const std::string kKey(32, 'k');
const LogonFields kFields{"20261202-10:00:00.000", "A", "1", "ALPHA", "FIXGUARD"};
constexpr const char* kGolden = "8+/4ZBWO3f+wiG775D3NFNmlPDobxjwkR3n2RcvTfd8=";

TEST(LogonSignature, IsTheBase64HmacOfTheDocumentedFields) {
  const std::string s = logon_signature(kKey, kFields);
  EXPECT_EQ(s + "=", kGolden) << "unpadded base64 of the golden HMAC";
  EXPECT_TRUE(logon_signature_matches(kKey, kFields, kGolden)) << "padded is taken too";
  EXPECT_TRUE(logon_signature_matches(kKey, kFields, s));
}

TEST(LogonSignature, AnyChangedFieldOrKeyFailsIt) {
  const std::string s = logon_signature(kKey, kFields);
  for (int i = 0; i < 5; ++i) {
    LogonFields f = kFields;
    std::string_view* parts[] = {&f.sending_time, &f.msg_type, &f.seqnum, &f.sender, &f.target};
    *parts[i] = "X";
    EXPECT_FALSE(logon_signature_matches(kKey, f, s)) << "field " << i;
  }
  EXPECT_FALSE(logon_signature_matches(std::string(32, 'j'), kFields, s));
  EXPECT_FALSE(logon_signature_matches(kKey, kFields, "not base64!"));
  EXPECT_FALSE(logon_signature_matches(kKey, kFields, ""));
}

}  // namespace
}  // namespace fixguard::fix
