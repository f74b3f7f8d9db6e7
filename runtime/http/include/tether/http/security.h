// Checking an operation's `security` against what the authenticate hook established.
// OpenAPI semantics: the requirements are alternatives (any one suffices); inside one,
// every scheme must be present with every listed scope. No requirements, or an empty
// one ({}), means anonymous access is allowed.
#pragma once

#include <string>
#include <vector>

#include "tether/http/router.h"

namespace tether::http {

// `schemes`: the security schemes the request's credentials satisfy (e.g. {"bearer"});
// `scopes`: the scopes granted to them.
bool satisfiesSecurity(const std::vector<SecurityRequirement>& security, const std::vector<std::string>& schemes,
                       const std::vector<std::string>& scopes);

// The scopes of the alternative closest to being satisfied that are missing, for a 403
// detail ("needs pets:write"); empty when the security is satisfied.
std::vector<std::string> missingScopes(const std::vector<SecurityRequirement>& security,
                                       const std::vector<std::string>& schemes, const std::vector<std::string>& scopes);

}  // namespace tether::http
