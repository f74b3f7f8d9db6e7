// The contract (a spec compiled for checking) and the response checker.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/conformance/http.h"
#include "tether/ir/model.h"
#include "tether/schema/schema.h"

namespace tether::conformance {

// One contract violation (or a failed expectation).
struct Finding {
  std::string check;          // "status-documented", "response-schema", ...
  std::string operation;      // operationId, or "METHOD /path"
  std::string message;        // one sentence
  std::string schemaPath;     // keyword location, when a schema failed
  std::string instancePointer;  // JSON Pointer into the body, when a schema failed
  std::string curl;           // one-line reproduction
  Request request;
  Response response;

  nlohmann::json toJson() const;
  std::string format() const;  // multi-line text for terminals
};

struct CheckOptions {
  // Error bodies must be application/problem+json when the spec uses it (usesProblemJson).
  bool requireProblemJson = true;
  std::size_t maxSchemaErrors = 5;
};

// The spec loaded, turned into IR, with every type's schema compiled once. Thread-safe
// for concurrent checks after construction.
class Contract {
 public:
  // Throws std::runtime_error with the formatted diagnostics when the spec has errors.
  static std::shared_ptr<Contract> load(const std::string& specPath);
  explicit Contract(ir::Api api);

  const ir::Api& api() const { return api_; }
  // The compiled schema of a type, or nullptr when it did not compile.
  const schema::Program* program(ir::TypeId id) const;
  // The operation for a concrete method and path ("/pets/12"), or nullptr.
  const ir::Operation* match(const std::string& method, const std::string& path) const;
  const ir::Operation* byId(const std::string& operationId) const;
  // Methods the spec documents on the path template of `op` (upper case, sorted).
  std::vector<std::string> methodsOf(const std::string& pathTemplate) const;
  const std::vector<std::string>& warnings() const { return warnings_; }
  // Whether some response documents application/problem+json: then that is the API's
  // error convention, and every error body is held to it (check problem-json).
  bool usesProblemJson() const { return usesProblemJson_; }

 private:
  ir::Api api_;
  // Indexed by type id (dense): looked up for every checked body and header.
  std::vector<std::unique_ptr<schema::Program>> programs_;
  bool usesProblemJson_ = false;
  std::vector<std::string> warnings_;
};

std::string operationName(const ir::Operation& op);

// The documented response for a status: exact, then range ("4XX"), then "default".
const ir::Response* documentedResponse(const ir::Operation& op, int status);

// Checks one response of `op` against the contract. `baseUrl` is used for the curl line.
std::vector<Finding> checkResponse(const Contract& contract, const ir::Operation& op,
                                   const Request& request, const Response& response,
                                   const std::string& baseUrl, const CheckOptions& options = {});

// Validates a JSON value against a type (for headers and request data).
schema::Result validateValue(const Contract& contract, ir::TypeId type, const nlohmann::json& value,
                             schema::Direction direction);

}  // namespace tether::conformance
