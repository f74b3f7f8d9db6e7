// Patterns written for another engine (Java's java.util.regex, PCRE, Perl, .NET), rewritten
// as ECMA-262 u-mode patterns that match exactly the same strings. Only idioms whose meaning
// is the same in every engine that accepts them are rewritten; anything else leaves the
// pattern as it is (and it fails to compile, which the caller reports).
//
// Real specs are full of them: AWS's \p{Print}, \p{XDigit}, \A...\z, [\p{Print}&&[^|:/]],
// octal \000-\037; \x{60}; identity escapes of spaces and underscores; [\w-.] ranges that
// start at a class escape.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tether/schema/regex.h"

namespace tether::schema {

namespace {

// The POSIX classes of Java's \p{...} (US-ASCII only, as Java defines them without
// UNICODE_CHARACTER_CLASS), as class contents.
std::optional<std::string> posixClass(std::string_view name) {
  struct Entry {
    std::string_view name;
    std::string_view contents;
  };
  static constexpr Entry kPosix[] = {
      {"Lower", "a-z"},
      {"Upper", "A-Z"},
      {"ASCII", "\\u{0}-\\u{7f}"},
      {"Alpha", "a-zA-Z"},
      {"Digit", "0-9"},
      {"Alnum", "a-zA-Z0-9"},
      {"Punct", "\\u{21}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{60}\\u{7b}-\\u{7e}"},
      {"Graph", "\\u{21}-\\u{7e}"},
      {"Print", "\\u{20}-\\u{7e}"},
      {"Blank", " \\t"},
      {"Cntrl", "\\u{0}-\\u{1f}\\u{7f}"},
      {"XDigit", "0-9a-fA-F"},
      {"Space", " \\t\\n\\u{b}\\f\\r"},
      {"all", "\\s\\S"},
      {"javaLowerCase", "\\p{Ll}"},
      {"javaUpperCase", "\\p{Lu}"},
      {"javaLetter", "\\p{L}"},
      {"javaDigit", "\\p{Nd}"},
      {"javaLetterOrDigit", "\\p{L}\\p{Nd}"},
      {"javaAlphabetic", "\\p{Alphabetic}"},
  };
  for (const Entry& e : kPosix) {
    if (e.name == name) return std::string(e.contents);
  }
  return std::nullopt;
}

// Java's "Is" prefix on a general category, script or binary property: \p{IsLetter},
// \p{IsL}, \p{IsLatin}, \p{IsAlphabetic}. Returns the ECMA property text.
std::optional<std::string> javaIsProperty(std::string_view name) {
  if (name.size() <= 2 || name.substr(0, 2) != "Is") return std::nullopt;
  std::string_view rest = name.substr(2);
  static constexpr std::string_view kCategories[] = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me",
                                                     "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Ps", "Pe", "Pi",
                                                     "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl",
                                                     "Zp", "C", "Cc", "Cf", "Cs", "Co", "Cn"};
  for (std::string_view c : kCategories) {
    if (c == rest) return std::string(rest);
  }
  struct Alias {
    std::string_view java, ecma;
  };
  static constexpr Alias kBinary[] = {
      {"Letter", "L"},           {"Digit", "Nd"},         {"Alphabetic", "Alphabetic"},
      {"Uppercase", "Uppercase"}, {"Lowercase", "Lowercase"}, {"Punctuation", "P"},
      {"Control", "Cc"},          {"White_Space", "White_Space"}, {"WhiteSpace", "White_Space"},
      {"Hex_Digit", "Hex_Digit"}, {"HexDigit", "Hex_Digit"}, {"Ideographic", "Ideographic"},
      {"Assigned", "Assigned"},   {"Emoji", "Emoji"},
  };
  for (const Alias& a : kBinary) {
    if (a.java == rest) return std::string(a.ecma);
  }
  // A script name: letters and underscores, capitalized (IsLatin, IsGreek, IsHan).
  bool script = std::isupper(static_cast<unsigned char>(rest[0])) != 0;
  for (char c : rest) script = script && (std::isalpha(static_cast<unsigned char>(c)) || c == '_');
  if (script) return "Script=" + std::string(rest);
  return std::nullopt;
}

std::string codePoint(unsigned long value) {
  static const char* hex = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), hex[value & 15]);
    value >>= 4;
  } while (value != 0);
  return "\\u{" + digits + "}";
}

bool isClassEscapeLetter(char c) {
  return c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S' || c == 'p' || c == 'P';
}

