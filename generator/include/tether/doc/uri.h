// URI references as $ref and $id use them (RFC 3986 section 5: resolution against a base).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace tether::doc {

struct UriParts {
  std::string scheme;                    // without ':'; empty for a relative reference
  std::optional<std::string> authority;  // without "//"
  std::string path;
  std::optional<std::string> query;
  std::optional<std::string> fragment;

  std::string str() const;
};

UriParts parseUri(std::string_view uri);

// Resolves `reference` against the absolute URI `base`.
std::string resolveUri(std::string_view base, std::string_view reference);

// "a/b.yaml#/x" -> {"a/b.yaml", "/x"}; the fragment is returned without '#', undecoded.
std::pair<std::string, std::optional<std::string>> splitFragment(std::string_view uri);

// file:///abs/path (percent-encoding what a URI cannot hold) and back.
std::string fileUri(const std::filesystem::path& absolutePath);
std::optional<std::filesystem::path> pathOfFileUri(std::string_view uri);

bool isAbsoluteUri(std::string_view uri);

}  // namespace tether::doc
