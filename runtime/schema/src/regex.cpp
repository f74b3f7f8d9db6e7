// ECMA-262 (u-mode) patterns on PCRE2.
//
// PCRE2 without PCRE2_UCP already gives ECMA's ASCII-only \d, \w and \b. What differs,
// and is translated here: \s (ECMA includes Unicode spaces), '.' (ECMA excludes all four
// line terminators), '$' (DOLLAR_ENDONLY), \v, \cX, \uXXXX (including surrogate pairs),
// \u{...}, [] and [^], long Unicode property names, and escapes ECMA rejects (\a, \Z...).
#include "tether/schema/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <string>

#include "unicode.h"

namespace tether::schema {

namespace {

constexpr const char* kSpaceSet =
    "\\t\\n\\x0b\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}"
    "\\x{205f}\\x{3000}\\x{feff}";

bool isHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string hexCodePoint(char32_t cp) {
  static const char* digits = "0123456789abcdef";
  std::string h;
  do {
    h.insert(h.begin(), digits[cp & 0xF]);
    cp >>= 4;
  } while (cp);
  return "\\x{" + h + "}";
}

// ECMA property names that PCRE2 spells differently.
std::string mapProperty(const std::string& name) {
  if (name == "digit" || name == "Digit" || name == "Decimal_Number") return "Nd";
  if (name == "Letter") return "L";
  if (name == "Lowercase_Letter") return "Ll";
  if (name == "Uppercase_Letter") return "Lu";
  if (name == "Number") return "N";
  if (name == "Punctuation") return "P";
  if (name == "Symbol") return "S";
  if (name == "Mark") return "M";
  if (name == "Separator") return "Z";
  if (name == "Other") return "C";
  if (name.rfind("Script=", 0) == 0 || name.rfind("sc=", 0) == 0) return name.substr(name.find('=') + 1);
  if (name.rfind("General_Category=", 0) == 0 || name.rfind("gc=", 0) == 0)
    return mapProperty(name.substr(name.find('=') + 1));
  return name;
}

struct Translator {
  std::string_view in;
  std::size_t i = 0;
  std::string out;
  std::string error;

  bool fail(const std::string& message) {
    error = message + " at offset " + std::to_string(i);
    return false;
  }

  // Reads \uXXXX (i points after 'u'); combines a surrogate pair.
  bool readUnicodeEscape(char32_t& cp) {
    if (i < in.size() && in[i] == '{') {
      auto close = in.find('}', i);
      if (close == std::string_view::npos || close == i + 1) return fail("bad \\u{...} escape");
      cp = 0;
      for (std::size_t k = i + 1; k < close; ++k) {
        if (!isHex(in[k])) return fail("bad \\u{...} escape");
        cp = cp * 16 + static_cast<char32_t>(std::stoi(std::string(1, in[k]), nullptr, 16));
        if (cp > 0x10FFFF) return fail("code point out of range");
      }
      i = close + 1;
      return true;
    }
    auto read4 = [&](std::size_t at, char32_t& v) {
      if (at + 4 > in.size()) return false;
      for (std::size_t k = at; k < at + 4; ++k)
        if (!isHex(in[k])) return false;
      v = static_cast<char32_t>(std::stoul(std::string(in.substr(at, 4)), nullptr, 16));
      return true;
    };
    if (!read4(i, cp)) return fail("bad \\u escape");
    i += 4;
    char32_t low = 0;
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= in.size() && in[i] == '\\' && in[i + 1] == 'u' &&
        read4(i + 2, low) && low >= 0xDC00 && low <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 6;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // a lone surrogate cannot occur in UTF-8
    return true;
  }

  // One escape sequence; `in_class` selects class semantics (\b = backspace, \s inline).
  bool escape(bool in_class) {
    ++i;  // the backslash
    if (i >= in.size()) return fail("trailing backslash");
    char c = in[i++];
    switch (c) {
      case 'd': case 'D': case 'w': case 'W':
        out += '\\';
        out += c;
        return true;
      case 'b':
        out += in_class ? "\\x08" : "\\b";
        return true;
      case 'B':
        if (in_class) return fail("\\B in class");
        out += "\\B";
        return true;
      case 's':
        out += in_class ? std::string(kSpaceSet) : "[" + std::string(kSpaceSet) + "]";
        return true;
      case 'S':
        out += in_class ? "\\S" : "[^" + std::string(kSpaceSet) + "]";
        return true;
      case 't': out += "\\t"; return true;
      case 'n': out += "\\n"; return true;
      case 'r': out += "\\r"; return true;
      case 'f': out += "\\f"; return true;
      case 'v': out += "\\x0b"; return true;
      case '0':
        if (i < in.size() && in[i] >= '0' && in[i] <= '9') return fail("octal escape");
        out += "\\x00";
        return true;
      case 'c': {
        if (i >= in.size() || !((in[i] >= 'a' && in[i] <= 'z') || (in[i] >= 'A' && in[i] <= 'Z')))
          return fail("bad \\c escape");
        out += hexCodePoint(static_cast<char32_t>(in[i] % 32));
        ++i;
        return true;
      }
      case 'x':
        if (i + 2 > in.size() || !isHex(in[i]) || !isHex(in[i + 1])) return fail("bad \\x escape");
        out += "\\x{" + std::string(in.substr(i, 2)) + "}";
        i += 2;
        return true;
      case 'u': {
        char32_t cp = 0;
        if (!readUnicodeEscape(cp)) return false;
        out += hexCodePoint(cp);
        return true;
      }
      case 'p': case 'P': {
        if (i >= in.size() || in[i] != '{') return fail("bad property escape");
        auto close = in.find('}', i);
        if (close == std::string_view::npos) return fail("bad property escape");
        out += '\\';
        out += c;
        out += "{" + mapProperty(std::string(in.substr(i + 1, close - i - 1))) + "}";
        i = close + 1;
        return true;
      }
      case 'k':
        if (in_class) return fail("\\k in class");
        if (i >= in.size() || in[i] != '<') return fail("bad \\k escape");
        out += "\\k";
        return true;
      case '-':
        if (!in_class) return fail("\\- outside a class");
        out += "\\-";
        return true;
      case '^': case '$': case '\\': case '.': case '*': case '+': case '?': case '(':
      case ')': case '[': case ']': case '{': case '}': case '|': case '/':
        out += '\\';
        out += c;
        return true;
      default:
        if (c >= '1' && c <= '9' && !in_class) {
          out += '\\';
          out += c;
          while (i < in.size() && in[i] >= '0' && in[i] <= '9') out += in[i++];
          return true;
        }
        return fail(std::string("invalid escape \\") + c);
    }
  }

