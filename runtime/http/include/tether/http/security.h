// Checking an operation's `security` against what the authenticate hook established.
// OpenAPI semantics: the requirements are alternatives (any one suffices); inside one,
// every scheme must be present with every listed scope. No requirements, or an empty
// one ({}), means anonymous access is allowed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tether/http/problem.h"
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

// The answer an authenticate hook gives once it knows which schemes the credentials
// satisfy: nullopt when the security holds; 401 UNAUTHORIZED when no alternative has all
// of its schemes (no or unknown credentials); else 403 FORBIDDEN whose detail names the
// missing scopes (also in extra "missing_scopes"). The hook adds its WWW-Authenticate
// challenge to the problem's headers: only it knows the schemes' types.
std::optional<Problem> checkSecurity(const std::vector<SecurityRequirement>& security,
                                     const std::vector<std::string>& schemes, const std::vector<std::string>& scopes);

}  // namespace tether::http
