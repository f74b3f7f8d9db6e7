// The `tether` command line: exit codes (0 ok, 1 findings, 2 usage or I/O), messages on
// stderr, output files.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/wait.h>

#include "test_util.h"

namespace {

using tether::testing::TempDir;

struct CliRun {
  int exitCode;
  std::string output;  // stdout and stderr together
};

CliRun run(const std::string& arguments) {
  std::string command = std::string(TETHER_BINARY) + " " + arguments + " 2>&1";
  CliRun result{-1, {}};
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(Cli, ValidateCleanSpecExitsZero) {
  CliRun r = run("validate " + tether::testing::fixture("multi/openapi.yaml").string());
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("0 error(s), 0 warning(s)"), std::string::npos) << r.output;
}

TEST(Cli, ValidateFindingsExitOneWithFileLineAndPointer) {
  TempDir dir;
  auto entry = dir.write("bad.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: 'nope.yaml'\n");
  CliRun r = run("validate " + entry.string());
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:5:11: error: cannot read '"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("[#/paths/~1a/$ref]"), std::string::npos) << r.output;
}

TEST(Cli, WarningsFailOnlyUnderStrict) {
  TempDir dir;
  auto entry = dir.write("w.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n"
                                   "      responses: {'200': {description: ok}}\n");
  EXPECT_EQ(run("validate " + entry.string()).exitCode, 0);
  CliRun strict = run("validate --strict " + entry.string());
  EXPECT_EQ(strict.exitCode, 1) << strict.output;
  EXPECT_NE(strict.output.find("path-parameter-undeclared"), std::string::npos) << strict.output;
}

// A spec as real ones are written: a pattern in Java's dialect, one no engine reads, a
// schema whose `type` is an object, and a $ref into an operation's response.
constexpr const char* kBentSpec = R"(openapi: 3.1.0
info: {title: bent, version: '1'}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  paging: {type: object, properties: {next: {type: string}}}
                  id: {type: string, pattern: '\A\p{XDigit}+\z'}
                  odd: {type: string, pattern: '[^\p\{C\}]*'}
                  kind: {type: {enum: [a, b], type: string}}
  /more:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  paging: {$ref: '#/paths/~1items/get/responses/200/content/application~1json/schema/properties/paging'}
)";

TEST(Cli, GenerateLeavesOutWhatNoDialectReadsWithWarningsAndStrictFlagsRefuse) {
  TempDir dir;
  auto entry = dir.write("bent.yaml", kBentSpec);
  // validate: the malformed keyword is an error with its location
  CliRun validate = run("validate " + entry.string());
  EXPECT_EQ(validate.exitCode, 1) << validate.output;
  EXPECT_NE(validate.output.find("[#/paths/~1items/get/responses/200/content/application~1json/schema/properties/kind/type]"),
            std::string::npos) << validate.output;
  // generate: succeeds, each left-out keyword or pattern a warning with file:line and pointer
  CliRun generate = run("generate " + entry.string() + " --cpp " + (dir.path() / "out").string());
  EXPECT_EQ(generate.exitCode, 0) << generate.output;
  EXPECT_NE(generate.output.find("bent.yaml:"), std::string::npos) << generate.output;
  EXPECT_NE(generate.output.find("warning: keyword 'type' is left out of the validators"), std::string::npos)
      << generate.output;
  EXPECT_NE(generate.output.find("/schema/properties/kind/type] (keyword-left-out)"), std::string::npos)
      << generate.output;
  EXPECT_NE(generate.output.find("pattern \"[^\\p\\{C\\}]*\" is left out"), std::string::npos) << generate.output;
  EXPECT_NE(generate.output.find("(pattern-left-out)"), std::string::npos) << generate.output;
  EXPECT_EQ(generate.output.find("XDigit"), std::string::npos) << "the Java pattern is read, not left out\n"
                                                                << generate.output;
  EXPECT_NE(generate.output.find("2 warning(s) from generating (1 keyword-left-out, 1 pattern-left-out)"),
            std::string::npos) << generate.output;
  // --quiet: the count only
  CliRun quiet = run("generate -q " + entry.string() + " --cpp " + (dir.path() / "quiet").string());
  EXPECT_EQ(quiet.exitCode, 0) << quiet.output;
  EXPECT_EQ(quiet.output.find("warning:"), std::string::npos) << quiet.output;
  EXPECT_NE(quiet.output.find("(1 keyword-left-out, 1 pattern-left-out)"), std::string::npos) << quiet.output;
  // the strict flags make each an error, and nothing is written
  CliRun strictKeywords = run("generate --strict-keywords " + entry.string() + " --cpp " + (dir.path() / "s1").string());
  EXPECT_EQ(strictKeywords.exitCode, 1) << strictKeywords.output;
  EXPECT_NE(strictKeywords.output.find("must be a type name"), std::string::npos) << strictKeywords.output;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "s1" / "models.h"));
  CliRun strictPatterns = run("generate --strict-patterns " + entry.string() + " --cpp " + (dir.path() / "s2").string());
  EXPECT_EQ(strictPatterns.exitCode, 1) << strictPatterns.output;
  EXPECT_NE(strictPatterns.output.find("invalid regular expression"), std::string::npos) << strictPatterns.output;
}

