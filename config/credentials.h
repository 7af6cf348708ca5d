// What a session's logon is checked against, and the primitives for it:
// passwords kept only as salted, slow hashes (scrypt or PBKDF2-HMAC-SHA256,
// written in the PHC string format), HMAC-SHA256, and comparisons whose
// time does not depend on where two secrets differ (CRYPTO_memcmp).
//
// Thread: everything here may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fixguard::config {

// True if `a` and `b` are equal; the time taken depends on their lengths
// only, never on their content.
bool same_secret(std::string_view a, std::string_view b);

// Standard base64 (RFC 4648), without padding when encoding; decoding
// takes it with or without. Nothing if `text` is not base64.
std::string base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

// HMAC-SHA256 of `data` under `key`: 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::string_view data);

// A salted, slow password hash in the PHC string format:
//   $scrypt$ln=15,r=8,p=1$<salt>$<hash>        (N = 2^ln)
//   $pbkdf2-sha256$i=600000$<salt>$<hash>
// salt and hash in unpadded base64. Parameters below the floors (scrypt
// ln 14 and r 8, PBKDF2 100,000 iterations) or salts under 16 bytes are
// refused: such a hash would not slow a guesser down.
class PasswordHash {
 public:
  enum class Algorithm : uint8_t { scrypt, pbkdf2_sha256 };

  // Nothing if `text` is not such a hash; `why` then says what is wrong
  // (never quoting the text).
  static std::optional<PasswordHash> parse(std::string_view text, std::string& why);
  // A new hash of `password` with a random 16-byte salt. `cost`: scrypt's
  // ln or PBKDF2's iterations; 0: the defaults (ln 15, 600,000). Throws
  // std::invalid_argument if `cost` is out of range.
  static PasswordHash make(std::string_view password, Algorithm algorithm = Algorithm::scrypt, uint32_t cost = 0);

  // Whether `password` hashes to this hash. Slow by design (tens to
  // hundreds of milliseconds): keep it off a thread that must stay
  // responsive. False also if the hash cannot be computed.
  bool verify(std::string_view password) const;

  const std::string& text() const { return text_; }
  Algorithm algorithm() const { return algorithm_; }

 private:
  // What is wrong with `cost` for `algorithm` ("" if nothing).
  static std::string cost_problem(Algorithm algorithm, uint32_t cost);
  // The derived key of `password` under this hash's salt and parameters;
  // nothing if OpenSSL fails.
  std::optional<std::string> derive(std::string_view password, std::size_t length) const;

  Algorithm algorithm_ = Algorithm::scrypt;
  uint32_t cost_ = 0;                          // scrypt: ln; PBKDF2: iterations
  uint32_t block_size_ = 8, parallelism_ = 1;  // scrypt r and p
  std::string salt_, hash_;                    // raw bytes
  std::string text_;
};

}  // namespace fixguard::config
