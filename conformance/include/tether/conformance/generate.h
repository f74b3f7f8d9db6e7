// Checks generated from the spec alone: requests built from examples, negative data that
// must be rejected, missing and invalid credentials, and an undocumented method.
#pragma once

#include <cstdint>
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
};

std::vector<Case> generateCases(const Contract& contract, const GenerateOptions& options);

// A value that should validate against `type` (examples first, else built from the
// schema). readOnly properties are left out.
nlohmann::json sampleValue(const Contract& contract, ir::TypeId type);

}  // namespace tether::conformance
