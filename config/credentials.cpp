#include "config/credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace fixguard::config {
namespace {

constexpr uint32_t kScryptMinLn = 14, kScryptMaxLn = 22, kScryptDefaultLn = 15;
constexpr uint32_t kPbkdf2MinIterations = 100'000, kPbkdf2MaxIterations = 100'000'000,
                   kPbkdf2DefaultIterations = 600'000;
constexpr std::size_t kMinSalt = 16, kMinHash = 16, kMaxHash = 64;

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

std::optional<uint32_t> number(std::string_view text) {
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// "$a$b$c" into {"a", "b", "c"}.
std::vector<std::string_view> split_dollars(std::string_view text) {
  std::vector<std::string_view> parts;
  if (text.empty() || text[0] != '$') return parts;
  std::size_t start = 1;
  while (true) {
    const std::size_t end = text.find('$', start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

// "ln=15,r=8,p=1" into `value_of(name)`; false on a malformed list.
bool parse_params(std::string_view text, std::vector<std::pair<std::string_view, uint32_t>>& out) {
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return false;
    const auto v = number(item.substr(eq + 1));
    if (!v) return false;
    out.emplace_back(item.substr(0, eq), *v);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace

std::string PasswordHash::cost_problem(Algorithm algorithm, uint32_t cost) {
  if (algorithm == Algorithm::scrypt && (cost < kScryptMinLn || cost > kScryptMaxLn))
    return "scrypt's ln must be " + std::to_string(kScryptMinLn) + ".." + std::to_string(kScryptMaxLn);
  if (algorithm == Algorithm::pbkdf2_sha256 && (cost < kPbkdf2MinIterations || cost > kPbkdf2MaxIterations))
    return "pbkdf2-sha256 takes " + std::to_string(kPbkdf2MinIterations) + ".." + std::to_string(kPbkdf2MaxIterations) +
           " iterations";
  return "";
}

bool same_secret(std::string_view a, std::string_view b) {
  // Lengths are not secret (hashes and signatures have fixed ones); what
  // must not leak is how much of the content matched.
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  for (char c : text)
    if (!is_base64_char(c)) return std::nullopt;
  std::string padded(text);
  const std::size_t pad = (4 - padded.size() % 4) % 4;
  padded.append(pad, '=');
  std::string out(padded.size() / 4 * 3 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(padded.data()), static_cast<int>(padded.size()));
  if (n < 0 || static_cast<std::size_t>(n) < pad) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &length))
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out), length);
}

std::optional<PasswordHash> PasswordHash::parse(std::string_view text, std::string& why) {
  const auto parts = split_dollars(text);
  if (parts.size() != 4) {
    why = "expected $scrypt$ln=..,r=..,p=..$<salt>$<hash> or $pbkdf2-sha256$i=..$<salt>$<hash>";
    return std::nullopt;
  }
  PasswordHash h;
  std::vector<std::pair<std::string_view, uint32_t>> params;
  if (!parse_params(parts[1], params)) {
    why = "malformed parameters (expected name=number, comma-separated)";
    return std::nullopt;
  }
  const auto value_of = [&](std::string_view name) -> std::optional<uint32_t> {
    for (const auto& [n, v] : params)
      if (n == name) return v;
    return std::nullopt;
  };
  if (parts[0] == "scrypt") {
    h.algorithm_ = Algorithm::scrypt;
    const auto ln = value_of("ln"), r = value_of("r"), p = value_of("p");
    if (!ln || !r || !p || params.size() != 3) {
      why = "scrypt takes ln, r and p";
      return std::nullopt;
    }
    why = cost_problem(Algorithm::scrypt, *ln);
    if (*r < 8 || *r > 32 || *p < 1 || *p > 16) why = "scrypt's r must be 8..32 and p 1..16";
    if (!why.empty()) return std::nullopt;
    h.cost_ = *ln;
    h.block_size_ = *r;
    h.parallelism_ = *p;
  } else if (parts[0] == "pbkdf2-sha256") {
    h.algorithm_ = Algorithm::pbkdf2_sha256;
    const auto i = value_of("i");
    if (!i || params.size() != 1) {
      why = "pbkdf2-sha256 takes i (iterations)";
      return std::nullopt;
    }
    why = cost_problem(Algorithm::pbkdf2_sha256, *i);
    if (!why.empty()) return std::nullopt;
    h.cost_ = *i;
  } else {
    why = "unknown algorithm (scrypt or pbkdf2-sha256)";
    return std::nullopt;
  }
  auto salt = from_base64(parts[2]);
  auto hash = from_base64(parts[3]);
  if (!salt || !hash) {
    why = "salt and hash must be base64";
    return std::nullopt;
  }
  if (salt->size() < kMinSalt || hash->size() < kMinHash || hash->size() > kMaxHash) {
    why = "salt must be at least 16 bytes and the hash 16 to 64 bytes";
    return std::nullopt;
  }
  h.salt_ = std::move(*salt);
  h.hash_ = std::move(*hash);
  h.text_ = std::string(text);
  return h;
}

PasswordHash PasswordHash::make(std::string_view password, Algorithm algorithm, uint32_t cost) {
  PasswordHash h;
  h.algorithm_ = algorithm;
  h.cost_ = cost ? cost : algorithm == Algorithm::scrypt ? kScryptDefaultLn : kPbkdf2DefaultIterations;
  if (const std::string why = cost_problem(algorithm, h.cost_); !why.empty()) throw std::invalid_argument(why);
  h.salt_.assign(kMinSalt, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(h.salt_.data()), static_cast<int>(h.salt_.size())) != 1)
    throw std::runtime_error("no random bytes for a salt");
  const auto derived = h.derive(password, 32);
  if (!derived) throw std::runtime_error("the password hash could not be computed");
  h.hash_ = *derived;
  h.text_ = algorithm == Algorithm::scrypt
                ? "$scrypt$ln=" + std::to_string(h.cost_) + ",r=" + std::to_string(h.block_size_) +
                      ",p=" + std::to_string(h.parallelism_)
                : "$pbkdf2-sha256$i=" + std::to_string(h.cost_);
  h.text_ += "$" + base64(h.salt_) + "$" + base64(h.hash_);
  return h;
}

std::optional<std::string> PasswordHash::derive(std::string_view password, std::size_t length) const {
  std::string out(length, '\0');
  auto* key = reinterpret_cast<unsigned char*>(out.data());
  const auto* salt = reinterpret_cast<const unsigned char*>(salt_.data());
  if (algorithm_ == Algorithm::scrypt) {
    const uint64_t n = uint64_t{1} << cost_;
    // scrypt needs 128 * r * N bytes (plus 128 * r * p); allow that and a margin.
    const uint64_t max_memory = 128 * uint64_t{block_size_} * (n + parallelism_ + 2) + (1u << 20);
    if (EVP_PBE_scrypt(password.data(), password.size(), salt, salt_.size(), n, block_size_, parallelism_, max_memory,
                       key, length) != 1)
      return std::nullopt;
  } else if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt, static_cast<int>(salt_.size()),
                               static_cast<int>(cost_), EVP_sha256(), static_cast<int>(length), key) != 1) {
    return std::nullopt;
  }
  return out;
}

bool PasswordHash::verify(std::string_view password) const {
  const auto derived = derive(password, hash_.size());
  return derived && same_secret(*derived, hash_);
}

}  // namespace fixguard::config
