#include "tether/http/security.h"

#include <algorithm>
#include <optional>

namespace tether::http {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// Missing scopes of one requirement, or nullopt when one of its schemes is absent.
std::optional<std::vector<std::string>> missingIn(const SecurityRequirement& requirement,
                                                  const std::vector<std::string>& schemes,
                                                  const std::vector<std::string>& scopes) {
  std::vector<std::string> missing;
  for (const auto& scheme : requirement.schemes) {
    if (!contains(schemes, scheme.first)) return std::nullopt;
    for (const std::string& scope : scheme.second) {
      if (!contains(scopes, scope) && !contains(missing, scope)) missing.push_back(scope);
    }
  }
  return missing;
}

}  // namespace

bool satisfiesSecurity(const std::vector<SecurityRequirement>& security, const std::vector<std::string>& schemes,
                       const std::vector<std::string>& scopes) {
  if (security.empty()) return true;
  return std::any_of(security.begin(), security.end(), [&](const SecurityRequirement& requirement) {
    std::optional<std::vector<std::string>> missing = missingIn(requirement, schemes, scopes);
    return missing && missing->empty();
  });
}

std::vector<std::string> missingScopes(const std::vector<SecurityRequirement>& security,
                                       const std::vector<std::string>& schemes, const std::vector<std::string>& scopes) {
  std::optional<std::vector<std::string>> best;
  for (const SecurityRequirement& requirement : security) {
    std::optional<std::vector<std::string>> missing = missingIn(requirement, schemes, scopes);
    if (missing && (!best || missing->size() < best->size())) best = std::move(missing);
  }
  return best.value_or(std::vector<std::string>{});
}

std::optional<Problem> checkSecurity(const std::vector<SecurityRequirement>& security,
                                     const std::vector<std::string>& schemes, const std::vector<std::string>& scopes) {
  if (satisfiesSecurity(security, schemes, scopes)) return std::nullopt;
  // Some alternative has every one of its schemes: the caller is known, scopes are short.
  const bool authenticated = std::any_of(security.begin(), security.end(), [&](const SecurityRequirement& req) {
    return missingIn(req, schemes, scopes).has_value();
  });
  if (!authenticated) return makeProblem(401, code::kUnauthorized, "Valid credentials are required.");
  std::vector<std::string> missing = missingScopes(security, schemes, scopes);
  std::string list;
  for (const std::string& scope : missing) list += (list.empty() ? "" : ", ") + scope;
  Problem p = makeProblem(403, code::kForbidden, "Missing scopes: " + list + ".");
  p.extra = nlohmann::json{{"missing_scopes", missing}};
  return p;
}

}  // namespace tether::http
