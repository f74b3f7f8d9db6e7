// The JSON Schema Test Suite (draft2020-12 required) on validators generated as C++ by
// tether::emit and compiled into this binary. Both modes must give the expected result, and
// the detailed mode's basic output must be identical to the runtime engine's.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>

#include "generated_cases.h"
#include "suite_runner.h"
#include "support/shared_data.h"

namespace {

using namespace tether::schema;
using tether::validators::testing::GeneratedCase;
using tether::validators::testing::kGeneratedCaseCount;
using tether::validators::testing::kGeneratedCases;

TEST(GeneratedValidators, Draft2020_12Required) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  std::map<std::pair<std::string, int>, const GeneratedCase*> index;
  for (std::size_t i = 0; i < kGeneratedCaseCount; ++i)
    index[{kGeneratedCases[i].file, kGeneratedCases[i].index}] = &kGeneratedCases[i];

  Registry registry = tether::schema::testing::suiteRegistry(suite);
  int passed = 0, failed = 0, same_output = 0, different_output = 0;
  std::vector<std::string> failures;
  for (const auto& file : tether::schema::testing::suiteFiles(suite / "tests" / "draft2020-12")) {
    std::ifstream in(file);
    nlohmann::json cases = nlohmann::json::parse(in);
    for (std::size_t c = 0; c < cases.size(); ++c) {
      const std::string label = file.filename().string() + ": " + cases[c]["description"].get<std::string>();
      auto found = index.find(std::make_pair(file.filename().string(), static_cast<int>(c)));
      const GeneratedCase* generated = found == index.end() ? nullptr : found->second;
      std::optional<Program> program;
      try {
        program = compile(cases[c]["schema"], registry);
      } catch (const std::exception&) {
      }
      for (const auto& test : cases[c]["tests"]) {
        const bool expected = test["valid"].get<bool>();
        const std::string name = label + " / " + test["description"].get<std::string>();
        if (!generated || !generated->validate) {
          ++failed;
          failures.push_back(name + ": no generated validator" +
                             (generated && generated->error ? std::string(": ") + generated->error : ""));
          continue;
        }
        bool fast = generated->validate(test["data"], {});
        Result detailed;
        generated->evaluate(test["data"], detailed, {});
        if (fast == expected && detailed.valid == expected) {
          ++passed;
        } else {
          ++failed;
          failures.push_back(name + ": expected " + (expected ? "valid" : "invalid") + ", fast mode said " +
                             (fast ? "valid" : "invalid") + ", detailed mode said " +
                             (detailed.valid ? "valid" : "invalid"));
        }
        if (program) {
          nlohmann::json runtime = evaluate(*program, test["data"]).toBasicOutput();
          if (runtime == detailed.toBasicOutput()) {
            ++same_output;
          } else {
            ++different_output;
            failures.push_back(name + ": basic output differs from the runtime engine's:\n    generated " +
                               detailed.toBasicOutput().dump() + "\n    runtime   " + runtime.dump());
          }
        }
      }
    }
  }
  std::cout << "[generated draft2020-12 required] " << passed << " passed, " << failed << " failed" << std::endl;
  std::cout << "[generated basic output == runtime] " << same_output << " identical, " << different_output
            << " different" << std::endl;
  for (const auto& f : failures) std::cout << "  FAIL " << f << "\n";
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(passed, 1299);
  EXPECT_EQ(different_output, 0);
}

}  // namespace
