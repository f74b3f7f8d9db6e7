// Each broken input gives one clear error with its location, and never crashes or hangs.
#include <gtest/gtest.h>

#include <unistd.h>

#include "test_util.h"
#include "tether/load/loader.h"

namespace tether::load {
namespace {

using tether::testing::allDiagnostics;
using tether::testing::TempDir;

const char* kHeader = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

// Exactly one error; returns it.
Diagnostic onlyError(const LoadedSpec& spec) {
  EXPECT_EQ(spec.diagnostics.errorCount(), 1u) << allDiagnostics(spec);
  for (const Diagnostic& d : spec.diagnostics.list()) {
    if (d.severity == Severity::Error) return d;
  }
  return {};
}

TEST(HostileInput, MissingFileNamesFileAndReference) {
  TempDir dir;
  auto entry = dir.write("api.yaml", std::string(kHeader) + "paths:\n  /a:\n    $ref: 'missing.yaml'\n");
  LoadedSpec spec = loadSpec(entry);
  Diagnostic d = onlyError(spec);
  EXPECT_EQ(d.code, "ref-file");
  EXPECT_NE(d.message.find("missing.yaml"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("No such file"), std::string::npos) << d.message;
  EXPECT_EQ(d.location.line, 5u);
  EXPECT_EQ(d.pointer, "/paths/~1a/$ref");
}

TEST(HostileInput, DanglingPointerNamesTheMissingToken) {
  TempDir dir;
  auto entry = dir.write("api.yaml", std::string(kHeader) +
                                         "components:\n  schemas:\n    A: {type: string}\n    B: {$ref: '#/components/schemas/Nope'}\n");
  Diagnostic d = onlyError(loadSpec(entry));
  EXPECT_EQ(d.code, "ref-unresolved");
  EXPECT_NE(d.message.find("unresolved reference '#/components/schemas/Nope': no 'Nope' in "), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("api.yaml#/components/schemas"), std::string::npos) << d.message;
  EXPECT_EQ(d.location.line, 6u);
}

TEST(HostileInput, ReferenceCycleOutsideSchemas) {
  TempDir dir;
  auto entry = dir.write("api.yaml", std::string(kHeader) +
                                         "paths: {}\ncomponents:\n  parameters:\n"
                                         "    A: {$ref: '#/components/parameters/B'}\n"
                                         "    B: {$ref: '#/components/parameters/A'}\n");
  LoadedSpec spec = loadSpec(entry);
  Diagnostic d = onlyError(spec);
  EXPECT_EQ(d.code, "ref-cycle");
  EXPECT_NE(d.message.find("#/components/parameters/A -> "), std::string::npos) << d.message;
  EXPECT_EQ(spec.resolve(spec.root()->get("components")->get("parameters")->get("A")), nullptr);
}

TEST(HostileInput, InvalidYaml) {
  TempDir dir;
  auto entry = dir.write("api.yaml", std::string(kHeader) + "paths:\n  /a: [unclosed\n");
  Diagnostic d = onlyError(loadSpec(entry));
  EXPECT_EQ(d.code, "parse-error");
  EXPECT_NE(d.message.find("invalid YAML"), std::string::npos);
  EXPECT_GE(d.location.line, 4u);
}

TEST(HostileInput, DuplicateKey) {
  TempDir dir;
  auto entry = dir.write("api.yaml", std::string(kHeader) + "paths: {}\npaths: {}\n");
  Diagnostic d = onlyError(loadSpec(entry));
  EXPECT_EQ(d.message, "duplicate key 'paths'");
  EXPECT_EQ(d.location.line, 4u);
}

TEST(HostileInput, DeeplyNestedJsonArray) {
  TempDir dir;
  std::string text = "{\"openapi\": \"3.1.0\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  Diagnostic d = onlyError(loadSpec(dir.write("api.json", text)));
  EXPECT_NE(d.message.find("nesting is deeper than"), std::string::npos) << d.message;
  EXPECT_EQ(d.location.line, 1u);
}

TEST(HostileInput, DeeplyNestedYamlFlowArray) {
  TempDir dir;
  std::string text = std::string(kHeader) + "x: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  Diagnostic d = onlyError(loadSpec(dir.write("api.yaml", text)));
  EXPECT_NE(d.message.find("nesting is deeper than"), std::string::npos) << d.message;
}

TEST(HostileInput, FileOverTheSizeLimitIsRefusedUnread) {
  TempDir dir;
  auto entry = dir.path() / "huge.json";
  {
    std::ofstream out(entry);
  }
  // A sparse 200 MB file: its size is what matters, not its bytes.
  ASSERT_EQ(::truncate(entry.c_str(), 200ll << 20), 0);
  LoadedSpec spec = loadSpec(entry);
  Diagnostic d = onlyError(spec);
  EXPECT_EQ(d.code, "file-unreadable");
  EXPECT_NE(d.message.find("200.0 MiB, over the limit of 128.0 MiB"), std::string::npos) << d.message;
}

TEST(HostileInput, YamlAliasBomb) {
  TempDir dir;
  std::string text = std::string(kHeader) + "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    char previous = static_cast<char>(level - 1);
    text += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", *" : "*") + previous;
    text += "]\n";
  }
  Diagnostic d = onlyError(loadSpec(dir.write("api.yaml", text)));
  EXPECT_NE(d.message.find("alias bomb"), std::string::npos) << d.message;
}

TEST(HostileInput, NotAnObjectAndEmptyDocument) {
  TempDir dir;
  Diagnostic notObject = onlyError(loadSpec(dir.write("list.yaml", "- 1\n- 2\n")));
  EXPECT_EQ(notObject.code, "not-openapi");
  Diagnostic empty = onlyError(loadSpec(dir.write("empty.yaml", "")));
  EXPECT_NE(empty.message.find("empty"), std::string::npos);
}

TEST(HostileInput, SwaggerTwoIsNamedAsSuch) {
  TempDir dir;
  Diagnostic d = onlyError(loadSpec(dir.write("s.yaml", "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")));
  EXPECT_NE(d.message.find("Swagger 2.0"), std::string::npos);
}

}  // namespace
}  // namespace tether::load
