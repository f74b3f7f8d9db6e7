// ECMA-262 (u-mode) patterns on PCRE2.
//
// PCRE2 without PCRE2_UCP already gives ECMA's ASCII-only \d, \w and \b. What differs,
// and is translated here: \s (ECMA includes Unicode spaces), '.' (ECMA excludes all four
// line terminators), '$' (DOLLAR_ENDONLY), \v, \cX, \uXXXX (including surrogate pairs),
// \u{...}, [] and [^], long Unicode property names, and escapes ECMA rejects (\a, \Z...).
#include "tether/schema/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

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

  // PCRE2 refuses a counted repetition above 65535 ({0,262144}, an upload size written as
  // a pattern); ECMA has no such limit. The repeated atom (out from `atom`) is rewritten as
  // repetitions of at most 65535 that match the same counts.
  static constexpr std::uint64_t kMaxRepeat = 65535;

  bool readCount(std::uint64_t& value) {
    std::size_t start = i;
    value = 0;
    while (i < in.size() && in[i] >= '0' && in[i] <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(in[i++] - '0');
      if (value > 0xFFFFFFFFull) return false;
    }
    return i > start;
  }

  // At in[i] == '{' after an atom: a quantifier too large for PCRE2 is rewritten and true is
  // returned; otherwise nothing is consumed and false is returned.
  bool largeQuantifier(std::size_t atom, bool group) {
    std::size_t start = i;
    std::uint64_t low = 0, high = 0;
    ++i;
    bool bounded = true;
    if (!readCount(low)) return i = start, false;
    high = low;
    if (i < in.size() && in[i] == ',') {
      ++i;
      bounded = i < in.size() && in[i] != '}';
      if (bounded && !readCount(high)) return i = start, false;
    }
    if (i >= in.size() || in[i] != '}' || (bounded && high < low) || (low <= kMaxRepeat && high <= kMaxRepeat)) {
      return i = start, false;
    }
    ++i;
    if (i < in.size() && in[i] == '?') return i = start, false;  // lazy: left to PCRE2's error
    // A single character or class repeats as it is (PCRE2 counts it in one opcode); a group
    // is copied once per repetition by PCRE2, so a large one stays an error.
    if (group) return i = start, false;
    const std::string unit = out.substr(atom);
    auto exactly = [&](std::uint64_t count) {
      if (count <= kMaxRepeat) return unit + "{" + std::to_string(count) + "}";
      return "(?:" + unit + "{" + std::to_string(kMaxRepeat) + "}){" + std::to_string(count / kMaxRepeat) + "}" + unit +
             "{" + std::to_string(count % kMaxRepeat) + "}";
    };
    // Up to `count`, without ambiguity between the pieces: either fewer than 65536 in one
    // piece, or a full piece followed by up to count - 65535 more.
    std::function<std::string(std::uint64_t)> upTo = [&](std::uint64_t count) -> std::string {
      if (count <= kMaxRepeat) return unit + "{0," + std::to_string(count) + "}";
      return "(?:" + unit + "{" + std::to_string(kMaxRepeat) + "}" + upTo(count - kMaxRepeat) + "|" + unit + "{0," +
             std::to_string(kMaxRepeat) + "})";
    };
    if (low / kMaxRepeat > kMaxRepeat || (bounded && (high - low) / kMaxRepeat > 64)) return i = start, false;
    out.resize(atom);
    out += exactly(low) + (bounded ? (high > low ? upTo(high - low) : "") : unit + "*");
    return true;
  }

  bool run() {
    std::size_t atom = std::string::npos;  // where the last atom's translation starts in out
    bool group_atom = false;               // the last atom is a group
    std::vector<std::size_t> groups;       // where each open group starts
    while (i < in.size()) {
      char c = in[i];
      if (c == '{' && atom != std::string::npos && largeQuantifier(atom, group_atom)) {
        atom = std::string::npos;
        continue;
      }
      group_atom = c == ')';
      if (c == '\\') {
        atom = out.size();
        if (!escape(false)) return false;
      } else if (c == '[') {
        atom = out.size();
        if (!characterClass()) return false;
      } else if (c == '(') {
        groups.push_back(out.size());
        atom = std::string::npos;
        if (!group()) return false;
      } else if (c == ')') {
        atom = groups.empty() ? std::string::npos : groups.back();
        if (!groups.empty()) groups.pop_back();
        out += c;
        ++i;
      } else if (c == '.') {
        atom = out.size();
        out += "[^\\n\\r\\x{2028}\\x{2029}]";
        ++i;
      } else {
        atom = std::string_view("|^$*+?{}").find(c) == std::string_view::npos ? out.size() : std::string::npos;
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

std::string Regex::withoutIdentityEscapes(std::string_view ecma) {
  static constexpr std::string_view kSyntax = "^$\\.*+?()[]{}|/";
  std::string out;
  bool in_class = false;
  for (std::size_t i = 0; i < ecma.size(); ++i) {
    char c = ecma[i];
    if (c == '\\' && i + 1 < ecma.size()) {
      char next = ecma[i + 1];
      bool punctuation = static_cast<unsigned char>(next) < 0x80 && std::ispunct(static_cast<unsigned char>(next));
      bool keep = !punctuation || kSyntax.find(next) != std::string_view::npos || (next == '-' && in_class);
      if (keep) out += c;
      out += next;
      ++i;
      continue;
    }
    if (c == '[' && !in_class) in_class = true;
    else if (c == ']' && in_class) in_class = false;
    out += c;
  }
  return out;
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
  // The interpreter is the fallback when JIT compilation fails.
  const bool jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0;
  std::shared_ptr<Regex> regex(new Regex());
  regex->jit_ = jit;
  regex->simple_ = parseSimple(ecma);
  regex->source_ = std::string(ecma);
  regex->pcre_ = std::move(*translated);
  regex->code_ = compiled;
  return regex;
}

Regex::~Regex() { pcre2_code_free(static_cast<pcre2_code*>(code_)); }

namespace {

constexpr std::uint32_t kNoLimit = 0xFFFFFFFFu;

bool isAscii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t bits = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    bits |= w;
  }
  for (; n > 0; ++p, --n) bits |= static_cast<unsigned char>(*p);
  return (bits & 0x8080808080808080ull) == 0;
}

void addChar(std::uint64_t* set, unsigned c) { set[c >> 6] |= std::uint64_t{1} << (c & 63); }
void addRange(std::uint64_t* set, unsigned from, unsigned to) {
  for (unsigned c = from; c <= to; ++c) addChar(set, c);
}
bool isSyntaxChar(char c) { return std::string_view("^$\\.*+?()[]{}|/").find(c) != std::string_view::npos; }

// \d, \w or an escaped syntax character (the identity escapes u-mode allows); false otherwise.
bool addEscape(std::uint64_t* set, char c, bool in_class) {
  if (c == 'd') addRange(set, '0', '9');
  else if (c == 'w') addRange(set, 'a', 'z'), addRange(set, 'A', 'Z'), addRange(set, '0', '9'), addChar(set, '_');
  else if (isSyntaxChar(c) || (in_class && c == '-')) addChar(set, static_cast<unsigned char>(c));
  else return false;
  return true;
}

bool readNumber(std::string_view s, std::size_t& i, std::uint32_t& out) {
  std::size_t start = i;
  std::uint64_t v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9' && v < 100000) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
  out = static_cast<std::uint32_t>(v);
  return i > start && v < 100000;
}

}  // namespace

std::vector<Regex::SimpleAtom> Regex::parseSimple(std::string_view s) {
  std::vector<SimpleAtom> atoms;
  if (s.size() < 2 || s.front() != '^') return {};
  std::size_t i = 1;
  bool closed = false;
  while (i < s.size()) {
    char c = s[i];
    if (static_cast<unsigned char>(c) >= 0x80) return {};
    if (c == '$') {
      if (i + 1 != s.size()) return {};
      closed = true;
      break;
    }
    SimpleAtom atom;
    if (c == '[') {
      ++i;
      if (i < s.size() && s[i] == '^') return {};
      bool any = false;
      while (true) {
        if (i >= s.size()) return {};
        char x = s[i];
        if (x == ']') break;
        if (static_cast<unsigned char>(x) >= 0x80 || x == '[') return {};
        unsigned from;
        if (x == '\\') {
          if (i + 1 >= s.size()) return {};
          char e = s[i + 1];
          i += 2;
          if (e == 'd' || e == 'w') {
            addEscape(atom.set, e, true);
            any = true;
            if (i < s.size() && s[i] == '-' && i + 1 < s.size() && s[i + 1] != ']') return {};
            continue;
          }
          if (!isSyntaxChar(e) && e != '-') return {};
          from = static_cast<unsigned char>(e);
        } else {
          from = static_cast<unsigned char>(x);
          ++i;
        }
        if (i + 1 < s.size() && s[i] == '-' && s[i + 1] != ']') {
          char y = s[i + 1];
          if (y == '\\' || y == '[' || static_cast<unsigned char>(y) >= 0x80) return {};
          unsigned to = static_cast<unsigned char>(y);
          if (to < from) return {};
          addRange(atom.set, from, to);
          i += 2;
        } else {
          addChar(atom.set, from);
        }
        any = true;
      }
      ++i;  // ']'
      if (!any) return {};
    } else if (c == '\\') {
      if (i + 1 >= s.size() || !addEscape(atom.set, s[i + 1], false)) return {};
      i += 2;
    } else if (isSyntaxChar(c) && c != '/') {
      return {};
    } else {
      addChar(atom.set, static_cast<unsigned char>(c));
      ++i;
    }
    if (i < s.size()) {
      char q = s[i];
      if (q == '*' || q == '+' || q == '?') {
        atom.min = q == '+' ? 1 : 0;
        atom.max = q == '?' ? 1 : kNoLimit;
        ++i;
      } else if (q == '{') {
        ++i;
        if (!readNumber(s, i, atom.min)) return {};
        atom.max = atom.min;
        if (i < s.size() && s[i] == ',') {
          ++i;
          atom.max = kNoLimit;
          if (i < s.size() && s[i] != '}' && !readNumber(s, i, atom.max)) return {};
        }
        if (i >= s.size() || s[i] != '}' || atom.max < atom.min) return {};
        ++i;
      }
      if (i < s.size() && (s[i] == '?' || s[i] == '*' || s[i] == '+' || s[i] == '{')) return {};  // lazy or stacked
    }
    atoms.push_back(atom);
  }
  if (!closed || atoms.empty()) return {};
  // Greedy is exact when no repeated atom shares a character with an atom that may follow it.
  for (std::size_t a = 0; a < atoms.size(); ++a) {
    if (atoms[a].min == atoms[a].max) continue;
    for (std::size_t b = a + 1; b < atoms.size(); ++b) {
      if ((atoms[a].set[0] & atoms[b].set[0]) || (atoms[a].set[1] & atoms[b].set[1])) return {};
      if (atoms[b].min > 0) break;
    }
  }
  return atoms;
}

MatchResult Regex::matchSimple(std::string_view subject) const {
  const char* p = subject.data();
  const char* end = p + subject.size();
  for (const SimpleAtom& atom : simple_) {
    std::uint32_t count = 0;
    while (count < atom.max && p != end) {
      const auto c = static_cast<unsigned char>(*p);
      if (c >= 0x80 || !(atom.set[c >> 6] & (std::uint64_t{1} << (c & 63)))) break;
      ++p;
      ++count;
    }
    if (count < atom.min) return MatchResult::NoMatch;
  }
  return p == end ? MatchResult::Match : MatchResult::NoMatch;
}

MatchResult Regex::search(std::string_view subject) const {
  if (!simple_.empty()) return matchSimple(subject);
  auto& resources = matchResources();
  const auto* code = static_cast<pcre2_code*>(code_);
  const auto* text = reinterpret_cast<PCRE2_SPTR>(subject.data());
  // pcre2_jit_match skips pcre2_match's checks, the UTF-8 validation among them: only for
  // ASCII subjects (always valid UTF-8).
  int rc = jit_ && isAscii(subject)
               ? pcre2_jit_match(code, text, subject.size(), 0, 0, resources.data, resources.context)
               : pcre2_match(code, text, subject.size(), 0, 0, resources.data, resources.context);
  if (rc >= 0) return MatchResult::Match;
  if (rc == PCRE2_ERROR_NOMATCH) return MatchResult::NoMatch;
  // Match limit, depth limit, JIT stack exhaustion, invalid UTF-8: never a silent pass.
  return MatchResult::LimitExceeded;
}

}  // namespace tether::schema
