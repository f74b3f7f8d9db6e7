// The naming policy, kept out of the emitters (as flatc's Namer does): spec names in,
// valid, unique, stable C++ identifiers out.
//
// - Case: types PascalCase, operations camelCase, fields and parameters snake_case,
//   constants kPascalCase.
// - Non-ASCII letters are spelled as their code point ("café" -> "caf_u233").
// - A name that starts with a digit gets a letter in front ("200" -> "n200").
// - C++ keywords and troublesome macros get a trailing underscore ("class" -> "class_").
// - An empty name becomes "unnamed".
// - Within a scope, names that collide after conversion get a numeric suffix in order
//   of first claim ("user_id", "userId" -> "user_id", "user_id2"), so the result depends
//   only on the spec's order.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tether::naming {

enum class Case { Pascal, Camel, Snake, Constant };

// Splits a spec name into words at separators, case changes and digit runs.
std::vector<std::string> splitWords(std::string_view name);

// Converts to the case, then makes the result a valid, non-reserved identifier.
std::string identifier(std::string_view name, Case style);

bool isReservedWord(std::string_view word);

// A set of names that must stay distinct (the members of one struct, the types of one
// namespace). claim() returns the identifier for `name`, suffixed if it is taken.
class Scope {
 public:
  explicit Scope(const std::set<std::string>& reserved = {}) : taken_(reserved.begin(), reserved.end()) {}
  std::string claim(std::string_view name, Case style);
  // Claims an identifier already in final form.
  std::string claimExact(std::string identifier);

 private:
  // Hashed: a spec's types share one scope (EC2: tens of thousands of long names), and the
  // ordered set's string comparisons were a third of naming them.
  std::unordered_set<std::string> taken_;
  std::unordered_map<std::string, int> nextSuffix_;  // base -> the N to try next for base<N>
};

}  // namespace tether::naming
