// Patterns written for other regex engines (regex_dialects.cpp) and counted repetitions
// beyond PCRE2's limit (regex.cpp): each rewritten form must match exactly the strings the
// original dialect matches (java.util.regex for \p{Alnum}, [a&&[b]] and octal escapes; PCRE
// and Perl for \A, \z, \Z, \x{...}; ECMA-262 Annex B for identity escapes), on positive and
// negative strings. The expectations are each dialect's documented meaning.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tether/schema/schema.h"

using namespace tether::schema;
using nlohmann::json;

namespace {

// The pattern as the lenient compiler reads it: strict ECMA first, then the foreign rewrite.
std::shared_ptr<const Regex> lenient(const std::string& pattern) {
  std::string error;
  if (auto strict = Regex::compile(pattern, error)) return strict;
  std::optional<std::string> rewritten = Regex::fromForeignDialect(pattern);
  if (!rewritten) return nullptr;
  return Regex::compile(*rewritten, error);
}

void expectMatches(const std::string& pattern, const std::vector<std::string>& yes, const std::vector<std::string>& no) {
  std::shared_ptr<const Regex> regex = lenient(pattern);
  ASSERT_TRUE(regex) << pattern;
  for (const std::string& s : yes) EXPECT_EQ(regex->search(s), MatchResult::Match) << pattern << " on '" << s << "'";
  for (const std::string& s : no) EXPECT_EQ(regex->search(s), MatchResult::NoMatch) << pattern << " on '" << s << "'";
}

}  // namespace

TEST(RegexDialects, EcmaPatternsAreNotRewritten) {
  std::string error;
  EXPECT_FALSE(Regex::fromForeignDialect("^[a-z]+$").has_value());
  EXPECT_FALSE(Regex::fromForeignDialect("\\d{3}-\\p{L}+").has_value());
  // The strict compiler still refuses the foreign idioms: the rewrite is opt-in.
  EXPECT_FALSE(Regex::compile("\\p{Alnum}+", error));
  EXPECT_FALSE(Regex::compile("\\Aabc\\z", error));
}

TEST(RegexDialects, JavaPosixClassesAreAsciiOnly) {
  expectMatches("^\\p{Alnum}+$", {"abcXYZ019"}, {"a_b", "é", "a b", ""});
  expectMatches("^\\p{Print}+$", {"a b~!", " "}, {"a\tb", "é", "\x7f"});
  expectMatches("^\\p{Graph}+$", {"a~!"}, {"a b", "é"});
  expectMatches("^\\p{XDigit}{4}$", {"09aF"}, {"09aG", "09a"});
  expectMatches("^\\p{Punct}+$", {"!\"#/:@[`{~"}, {"a", " ", "é"});
  expectMatches("^\\p{Alpha}\\p{Digit}$", {"a1"}, {"11", "aa"});
  expectMatches("^\\P{Alnum}$", {"_", " "}, {"a", "9"});
  expectMatches("^[\\-\\p{Alnum}_:.]+$", {"node-1_a:b.c"}, {"node 1", "a/b"});
  expectMatches("^[\\p{all}]*$", {"", "any\nthing é"}, {});
}

TEST(RegexDialects, JavaIsPropertiesAreUnicodeProperties) {
  expectMatches("^([A-Za-z\\-' 0-9._]|\\p{IsLetter})*$", {"José O'Neil", "Ωmega"}, {"a@b", "1+1"});
  expectMatches("^\\p{IsLatin}+$", {"abcé"}, {"abcΩ"});
  expectMatches("^\\p{IsL}$", {"x"}, {"1"});
}

TEST(RegexDialects, JavaClassIntersectionIsALookahead) {
  // Printable ASCII except | : /
  expectMatches("^[\\p{Print}&&[^|:/]]+$", {"plan-1 a"}, {"a|b", "a:b", "a/b", "a\tb", ""});
  expectMatches("^[\\p{Print}&&[^aeiou]]+$", {"bcd B"}, {"bad", "b\tc"});
  // Java's union of nested classes, in a pattern ECMA-262 refuses (ECMA reads [a-c[x-z]]
  // as a class followed by a literal ']', and that reading wins where it compiles).
  expectMatches("^[\\p{XDigit}[_]]+$", {"0f_A"}, {"g", "-"});
  expectMatches("^[\\p{XDigit}[^a-z]]$", {"5", "A", "-", "a"}, {"q"});
}

TEST(RegexDialects, AnchorsOfPcreAndJava) {
  expectMatches("\\A[a-zA-Z0-9_]+\\z", {"abc_9"}, {"abc\n", " abc", "ab-c"});
  expectMatches("\\Aab\\Z", {"ab", "ab\n"}, {"ab\n\n", "xab"});
}