// ECMA's syntax characters: the only ones u-mode lets a backslash escape, with '-' in a class.
bool isSyntax(char c) { return std::string_view("^$\\.*+?()[]{}|/").find(c) != std::string_view::npos; }

struct Rewriter {
  std::string_view in;
  std::size_t i = 0;

  // One escape, at in[i] == '\\'; `in_class` for class contents. Appends the ECMA form of
  // one atom and says whether it is a class escape (a set, not one character).
  bool escape(std::string& out, bool in_class, bool& is_set) {
    is_set = false;
    if (i + 1 >= in.size()) return false;
    char c = in[i + 1];
    std::size_t after = i + 2;
    if (c == 'p' || c == 'P') {
      if (after >= in.size() || in[after] != '{') return false;
      std::size_t close = in.find('}', after);
      if (close == std::string_view::npos) return false;
      std::string_view name = in.substr(after + 1, close - after - 1);
      i = close + 1;
      is_set = true;
      if (std::optional<std::string> posix = posixClass(name)) {
        if (c == 'P') {
          if (in_class) return false;  // a complement inside a class has no ECMA u-mode form
          out += "[^" + *posix + "]";
        } else {
          out += in_class ? *posix : "[" + *posix + "]";
        }
        return true;
      }
      std::optional<std::string> property = javaIsProperty(name);
      out += '\\';
      out += c;
      out += "{" + (property ? *property : std::string(name)) + "}";
      return true;
    }
    if (isClassEscapeLetter(c)) {
      out += '\\';
      out += c;
      i = after;
      is_set = true;
      return true;
    }
    if (!in_class && (c == 'A' || c == 'z' || c == 'Z')) {  // start, end, end before a final newline
      out += c == 'A' ? "^" : c == 'z' ? "$" : "(?=\\n?$)";
      i = after;
      return true;
    }
    if (c == 'x' && after < in.size() && in[after] == '{') {  // \x{7f}: PCRE's and Java's code point
      std::size_t close = in.find('}', after);
      if (close == std::string_view::npos || close == after + 1 || close - after > 7) return false;
      for (std::size_t k = after + 1; k < close; ++k) {
        if (!std::isxdigit(static_cast<unsigned char>(in[k]))) return false;
      }
      out += codePoint(std::stoul(std::string(in.substr(after + 1, close - after - 1)), nullptr, 16));
      i = close + 1;
      return true;
    }
    if (c == '0') {  // Java's octal \0n, \0nn, \0mnn (m <= 3); plain \0 is NUL in ECMA too
      std::size_t k = after;
      unsigned long value = 0;
      while (k < in.size() && k < after + 3 && in[k] >= '0' && in[k] <= '7') {
        if (k == after + 2 && in[after] > '3') break;
        value = value * 8 + static_cast<unsigned long>(in[k] - '0');
        ++k;
      }
      out += codePoint(value);
      i = k;
      return true;
    }
    if (in_class && c >= '1' && c <= '7') {  // legacy octal: a class has no back references
      std::size_t k = after - 1;
      unsigned long value = 0;
      while (k < in.size() && k < after + 2 && in[k] >= '0' && in[k] <= '7' && value * 8 + (in[k] - '0') <= 0377) {
        value = value * 8 + static_cast<unsigned long>(in[k] - '0');
        ++k;
      }
      out += codePoint(value);
      i = k;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x80 && !std::isalnum(static_cast<unsigned char>(c))) {
      // An identity escape of a character with no syntax role (\  \_ \' \- outside a class):
      // the character itself, escaped only where ECMA needs it.
      if (isSyntax(c) || (in_class && c == '-')) out += '\\';
      out += c;
      i = after;
      return true;
    }
    // Anything else (\n, \t, \u..., \cX, back references) is ECMA already, or stays an
    // error: what follows it is copied as it is.
    out += '\\';
    out += c;
    i = after;
    return true;
  }

  // One operand of a class: its plain contents, and the sets that cannot join them (a
  // negated or intersected nested class), matched as alternatives of one character.
  struct Operand {
    std::string contents;
    std::vector<std::string> wholes;
    std::string expression() const {
      if (wholes.empty()) return "[" + contents + "]";
      if (contents.empty() && wholes.size() == 1) return wholes[0];
      std::string out = "(?:";
      if (!contents.empty()) out += "[" + contents + "]|";
      for (std::size_t k = 0; k < wholes.size(); ++k) out += (k == 0 ? "" : "|") + wholes[k];
      return out + ")";
    }
  };

