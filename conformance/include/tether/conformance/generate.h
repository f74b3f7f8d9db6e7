// Checks generated from the spec alone: requests built from examples, negative data that
// must be rejected, missing and invalid credentials, an undocumented method, boundary
// values, and stateful sequences (use after delete, cross-tenant access, OpenAPI links)
// whose resources are created by a chain of POSTs the generator infers from the spec.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/conformance/checker.h"
#include "tether/conformance/suite.h"

namespace tether::conformance {

struct GenerateOptions {
  std::uint64_t seed = 1;
  bool readOnly = false;  // only safe methods
  bool examples = true;
  bool negative = true;
  bool auth = true;
  bool methods = true;
  // Valid boundary values (lengths, ranges, enum values, formats) that must not be
  // rejected (kind "boundary"), and the values just outside (kind "negative").
  bool boundary = true;
  bool useAfterDelete = true;  // create, read, delete, read again: 404 or 410
  bool links = true;           // create, then follow each OpenAPI link of the response
  // Cross-tenant access: requests sent with the second credential (RunOptions
  // client.token2) to a resource made with the first must answer 403 or 404.
  bool bola = false;
};

// A check the generator could not build for an operation, and why (for the report).
struct NotGenerated {
  std::string check;      // "use-after-delete", "bola", "links"
  std::string operation;  // operationId
  std::string reason;
};

std::vector<Case> generateCases(const Contract& contract, const GenerateOptions& options,
                                std::vector<NotGenerated>* notGenerated = nullptr);

// A value that should validate against `type` (examples first, else built from the
// schema). readOnly properties are left out.
nlohmann::json sampleValue(const Contract& contract, ir::TypeId type);

}  // namespace tether::conformance
