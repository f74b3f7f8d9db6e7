// libFuzzer target: input = "<schema JSON>\n<instance JSON>". Compiles the schema (only
// CompileError may escape the compiler), evaluates the instance in both modes, and checks
// that the fast boolean mode and the detailed mode agree.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target tether_schema_fuzzer
//   ./build/fuzz/fuzz/schema/tether_schema_fuzzer fuzz/schema/corpus -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tether/schema/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  auto schema = nlohmann::json::parse(input.substr(0, newline), nullptr, false);
  auto instance = nlohmann::json::parse(input.substr(newline + 1), nullptr, false);
  if (schema.is_discarded() || instance.is_discarded()) return 0;

  static const tether::schema::Registry registry;
  tether::schema::CompileOptions compile_options;
  compile_options.max_schema_depth = 256;
  compile_options.format_assertion = (size % 2) == 0;
  tether::schema::Program program;
  try {
    program = tether::schema::compile(schema, registry, compile_options);
  } catch (const tether::schema::CompileError&) {
    return 0;
  }
  tether::schema::EvaluateOptions options;
  options.max_depth = 256;
  options.direction = static_cast<tether::schema::Direction>(size % 3);
  bool fast = tether::schema::validate(program, instance, options);
  auto detailed = tether::schema::evaluate(program, instance, options);
  if (fast != detailed.valid) std::abort();  // the two modes must never disagree
  if (!detailed.valid && detailed.errors.empty()) std::abort();
  (void)detailed.toBasicOutput();
  return 0;
}
