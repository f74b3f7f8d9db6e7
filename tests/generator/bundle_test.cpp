#include <gtest/gtest.h>

#include "test_util.h"
#include "tether/bundle/bundler.h"
#include "tether/check/checker.h"
#include "tether/ir/builder.h"

namespace tether::bundle {
namespace {

using tether::testing::allDiagnostics;
using tether::testing::TempDir;

std::string bundleText(const std::filesystem::path& entry) {
  load::LoadedSpec spec = load::loadSpec(entry);
  EXPECT_FALSE(spec.diagnostics.hasErrors()) << allDiagnostics(spec);
  return toJsonText(bundle(spec));
}

TEST(Bundle, KeepsReferencesAsComponents) {
  load::LoadedSpec spec = load::loadSpec(tether::testing::fixture("multi/openapi.yaml"));
  nlohmann::ordered_json out = bundle(spec);
  const auto& schemas = out["components"]["schemas"];
  EXPECT_TRUE(schemas.contains("Pet"));
  EXPECT_TRUE(schemas.contains("owner")) << "a schema file becomes a component named after it";
  EXPECT_TRUE(schemas.contains("Kind"));
  EXPECT_EQ(schemas["Pet"]["type"], "object") << "the entry's component takes the file's content";
  EXPECT_EQ(schemas["Pet"]["properties"]["owner"]["oneOf"][0]["$ref"], "#/components/schemas/owner");
  EXPECT_EQ(out["paths"]["/pets"]["get"]["responses"]["4XX"]["$ref"], "#/components/responses/NotFound");
  EXPECT_EQ(out["paths"]["/pets/{petId}"]["get"]["operationId"], "getPet") << "path items are inlined";
  std::string text = toJsonText(out);
  EXPECT_EQ(text.find(".yaml"), std::string::npos) << "no reference to another file is left";
}

TEST(Bundle, IsByteIdenticalAcrossRuns) {
  auto entry = tether::testing::fixture("multi/openapi.yaml");
  EXPECT_EQ(bundleText(entry), bundleText(entry));
}

TEST(Bundle, RoundTripsThroughLoaderChecksAndIr) {
  TempDir dir;
  load::LoadedSpec original = load::loadSpec(tether::testing::fixture("multi/openapi.yaml"));
  nlohmann::ordered_json out = bundle(original);
  for (const auto& [name, text] : {std::pair{"b.json", toJsonText(out)}, {"b.yaml", toYamlText(out)}}) {
    load::LoadedSpec again = load::loadSpec(dir.write(name, text));
    check::checkSpec(again);
    EXPECT_TRUE(again.diagnostics.empty()) << name << "\n" << allDiagnostics(again);
    ir::Api before = ir::build(original);
    ir::Api after = ir::build(again);
    EXPECT_EQ(before.operations.size(), after.operations.size());
    EXPECT_EQ(before.namedTypes().size(), after.namedTypes().size());
    EXPECT_EQ(again.sources.size(), 1u);
  }
}

TEST(Bundle, YamlQuotesStringsThatWouldReadAsOtherTypes) {
  nlohmann::ordered_json doc = {{"a", "true"}, {"b", "12"}, {"c", "plain"}, {"200", "x"}, {"d", "multi\nline"}};
  std::string yaml = toYamlText(doc);
  EXPECT_NE(yaml.find("a: \"true\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("b: \"12\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("c: plain"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("\"200\": x"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("d: |"), std::string::npos) << yaml;
}

}  // namespace
}  // namespace tether::bundle
