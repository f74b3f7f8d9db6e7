// RFC 3986 URI references: parsing, resolution against a base, fragments.
#pragma once

#include <string>
#include <string_view>

namespace tether::schema::detail {

struct UriParts {
  bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
  std::string scheme, authority, path, query, fragment;
};

UriParts parseUri(std::string_view text);
std::string recompose(const UriParts& parts);

// Resolves `reference` against `base` (RFC 3986 section 5.2).
std::string resolveUri(std::string_view base, std::string_view reference);

// Splits "a#b" into "a" and "b" (fragment without '#'); has_fragment tells if '#' existed.
std::string withoutFragment(std::string_view uri);
std::string fragmentOf(std::string_view uri, bool* has_fragment = nullptr);

std::string percentDecode(std::string_view text);

}  // namespace tether::schema::detail
