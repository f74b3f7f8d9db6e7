#include <gtest/gtest.h>

#include "tether/doc/readers.h"

namespace tether::doc {
namespace {

TEST(JsonReader, KeepsLocationsKeyOrderAndNumberText) {
  Arena arena;
  ReadResult r = readJson("{\n  \"b\": 1,\n  \"a\": [true, null, 12345678901234567890, 1.50]\n}", 3, arena);
  ASSERT_FALSE(r.error) << r.error->message;
  const Node& root = *r.root;
  ASSERT_EQ(root.members.size(), 2u);
  EXPECT_EQ(root.members[0].key, "b");
  EXPECT_EQ(root.members[1].key, "a");
  const Node& a = *root.get("a");
  EXPECT_EQ(a.location.file, 3u);
  EXPECT_EQ(a.location.line, 3u);
  EXPECT_EQ(a.location.column, 8u);
  EXPECT_EQ(a.items[2]->text, "12345678901234567890");
  EXPECT_TRUE(a.items[2]->integerLiteral);
  EXPECT_EQ(a.items[3]->text, "1.50");
  EXPECT_FALSE(a.items[3]->integerLiteral);
  EXPECT_EQ(a.items[1]->pointer(), "/a/1");
}

TEST(JsonReader, DecodesEscapesAndSurrogatePairs) {
  Arena arena;
  ReadResult r = readJson(R"(["a\"b\\c\/\n", "\u00e9\ud83d\ude00"])", 0, arena);
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.root->items[0]->text, "a\"b\\c/\n");
  EXPECT_EQ(r.root->items[1]->text, "\xC3\xA9\xF0\x9F\x98\x80");
}

struct BadJson {
  const char* text;
  const char* message;
  std::uint32_t line;
  std::uint32_t column;
};

void PrintTo(const BadJson& bad, std::ostream* out) { *out << bad.message; }

class JsonErrors : public ::testing::TestWithParam<BadJson> {};

TEST_P(JsonErrors, ReportsMessageAndPosition) {
  Arena arena;
  ReadResult r = readJson(GetParam().text, 0, arena);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find(GetParam().message), std::string::npos) << r.error->message;
  EXPECT_EQ(r.error->location.line, GetParam().line);
  EXPECT_EQ(r.error->location.column, GetParam().column);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonErrors,
    ::testing::Values(BadJson{"{\"a\": 1,\n \"a\": 2}", "duplicate key 'a'", 2, 2},
                      BadJson{"[1, 2", "unexpected end of input", 1, 6},
                      BadJson{"{\"a\" 1}", "expected ':'", 1, 6},
                      BadJson{"[01]", "expected ',' or ']'", 1, 3},
                      BadJson{"\"\xff\"", "invalid UTF-8", 1, 2},
                      BadJson{"\"\\ud800\"", "unpaired surrogate", 1, 2},
                      BadJson{"[1] x", "unexpected text after", 1, 5},
                      BadJson{"{\"a\": tru}", "invalid literal", 1, 7}));

TEST(YamlReader, ResolvesCoreSchemaScalars) {
  Arena arena;
  ReadResult r = readYaml("a: 12\nb: '12'\nc: true\nd: ~\ne: 0x1F\nf: +1.5e3\ng: 1.0\nh: yes\n200: ok\n", 0, arena);
  ASSERT_FALSE(r.error) << r.error->message;
  const Node& root = *r.root;
  EXPECT_TRUE(root.get("a")->isNumber());
  EXPECT_TRUE(root.get("b")->isString());
  EXPECT_TRUE(root.get("c")->isBool());
  EXPECT_TRUE(root.get("d")->isNull());
  EXPECT_EQ(root.get("e")->text, "31");
  EXPECT_EQ(root.get("f")->text, "1.5e3");
  EXPECT_FALSE(root.get("g")->integerLiteral);
  EXPECT_TRUE(root.get("h")->isString()) << "YAML 1.2: 'yes' is a string";
  ASSERT_NE(root.get("200"), nullptr) << "numeric keys keep their text";
  EXPECT_EQ(root.get("c")->location.line, 3u);
  EXPECT_EQ(root.get("c")->location.column, 4u);
}

TEST(YamlReader, ExpandsAnchorsAliasesAndMergeKeys) {
  Arena arena;
  ReadResult r = readYaml("base: &b {x: 1, y: 2}\ncopy: *b\nmerged:\n  <<: *b\n  y: 3\n", 0, arena);
  ASSERT_FALSE(r.error) << r.error->message;
  const Node& merged = *r.root->get("merged");
  EXPECT_EQ(r.root->get("copy")->get("x")->text, "1");
  EXPECT_EQ(merged.get("y")->text, "3") << "own keys win over merged ones";
  EXPECT_EQ(merged.get("x")->text, "1");
  EXPECT_EQ(merged.get("<<"), nullptr);
  EXPECT_EQ(merged.get("x")->parent, &merged);
}

TEST(YamlReader, RejectsDuplicateKeysWithLocation) {
  Arena arena;
  ReadResult r = readYaml("a: 1\nb: 2\na: 3\n", 0, arena);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "duplicate key 'a'");
  EXPECT_EQ(r.error->location.line, 3u);
}

TEST(YamlReader, RejectsInvalidYamlWithLocation) {
  Arena arena;
  ReadResult r = readYaml("a: [1, 2\nb: 3\n", 0, arena);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("invalid YAML"), std::string::npos) << r.error->message;
  EXPECT_GE(r.error->location.line, 1u);
}

TEST(YamlReader, RejectsComplexKeys) {
  Arena arena;
  ReadResult r = readYaml("? [a, b]\n: 1\n", 0, arena);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->message.find("mapping keys must be scalars"), std::string::npos);
}

TEST(ReadDocument, ChoosesJsonForJsonTextInYamlFiles) {
  Arena arena;
  ReadResult json = readDocument("{\"a\": 1}", "x.yaml", 0, arena);
  ASSERT_FALSE(json.error);
  EXPECT_TRUE(json.root->get("a")->isNumber());
  ReadResult flow = readDocument("{a: 1}", "x.yaml", 0, arena);
  ASSERT_FALSE(flow.error) << "flow YAML that is not JSON still reads as YAML";
  EXPECT_TRUE(flow.root->get("a")->isNumber());
}

}  // namespace
}  // namespace tether::doc
