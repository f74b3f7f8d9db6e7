// Media types (RFC 9110 section 8.3.1) and content negotiation: parsing Content-Type and
// Accept, choosing a response type (none → 406) and matching a request body's type
// against the declared ones (none → 415).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tether::http {

struct MediaType {
  std::string type, subtype;  // lower case; "*" for wildcards
  std::vector<std::pair<std::string, std::string>> params;  // names lower case, values unquoted, q excluded
  double q = 1.0;  // Accept weight

  std::string essence() const { return type + "/" + subtype; }
  // "json" for application/problem+json, "" without a structured suffix.
  std::string suffix() const;
  std::optional<std::string> param(std::string_view name) const;
  bool wildcard() const { return type == "*" || subtype == "*" || subtype.rfind("*+", 0) == 0; }
};

// nullopt when malformed. Accepts "type/subtype *( OWS ; OWS name=value )".
std::optional<MediaType> parseMediaType(std::string_view text);
// The ranges of an Accept header, malformed ones skipped, in the order sent.
std::vector<MediaType> parseAccept(std::string_view text);

// Whether `range` (which may be "*/*", "type/*" or "type/*+suffix") covers `concrete`,
// and how specifically: -1 no, 0 "*/*", 1 "type/*", 2 "type/*+suffix", 3 exact essence,
// 4 exact essence with every parameter of the range matched.
int matchSpecificity(const MediaType& range, const MediaType& concrete);

// Chooses the offered type to answer with. An absent or empty Accept takes the first
// offer. The highest q wins, the offer's own order breaks ties; q=0 excludes. nullopt
// means 406. Offers may themselves be wildcards ("image/*"); then the client's concrete
// range is returned.
std::optional<std::string> negotiate(std::string_view accept, const std::vector<std::string>& offered);

// Matches a request Content-Type against declared request media types (which may be
// wildcards, e.g. "image/*" or "*/*"). Returns the declared entry that matched, the most
// specific one; nullopt means 415 (also for a malformed Content-Type).
std::optional<std::string> matchContentType(std::string_view contentType, const std::vector<std::string>& declared);

// application/json and every application/*+json type.
bool isJsonMediaType(std::string_view mediaType);

}  // namespace tether::http
