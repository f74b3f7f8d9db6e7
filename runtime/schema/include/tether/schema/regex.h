// ECMA-262 regular expressions on PCRE2: the translation layer and a compiled pattern.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::schema {

enum class MatchResult { NoMatch, Match, LimitExceeded };

class Regex {
 public:
  // Compiles an ECMA-262 pattern. On failure returns nullptr and sets `error`.
  static std::shared_ptr<const Regex> compile(std::string_view ecma, std::string& error);

  // Translates ECMA-262 syntax into PCRE2 syntax; nullopt (and `error`) when the pattern
  // uses something ECMA-262 forbids (e.g. \a, \Z, a lone "{" quantifier in u-mode).
  static std::optional<std::string> translate(std::string_view ecma, std::string& error);

  // The pattern without the backslash of the identity escapes ECMA-262 Annex B allows and
  // the u-flag grammar rejects: an escaped ASCII punctuation character that has no syntax
  // role (\: \# \@ \" ...), and \- outside a class. Real-world specs write them
  // (^[a-z\-\:]+$); without the backslash the pattern means what its author meant.
  static std::string withoutIdentityEscapes(std::string_view ecma);

  // The pattern with the idioms of other engines (Java, PCRE, Perl) rewritten as ECMA-262
  // u-mode syntax that matches the same strings (regex_dialects.cpp): POSIX classes
  // \p{Alnum} \p{Print} \p{XDigit}..., Java's \p{IsLetter} and class unions and
  // intersections ([\p{Print}&&[^|:/]]), \A \z \Z, \x{7f}, octal \0nn, \Q...\E, identity
  // escapes of characters without a syntax role (\  \_ \'), and '-' after a class escape
  // ([\w-.]). nullopt when there is nothing to rewrite or the pattern is not understood.
  static std::optional<std::string> fromForeignDialect(std::string_view pattern);

  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Unanchored search, as ECMA `RegExp.prototype.test` with the `u` flag. Bounded by a
  // match limit: a pattern that backtracks catastrophically yields LimitExceeded.
  MatchResult search(std::string_view subject) const;

  const std::string& source() const { return source_; }       // the ECMA-262 text
  const std::string& translated() const { return pcre_; }     // the PCRE2 text
  // Whether the pattern is decided without PCRE2 (see SimpleAtom).
  bool simple() const { return !simple_.empty(); }

 private:
  // Anchored patterns made of ASCII literals and classes with quantifiers, where greedy
  // matching is exact (a repeated atom shares no character with what may follow it), e.g.
  // ^dep_[A-Za-z0-9]{16,32}$ or ^[a-z][a-z0-9-]{0,62}$: matched directly, byte by byte.
  struct SimpleAtom {
    std::uint64_t set[2] = {0, 0};  // the ASCII characters it matches
    std::uint32_t min = 1;
    std::uint32_t max = 1;
  };
  static std::vector<SimpleAtom> parseSimple(std::string_view ecma);
  MatchResult matchSimple(std::string_view subject) const;

  Regex() = default;
  std::string source_;
  std::string pcre_;
  void* code_ = nullptr;  // pcre2_code_8*
  bool jit_ = false;      // JIT-compiled: ASCII subjects go straight to pcre2_jit_match
  std::vector<SimpleAtom> simple_;
};

}  // namespace tether::schema
