// UTF-8 helpers: JSON Schema counts string lengths in Unicode code points.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tether::schema::detail {

inline std::size_t codePointCount(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0u) != 0x80u;  // count non-continuation bytes
  return n;
}

// Decodes one code point at `i` (advancing it); returns 0xFFFD on malformed input.
char32_t decodeUtf8(std::string_view s, std::size_t& i);
void appendUtf8(std::string& out, char32_t cp);

}  // namespace tether::schema::detail
