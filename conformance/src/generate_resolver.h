// Which operation creates the resource a path parameter names, and the chain of creations
// an operation needs before it can be called with real ids (internal to the library).
//
// A producer of parameter `x` is a POST found, in this order of trust:
//  1. an OpenAPI link of its 2xx response that fills `x` from `$response.body#/...`;
//  2. the path structure: POST /a/b and an operation on /a/b/{x};
//  3. the parameter's name: `serviceId`, `service_id` -> a POST on a collection whose last
//     segment is `services` (or ends so: `storageAccessKeyId` -> `.../access-keys`).
// A POST that needs `x` itself (POST /keys/{keyId}/rotate) never produces `x`.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "generate_internal.h"

namespace tether::conformance::detail {

struct Producer {
  const ir::Operation* create = nullptr;
  std::string pointer;  // JSON Pointer of the id in the creation's response body
  std::string how;      // "link", "path" or "name" (for reports)
};

// The creation steps of a case and their teardown (reverse order).
struct Chain {
  std::vector<Step> create;
  std::vector<Step> teardown;
  std::set<std::string> variables;  // path parameter names with a captured value
};

class Resolver {
 public:
  explicit Resolver(const Contract& contract);

  // The producer of `param` for an operation on `context` (a path template): of several
  // ({key} of /environments/{id}/variables and of /services/{id}/env-vars), the one whose
  // collection shares the longest prefix with `context`.
  const Producer* producerOf(const std::string& param, const std::string& context = {}) const;
  // Every producer of `param`.
  const std::vector<Producer>& producersOf(const std::string& param) const;
  // The DELETE operation of the resource `param` names (last path segment `{param}`).
  const ir::Operation* deleterOf(const std::string& param) const;
  // Adds to `chain` the creations that give every path parameter of `op` a value (variables
  // named after the parameters), and their deletions to its teardown. On failure returns the
  // reason and leaves `chain` as it was.
  std::optional<std::string> resolve(const ir::Operation& op, Chain& chain) const;
  // Also points the id-like members of `request`'s JSON body (project_id, bucket_ids, at
  // any depth) at resources the chain creates, when their producer is known; members whose
  // producer is unknown or fails to resolve keep their sample value.
  void resolveBodyReferences(nlohmann::json& request, Chain& chain) const;
  // A creation request for `create` with path parameters from variables and names made
  // unique (a run creates many resources of each kind).
  nlohmann::json creationRequest(const ir::Operation& create) const;

 private:
  std::optional<std::string> produce(const std::string& param, const std::string& context, Chain& chain,
                                     std::set<std::string>& visiting, int depth) const;
  void referTo(nlohmann::json& value, const std::string& context, Chain& chain, std::set<std::string>& visiting,
               int depth) const;
  // The path parameter an id-like body member names ("project_id" -> "projectId").
  const std::string* parameterFor(const std::string& member) const;
  bool returnsPointer(const ir::Operation& create, const std::string& pointer) const;
  void uniquify(nlohmann::json& body, const ir::Operation& create) const;

  const Contract& contract_;
  std::map<std::string, std::vector<Producer>> producers_;
  mutable int serial_ = 0;  // suffix of unique names
};

// Path parameter names of a template, in order ("/a/{x}/b/{y}" -> x, y).
std::vector<std::string> pathParameters(const std::string& pathTemplate);

// The generators that need real resources; one resolver is shared so that the names it
// makes unique stay unique across all cases.
std::vector<Case> generateBoundaryCases(const Contract& contract, const GenerateOptions& options,
                                        const Resolver& resolver);
std::vector<Case> generateStatefulCases(const Contract& contract, const GenerateOptions& options,
                                        const Resolver& resolver, std::vector<NotGenerated>& notGenerated);

}  // namespace tether::conformance::detail