TEST(Cli, ARefIntoAnOperationNamesTheSchemaAfterTheOperation) {
  TempDir dir;
  auto entry = dir.write("bent.yaml", kBentSpec);
  CliRun generate = run("generate " + entry.string() + " --cpp " + (dir.path() / "out").string());
  ASSERT_EQ(generate.exitCode, 0) << generate.output;
  std::ifstream in(dir.path() / "out" / "models.h");
  std::string models((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // #/paths/~1items/get/responses/200/content/application~1json/schema/properties/paging:
  // listItems, status 200, property paging; content, the media type and schema say nothing.
  EXPECT_NE(models.find("struct ListItems200Paging {"), std::string::npos) << models.substr(0, 4000);
  EXPECT_NE(models.find("tether::model::Optional<ListItems200Paging> paging{};"), std::string::npos);
}

TEST(Cli, MissingFileAndBadUsageExitTwo) {
  CliRun missing = run("validate /nonexistent/spec.yaml");
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.output.find("cannot read '/nonexistent/spec.yaml': no such file"), std::string::npos) << missing.output;
  EXPECT_EQ(run("frobnicate").exitCode, 2);
  EXPECT_EQ(run("validate").exitCode, 2) << "the spec argument is required";
  EXPECT_EQ(run("validate --map-url nonsense x.yaml").exitCode, 2);
}

TEST(Cli, EverySubcommandHasHelp) {
  for (const char* command : {"", "validate ", "bundle ", "generate "}) {
    CliRun r = run(std::string(command) + "--help");
    EXPECT_EQ(r.exitCode, 0) << command;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << command << r.output;
  }
}

TEST(Cli, BundleWritesJsonAndYamlDeterministically) {
  TempDir dir;
  std::string entry = tether::testing::fixture("multi/openapi.yaml").string();
  auto a = dir.path() / "a.json";
  auto b = dir.path() / "b.json";
  auto yaml = dir.path() / "a.yaml";
  ASSERT_EQ(run("bundle " + entry + " -o " + a.string() + " --yaml " + yaml.string()).exitCode, 0);
  ASSERT_EQ(run("bundle " + entry + " -o " + b.string()).exitCode, 0);
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(slurp(a), slurp(b));
  EXPECT_NE(slurp(yaml).find("openapi: 3.1.0"), std::string::npos);
  EXPECT_EQ(run("validate " + a.string()).exitCode, 0);
}

TEST(Cli, GenerateWritesTheIr) {
  TempDir dir;
  auto out = dir.path() / "ir.json";
  CliRun r = run("generate " + tether::testing::fixture("multi/openapi.yaml").string() + " --ir " + out.string());
  ASSERT_EQ(r.exitCode, 0) << r.output;
  std::ifstream in(out);
  std::string text(std::istreambuf_iterator<char>(in), {});
  EXPECT_NE(text.find("\"operationId\": \"listPets\""), std::string::npos);
}

}  // namespace
