// OpenAPI 3.0 documents reach the IR in the 3.1 model.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tether::ir
