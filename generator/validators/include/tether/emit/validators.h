// The generated back end of the schema compiler: C++ validation code emitted from a
// compiled tether::schema::Program. The Program is embedded (as text, read once at first
// use) and run by the runtime evaluator for the detailed mode and for the cold keywords of
// the fast mode; the fast mode's hot path (types, object walks with a switch on the
// property names, required names, items, $ref) is one generated function per Block. The
// code links tether::schema and exposes, per schema <name>:
//
//   bool validate_<name>(const nlohmann::json&, const tether::schema::EvaluateOptions& = {});
//   void evaluate_<name>(const nlohmann::json&, tether::schema::Result&,
//                        const tether::schema::EvaluateOptions& = {});
//
// validate_ is the fast boolean mode; evaluate_ reports every error in the basic output
// format, identical to tether::schema::evaluate() on the same Program. Text is written by
// tether::emit::Printer, indented, and deterministic.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "tether/schema/program.h"

namespace tether::emit {

struct ValidatorSchema {
  std::string name;                                  // a C++ identifier: validate_<name>
  const tether::schema::Program* program = nullptr;  // compiled by tether::schema::compile
  std::string origin;                                // where the schema came from (comment)
  // The Block validate_<name> starts at; kNone: the program's root. Several schemas may
  // share one Program (adjacent in the span given to emitValidatorSource), each entering
  // at its own Block: their common subschemas are then emitted once, not once per schema.
  std::uint32_t entry = tether::schema::kNone;
};

struct ValidatorEmitOptions {
  std::string cpp_namespace = "tether_validators";
  std::string source = "a JSON Schema";  // named in the "generated" header comment
  std::string header;                    // when set, the .cpp includes this header first
  bool format = true;                    // run clang-format (when found) on the output
};

// One translation unit defining the validators of `schemas`; adjacent schemas with the same
// Program share its code.
std::string emitValidatorSource(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options);

// `parts` translation units defining the validators of `schemas` (adjacent schemas with the
// same Program share its code): each Program's Block functions are split between the units,
// balanced by size, so that a Program shared by every schema of a spec is emitted once.
std::vector<std::string> emitValidatorSources(std::span<const ValidatorSchema> schemas,
                                              const ValidatorEmitOptions& options, std::size_t parts);

// The header declaring them.
std::string emitValidatorHeader(std::span<const ValidatorSchema> schemas, const ValidatorEmitOptions& options);

// Formats C++ text with clang-format (TETHER_CLANG_FORMAT or clang-format on PATH) and the
// style in templates/validators/.clang-format; returns `code` unchanged without it.
std::string formatCpp(const std::string& code);

// The tether version stamped into generated files.
const char* emitterVersion();

}  // namespace tether::emit
