// The JSON Schema Test Suite on the runtime engine. Each part prints "N passed, N failed".
// Both the fast boolean mode and the detailed mode must agree with the expected result.
#include <gtest/gtest.h>

#include <iostream>

#include "suite_runner.h"
#include "support/shared_data.h"

namespace {

using namespace tether::schema;
using namespace tether::schema::testing;
namespace fs = std::filesystem;

SuiteCounts runDir(const fs::path& dir, const Registry& registry, const CompileOptions& options,
                   bool recurse_formats = false) {
  SuiteCounts counts;
  for (const auto& file : suiteFiles(dir)) runSuiteFile(file, registry, options, counts);
  if (recurse_formats) {
    CompileOptions assert_formats = options;
    assert_formats.format_assertion = true;  // optional/format assumes format assertion
    for (const auto& file : suiteFiles(dir / "format")) runSuiteFile(file, registry, assert_formats, counts);
  }
  return counts;
}

void report(const std::string& part, const SuiteCounts& counts) {
  std::cout << "[" << part << "] " << counts.passed << " passed, " << counts.failed << " failed" << std::endl;
  for (const auto& f : counts.failures) std::cout << "  FAIL " << f << "\n";
}

TEST(JsonSchemaSuite, Draft2020_12Required) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = suiteRegistry(suite);
  SuiteCounts counts = runDir(suite / "tests" / "draft2020-12", registry, {});
  report("draft2020-12 required", counts);
  EXPECT_EQ(counts.failed, 0);
  EXPECT_EQ(counts.passed, 1299);
}

TEST(JsonSchemaSuite, Draft7Required) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = suiteRegistry(suite);
  CompileOptions options;
  options.default_dialect = Dialect::Draft7;
  SuiteCounts counts = runDir(suite / "tests" / "draft7", registry, options);
  report("draft7 required", counts);
  EXPECT_EQ(counts.failed, 0);
  EXPECT_EQ(counts.passed, 927);
}

// Optional tests: reported, with the 95% target asserted over the whole optional part.
TEST(JsonSchemaSuite, Draft2020_12Optional) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = suiteRegistry(suite);
  SuiteCounts counts = runDir(suite / "tests" / "draft2020-12" / "optional", registry, {}, true);
  report("draft2020-12 optional (formats included)", counts);
  EXPECT_GE(counts.passed * 100, (counts.passed + counts.failed) * 95);
}

TEST(JsonSchemaSuite, Draft7Optional) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = suiteRegistry(suite);
  CompileOptions options;
  options.default_dialect = Dialect::Draft7;
  SuiteCounts counts = runDir(suite / "tests" / "draft7" / "optional", registry, options, true);
  report("draft7 optional (formats included)", counts);
  EXPECT_GE(counts.passed * 100, (counts.passed + counts.failed) * 95);
}

// The lenient reading of patterns that generated code uses (identity escapes, the idioms
// of other regex dialects, patterns left out when nothing reads them) changes nothing on
// the suite's pattern cases, ECMA-262's own regex tests among them.
TEST(JsonSchemaSuite, LenientPatternsDoNotRegressThePatternCases) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = suiteRegistry(suite);
  const fs::path dir = suite / "tests" / "draft2020-12";
  CompileOptions lenient;
  lenient.lenient_patterns = true;
  lenient.skip_invalid_patterns = true;
  SuiteCounts strictCounts, lenientCounts;
  for (const fs::path& file : {dir / "pattern.json", dir / "patternProperties.json", dir / "optional" / "ecmascript-regex.json"}) {
    ASSERT_TRUE(fs::exists(file)) << file;
    runSuiteFile(file, registry, {}, strictCounts);
    runSuiteFile(file, registry, lenient, lenientCounts);
  }
  report("pattern cases, strict", strictCounts);
  report("pattern cases, lenient", lenientCounts);
  EXPECT_GT(strictCounts.passed, 100);
  EXPECT_EQ(lenientCounts.passed, strictCounts.passed);
  EXPECT_EQ(lenientCounts.failed, strictCounts.failed);
}

}  // namespace
