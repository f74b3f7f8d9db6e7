// `tether diff`: each kind of breaking change is detected, with its location, and
// additions that clients may ignore are not reported as breaking.
#include <gtest/gtest.h>

#include <algorithm>

#include "test_util.h"
#include "tether/diff/diff.h"
#include "tether/ir/builder.h"

namespace tether::diff {
namespace {

using tether::testing::TempDir;

const std::string kBase = R"(openapi: 3.1.0
info: {title: Items, version: 1.0.0}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.test/token
          scopes: {items:read: r, items:write: w, admin: a}
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        tags: {type: array, items: {type: string}}
    ItemCreate:
      type: object
      required: [name]
      properties:
        name: {type: string}
        color: {type: string, enum: [red, green]}
security:
  - oauth: [items:read]
paths:
  /items:
    get:
      operationId: listItems
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
    post:
      operationId: createItem
      security:
        - oauth: [items:write]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ItemCreate'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
  /items/{id}:
    delete:
      operationId: deleteItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<Change> diffAgainstBase(const std::string& changed) {
  TempDir dir;
  load::LoadedSpec before = load::loadSpec(dir.write("old.yaml", kBase));
  load::LoadedSpec after = load::loadSpec(dir.write("new.yaml", changed));
  EXPECT_FALSE(before.diagnostics.hasErrors()) << tether::testing::allDiagnostics(before);
  EXPECT_FALSE(after.diagnostics.hasErrors()) << tether::testing::allDiagnostics(after);
  return compare(ir::build(before), ir::build(after));
}

std::vector<Change> breaking(const std::vector<Change>& changes) {
  std::vector<Change> out;
  std::copy_if(changes.begin(), changes.end(), std::back_inserter(out), [](const Change& c) { return c.breaking; });
  return out;
}

struct Mutation {
  const char* name;
  std::string from;
  std::string to;
  const char* code;
  const char* operation;
};

void PrintTo(const Mutation& m, std::ostream* out) { *out << m.name; }

class BreakingChanges : public ::testing::TestWithParam<Mutation> {};

TEST_P(BreakingChanges, AreDetectedWithTheirOperationAndLocation) {
  const Mutation& m = GetParam();
  std::vector<Change> found = breaking(diffAgainstBase(replaced(kBase, m.from, m.to)));
  ASSERT_EQ(found.size(), 1u) << m.name << ": " << (found.empty() ? "none" : found[0].code + " " + found[1].code);
  EXPECT_EQ(found[0].code, m.code);
  EXPECT_EQ(found[0].operation, m.operation);
  EXPECT_FALSE(found[0].message.empty());
  EXPECT_GT(found[0].origin.line, 0u);
  EXPECT_NE(found[0].origin.file.find(".yaml"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, BreakingChanges,
    ::testing::Values(
        Mutation{"path removed", "  /items/{id}:\n    delete:", "  /other/{id}:\n    delete:", "path-removed", "DELETE /items/{id}"},
        Mutation{"operation removed", "    post:\n      operationId: createItem", "    put:\n      operationId: createItem",
                 "operation-removed", "POST /items"},
        Mutation{"response field removed", "        name: {type: string}\n        tags:", "        tags:",
                 "response-field-removed", "GET /items"},
        Mutation{"new required request field", "      required: [name]\n      properties:\n        name: {type: string}\n        color:",
                 "      required: [name, size]\n      properties:\n        name: {type: string}\n        size: {type: integer}\n        color:",
                 "request-field-added-required", "POST /items"},
        Mutation{"new required parameter", "        - {name: limit, in: query, schema: {type: integer}}",
                 "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: region, in: query, required: true, schema: {type: string}}",
                 "parameter-added-required", "GET /items"},
        Mutation{"parameter type narrowed", "{name: limit, in: query, schema: {type: integer}}",
                 "{name: limit, in: query, schema: {type: boolean}}", "request-type-narrowed", "GET /items"},
        Mutation{"enum narrowed", "enum: [asc, desc]", "enum: [asc]", "request-enum-narrowed", "GET /items"},
        Mutation{"status code changed", "        '201':\n          description: created", "        '200':\n          description: created",
                 "response-status-changed", "POST /items"},
        Mutation{"security stricter", "        - oauth: [items:write]", "        - oauth: [items:write, admin]",
                 "security-stricter", "POST /items"}));

TEST(Diff, AdditionsAreNotBreaking) {
  std::string changed = replaced(kBase, "        - {name: limit, in: query, schema: {type: integer}}",
                                 "        - {name: limit, in: query, schema: {type: integer}}\n"
                                 "        - {name: q, in: query, schema: {type: string}}");
  changed = replaced(changed, "        tags: {type: array, items: {type: string}}",
                     "        tags: {type: array, items: {type: string}}\n        created_at: {type: string, format: date-time}");
  changed = replaced(changed, "enum: [red, green]", "enum: [red, green, blue]");
  changed += "  /health:\n    get:\n      operationId: health\n      responses:\n        '200': {description: ok}\n";
  std::vector<Change> changes = diffAgainstBase(changed);
  EXPECT_TRUE(breaking(changes).empty()) << breaking(changes)[0].message;
  auto has = [&](const char* code) {
    return std::any_of(changes.begin(), changes.end(), [&](const Change& c) { return c.code == code; });
  };
  EXPECT_TRUE(has("operation-added"));
  EXPECT_TRUE(has("parameter-added"));
  EXPECT_TRUE(has("field-added"));
}

TEST(Diff, SameApiInAnotherLayoutHasNoChanges) {
  // Inline the Item schema instead of referencing it: the API is the same.
  std::string changed = replaced(kBase, "              schema: {$ref: '#/components/schemas/Item'}",
                                 "              schema:\n                type: object\n                required: [id, name]\n"
                                 "                properties:\n                  id: {type: string}\n                  name: {type: string}\n"
                                 "                  tags: {type: array, items: {type: string}}");
  EXPECT_TRUE(diffAgainstBase(changed).empty());
}

}  // namespace
}  // namespace tether::diff
