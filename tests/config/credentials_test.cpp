// Password hashes and the primitives under them. The golden hashes were
// made by another implementation (Python's hashlib), so these tests pin
// the format and the algorithms, not just a round trip through our code.
#include "config/credentials.h"

#include <gtest/gtest.h>

namespace fixguard::config {
namespace {

constexpr const char* kScryptGolden =
    "$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$6W7GuoxjojaYIg83x/wEKSXUMMf+reyc6wSvA8q7ny8";
constexpr const char* kPbkdf2Golden =
    "$pbkdf2-sha256$i=100000$AAECAwQFBgcICQoLDA0ODw$yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY";

PasswordHash parsed(const std::string& text) {
  std::string why;
  auto h = PasswordHash::parse(text, why);
  EXPECT_TRUE(h) << why;
  return h ? *h : PasswordHash::make("unused", PasswordHash::Algorithm::scrypt, 14);
}

TEST(PasswordHash, AScryptHashMadeElsewhereVerifiesItsPasswordOnly) {
  const PasswordHash h = parsed(kScryptGolden);
  EXPECT_EQ(h.algorithm(), PasswordHash::Algorithm::scrypt);
  EXPECT_TRUE(h.verify("correct horse battery"));
  EXPECT_FALSE(h.verify("correct horse batterY"));
  EXPECT_FALSE(h.verify(""));
}

TEST(PasswordHash, APbkdf2HashMadeElsewhereVerifiesItsPasswordOnly) {
  const PasswordHash h = parsed(kPbkdf2Golden);
  EXPECT_EQ(h.algorithm(), PasswordHash::Algorithm::pbkdf2_sha256);
  EXPECT_TRUE(h.verify("correct horse battery"));
  EXPECT_FALSE(h.verify("correct horse battery "));
}

TEST(PasswordHash, MadeHashesAreSaltedAndParseBack) {
  const PasswordHash a = PasswordHash::make("hunter22", PasswordHash::Algorithm::scrypt, 14);
  const PasswordHash b = PasswordHash::make("hunter22", PasswordHash::Algorithm::scrypt, 14);
  EXPECT_NE(a.text(), b.text()) << "the same password must not hash alike twice";
  EXPECT_EQ(a.text().rfind("$scrypt$ln=14,r=8,p=1$", 0), 0u) << a.text();
  EXPECT_EQ(a.text().find("hunter22"), std::string::npos);
  const PasswordHash again = parsed(a.text());
  EXPECT_TRUE(again.verify("hunter22"));
  EXPECT_FALSE(again.verify("hunter23"));
  const PasswordHash p = PasswordHash::make("hunter22", PasswordHash::Algorithm::pbkdf2_sha256, 100000);
  EXPECT_TRUE(parsed(p.text()).verify("hunter22"));
}

TEST(PasswordHash, WeakOrMalformedHashesAreRefusedWithAReason) {
  const std::string salt = "AAECAwQFBgcICQoLDA0ODw", hash = "6W7GuoxjojaYIg83x/wEKSXUMMf+reyc6wSvA8q7ny8";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"hunter22", "expected $scrypt"},
      {"$scrypt$ln=13,r=8,p=1$" + salt + "$" + hash, "ln must be 14"},
      {"$scrypt$ln=14,r=4,p=1$" + salt + "$" + hash, "r must be 8"},
      {"$scrypt$ln=14,r=8$" + salt + "$" + hash, "takes ln, r and p"},
      {"$pbkdf2-sha256$i=99999$" + salt + "$" + hash, "100000"},
      {"$md5$i=100000$" + salt + "$" + hash, "unknown algorithm"},
      {"$scrypt$ln=14,r=8,p=1$AAECAwQFBgc$" + hash, "salt must be at least 16 bytes"},
      {"$scrypt$ln=14,r=8,p=1$" + salt + "$not*base64", "base64"},
      {"$scrypt$ln=x,r=8,p=1$" + salt + "$" + hash, "malformed parameters"},
  };
  for (const auto& [text, expected] : cases) {
    std::string why;
    EXPECT_FALSE(PasswordHash::parse(text, why)) << text;
    EXPECT_NE(why.find(expected), std::string::npos) << text << ": " << why;
  }
  EXPECT_THROW(PasswordHash::make("x", PasswordHash::Algorithm::pbkdf2_sha256, 1000), std::invalid_argument);
}

TEST(Credentials, HmacSha256MatchesRfc4231) {
  // RFC 4231, test case 2.
  const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
  static const unsigned char expected[] = {0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
                                           0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
                                           0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
  EXPECT_EQ(mac, std::string(reinterpret_cast<const char*>(expected), sizeof expected));
}

TEST(Credentials, Base64RoundTripsWithOrWithoutPadding) {
  EXPECT_EQ(base64("fo"), "Zm8");
  EXPECT_EQ(from_base64("Zm8"), "fo");
  EXPECT_EQ(from_base64("Zm8="), "fo");
  EXPECT_EQ(from_base64("Zm9v"), "foo");
  EXPECT_EQ(from_base64(""), "");
  EXPECT_FALSE(from_base64("Zm8*"));
  EXPECT_FALSE(from_base64("Z"));
  for (int n = 0; n < 40; ++n) {
    std::string bytes;
    for (int i = 0; i < n; ++i) bytes += static_cast<char>(i * 37 + n);
    EXPECT_EQ(from_base64(base64(bytes)), bytes) << n;
  }
}

TEST(Credentials, SameSecretComparesContentAndLength) {
  EXPECT_TRUE(same_secret("token-abc", "token-abc"));
  EXPECT_FALSE(same_secret("token-abc", "token-abd"));
  EXPECT_FALSE(same_secret("token-abc", "token-ab"));
  EXPECT_TRUE(same_secret("", ""));
}

}  // namespace
}  // namespace fixguard::config
