// Unit tests of the runtime schema engine: compile errors, basic output, readOnly/writeOnly
// direction, deep instances, catastrophic regexes, exact numbers, dialect options.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tether/schema/schema.h"

namespace {

using namespace tether::schema;
using nlohmann::json;

std::string compileErrorOf(const json& schema, const CompileOptions& options = {}) {
  try {
    compile(schema, options);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

// --- compile errors ------------------------------------------------------------------

TEST(SchemaCompileErrors, UnresolvableRefNamesTheKeyword) {
  try {
    compile(json::parse(R"({"properties": {"a": {"$ref": "#/$defs/missing"}}})"));
    FAIL() << "expected a CompileError";
  } catch (const CompileError& e) {
    EXPECT_EQ(e.keywordLocation(), "urn:tether:root#/properties/a/$ref");
    EXPECT_NE(e.reason().find("unresolvable $ref"), std::string::npos) << e.reason();
  }
}

TEST(SchemaCompileErrors, UnknownRemoteDocumentIsNeverFetched) {
  std::string error = compileErrorOf(json::parse(R"({"$ref": "https://example.com/nowhere.json"})"));
  EXPECT_NE(error.find("unresolvable $ref"), std::string::npos) << error;
}

TEST(SchemaCompileErrors, InvalidRegexInPatternAndPatternProperties) {
  std::string error = compileErrorOf(json::parse(R"({"pattern": "^(abc"})"));
  EXPECT_NE(error.find("#/pattern"), std::string::npos) << error;
  EXPECT_NE(error.find("invalid regular expression"), std::string::npos) << error;
  error = compileErrorOf(json::parse(R"({"patternProperties": {"\\a": true}})"));
  EXPECT_NE(error.find("#/patternProperties"), std::string::npos) << error;
}

TEST(SchemaCompileErrors, RefLoopWithoutProgress) {
  EXPECT_NE(compileErrorOf(json::parse(R"({"$ref": "#"})")).find("loop without progress"), std::string::npos);
  std::string error = compileErrorOf(json::parse(
      R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"})"));
  EXPECT_NE(error.find("loop without progress"), std::string::npos) << error;
  // Recursion that moves into the instance is fine.
  EXPECT_NO_THROW(compile(json::parse(R"({"properties": {"next": {"$ref": "#"}}})")));
}

TEST(SchemaCompileErrors, WrongKeywordTypes) {
  EXPECT_NE(compileErrorOf(json{{"type", 1}}).find("#/type"), std::string::npos);
  EXPECT_NE(compileErrorOf(json{{"type", "strin"}}).find("unknown type"), std::string::npos);
  EXPECT_NE(compileErrorOf(json{{"minLength", -1}}).find("#/minLength"), std::string::npos);
  EXPECT_NE(compileErrorOf(json{{"multipleOf", 0}}).find("#/multipleOf"), std::string::npos);
  EXPECT_NE(compileErrorOf(json{{"required", json::array({1})}}).find("#/required"), std::string::npos);
  EXPECT_NE(compileErrorOf(json{{"allOf", json::array()}}).find("#/allOf"), std::string::npos);
  EXPECT_NE(compileErrorOf(json{{"properties", {{"a", 3}}}}).find("#/properties/a"), std::string::npos);
  // Unknown keywords are not schema errors.
  EXPECT_EQ(compileErrorOf(json{{"x-anything", 1}}), "");
}

// --- basic output format ---------------------------------------------------------------

TEST(SchemaOutput, BasicFormatFields) {
  auto program = compile(json::parse(R"({
    "$id": "https://example.com/pet.json",
    "type": "object",
    "required": ["name"],
    "properties": {"tag": {"$ref": "#/$defs/tag"}},
    "$defs": {"tag": {"type": "string", "maxLength": 3}}
  })"));
  Result result = evaluate(program, json::parse(R"({"tag": "toolong"})"));
  ASSERT_FALSE(result.valid);
  ASSERT_EQ(result.errors.size(), 2u);
  json out = result.toBasicOutput();
  EXPECT_EQ(out["valid"], false);
  const json& missing = out["errors"][0];
  EXPECT_EQ(missing["instanceLocation"], "");
  EXPECT_EQ(missing["keywordLocation"], "/required");
  EXPECT_EQ(missing["absoluteKeywordLocation"], "https://example.com/pet.json#/required");
  EXPECT_NE(missing["error"].get<std::string>().find("\"name\""), std::string::npos);
  const json& length = out["errors"][1];
  EXPECT_EQ(length["instanceLocation"], "/tag");
  EXPECT_EQ(length["keywordLocation"], "/properties/tag/$ref/maxLength");
  EXPECT_EQ(length["absoluteKeywordLocation"], "https://example.com/pet.json#/$defs/tag/maxLength");
  // The fast mode agrees.
  EXPECT_FALSE(validate(program, json::parse(R"({"tag": "toolong"})")));
  EXPECT_EQ(evaluate(program, json::parse(R"({"name": "x"})")).toBasicOutput(), json({{"valid", true}}));
}

TEST(SchemaOutput, FailedAnyOfBranchesAreDroppedWhenAnotherPasses) {
  auto program = compile(json::parse(R"({"anyOf": [{"type": "string"}, {"type": "integer"}]})"));
  EXPECT_TRUE(evaluate(program, 3).errors.empty());
  Result bad = evaluate(program, json::array());
  ASSERT_FALSE(bad.valid);
  EXPECT_EQ(bad.errors.back().keyword_location, "/anyOf");
}

// --- readOnly / writeOnly ------------------------------------------------------------------

TEST(SchemaDirection, ReadOnlyInRequestAndWriteOnlyInResponse) {
  auto program = compile(json::parse(R"({
    "type": "object",
    "properties": {"id": {"type": "integer", "readOnly": true},
                   "password": {"type": "string", "writeOnly": true}}
  })"));
  json with_id = {{"id", 1}};
  json with_password = {{"password", "s"}};
  EvaluateOptions request{Direction::Request};
  EvaluateOptions response{Direction::Response};
  EXPECT_FALSE(validate(program, with_id, request));
  EXPECT_TRUE(validate(program, with_id, response));
  EXPECT_TRUE(validate(program, with_password, request));
  EXPECT_FALSE(validate(program, with_password, response));
  EXPECT_TRUE(validate(program, with_id));  // Direction::None
  Result r = evaluate(program, with_id, request);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].instance_location, "/id");
  EXPECT_EQ(r.errors[0].keyword_location, "/properties/id/readOnly");
}

TEST(SchemaDirection, TheInstanceRootIsNeverReadOnlyOrWriteOnly) {
  // A path parameter or a body whose own schema is read-only (a $ref to a read-only id) is
  // still sent in requests: the direction rules apply to properties, below the root.
  auto id = compile(json::parse(R"({"$defs": {"Id": {"type": "integer", "readOnly": true, "writeOnly": true}},
                                    "$ref": "#/$defs/Id"})"));
  EXPECT_TRUE(validate(id, json(7), EvaluateOptions{Direction::Request}));
  EXPECT_TRUE(validate(id, json(7), EvaluateOptions{Direction::Response}));
  auto list = compile(json::parse(R"({"type": "array", "items": {"type": "integer", "readOnly": true}})"));
  EXPECT_FALSE(validate(list, json::array({7}), EvaluateOptions{Direction::Request}));
}

// --- deep instances -----------------------------------------------------------------------

json deepArray(std::size_t depth) {
  std::string text(depth, '[');
  text += std::string(depth, ']');
  return json::parse(text);  // nlohmann's parser is iterative
}

TEST(SchemaDeepInstance, HundredThousandLevelsEndWithADepthErrorNotACrash) {
  json deep = deepArray(100000);
  auto recursive = compile(json::parse(R"({"type": "array", "items": {"$ref": "#"}})"));
  EXPECT_FALSE(validate(recursive, deep));
  Result r = evaluate(recursive, deep);
  ASSERT_FALSE(r.valid);
  EXPECT_NE(r.errors.back().error.find("maximum evaluation depth"), std::string::npos);
  // `not` cannot turn the depth error into a pass.
  auto negated = compile(json::parse(R"({"not": {"$ref": "#/$defs/a"}, "$defs": {"a": {"items": {"$ref": "#/$defs/a"}, "type": "array"}}})"));
  EXPECT_FALSE(validate(negated, deep));
  // Non-descending schemas and equality keywords handle the deep value without recursion.
  EXPECT_TRUE(validate(compile(json{{"type", "array"}}), deep));
  EXPECT_FALSE(validate(compile(json{{"const", json::array({1})}}), deep));
  json pair = json::array();
  pair.push_back(deepArray(100000));
  pair.push_back(deepArray(100000));
  EXPECT_FALSE(validate(compile(json{{"uniqueItems", true}}), pair));
  // Under the limit, recursion is fine.
  EXPECT_TRUE(validate(recursive, deepArray(500)));
}

// --- regex -----------------------------------------------------------------------------

TEST(SchemaRegex, CatastrophicBacktrackingIsBoundedAndReported) {
  auto program = compile(json{{"pattern", "^(a+)+$"}});
  std::string subject(5000, 'a');
  subject += '!';
  auto start = std::chrono::steady_clock::now();
  Result r = evaluate(program, subject);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.valid);
  EXPECT_NE(r.errors[0].error.find("match limit"), std::string::npos) << r.errors[0].error;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 10);
}

TEST(SchemaRegex, EcmaTranslation) {
  std::string error;
  EXPECT_EQ(Regex::translate("\\d\\u0041\\cA", error).value(), "\\d\\x{41}\\x{1}");
  EXPECT_FALSE(Regex::translate("\\a", error).has_value());
  EXPECT_FALSE(Regex::translate("(?i)x", error).has_value());
  auto dollar = Regex::compile("^abc$", error);
  ASSERT_TRUE(dollar);
  EXPECT_EQ(dollar->search("abc\n"), MatchResult::NoMatch);
  auto space = Regex::compile("^\\s$", error);
  EXPECT_EQ(space->search("\xC2\xA0"), MatchResult::Match);  // U+00A0 is ECMA whitespace
}

// --- numbers -------------------------------------------------------------------------------

TEST(SchemaNumbers, BigIntegersAndDecimalMultiples) {
  EXPECT_TRUE(validate(compile(json{{"type", "integer"}}), json::parse("1.0")));
  EXPECT_TRUE(validate(compile(json{{"type", "integer"}}), json::parse("12345678901234567890123456789")));
  EXPECT_TRUE(validate(compile(json{{"type", "integer"}}), json::parse("1e308")));
  EXPECT_TRUE(validate(compile(json::parse(R"({"maximum": 18446744073709551615})")),
                       json::parse("18446744073709551614")));
  EXPECT_FALSE(validate(compile(json::parse(R"({"maximum": 9223372036854775807})")),
                        json::parse("9223372036854775808")));
  EXPECT_TRUE(validate(compile(json::parse(R"({"multipleOf": 0.01})")), json::parse("19.99")));
  EXPECT_TRUE(validate(compile(json::parse(R"({"multipleOf": 0.0001})")), json::parse("0.0075")));
  EXPECT_FALSE(validate(compile(json::parse(R"({"multipleOf": 0.0001})")), json::parse("0.00751")));
  EXPECT_TRUE(validate(compile(json::parse(R"({"multipleOf": 1e-8})")), json::parse("12391239123")));
  EXPECT_FALSE(validate(compile(json::parse(R"({"multipleOf": 0.123456789})")), json::parse("1e308")));
  EXPECT_TRUE(validate(compile(json::parse(R"({"const": 1})")), json::parse("1.0")));
}

TEST(SchemaNumbers, CodePointLengths) {
  auto program = compile(json{{"maxLength", 2}});
  EXPECT_TRUE(validate(program, "\xF0\x9F\x92\xA9\xF0\x9F\x92\xA9"));  // two astral code points
  EXPECT_FALSE(validate(program, "abc"));
}

// --- dialects --------------------------------------------------------------------------------

TEST(SchemaDialects, OpenApi30NullableAndBooleanExclusives) {
  CompileOptions oas30;
  oas30.default_dialect = Dialect::OpenApi30;
  auto program = compile(json::parse(R"({"type": "integer", "nullable": true, "minimum": 0, "exclusiveMinimum": true})"), oas30);
  EXPECT_TRUE(validate(program, nullptr));
  EXPECT_FALSE(validate(program, 0));
  EXPECT_TRUE(validate(program, 1));
  // Without the option, 2020-12 reads a boolean exclusiveMinimum as a type error.
  EXPECT_NE(compileErrorOf(json::parse(R"({"exclusiveMinimum": true})")).find("exclusiveMinimum"), std::string::npos);
}

TEST(SchemaDialects, OpenApi31VocabularyIsAnnotationOnly) {
  auto program = compile(json::parse(R"({"type": "object", "discriminator": {"propertyName": "kind"},
                                        "xml": {"name": "pet"}, "example": {"kind": 1}})"));
  EXPECT_TRUE(validate(program, json::object()));
}

TEST(SchemaDialects, FormatAssertionIsOptIn) {
  json schema = {{"format", "ipv4"}};
  EXPECT_TRUE(validate(compile(schema), "not an address"));
  CompileOptions assert_formats;
  assert_formats.format_assertion = true;
  EXPECT_FALSE(validate(compile(schema, assert_formats), "not an address"));
  EXPECT_TRUE(validate(compile(schema, assert_formats), "10.0.0.1"));
}

// A Program compiled with format assertion (generated validators are) asserts its formats
// or not as each evaluation asks, in both modes.
TEST(SchemaDialects, CompiledFormatAssertionsFollowTheEvaluationsSwitch) {
  CompileOptions assert_formats;
  assert_formats.format_assertion = true;
  const Program program = compile(json{{"properties", {{"ip", {{"format", "ipv4"}}}}}}, assert_formats);
  const json bad = {{"ip", "not an address"}};
  EvaluateOptions without;
  without.assert_formats = false;
  EXPECT_FALSE(validate(program, bad));
  EXPECT_FALSE(evaluate(program, bad).valid);
  EXPECT_TRUE(validate(program, bad, without));
  EXPECT_TRUE(evaluate(program, bad, without).valid);
}

TEST(SchemaProgram, IsAFlatInspectableList) {
  auto program = compile(json::parse(R"({"type": "object", "properties": {"a": {"type": "string"}}})"));
  ASSERT_EQ(program.blocks.size(), 2u);
  const Block& root = program.blocks[program.root];
  ASSERT_EQ(root.end - root.begin, 2u);
  EXPECT_EQ(program.instructions[root.begin].op, Op::Type);
  const Instruction& props = program.instructions[root.begin + 1];
  EXPECT_EQ(props.op, Op::Properties);
  ASSERT_EQ(props.child_count, 1u);
  EXPECT_EQ(program.strings[program.children[props.child_begin].key], "a");
  EXPECT_NE(program.dump().find("Properties"), std::string::npos);
}

}  // namespace
