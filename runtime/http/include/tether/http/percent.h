// RFC 3986 percent-encoding, and the error type every decoder of request text throws.
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace tether::http {

// Malformed request text (a bad %-escape, invalid UTF-8, a label value without its '.').
// The dispatcher turns an escaped DecodeError into a 400 problem carrying `message`, so
// the message names what was wrong with the client's input and nothing about the server.
struct DecodeError : std::exception {
  std::string message;
  explicit DecodeError(std::string text) : message(std::move(text)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

enum class Reserved {
  Encode,  // everything but RFC 3986 unreserved characters is %-encoded
  // allowReserved: RFC 3986 reserved characters and existing %XX triplets pass through,
  // except those that would change the query's structure ('#', '&', '+', '[', ']').
  Allow,
};

std::string percentEncode(std::string_view text, Reserved reserved = Reserved::Encode);

// Strict: a '%' not followed by two hex digits throws, and so does a result that is not
// valid UTF-8 (decoded text ends up in JSON strings). `plusIsSpace` for query strings.
std::string percentDecode(std::string_view text, bool plusIsSpace = false);

// Lenient: malformed escapes are kept as they are; never throws. For display and lookup.
std::string percentDecodeLenient(std::string_view text, bool plusIsSpace = false);

// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
// On failure `errorAt` (when given) receives the offset of the first bad byte.
bool validUtf8(std::string_view text, std::size_t* errorAt = nullptr);

}  // namespace tether::http
