// The index of validators generated for the JSON Schema Test Suite at build time (written by
// tether_validator_suite_gen into the build folder as suite_index.cpp).
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "tether/schema/evaluator.h"
#include "tether/schema/options.h"

namespace tether::validators::testing {

struct GeneratedCase {
  const char* file;  // the suite file name, e.g. "allOf.json"
  int index;         // the case's index in that file
  // nullptr when the schema did not compile (then the error is in `error`)
  bool (*validate)(const nlohmann::json&, const tether::schema::EvaluateOptions&);
  void (*evaluate)(const nlohmann::json&, tether::schema::Result&, const tether::schema::EvaluateOptions&);
  const char* error;
};

extern const GeneratedCase kGeneratedCases[];
extern const std::size_t kGeneratedCaseCount;

}  // namespace tether::validators::testing
