#include "tether/naming/namer.h"

#include <algorithm>
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
void appendWord(std::string& out, std::string_view word, bool capital) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    auto c = static_cast<unsigned char>(word[i]);
    out += static_cast<char>(i == 0 && capital ? std::toupper(c) : std::tolower(c));
  }
}

// `name` with its non-ASCII code points spelled out (in `storage` when there are any).
std::string_view asciiSpelling(std::string_view name, std::string& storage) {
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x80) return storage = spellNonAscii(name);
  }
  return name;
}

// Calls `word` with each word of `name` (ASCII), in order: a word is a run of letters and
// digits, split where the case or a digit run changes. The words are views into `name`,
// so naming a spec's tens of thousands of types allocates no word.
template <typename Word>
void forEachWord(std::string_view name, Word&& word) {
  constexpr std::size_t kNone = std::string_view::npos;
  std::size_t start = kNone;  // of the current word
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!isAsciiAlnum(static_cast<unsigned char>(c))) {
      if (start != kNone) word(name.substr(start, i - start));
      start = kNone;
      continue;
    }
    if (start != kNone) {
      char prev = name[i - 1];  // a word is a contiguous run
      bool boundary = (isLower(prev) && isUpper(c)) ||
                      // "HTTPServer" -> "HTTP", "Server"
                      (isUpper(prev) && isUpper(c) && i + 1 < name.size() && isLower(name[i + 1])) ||
                      // "2fa" -> "2", "fa"; but "base64" stays one word
                      (isDigit(prev) && !isDigit(c));
      if (boundary) {
        word(name.substr(start, i - start));
        start = i;
      }
    }
    if (start == kNone) start = i;
  }
  if (start != kNone) word(name.substr(start));
}

}  // namespace

std::vector<std::string> splitWords(std::string_view rawName) {
  std::string storage;
  std::vector<std::string> words;
  forEachWord(asciiSpelling(rawName, storage), [&](std::string_view w) { words.emplace_back(w); });
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
  std::string out = style == Case::Constant ? "k" : "";
  std::size_t count = 0;
  auto append = [&](std::string_view word) {
    switch (style) {
      case Case::Pascal:
      case Case::Constant:
        appendWord(out, word, true);
        break;
      case Case::Camel:
        appendWord(out, word, count > 0);
        break;
      case Case::Snake:
        if (count > 0) out += '_';
        appendWord(out, word, false);
        break;
    }
    ++count;
  };
  std::string storage;
  forEachWord(asciiSpelling(name, storage), append);
  if (count == 0) append("unnamed");
  if (isDigit(out[0])) out = (style == Case::Pascal ? "N" : "n") + out;
  if (isReservedWord(out)) out += '_';
  return out;
}

std::string Scope::claim(std::string_view name, Case style) {
  return claimExact(identifier(name, style));
}

std::string Scope::claimExact(std::string base) {
  if (taken_.insert(base).second) return base;
  // The first free base<N>, N from 2. Names are never given back, so the search resumes
  // where the last one for this base stopped.
  int& suffix = nextSuffix_[base];
  suffix = std::max(suffix, 2);
  std::string candidate = base + std::to_string(suffix);
  while (!taken_.insert(candidate).second) candidate = base + std::to_string(++suffix);
  ++suffix;
  return candidate;
}

}  // namespace tether::naming
