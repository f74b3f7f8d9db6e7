// Runs files of the JSON Schema Test Suite against the runtime engine and counts results.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tether/schema/schema.h"

namespace tether::schema::testing {

struct SuiteCounts {
  int passed = 0;
  int failed = 0;
  std::vector<std::string> failures;  // "file: case / test: reason"
};

// A registry holding the embedded meta-schemas plus the suite's remotes/ mapped to
// http://localhost:1234/ (read from disk, never fetched).
Registry suiteRegistry(const std::filesystem::path& suite_root);

// The .json files directly inside `dir`, sorted.
std::vector<std::filesystem::path> suiteFiles(const std::filesystem::path& dir);

// Runs every case of `file`; each test is one count.
void runSuiteFile(const std::filesystem::path& file, const Registry& registry,
                  const CompileOptions& options, SuiteCounts& counts);

}  // namespace tether::schema::testing
