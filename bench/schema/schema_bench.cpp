// Throughput of the runtime engine, of the generated validators and of valijson (draft 7,
// the Debian package; the schema converted by draft7.h, or skipped with the reason when it
// needs 2020-12 keywords): for each case file
// ({"name", "schema", "instances"}), compile once, then validate every instance in a loop
// for at least --seconds, and print one JSON line per engine:
// {"case", "engine", "instances_per_second", "results"}. `results` (valid or not per
// instance) lets run.sh check that every engine agrees on what it measured.
//
//   --each        also print the time of every instance (stderr; for profiling)
//   --rounds N    a fixed amount of work instead of a time, runtime engine only (callgrind);
//                 with --generated, the generated validators only
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "bench_index.h"
#include "draft7.h"
#include "tether/schema/schema.h"

namespace {

using Clock = std::chrono::steady_clock;

template <typename Validate>
void measure(const nlohmann::json& bench_case, const char* engine, const Validate& validate, double seconds,
             bool each) {
  const auto& instances = bench_case["instances"];
  nlohmann::json results = nlohmann::json::array();
  for (const auto& instance : instances) results.push_back(validate(instance));
  if (each) {
    for (std::size_t i = 0; i < instances.size(); ++i) {
      constexpr int kRounds = 200000;
      std::size_t hits = 0;
      auto t0 = Clock::now();
      for (int r = 0; r < kRounds; ++r) hits += validate(instances[i]);
      double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / kRounds;
      std::cerr << engine << " " << bench_case["name"].get<std::string>().substr(0, 20) << " " << i << " "
                << (hits != 0) << " " << ns << " ns\n";
    }
  }
  std::size_t validated = 0;
  std::size_t valid = 0;
  auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  while (elapsed() < seconds) {
    for (int round = 0; round < 100; ++round)
      for (const auto& instance : instances) valid += validate(instance);
    validated += 100 * instances.size();
  }
  double rate = static_cast<double>(validated) / elapsed();
  nlohmann::json line = {{"case", bench_case["name"]},
                         {"engine", engine},
                         {"instances_per_second", rate},
                         {"results", results},
                         {"checksum", valid}};
  std::cout << line.dump() << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0;
  bool each = false;
  long rounds = 0;
  bool generated_only = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (arg == "--each") each = true;
    else if (arg == "--rounds" && i + 1 < argc) rounds = std::atol(argv[++i]);
    else if (arg == "--generated") generated_only = true;
    else files.push_back(arg);
  }
  for (const std::string& file : files) {
    std::ifstream in(file);
    nlohmann::json bench_case = nlohmann::json::parse(in);
    tether::schema::CompileOptions options;
    options.format_assertion = true;  // ajv runs with ajv-formats: every engine asserts formats
    auto program = tether::schema::compile(bench_case["schema"], options);
    const auto& instances = bench_case["instances"];
    if (rounds > 0) {
      std::size_t valid = 0;
      const GeneratedValidator* g = kGeneratedValidators;
      while (g->case_name && bench_case["name"] != g->case_name) ++g;
      for (long r = 0; r < rounds; ++r)
        for (const auto& instance : instances)
          valid += generated_only && g->validate ? g->validate(instance, {}) : tether::schema::validate(program, instance);
      std::cout << nlohmann::json{{"case", bench_case["name"]}, {"checksum", valid}}.dump() << std::endl;
      continue;
    }
    measure(bench_case, "tether", [&](const nlohmann::json& v) { return tether::schema::validate(program, v); },
            seconds, each);
    for (const GeneratedValidator* g = kGeneratedValidators; g->case_name; ++g) {
      if (bench_case["name"] != g->case_name) continue;
      auto validate = g->validate;
      measure(bench_case, "generated", [validate](const nlohmann::json& v) { return validate(v, {}); }, seconds,
              each);
    }
    // valijson: one parsed schema and one Validator (its regex cache) for the whole run.
    bench::Draft7Converter converter;
    auto draft7 = converter.convert(bench_case["schema"]);
    if (!draft7) {
      std::cout << nlohmann::json{{"case", bench_case["name"]}, {"engine", "valijson"}, {"unsupported", converter.reason()}}
                       .dump()
                << std::endl;
      continue;
    }
    valijson::Schema vschema;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(*draft7);
    parser.populateSchema(schema_adapter, vschema);
    valijson::Validator validator;
    measure(
        bench_case, "valijson",
        [&](const nlohmann::json& v) {
          valijson::adapters::NlohmannJsonAdapter adapter(v);
          return validator.validate(vschema, adapter, nullptr);
        },
        seconds, each);
  }
  return 0;
}
