// Times load + IR of each spec given, in-process, and prints one JSON line per spec:
// {"spec": ..., "bytes": ..., "files": ..., "operations": ..., "load_ms": median, "ir_ms": median}.
// Not a test: run.sh compares these figures with the peer's in the same run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "tether/ir/builder.h"
#include "tether/load/loader.h"

namespace {

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  std::vector<std::string> specs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::stoi(argv[++i]);
    } else {
      specs.push_back(arg);
    }
  }
  using Clock = std::chrono::steady_clock;
  for (const std::string& path : specs) {
    std::vector<double> loadMs;
    std::vector<double> irMs;
    std::size_t operations = 0;
    std::uintmax_t bytes = 0;
    std::size_t files = 0;
    for (int run = 0; run < runs; ++run) {
      auto start = Clock::now();
      tether::load::LoadedSpec spec = tether::load::loadSpec(path);
      auto loaded = Clock::now();
      tether::ir::Api api = tether::ir::build(spec);
      auto built = Clock::now();
      if (spec.diagnostics.hasErrors()) {
        std::cerr << path << ": does not load cleanly\n";
        return 1;
      }
      loadMs.push_back(std::chrono::duration<double, std::milli>(loaded - start).count());
      irMs.push_back(std::chrono::duration<double, std::milli>(built - loaded).count());
      operations = api.operations.size();
      files = spec.sources.size();
      bytes = 0;
      for (std::size_t f = 0; f < spec.sources.size(); ++f) bytes += std::filesystem::file_size(spec.sources.at(static_cast<std::uint32_t>(f)).path);
    }
    std::printf("{\"spec\": \"%s\", \"bytes\": %ju, \"files\": %zu, \"operations\": %zu, \"load_ms\": %.2f, \"ir_ms\": %.2f}\n",
                path.c_str(), bytes, files, operations, median(loadMs), median(irMs));
  }
  return 0;
}
