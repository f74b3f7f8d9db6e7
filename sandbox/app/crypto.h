// The sandbox's cryptography, all on OpenSSL: random tokens and ids, SHA-256 (API keys are
// stored only as their hash), HMAC-SHA256 (Standard Webhooks signatures), constant-time
// comparison, base64, and AES-256-GCM sealing of secrets at rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::sandbox {

using Bytes = std::vector<std::uint8_t>;

// `length` characters from [A-Za-z0-9], uniformly (rejection sampling on RAND_bytes).
std::string randomToken(std::size_t length);
// prefix + 24 random letters and digits: "prj_" → "prj_3fK9...". The spec's ids take 16 to 32.
std::string newId(std::string_view prefix);
Bytes randomBytes(std::size_t length);

Bytes sha256(std::string_view data);
std::string hex(const Bytes& bytes);
Bytes hmacSha256(const Bytes& key, std::string_view data);
std::string base64(const Bytes& bytes);
std::optional<Bytes> base64Decode(std::string_view text);
std::string base64Url(std::string_view data);  // unpadded
std::optional<std::string> base64UrlDecode(std::string_view text);

// CRYPTO_memcmp: the time does not depend on where the inputs differ.
bool constantTimeEqual(std::string_view a, std::string_view b);

// AES-256-GCM with a 32-byte key: seal() returns nonce (12) + ciphertext + tag (16), with
// `context` (the resource id) as associated data, so a sealed value copied to another row
// does not open. open() returns nullopt when the tag does not verify.
class Sealer {
 public:
  explicit Sealer(Bytes key);  // throws std::invalid_argument unless 32 bytes
  Bytes seal(std::string_view plaintext, std::string_view context) const;
  std::optional<std::string> open(const Bytes& sealed, std::string_view context) const;

 private:
  Bytes key_;
};

// The master key: TETHER_SANDBOX_MASTER_KEY (64 hex digits or base64 of 32 bytes), else the
// key file at `path`, created with 32 random bytes and mode 0600 when missing. Throws
// std::runtime_error with the reason when neither works.
Bytes loadMasterKey(const std::string& path);

}  // namespace tether::sandbox
