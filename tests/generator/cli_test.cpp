// The `tether` command line: exit codes (0 ok, 1 findings, 2 usage or I/O), messages on
// stderr, output files.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
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
