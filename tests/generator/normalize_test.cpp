// OpenAPI 3.0 documents reach the IR in the 3.1 model.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "test_util.h"
#include "tether/ir/builder.h"

namespace tether::ir {
namespace {

class Normalize30 : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = load::loadSpec(tether::testing::fixture("v30/openapi.yaml"));
    ASSERT_FALSE(spec_.diagnostics.hasErrors()) << tether::testing::allDiagnostics(spec_);
    api_ = build(spec_);
    for (const Type& t : api_.types) {
      if (t.name == "Thing") thing_ = &t;
    }
    ASSERT_NE(thing_, nullptr);
  }
  const Json& property(const char* name) { return thing_->schema["properties"][name]; }
  load::LoadedSpec spec_;
  Api api_;
  const Type* thing_ = nullptr;
};

TEST_F(Normalize30, NullableBecomesATypeArray) {
  EXPECT_EQ(property("name")["type"], Json::array({"string", "null"}));
  EXPECT_FALSE(property("name").contains("nullable"));
  EXPECT_TRUE(thing_->fields[0].nullable);
}

TEST_F(Normalize30, NullableEnumAdmitsNull) {
  EXPECT_EQ(property("color")["enum"], Json::array({"red", "blue", nullptr}));
}

TEST_F(Normalize30, NullableWithoutTypeWrapsInAnyOf) {
  const Json& shape = property("shape");
  ASSERT_TRUE(shape.contains("anyOf"));
  EXPECT_EQ(shape["anyOf"][1], Json({{"type", "null"}}));
}

TEST_F(Normalize30, BooleanExclusiveBoundsBecomeNumbers) {
  EXPECT_EQ(property("size")["exclusiveMinimum"], 0);
  EXPECT_FALSE(property("size").contains("minimum"));
  EXPECT_EQ(property("size")["maximum"], 10);
  EXPECT_FALSE(property("size").contains("exclusiveMaximum"));
}

TEST_F(Normalize30, ExampleBecomesExamples) {
  EXPECT_EQ(property("name")["examples"], Json::array({"widget"}));
  EXPECT_FALSE(property("name").contains("example"));
}

TEST_F(Normalize30, ByteFormatGetsContentEncoding) {
  EXPECT_EQ(property("data")["contentEncoding"], "base64");
  EXPECT_FALSE(property("data").contains("contentMediaType"));
}

TEST_F(Normalize30, RefSiblingsAreDropped) {
  EXPECT_EQ(property("friend"), Json({{"$ref", "#/components/schemas/Shape"}}));
}

TEST_F(Normalize30, DiscriminatorMapsVariants) {
  for (const Type& t : api_.types) {
    if (t.name != "Shape") continue;
    ASSERT_EQ(t.kind, TypeKind::OneOf);
    ASSERT_TRUE(t.discriminator.has_value());
    EXPECT_EQ(t.discriminator->propertyName, "kind");
    ASSERT_EQ(t.discriminator->mapping.size(), 2u);
    EXPECT_EQ(t.discriminator->mapping[0].first, "Circle");
    return;
  }
  FAIL() << "no Shape type";
}

// A spec split into files, as DigitalOcean's is (fixtures/files_union).
class FilesUnion : public ::testing::Test {
 protected:
  void SetUp() override {
    spec_ = load::loadSpec(tether::testing::fixture("files_union/openapi.yaml"));
    ASSERT_FALSE(spec_.diagnostics.hasErrors()) << tether::testing::allDiagnostics(spec_);
    api_ = build(spec_);
  }
  const Type& named(const std::string& name) {
    for (const Type& t : api_.types) {
      if (t.name == name) return t;
    }
    throw std::runtime_error("no type " + name);
  }
  load::LoadedSpec spec_;
  Api api_;
};

TEST_F(FilesUnion, DiscriminatorMappingNamesVariantsByFile) {
  const Type& body = api_.type(api_.operations.at(0).requestBody->contents.at(0).type);
  ASSERT_EQ(body.kind, TypeKind::AnyOf);
  ASSERT_TRUE(body.discriminator.has_value());
  std::map<std::string, std::string> mapping;
  for (const auto& [value, id] : body.discriminator->mapping) mapping[value] = api_.type(id).name;
  // "attach_volume" and "detach_volume" reach the variants their files hold ("./" or not), and no
  // variant is left to be found by its schema name instead.
  EXPECT_EQ(mapping, (std::map<std::string, std::string>{{"attach_volume", api_.type(body.variants[0]).name},
                                                         {"detach_volume", api_.type(body.variants[1]).name}}));
}

TEST_F(FilesUnion, AllOfOfANullableObjectAndADescriptionStaysNullable) {
  const Type& droplet = named("droplet");
  ASSERT_EQ(droplet.fields.size(), 2u);
  EXPECT_EQ(droplet.fields[0].jsonName, "next_backup_window");
  EXPECT_TRUE(droplet.fields[0].nullable);
  // A part that says type: object (without nullable) excludes null: allOf needs every part.
  EXPECT_EQ(droplet.fields[1].jsonName, "strict_window");
  EXPECT_FALSE(droplet.fields[1].nullable);
}

}  // namespace
}  // namespace tether::ir
