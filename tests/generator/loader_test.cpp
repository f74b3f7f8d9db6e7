#include <gtest/gtest.h>

#include "test_util.h"
#include "tether/load/loader.h"

namespace tether::load {
namespace {

using tether::testing::allDiagnostics;
using tether::testing::TempDir;

const doc::Node* schemaOf(const LoadedSpec& spec, const char* name) {
  return spec.root()->get("components")->get("schemas")->get(name);
}

TEST(Loader, ResolvesLocalPointersWithEscapesAndPercentEncoding) {
  TempDir dir;
  auto entry = dir.write("api.yaml", R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    'a/b': {type: string}
    'c~d': {type: integer}
    'e f': {type: boolean}
    Refs:
      type: object
      properties:
        one: {$ref: '#/components/schemas/a~1b'}
        two: {$ref: '#/components/schemas/c~0d'}
        three: {$ref: '#/components/schemas/e%20f'}
)");
  LoadedSpec spec = loadSpec(entry);
  ASSERT_FALSE(spec.diagnostics.hasErrors()) << allDiagnostics(spec);
  const doc::Node* properties = schemaOf(spec, "Refs")->get("properties");
  EXPECT_EQ(spec.resolve(properties->get("one")), schemaOf(spec, "a/b"));
  EXPECT_EQ(spec.resolve(properties->get("two")), schemaOf(spec, "c~d"));
  EXPECT_EQ(spec.resolve(properties->get("three")), schemaOf(spec, "e f"));
}

TEST(Loader, FollowsRelativeFilesAcrossFolders) {
  LoadedSpec spec = loadSpec(tether::testing::fixture("multi/openapi.yaml"));
  ASSERT_FALSE(spec.diagnostics.hasErrors()) << allDiagnostics(spec);
  EXPECT_EQ(spec.sources.size(), 5u) << "entry, two path files, two schema files";
  const doc::Node* pets = spec.resolve(spec.root()->get("paths")->get("/pets"));
  ASSERT_NE(pets, nullptr);
  EXPECT_EQ(pets->get("get")->getString("operationId"), "listPets");
  EXPECT_NE(spec.sources.at(pets->location.file).displayName.find("paths/pets.yaml"), std::string::npos);
}

TEST(Loader, ResolvesIdBasedUrisAndAnchors) {
  TempDir dir;
  auto entry = dir.write("api.yaml", R"(openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Address:
      $id: https://schemas.example.test/address
      type: object
      $defs:
        zip: {$anchor: zip, type: string}
    User:
      type: object
      properties:
        home: {$ref: 'https://schemas.example.test/address'}
        zip: {$ref: 'https://schemas.example.test/address#zip'}
        zip2: {$ref: 'https://schemas.example.test/address#/$defs/zip'}
)");
  LoadedSpec spec = loadSpec(entry);
  ASSERT_FALSE(spec.diagnostics.hasErrors()) << allDiagnostics(spec);
  const doc::Node* properties = schemaOf(spec, "User")->get("properties");
  const doc::Node* address = schemaOf(spec, "Address");
  EXPECT_EQ(spec.resolve(properties->get("home")), address);
  EXPECT_EQ(spec.resolve(properties->get("zip")), address->get("$defs")->get("zip"));
  EXPECT_EQ(spec.resolve(properties->get("zip2")), address->get("$defs")->get("zip"));
}

TEST(Loader, RemoteReferenceIsAnErrorUnlessMapped) {
  TempDir dir;
  auto entry = dir.write("api.yaml", R"(openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Money: {$ref: 'https://schemas.example.test/common/money.yaml#/Money'}
)");
  dir.write("mirror/common/money.yaml", "Money: {type: object, properties: {amount: {type: integer}}}\n");
  LoadedSpec unmapped = loadSpec(entry);
  ASSERT_EQ(unmapped.diagnostics.errorCount(), 1u) << allDiagnostics(unmapped);
  EXPECT_EQ(unmapped.diagnostics.list()[0].code, "ref-remote");
  EXPECT_EQ(unmapped.diagnostics.list()[0].location.line, 5u);

  LoadOptions options;
  options.urlMappings.push_back({"https://schemas.example.test/", dir.path() / "mirror"});
  LoadedSpec mapped = loadSpec(entry, options);
  ASSERT_FALSE(mapped.diagnostics.hasErrors()) << allDiagnostics(mapped);
  const doc::Node* money = mapped.resolve(schemaOf(mapped, "Money"));
  ASSERT_NE(money, nullptr);
  EXPECT_EQ(money->getString("type"), "object");
}

TEST(Loader, SchemaRecursionIsNotACycle) {
  LoadedSpec spec = loadSpec(tether::testing::fixture("multi/openapi.yaml"));
  EXPECT_FALSE(spec.diagnostics.hasErrors()) << allDiagnostics(spec);
}

TEST(Loader, ExampleValuesAreDataButFileIncludesResolve) {
  TempDir dir;
  dir.write("ex.yaml", "pet: {name: Rex}\n");
  auto entry = dir.write("api.yaml", R"(openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Schema:
      type: object
      examples:
        - {$ref: '#/not/a/reference'}
  examples:
    Pet:
      value: {$ref: 'ex.yaml#/pet'}
)");
  LoadedSpec spec = loadSpec(entry);
  ASSERT_FALSE(spec.diagnostics.hasErrors()) << allDiagnostics(spec);
  const doc::Node* value = spec.root()->get("components")->get("examples")->get("Pet")->get("value");
  ASSERT_NE(spec.resolve(value), nullptr);
  EXPECT_EQ(spec.resolve(value)->getString("name"), "Rex");
}

}  // namespace
}  // namespace tether::load
