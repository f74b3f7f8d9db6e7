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

}  // namespace tether::doc
