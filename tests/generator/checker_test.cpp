#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"
#include "tether/check/checker.h"
#include "tether/load/loader.h"
#include "support/shared_data.h"

namespace tether::check {
namespace {

using load::LoadedSpec;
using tether::testing::allDiagnostics;
using tether::testing::TempDir;

LoadedSpec checked(const std::filesystem::path& path, const load::LoadOptions& options = {}) {
  LoadedSpec spec = load::loadSpec(path, options);
  checkSpec(spec);
  return spec;
}

bool hasCode(const LoadedSpec& spec, const std::string& code, load::Severity severity) {
  const auto& list = spec.diagnostics.list();
  return std::any_of(list.begin(), list.end(), [&](const load::Diagnostic& d) {
    return d.code == code && d.severity == severity;
  });
}

// OAI's fixtures for OpenAPI 3.1 documents: every pass/ document is accepted, every
// fail/ document rejected.
TEST(OaiFixtures, PassDocumentsAreAccepted) {
  TETHER_REQUIRE_SHARED(root, "openapi/oai/v3.1-schema-tests/pass");
  // security-scheme-object-examples.yaml has a remote $ref; remote references are never
  // fetched, so the test serves its target from a local folder as a user would.
  TempDir mirror;
  mirror.write("api/openapi.json",
               R"({"components": {"externalDocs": {"ThingExternalDocs": {"type": "http", "scheme": "bearer"}}}})");
  load::LoadOptions options;
  options.urlMappings.push_back({"https://example.com/", mirror.path()});
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    LoadedSpec spec = checked(entry.path(), options);
    EXPECT_FALSE(spec.diagnostics.hasErrors()) << entry.path() << "\n" << allDiagnostics(spec);
    ++count;
  }
  EXPECT_EQ(count, 35);
}

TEST(OaiFixtures, FailDocumentsAreRejected) {
  TETHER_REQUIRE_SHARED(root, "openapi/oai/v3.1-schema-tests/fail");
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    LoadedSpec spec = checked(entry.path());
    EXPECT_TRUE(spec.diagnostics.hasErrors()) << entry.path() << " was accepted";
    for (const auto& d : spec.diagnostics.list()) {
      EXPECT_GT(d.location.line, 0u) << "every finding has a line: " << d.message;
    }
    ++count;
  }
  EXPECT_EQ(count, 11);
}

TEST(OaiFixtures, OfficialExamplesValidate) {
  TETHER_REQUIRE_SHARED(root, "openapi/oai/examples");
  int count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    LoadedSpec spec = checked(entry.path());
    EXPECT_FALSE(spec.diagnostics.hasErrors()) << entry.path() << "\n" << allDiagnostics(spec);
    ++count;
  }
  EXPECT_GT(count, 10);
}

TEST(Checker, SemanticRules) {
  TempDir dir;
  auto entry = dir.write("api.yaml", R"(openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: same
      parameters:
        - {name: other, in: path, required: true, schema: {type: string}}
      security:
        - nope: []
        - oauth: [unknown:scope]
      responses:
        '200': {description: ok}
  /b:
    get:
      operationId: same
      responses:
        '600': {description: not a status}
  /a/{name}:
    get:
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        default: {description: ok}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://t.example.test', scopes: {read: r}}
)");
  LoadedSpec spec = checked(entry);
  using load::Severity;
  EXPECT_TRUE(hasCode(spec, "operation-id-duplicate", Severity::Error)) << allDiagnostics(spec);
  EXPECT_TRUE(hasCode(spec, "oas-status-code", Severity::Error));
  EXPECT_TRUE(hasCode(spec, "path-ambiguous", Severity::Error));
  EXPECT_TRUE(hasCode(spec, "path-parameter-undeclared", Severity::Warning));
  EXPECT_TRUE(hasCode(spec, "path-parameter-unused", Severity::Warning));
  EXPECT_TRUE(hasCode(spec, "security-unknown-scheme", Severity::Warning));
  EXPECT_TRUE(hasCode(spec, "security-unknown-scope", Severity::Warning));
}

TEST(Checker, StructuralRulesNameFieldAndObject) {
  TempDir dir;
  auto entry = dir.write("api.yaml", R"(openapi: 3.1.0
info: {title: t}
paths:
  /a:
    get:
      operationId: a
      summry: typo
      parameters:
        - {name: q, in: body, schema: {type: string}}
        - {name: h, in: header, style: form, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: strng}}}}
)");
  LoadedSpec spec = checked(entry);
  std::string all = allDiagnostics(spec);
  EXPECT_NE(all.find("api.yaml:2:7: error: Info Object is missing the required field 'version'"), std::string::npos) << all;
  EXPECT_NE(all.find("api.yaml:7:7: error: unknown field 'summry' in Operation Object [#/paths/~1a/get/summry]"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("'in' must be query, header, path or cookie, not 'body'"), std::string::npos) << all;
  EXPECT_NE(all.find("style 'form' is not allowed in header"), std::string::npos) << all;
  EXPECT_NE(all.find("'strng' is not a schema type"), std::string::npos) << all;
}

TEST(Checker, FixtureSpecsAreClean) {
  for (const char* name : {"multi/openapi.yaml", "v30/openapi.yaml"}) {
    LoadedSpec spec = checked(tether::testing::fixture(name));
    EXPECT_TRUE(spec.diagnostics.empty()) << name << "\n" << allDiagnostics(spec);
  }
}

}  // namespace
}  // namespace tether::check
