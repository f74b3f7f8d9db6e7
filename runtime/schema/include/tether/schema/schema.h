// Umbrella header for the runtime JSON Schema engine.
//
//   tether::schema::Registry registry;               // holds the meta-schemas
//   registry.add("https://example.com/pet.json", petDocument);
//   auto program = tether::schema::compile(schema, registry);   // throws CompileError
//   bool ok = tether::schema::validate(program, instance);      // fast, first error
//   auto result = tether::schema::evaluate(program, instance,   // every error
//                                          {.direction = tether::schema::Direction::Request});
//   nlohmann::json basic = result.toBasicOutput();
#pragma once

#include "tether/schema/compiler.h"
#include "tether/schema/evaluator.h"
#include "tether/schema/options.h"
#include "tether/schema/program.h"
#include "tether/schema/regex.h"
#include "tether/schema/registry.h"
