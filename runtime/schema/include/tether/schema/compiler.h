// The schema compiler: JSON Schema (nlohmann::json) -> Program.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "tether/schema/options.h"
#include "tether/schema/program.h"
#include "tether/schema/registry.h"

namespace tether::schema {

// A schema that cannot be compiled: an unresolvable `$ref`, an invalid regex, a `$ref`
// loop without progress, a keyword of the wrong type. `keywordLocation()` names the
// offending keyword as an absolute location (base URI + JSON pointer).
class CompileError : public std::runtime_error {
 public:
  CompileError(const std::string& location, const std::string& message)
      : std::runtime_error(location + ": " + message), location_(location), message_(message) {}
  const std::string& keywordLocation() const { return location_; }
  const std::string& reason() const { return message_; }

 private:
  std::string location_;
  std::string message_;
};

// Compiles `schema` (which may reference documents held by `registry`). Throws CompileError.
Program compile(const nlohmann::json& schema, const Registry& registry,
                const CompileOptions& options = {});

// Same, with a registry holding only the embedded meta-schemas.
Program compile(const nlohmann::json& schema, const CompileOptions& options = {});

}  // namespace tether::schema
