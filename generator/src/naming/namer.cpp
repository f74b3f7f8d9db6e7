#include "tether/naming/namer.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <unordered_set>

namespace tether::naming {

namespace {

bool isAsciiAlnum(unsigned char c) { return std::isalnum(c) != 0; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Replaces each non-ASCII code point by "_u<decimal>_" so words stay separable and distinct.
std::string spellNonAscii(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    std::uint32_t code = length == 1 ? c : c & (0x7Fu >> length);
    for (std::size_t k = 1; k < length && i + k < name.size(); ++k) {
      code = (code << 6) | (static_cast<unsigned char>(name[i + k]) & 0x3Fu);
    }
    // Decimal, so the spelling stays one word ("é" -> "u233").
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "_u%u_", code);
    out += buffer;
    i += length;
  }
  return out;
}

// Appends `word` in lower case, its first letter in upper case when `capital`.
void appendWord(std::string& out, const std::string& word, bool capital) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    auto c = static_cast<unsigned char>(word[i]);
    out += static_cast<char>(i == 0 && capital ? std::toupper(c) : std::tolower(c));
  }
}

}  // namespace

std::vector<std::string> splitWords(std::string_view rawName) {
  std::string name = spellNonAscii(rawName);
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!isAsciiAlnum(static_cast<unsigned char>(c))) {
      flush();
      continue;
    }
    if (!current.empty()) {
      char prev = current.back();
      bool boundary = (isLower(prev) && isUpper(c)) ||
                      // "HTTPServer" -> "HTTP", "Server"
                      (isUpper(prev) && isUpper(c) && i + 1 < name.size() && isLower(name[i + 1])) ||
                      // "2fa" -> "2", "fa"; but "base64" stays one word
                      (isDigit(prev) && !isDigit(c));
      if (boundary) flush();
    }
    current += c;
  }
  flush();
  return words;
}

bool isReservedWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kReserved = {
      // C++20 keywords and alternative tokens
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "final", "override",
      "import", "module",
      // Macros and names from the C library that break code when used as identifiers
      "NULL", "EOF", "errno", "assert", "stdin", "stdout", "stderr", "unix", "linux", "major",
      "minor", "TRUE", "FALSE", "DOMAIN", "EDOM", "ERANGE", "BUFSIZ", "CHAR_BIT", "INT_MAX",
      "INT_MIN", "SIZE_MAX", "UINT_MAX", "EXIT_SUCCESS", "EXIT_FAILURE", "NAN", "INFINITY",
      "isnan", "isinf", "signbit", "offsetof", "setjmp", "va_arg", "va_start", "va_end",
      "std"};
  return kReserved.count(word) != 0;
}

std::string identifier(std::string_view name, Case style) {
  std::vector<std::string> words = splitWords(name);
  if (words.empty()) words.push_back("unnamed");
  std::string out;
  switch (style) {
    case Case::Pascal:
    case Case::Constant:
      if (style == Case::Constant) out = "k";
      for (const std::string& w : words) appendWord(out, w, true);
      break;
    case Case::Camel:
      for (std::size_t i = 0; i < words.size(); ++i) appendWord(out, words[i], i > 0);
      break;
    case Case::Snake:
      for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += '_';
        appendWord(out, words[i], false);
      }
      break;
  }
  if (isDigit(out[0])) out = (style == Case::Pascal ? "N" : "n") + out;
  if (isReservedWord(out)) out += '_';
  return out;
}

std::string Scope::claim(std::string_view name, Case style) {
  return claimExact(identifier(name, style));
}

std::string Scope::claimExact(std::string base) {
  std::string candidate = base;
  for (int suffix = 2; taken_.count(candidate) != 0; ++suffix) {
    candidate = base + std::to_string(suffix);
  }
  taken_.insert(candidate);
  return candidate;
}

}  // namespace tether::naming
