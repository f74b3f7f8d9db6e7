// The Program as text (program_io.h), which generated validators embed: every schema of the
// JSON Schema Test Suite reads back to the same Program (same listing, same fast-mode
// derivation, same text), damaged text fails with an error and never crashes, and a
// Program that does not match its generated code is refused with a clear message.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "suite_runner.h"
#include "support/shared_data.h"
#include "tether/schema/linked.h"
#include "tether/schema/program_io.h"

namespace {

using namespace tether::schema;
using namespace tether::schema::testing;
using nlohmann::json;

void expectRoundTrip(const Program& program, const std::string& what) {
  std::string text = writeProgram(program);
  Program back = readProgram(text);
  EXPECT_EQ(back.dump(), program.dump()) << what;
  EXPECT_EQ(fastFingerprint(back), fastFingerprint(program)) << what;
  EXPECT_EQ(writeProgram(back), text) << what;
  ASSERT_EQ(back.locations.size(), program.locations.size()) << what;
  for (std::size_t i = 0; i < program.locations.size(); ++i) {
    EXPECT_EQ(back.locations[i].relative, program.locations[i].relative) << what;
    EXPECT_EQ(back.locations[i].absolute, program.locations[i].absolute) << what;
  }
  ASSERT_EQ(back.blocks.size(), program.blocks.size()) << what;
  for (std::size_t b = 0; b < program.blocks.size(); ++b)
    EXPECT_EQ(back.blocks[b].absolute, program.blocks[b].absolute) << what;
}

TEST(ProgramText, EverySuiteSchemaReadsBackTheSame) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = suiteRegistry(suite);
  int programs = 0;
  for (const auto& file : suiteFiles(suite / "tests" / "draft2020-12")) {
    std::ifstream in(file);
    json cases = json::parse(in);
    for (std::size_t i = 0; i < cases.size(); ++i) {
      Program program;
      try {
        program = compile(cases[i]["schema"], registry);
      } catch (const CompileError&) {
        continue;
      }
      expectRoundTrip(program, file.filename().string() + " case " + std::to_string(i));
      ++programs;
    }
  }
  EXPECT_GT(programs, 350);  // the compilable cases (1299 tests in ~390 cases)
}

TEST(ProgramText, ObjectPlansValuesAndPatternsSurvive) {
  Program program = compile(json::parse(R"({
    "type": "object", "required": ["id", "name"],
    "properties": {"id": {"type": "integer", "minimum": 1.5}, "name": {"type": "string", "pattern": "^[a-z]+$"},
                   "tags": {"type": "array", "items": {"enum": ["a", "b", null]}}, "ünïcode": {"const": {"x": [1, 2]}}},
    "additionalProperties": false})"));
  expectRoundTrip(program, "object schema");
  Program back = readProgram(writeProgram(program));
  EXPECT_TRUE(validate(back, json::parse(R"({"id": 2, "name": "ab", "tags": ["a", null]})")));
  EXPECT_FALSE(validate(back, json::parse(R"({"id": 1, "name": "ab"})")));
  EXPECT_FALSE(validate(back, json::parse(R"({"id": 2, "name": "AB"})")));
  EXPECT_FALSE(validate(back, json::parse(R"({"id": 2, "name": "ab", "other": 1})")));
}

TEST(ProgramText, DamagedTextIsAnErrorNeverACrash) {
  Program program = compile(json::parse(R"({"properties": {"a": {"type": "string", "pattern": "^x"}}, "required": ["a"]})"));
  std::string text = writeProgram(program);
  EXPECT_THROW(readProgram("something else"), std::runtime_error);
  for (std::size_t cut = 0; cut < text.size(); ++cut) EXPECT_THROW(readProgram(text.substr(0, cut)), std::runtime_error) << cut;
  // Every single-byte change either reads (to some Program) or throws: never UB.
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (char c : {'9', '-', ':', ' ', 'x'}) {
      std::string damaged = text;
      damaged[i] = c;
      try {
        (void)readProgram(damaged);
      } catch (const std::exception&) {
      }
    }
  }
}

TEST(ProgramText, LinkedRefusesAProgramThatDoesNotMatchItsCode) {
  Program program = compile(json::parse(R"({"type": "object", "properties": {"a": {"type": "string"}}})"));
  std::string text = writeProgram(program);
  const auto blocks = static_cast<std::uint32_t>(program.blocks.size());
  const auto instructions = static_cast<std::uint32_t>(program.instructions.size());
  gen::Linked ok(text, gen::Shape{blocks, instructions, fastFingerprint(program)}, {});
  EXPECT_EQ(ok.program().dump(), program.dump());
  try {
    gen::Linked wrong(text, gen::Shape{blocks + 1, instructions, fastFingerprint(program)}, {});
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("regenerate"), std::string::npos) << e.what();
  }
  EXPECT_THROW(gen::Linked(text, gen::Shape{blocks, instructions, fastFingerprint(program) ^ 1}, {}), std::logic_error);
  EXPECT_THROW(gen::Linked("tether-program-0 ", gen::Shape{blocks, instructions, 0}, {}), std::logic_error);
}

}  // namespace