  bool characterClass() {
    ++i;  // '['
    bool negated = i < in.size() && in[i] == '^';
    if (negated) ++i;
    if (i < in.size() && in[i] == ']') {  // ECMA: [] matches nothing, [^] anything
      ++i;
      out += negated ? "[\\s\\S]" : "(?!)";
      return true;
    }
    out += negated ? "[^" : "[";
    while (i < in.size() && in[i] != ']') {
      if (in[i] == '\\') {
        if (!escape(true)) return false;
      } else if (in[i] == '[') {
        out += "\\[";  // PCRE would read "[:" as a POSIX class
        ++i;
      } else {
        out += in[i++];
      }
    }
    if (i >= in.size()) return fail("unterminated character class");
    ++i;
    out += ']';
    return true;
  }

  bool group() {
    ++i;  // '('
    if (i < in.size() && in[i] == '?') {
      std::string_view rest = in.substr(i + 1);
      if (rest.rfind(':', 0) == 0 || rest.rfind('=', 0) == 0 || rest.rfind('!', 0) == 0) {
        out += "(?";
        out += rest[0];
        i += 2;
      } else if (rest.rfind("<=", 0) == 0 || rest.rfind("<!", 0) == 0) {
        out += "(?";
        out += rest.substr(0, 2);
        i += 3;
      } else if (rest.rfind('<', 0) == 0) {
        auto close = in.find('>', i);
        if (close == std::string_view::npos) return fail("bad group name");
        out += std::string(in.substr(i - 1, close - i + 2));
        i = close + 1;
      } else {
        return fail("unsupported group syntax (?" + std::string(rest.substr(0, 1)));
      }
    } else {
      out += '(';
    }
    return true;
  }

  bool run() {
    while (i < in.size()) {
      char c = in[i];
      if (c == '\\') {
        if (!escape(false)) return false;
      } else if (c == '[') {
        if (!characterClass()) return false;
      } else if (c == '(') {
        if (!group()) return false;
      } else if (c == '.') {
        out += "[^\\n\\r\\x{2028}\\x{2029}]";
        ++i;
      } else {
        out += c;
        ++i;
      }
    }
    return true;
  }
};

struct MatchResources {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* stack = nullptr;
  MatchResources() {
    data = pcre2_match_data_create(1, nullptr);
    context = pcre2_match_context_create(nullptr);
    // Bounds backtracking: a catastrophic pattern gives PCRE2_ERROR_MATCHLIMIT quickly.
    pcre2_set_match_limit(context, 1'000'000);
    pcre2_set_depth_limit(context, 100'000);
    stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
    pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~MatchResources() {
    pcre2_jit_stack_free(stack);
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
  MatchResources(const MatchResources&) = delete;
  MatchResources& operator=(const MatchResources&) = delete;
};

MatchResources& matchResources() {
  thread_local MatchResources resources;
  return resources;
}

}  // namespace

std::optional<std::string> Regex::translate(std::string_view ecma, std::string& error) {
  Translator t{ecma, 0, {}, {}};
  if (!t.run()) {
    error = t.error;
    return std::nullopt;
  }
  return t.out;
}

std::shared_ptr<const Regex> Regex::compile(std::string_view ecma, std::string& error) {
  auto translated = translate(ecma, error);
  if (!translated) return nullptr;
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated->data()),
                                       translated->size(), PCRE2_UTF | PCRE2_DOLLAR_ENDONLY,
                                       &code, &offset, nullptr);
  if (compiled == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(code, buffer, sizeof buffer);
    error = std::string(reinterpret_cast<const char*>(buffer)) + " at offset " + std::to_string(offset);
    return nullptr;
  }
  pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE);  // falls back to the interpreter on failure
  std::shared_ptr<Regex> regex(new Regex());
  regex->source_ = std::string(ecma);
  regex->pcre_ = std::move(*translated);
  regex->code_ = compiled;
  return regex;
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

MatchResult Regex::search(std::string_view subject) const {
  auto& resources = matchResources();
  int rc = pcre2_match(static_cast<pcre2_code*>(code_), reinterpret_cast<PCRE2_SPTR>(subject.data()),
                       subject.size(), 0, 0, resources.data, resources.context);
  if (rc >= 0) return MatchResult::Match;
  if (rc == PCRE2_ERROR_NOMATCH) return MatchResult::NoMatch;
  // Match limit, depth limit, JIT stack exhaustion, invalid UTF-8: never a silent pass.
  return MatchResult::LimitExceeded;
}

}  // namespace tether::schema
