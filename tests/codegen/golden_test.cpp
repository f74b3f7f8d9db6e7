// Golden-file tests of the emitters: each spec in specs/ is compiled (models for the model
// features; server stubs, client bindings and validators for the operation features:
// parameter styles, bodies, responses) and the output compared byte for byte with
// golden/<spec>/. TETHER_UPDATE_GOLDEN=1 rewrites
// the golden files instead (then review the diff). See README.md.
//
// The output is taken unformatted (CodegenOptions::format = false): clang-format's output
// changes between its versions, and the golden files must not depend on which one the
// machine has. Formatting is a separate pass over this text.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tether/codegen/client.h"
#include "tether/codegen/models.h"
#include "tether/codegen/server.h"
#include "tether/codegen/validators.h"
#include "tether/ir/builder.h"
#include "tether/load/loader.h"

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = TETHER_CODEGEN_DIR;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool updating() {
  const char* update = std::getenv("TETHER_UPDATE_GOLDEN");
  return update != nullptr && std::string(update) == "1";
}

// The first line where two texts differ, for a readable failure.
std::string firstDifference(const std::string& expected, const std::string& actual) {
  std::istringstream a(expected), b(actual);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ga = static_cast<bool>(std::getline(a, la)), gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb) return "(texts differ only in the final newline)";
    if (!ga || !gb || la != lb) {
      return "line " + std::to_string(line) + ":\n  golden: " + (ga ? la : "<end>") + "\n  actual: " + (gb ? lb : "<end>");
    }
  }
}

// Renders specs/<name>.yaml with `operations` (server, client and validators too) and
// compares every file with golden/<name>/ (or rewrites them).
void checkGolden(const std::string& name, bool operations) {
  // Loaded from tests/codegen so that the origins the validators name (file#pointer) do not
  // depend on where the test runs.
  fs::current_path(kRoot);
  const fs::path spec = fs::path("specs") / (name + ".yaml");
  tether::load::LoadedSpec loaded = tether::load::loadSpec(spec);
  ASSERT_FALSE(loaded.diagnostics.hasErrors()) << spec << " does not load cleanly";
  tether::ir::Api api = tether::ir::build(loaded);

  tether::codegen::CodegenOptions options;
  options.cppNamespace = name;
  options.source = "tests/codegen/specs/" + name + ".yaml";
  options.format = false;
  options.parts = 1;
  tether::codegen::GeneratedFiles files = tether::codegen::emitModels(api, options);
  if (operations) {
    using Emit = tether::codegen::GeneratedFiles (*)(const tether::ir::Api&, const tether::codegen::CodegenOptions&);
    for (Emit emit : {Emit(&tether::codegen::emitServer), Emit(&tether::codegen::emitClient),
                      Emit(&tether::codegen::emitValidators)}) {
      tether::codegen::GeneratedFiles more = emit(api, options);
      files.insert(files.end(), more.begin(), more.end());
    }
  }

  const fs::path golden = kRoot / "golden" / name;
  std::set<std::string> produced;
  for (const tether::codegen::GeneratedFile& file : files) {
    produced.insert(file.path);
    const fs::path path = golden / file.path;
    if (updating()) {
      fs::create_directories(path.parent_path());
      std::ofstream(path, std::ios::binary | std::ios::trunc) << file.text;
      continue;
    }
    ASSERT_TRUE(fs::exists(path)) << path << " is missing; run with TETHER_UPDATE_GOLDEN=1";
    std::string expected = readFile(path);
    EXPECT_TRUE(expected == file.text) << path << " differs, " << firstDifference(expected, file.text);
  }
  // A golden file the emitter no longer writes is stale.
  if (fs::exists(golden)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(golden)) {
      std::string file = entry.path().filename().string();
      if (produced.count(file) != 0) continue;
      if (updating()) {
        fs::remove(entry.path());
      } else {
        ADD_FAILURE() << entry.path() << " is not written by the emitter any more";
      }
    }
  }
}

class ModelsGolden : public ::testing::TestWithParam<std::string> {};
TEST_P(ModelsGolden, MatchesGoldenFiles) { checkGolden(GetParam(), false); }

class OperationsGolden : public ::testing::TestWithParam<std::string> {};
TEST_P(OperationsGolden, MatchesGoldenFiles) { checkGolden(GetParam(), true); }

// One spec per feature; the compile-and-run test (model_test.cpp) uses the same specs.
INSTANTIATE_TEST_SUITE_P(Features, ModelsGolden,
                         ::testing::Values("allof", "anyof", "enums", "maps", "names", "nullable_30", "nullable_31",
                                           "oneof_discriminator", "oneof_plain", "recursion"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

// Parameter styles (path simple/label/matrix, query form/spaceDelimited/pipeDelimited/
// deepObject/content, header, cookie), JSON/form/multipart/raw bodies, response headers,
// range statuses and `default`.
INSTANTIATE_TEST_SUITE_P(Features, OperationsGolden, ::testing::Values("bodies", "parameters", "responses"),
                         [](const ::testing::TestParamInfo<std::string>& param) { return param.param; });

// The same spec gives the same bytes twice (the emitter keeps no state between runs).
TEST(ModelsGoldenDeterminism, SameInputSameBytes) {
  tether::load::LoadedSpec loaded = tether::load::loadSpec(kRoot / "specs" / "recursion.yaml");
  tether::ir::Api api = tether::ir::build(loaded);
  tether::codegen::CodegenOptions options;
  options.format = false;
  tether::codegen::GeneratedFiles a = tether::codegen::emitModels(api, options);
  tether::codegen::GeneratedFiles b = tether::codegen::emitModels(api, options);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].path, b[i].path);
    EXPECT_TRUE(a[i].text == b[i].text) << a[i].path;
  }
}

}  // namespace
