// Throughput of the runtime engine: for each case file ({"name", "schema", "instances"}),
// compile once, then validate every instance in a loop for at least --seconds, and print
// one JSON line: {"case", "engine", "instances_per_second", "results"}. `results` (valid or
// not per instance) lets run.sh check that tether and ajv agree on what they measured.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tether/schema/schema.h"

int main(int argc, char** argv) {
  double seconds = 1.0;
  bool each = false;  // --each: also print the time of every instance (for profiling)
  long rounds = 0;    // --rounds N: a fixed amount of work instead of a time (for callgrind)
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else if (arg == "--each") each = true;
    else if (arg == "--rounds" && i + 1 < argc) rounds = std::atol(argv[++i]);
    else files.push_back(arg);
  }
  for (const std::string& file : files) {
    std::ifstream in(file);
    nlohmann::json bench_case = nlohmann::json::parse(in);
    tether::schema::CompileOptions options;
    options.format_assertion = true;  // ajv runs with ajv-formats: both assert formats
    auto program = tether::schema::compile(bench_case["schema"], options);
    const auto& instances = bench_case["instances"];
    nlohmann::json results = nlohmann::json::array();
    for (const auto& instance : instances) results.push_back(tether::schema::validate(program, instance));

    using clock = std::chrono::steady_clock;
    if (each) {
      for (std::size_t i = 0; i < instances.size(); ++i) {
        constexpr int kRounds = 200000;
        std::size_t hits = 0;
        auto t0 = clock::now();
        for (int r = 0; r < kRounds; ++r) hits += tether::schema::validate(program, instances[i]);
        double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count() / kRounds;
        std::cerr << bench_case["name"].get<std::string>().substr(0, 20) << " " << i << " "
                  << (hits != 0) << " " << ns << " ns\n";
      }
    }
    std::size_t validated = 0;
    std::size_t valid = 0;
    if (rounds > 0) {
      for (long r = 0; r < rounds; ++r)
        for (const auto& instance : instances) valid += tether::schema::validate(program, instance);
      std::cout << nlohmann::json{{"case", bench_case["name"]}, {"checksum", valid}}.dump() << std::endl;
      continue;
    }
    auto start = clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - start).count(); };
    while (elapsed() < seconds) {
      for (int round = 0; round < 100; ++round)
        for (const auto& instance : instances) valid += tether::schema::validate(program, instance);
      validated += 100 * instances.size();
    }
    double rate = static_cast<double>(validated) / elapsed();
    nlohmann::json line = {{"case", bench_case["name"]},
                           {"engine", "tether"},
                           {"instances_per_second", rate},
                           {"results", results},
                           {"checksum", valid}};
    std::cout << line.dump() << std::endl;
  }
  return 0;
}