  // A class at in[i] == '['. Java classes nest ([a-z[0-9]] is a union) and intersect
  // ([\p{Print}&&[^|:/]]): a union joins the nested contents, an intersection becomes
  // lookaheads that each test the one character the last operand consumes.
  bool characterClass(std::string& out) {
    ++i;  // '['
    bool negated = i < in.size() && in[i] == '^';
    if (negated) ++i;
    std::vector<Operand> operands(1);
    while (i < in.size() && in[i] != ']') {
      Operand& current = operands.back();
      char c = in[i];
      if (c == '&' && i + 1 < in.size() && in[i + 1] == '&') {
        operands.emplace_back();
        i += 2;
        continue;
      }
      if (c == '[') {
        std::string nested;
        if (!characterClass(nested)) return false;
        if (nested.rfind("[^", 0) == 0 || nested.front() != '[') {
          current.wholes.push_back(nested);
        } else {
          current.contents += nested.substr(1, nested.size() - 2);
        }
        continue;
      }
      if (c == '\\') {
        bool is_set = false;
        if (!escape(current.contents, true, is_set)) return false;
        // [\w-.]: a range cannot start at a set; Java and Annex B read the '-' literally.
        if (is_set && i + 1 < in.size() && in[i] == '-' && in[i + 1] != ']') {
          current.contents += "\\-";
          ++i;
        }
        continue;
      }
      if (c == '-' && i + 2 < in.size() && in[i + 1] == '\\' && isClassEscapeLetter(in[i + 2]) &&
          !current.contents.empty()) {
        current.contents += "\\-";  // [a-\d]: nor can a range end at one
        ++i;
        continue;
      }
      current.contents += c;
      ++i;
    }
    if (i >= in.size()) return false;
    ++i;  // ']'
    if (operands.size() == 1) {
      const Operand& only = operands[0];
      if (only.wholes.empty()) {
        out += (negated ? "[^" : "[") + only.contents + "]";
      } else {
        out += negated ? "(?:(?!" + only.expression() + ")[\\s\\S])" : only.expression();
      }
      return true;
    }
    if (negated) return false;  // Java's [^a&&b] changed meaning between its versions
    out += "(?:";
    for (std::size_t k = 0; k + 1 < operands.size(); ++k) out += "(?=" + operands[k].expression() + ")";
    out += operands.back().expression() + ")";
    return true;
  }

  bool run(std::string& out) {
    while (i < in.size()) {
      char c = in[i];
      if (c == '\\') {
        if (i + 1 < in.size() && in[i + 1] == 'Q') {  // \Q...\E: quoted literal text
          std::size_t end = in.find("\\E", i + 2);
          std::string_view quoted = in.substr(i + 2, end == std::string_view::npos ? std::string_view::npos : end - i - 2);
          for (char q : quoted) {
            if (isSyntax(q)) out += '\\';
            out += q;
          }
          i = end == std::string_view::npos ? in.size() : end + 2;
          continue;
        }
        bool is_set = false;
        if (!escape(out, false, is_set)) return false;
      } else if (c == '[') {
        if (!characterClass(out)) return false;
      } else if (c == '{' && !quantifierAt(i)) {
        out += "\\{";  // Annex B and Java read a brace that starts no quantifier as itself
        ++i;
      } else if (c == '}') {
        out += "\\}";  // (quantifiers are copied whole below, so this one closes none)
        ++i;
      } else if (c == '{') {
        std::size_t close = in.find('}', i);
        out += in.substr(i, close - i + 1);
        i = close + 1;
      } else {
        out += c;
        ++i;
      }
    }
    return true;
  }

  // Whether in[at] == '{' starts {n}, {n,} or {n,m}.
  bool quantifierAt(std::size_t at) const {
    std::size_t k = at + 1;
    std::size_t digits = 0;
    while (k < in.size() && std::isdigit(static_cast<unsigned char>(in[k]))) ++k, ++digits;
    if (digits == 0) return false;
    if (k < in.size() && in[k] == ',') {
      ++k;
      while (k < in.size() && std::isdigit(static_cast<unsigned char>(in[k]))) ++k;
    }
    return k < in.size() && in[k] == '}';
  }
};

}  // namespace

std::optional<std::string> Regex::fromForeignDialect(std::string_view pattern) {
  Rewriter rewriter{pattern};
  std::string out;
  if (!rewriter.run(out) || out == pattern) return std::nullopt;
  return out;
}

}  // namespace tether::schema
