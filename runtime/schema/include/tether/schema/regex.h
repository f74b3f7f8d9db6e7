// ECMA-262 regular expressions on PCRE2: the translation layer and a compiled pattern.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tether::schema {

enum class MatchResult { NoMatch, Match, LimitExceeded };

class Regex {
 public:
  // Compiles an ECMA-262 pattern. On failure returns nullptr and sets `error`.
  static std::shared_ptr<const Regex> compile(std::string_view ecma, std::string& error);

  // Translates ECMA-262 syntax into PCRE2 syntax; nullopt (and `error`) when the pattern
  // uses something ECMA-262 forbids (e.g. \a, \Z, a lone "{" quantifier in u-mode).
  static std::optional<std::string> translate(std::string_view ecma, std::string& error);

  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Unanchored search, as ECMA `RegExp.prototype.test` with the `u` flag. Bounded by a
  // match limit: a pattern that backtracks catastrophically yields LimitExceeded.
  MatchResult search(std::string_view subject) const;

  const std::string& source() const { return source_; }       // the ECMA-262 text
  const std::string& translated() const { return pcre_; }     // the PCRE2 text

 private:
  Regex() = default;
  std::string source_;
  std::string pcre_;
  void* code_ = nullptr;  // pcre2_code_8*
};

}  // namespace tether::schema
