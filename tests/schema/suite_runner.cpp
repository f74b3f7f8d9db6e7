#include "suite_runner.h"

#include <algorithm>
#include <fstream>

namespace tether::schema::testing {

namespace fs = std::filesystem;

Registry suiteRegistry(const fs::path& suite_root) {
  Registry registry;
  fs::path remotes = suite_root / "remotes";
  for (auto& entry : fs::recursive_directory_iterator(remotes)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    std::string relative = fs::relative(entry.path(), remotes).generic_string();
    registry.add("http://localhost:1234/" + relative, nlohmann::json::parse(in));
  }
  return registry;
}

std::vector<fs::path> suiteFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

void runSuiteFile(const fs::path& file, const Registry& registry, const CompileOptions& options,
                  SuiteCounts& counts) {
  std::ifstream in(file);
  nlohmann::json cases = nlohmann::json::parse(in);
  for (const auto& test_case : cases) {
    const std::string label = file.filename().string() + ": " + test_case["description"].get<std::string>();
    std::optional<Program> program;
    std::string compile_error;
    try {
      program = compile(test_case["schema"], registry, options);
    } catch (const std::exception& e) {
      compile_error = e.what();
    }
    for (const auto& test : test_case["tests"]) {
      const bool expected = test["valid"].get<bool>();
      const std::string name = label + " / " + test["description"].get<std::string>();
      if (!program) {
        ++counts.failed;
        counts.failures.push_back(name + ": compile error: " + compile_error);
        continue;
      }
      bool fast = validate(*program, test["data"]);
      Result detailed = evaluate(*program, test["data"]);
      if (fast == expected && detailed.valid == expected) {
        ++counts.passed;
      } else {
        ++counts.failed;
        counts.failures.push_back(name + ": expected " + (expected ? "valid" : "invalid") + ", fast mode said " +
                                  (fast ? "valid" : "invalid") + ", detailed mode said " +
                                  (detailed.valid ? "valid" : "invalid"));
      }
    }
  }
}

}  // namespace tether::schema::testing
