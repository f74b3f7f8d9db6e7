// RFC 6901 JSON Pointers, and the URI-fragment form used by $ref ("#/a~1b/c%20d").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::doc {

std::string escapePointerToken(std::string_view token);
// The same, appended to `out` (no string of its own).
void appendPointerToken(std::string& out, std::string_view token);

// Splits "/a/b~1c" into {"a", "b/c"}. Returns nullopt for a malformed pointer (no leading
// '/', or a '~' not followed by 0 or 1).
std::optional<std::vector<std::string>> parsePointer(std::string_view pointer);

// Percent-decodes a URI fragment ("a%20b" -> "a b"). Returns nullopt on a bad escape.
std::optional<std::string> percentDecode(std::string_view text);

// The URI fragment of a pointer, '#' included: "/a b/c" -> "#/a%20b/c".
std::string fragmentOf(std::string_view pointer);

// "#/components/<section>/<name>" with the name escaped as a pointer token and the whole as
// a fragment: a component named "paths_/a/{id}" is "#/components/schemas/paths_~1a~1%7Bid%7D".
std::string refToComponent(std::string_view section, std::string_view name);

}  // namespace tether::doc
