// Validators generated for the benchmark cases (bench_index.cpp is written at build time by
// tether_schema_bench_gen), keyed by the case's "name". Ends with a null entry.
#pragma once

#include <nlohmann/json.hpp>

#include "tether/schema/evaluator.h"
#include "tether/schema/options.h"

struct GeneratedValidator {
  const char* case_name;
  bool (*validate)(const nlohmann::json&, const tether::schema::EvaluateOptions&);
  void (*evaluate)(const nlohmann::json&, tether::schema::Result&, const tether::schema::EvaluateOptions&);
};

extern const GeneratedValidator kGeneratedValidators[];