TEST(RegexDialects, OctalAndBracedHexEscapes) {
  // Java's \0nn octal: [^/:|\000-\037] excludes the control characters
  expectMatches("^[^/:|\\000-\\037]+$", {"stream name"}, {"a\tb", "a/b", std::string("a\x01", 2)});
  expectMatches("^[\\101-\\103]+$", {"ABC"}, {"D"});  // legacy octal in a class
  expectMatches("^[$\\-._\\x{60}]+$", {"`$-"}, {"a", "x{60}"});
}

TEST(RegexDialects, IdentityEscapesAndLiteralBraces) {
  expectMatches("^[a-zA-Z0-9\\ \\_\\.]+$", {"a b_c.d"}, {"a-b", "a\\b"});
  expectMatches("^(.*[\\n\\r\\t\\f\\ ]?)*$", {"x y", ""}, {});
  expectMatches("^\\{config\\-name}$", {"{config-name}"}, {"config-name", "{configname}"});
  expectMatches("^a\\'b\\\"c$", {"a'b\"c"}, {"ab"});
}

TEST(RegexDialects, ARangeThatStartsOrEndsAtAClassEscapeIsALiteralHyphen) {
  expectMatches("^[\\w-.+]+@[\\w-.+]+$", {"a-b.c+d@x-y.z"}, {"a b@x", "a@"});
  expectMatches("^[a-zA-Z0-9\\s-_()\\[\\]]+$", {"a (b) [c] - d_e"}, {"a!b", "a.b"});
  expectMatches("^[\\w- ]+$", {"a- b"}, {"a.b"});
  expectMatches("^[a-\\d]+$", {"a-1"}, {"b"});
}

TEST(RegexDialects, QuotedText) {
  expectMatches("^\\Qa.b*\\E+$", {"a.b*", "a.b**"}, {"aab", "a.b"});
}

TEST(RegexDialects, OverEscapedPatternsStayErrors) {
  // Written with every character escaped: no engine reads \p\{L\}.
  EXPECT_FALSE(lenient("[^\\p\\{C\\}]*\\+"));
  // Java's negated intersection changed meaning between its versions.
  EXPECT_FALSE(lenient("[^\\p{Alnum}&&[^x]]"));
}

TEST(RegexDialects, CountedRepetitionsBeyondPcreLimitMatchTheSameCounts) {
  std::string error;
  std::shared_ptr<const Regex> upTo = Regex::compile("^.{0,262144}$", error);
  ASSERT_TRUE(upTo) << error;
  EXPECT_EQ(upTo->search(std::string(262144, 'x')), MatchResult::Match);
  EXPECT_EQ(upTo->search(std::string(65536, 'x')), MatchResult::Match);
  EXPECT_EQ(upTo->search(""), MatchResult::Match);
  EXPECT_EQ(upTo->search(std::string(262145, 'x')), MatchResult::NoMatch);
  EXPECT_EQ(upTo->search(std::string(100000, 'x') + "\n"), MatchResult::NoMatch);

  std::shared_ptr<const Regex> between = Regex::compile("^a{70000,140000}$", error);
  ASSERT_TRUE(between) << error;
  EXPECT_EQ(between->search(std::string(69999, 'a')), MatchResult::NoMatch);
  EXPECT_EQ(between->search(std::string(70000, 'a')), MatchResult::Match);
  EXPECT_EQ(between->search(std::string(140000, 'a')), MatchResult::Match);
  EXPECT_EQ(between->search(std::string(140001, 'a')), MatchResult::NoMatch);

  std::shared_ptr<const Regex> atLeast = Regex::compile("^[ab]{66000,}$", error);
  ASSERT_TRUE(atLeast) << error;
  EXPECT_EQ(atLeast->search(std::string(65999, 'b')), MatchResult::NoMatch);
  EXPECT_EQ(atLeast->search(std::string(200000, 'a')), MatchResult::Match);
}

TEST(RegexDialects, TheLenientCompilerLeavesOutWhatNoDialectReadsAndSaysWhere) {
  Registry registry;
  CompileOptions options;
  options.lenient_patterns = true;
  options.skip_invalid_patterns = true;
  json schema = {{"properties",
                  {{"id", {{"type", "string"}, {"pattern", "^\\p{XDigit}+$"}}},
                   {"odd", {{"type", "string"}, {"pattern", "[^\\p\\{C\\}]*"}}}}}};
  Program program = compile(schema, registry, options);
  ASSERT_EQ(program.skipped_patterns.size(), 1u);
  EXPECT_EQ(program.skipped_patterns[0].source, "[^\\p\\{C\\}]*");
  EXPECT_NE(program.skipped_patterns[0].location.find("/properties/odd/pattern"), std::string::npos);
  // The translated pattern is checked, the skipped one is not.
  EXPECT_TRUE(validate(program, json{{"id", "00ff"}, {"odd", "\x01"}}));
  EXPECT_FALSE(validate(program, json{{"id", "00fg"}}));
  // Without skipping, the same schema does not compile.
  options.skip_invalid_patterns = false;
  EXPECT_THROW(compile(schema, registry, options), CompileError);
}
