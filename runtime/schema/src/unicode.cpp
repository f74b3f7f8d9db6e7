#include "unicode.h"

namespace tether::schema::detail {

char32_t decodeUtf8(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i++]);
  int extra = 0;
  char32_t cp = 0;
  if (c < 0x80) return c;
  if ((c & 0xE0u) == 0xC0u) { extra = 1; cp = c & 0x1Fu; }
  else if ((c & 0xF0u) == 0xE0u) { extra = 2; cp = c & 0x0Fu; }
  else if ((c & 0xF8u) == 0xF0u) { extra = 3; cp = c & 0x07u; }
  else return 0xFFFD;
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0u) != 0x80u) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
    ++i;
  }
  return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace tether::schema::detail
