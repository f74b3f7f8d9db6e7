#include "crypto.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace tether::sandbox {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::optional<Bytes> fromHex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    auto digit = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = digit(text[i]), lo = digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

}  // namespace

Bytes randomBytes(std::size_t length) {
  Bytes out(length);
  if (length > 0 && RAND_bytes(out.data(), static_cast<int>(length)) != 1) throw std::runtime_error("RAND_bytes failed");
  return out;
}

std::string randomToken(std::size_t length) {
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (std::uint8_t b : randomBytes(length)) {
      // 62 * 4 = 248: bytes at or above it are dropped so every character is equally likely.
      if (b < 248 && out.size() < length) out.push_back(kAlphabet[b % 62]);
    }
  }
  return out;
}

std::string newId(std::string_view prefix) { return std::string(prefix) + randomToken(24); }

Bytes sha256(std::string_view data) {
  // One digest context per thread, and the implementation fetched once: EVP_Digest with
  // EVP_sha256() allocates a context and makes OpenSSL 3 look the implementation up on
  // every call, which cost more than the digest itself on the request path (API keys).
  static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  Bytes out(32);
  unsigned int length = 0;
  const EVP_MD* md = kSha256 != nullptr ? kSha256 : EVP_sha256();
  if (!context || EVP_DigestInit_ex2(context.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), out.data(), &length) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return out;
}

std::string hex(const Bytes& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

Bytes hmacSha256(const Bytes& key, std::string_view data) {
  Bytes out(32);
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out.data(), &length);
  return out;
}

std::string base64(const Bytes& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<Bytes> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  Bytes out(3 * text.size() / 4);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string base64Url(std::string_view data) {
  std::string out = base64(Bytes(data.begin(), data.end()));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text) {
  std::string padded(text);
  for (char& c : padded) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '+' || c == '/' || c == '=') return std::nullopt;
  }
  while (padded.size() % 4 != 0) padded.push_back('=');
  std::optional<Bytes> bytes = base64Decode(padded);
  if (!bytes) return std::nullopt;
  return std::string(bytes->begin(), bytes->end());
}

bool constantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Sealer::Sealer(Bytes key) : key_(std::move(key)) {
  if (key_.size() != 32) throw std::invalid_argument("the master key must be 32 bytes");
}

Bytes Sealer::seal(std::string_view plaintext, std::string_view context) const {
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  Bytes nonce = randomBytes(12);
  Bytes out(nonce);
  out.resize(12 + plaintext.size() + 16);
  int length = 0;
  bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce.data()) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(context.data()),
                              static_cast<int>(context.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), out.data() + 12, &length,
                              reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx.get(), out.data() + 12 + length, &length) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + 12 + plaintext.size()) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  return out;
}

std::optional<std::string> Sealer::open(const Bytes& sealed, std::string_view context) const {
  if (sealed.size() < 28) return std::nullopt;
  std::size_t textLength = sealed.size() - 28;
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(textLength, '\0');
  Bytes tag(sealed.end() - 16, sealed.end());
  int length = 0;
  bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), sealed.data()) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(context.data()),
                              static_cast<int>(context.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, sealed.data() + 12,
                              static_cast<int>(textLength)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + length, &length) == 1;
  if (!ok) return std::nullopt;
  return out;
}

Bytes loadMasterKey(const std::string& path) {
  if (const char* env = std::getenv("TETHER_SANDBOX_MASTER_KEY"); env != nullptr && *env != '\0') {
    std::string text(env);
    std::optional<Bytes> key = text.size() == 64 ? fromHex(text) : base64Decode(text);
    if (!key || key->size() != 32) {
      throw std::runtime_error("TETHER_SANDBOX_MASTER_KEY must be 32 bytes, as 64 hex digits or base64");
    }
    return *key;
  }
  std::ifstream in(path, std::ios::binary);
  if (in) {
    Bytes key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != 32) throw std::runtime_error("master key file " + path + " does not hold 32 bytes");
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      throw std::runtime_error("master key file " + path + " is readable by others: chmod 600 it");
    }
    return key;
  }
  // O_EXCL: two sandboxes starting at once never overwrite each other's key.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) throw std::runtime_error("cannot create the master key file " + path);
  Bytes key = randomBytes(32);
  bool written = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write the master key file " + path);
  return key;
}

}  // namespace tether::sandbox
