// The runtime evaluator of a compiled Program.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/schema/options.h"
#include "tether/schema/program.h"

namespace tether::schema {

// One error in the spec's "basic" output format.
struct OutputUnit {
  std::string instance_location;          // JSON pointer into the instance
  std::string keyword_location;           // JSON pointer through the schema, via $ref
  std::string absolute_keyword_location;  // absolute URI of the keyword
  std::string error;                      // a human-readable message
};

struct Result {
  bool valid = true;
  std::vector<OutputUnit> errors;

  // {"valid": bool, "errors": [{"instanceLocation", "keywordLocation",
  //  "absoluteKeywordLocation", "error"}...]}
  nlohmann::json toBasicOutput() const;
};

// Fast boolean mode: stops at the first error.
bool validate(const Program& program, const nlohmann::json& instance,
              const EvaluateOptions& options = {});

// Detailed mode: every error, in basic output format.
Result evaluate(const Program& program, const nlohmann::json& instance,
                const EvaluateOptions& options = {});

// The same, entering the Program at Block `entry` instead of its root (a Program compiled
// for several schemas, each entering at its own Block).
bool validateFrom(const Program& program, std::uint32_t entry, const nlohmann::json& instance,
                  const EvaluateOptions& options = {});
Result evaluateFrom(const Program& program, std::uint32_t entry, const nlohmann::json& instance,
                    const EvaluateOptions& options = {});

}  // namespace tether::schema
