// What examples_test.cpp (compiled once) needs from one spec's generated code: each spec's
// test executable links the driver with its own examples_glue.cpp, compiled with that
// spec's generated headers and names (see CMakeLists.txt). Keeping the driver free of the
// generated headers is what lets it compile once for every spec.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tether/schema/options.h"

namespace tether::examples {

using Reserialize = bool (*)(std::string_view schemaName, const nlohmann::json& in, nlohmann::json& out,
                             std::string& error);
using GeneratedValidator = bool (*)(const nlohmann::json&, const schema::EvaluateOptions&);

struct SpecUnderTest {
  const char* spec;   // under ../shared/data when `shared`, else under the project
  bool shared;
  const char* known;  // examples_known/<spec>.txt
  // The generated catalog's reserialize(); nullptr when the build was configured without
  // the spec (../shared absent).
  Reserialize reserialize;
  // validate_<cppName> for every validator the spec has.
  const std::map<std::string, GeneratedValidator, std::less<>>* validators;
};

// Defined by examples_glue.cpp, once per spec's executable.
const SpecUnderTest& specUnderTest();

}  // namespace tether::examples
