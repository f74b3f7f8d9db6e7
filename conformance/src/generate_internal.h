// Helpers shared by the generators (generate.cpp: examples, negative data, auth, 405;
// generate_boundary.cpp; generate_stateful.cpp). Internal to the library.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/conformance/checker.h"
#include "tether/conformance/generate.h"
#include "tether/conformance/suite.h"

namespace tether::conformance::detail {

using OJson = nlohmann::ordered_json;

std::string upper(std::string s);
// The operation's security has no anonymous alternative.
bool needsAuth(const ir::Operation& op);
// The first JSON (application/json or +json) request body of `op`, or nullptr.
const ir::MediaType* jsonBody(const ir::Operation& op);
// The schema of a type with a leading $ref to a named schema resolved (one level).
const OJson& resolvedSchema(const Contract& contract, ir::TypeId type);
// "object", "string", ... (the first non-null type), or "" when the schema has none.
std::string schemaType(const OJson& schema);
// A valid request for `op` as a step request object: examples first, else values from
// the schemas. Path parameters are in "params", required query and header parameters in
// "query"/"headers", a JSON body in "json".
nlohmann::json baseRequest(const Contract& contract, const ir::Operation& op);
// A case of one step for `op`, named "<kind>: <operation> (<what>)".
Case singleStepCase(const std::string& kind, const ir::Operation& op, const std::string& what,
                    nlohmann::json request, Expectation expect);
// Every status `op` documents, as expectation patterns, without the `excluded` ones: a
// documented range ("4XX", "default") is spelled out as its codes minus the excluded.
std::vector<std::string> documentedStatusesExcept(const ir::Operation& op, const std::set<int>& excluded);

}  // namespace tether::conformance::detail
