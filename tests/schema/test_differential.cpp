// Differential test: tether's runtime engine against valijson (draft 7) on the draft-7
// suite and on seeded random instances. Every disagreement must be listed, with its
// reason, in the expected-disagreement tables below; an unlisted one fails the test, and so
// does a listed one that no longer occurs (so the tables stay honest).
#include <gtest/gtest.h>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "suite_runner.h"
#include "support/shared_data.h"

namespace {

using namespace tether::schema;
using nlohmann::json;
namespace fs = std::filesystem;

// Suite cases ("file: case description") where valijson and tether disagree on at least one
// test, and why. tether's answer is the suite's expected answer in every one of them.
const std::string kValijsonNoIdResolution =
    "valijson does not build base URIs from embedded $id values: it tries to fetch the $ref "
    "target as a separate document instead of resolving it inside the schema";
const std::string kValijsonNoAnchorId =
    "valijson does not support draft-7 location-independent identifiers ($id: \"#foo\")";
const std::string kValijsonDecimalCount =
    "valijson rejects an integer-valued decimal (2.0) for a count keyword at schema load; draft 7 "
    "accepts any integer-valued number";
const std::map<std::string, std::string> kSuiteDisagreements = {
    {"format.json: date format", "valijson asserts 'date' by default; in draft 7 format is an annotation "
                                 "unless assertion is opted in (tether: CompileOptions::format_assertion)"},
    {"format.json: date-time format", "valijson asserts 'date-time' by default (see date format)"},
    {"format.json: time format", "valijson asserts 'time' by default (see date format)"},
    {"maxItems.json: maxItems validation with a decimal", kValijsonDecimalCount},
    {"maxLength.json: maxLength validation with a decimal", kValijsonDecimalCount},
    {"maxProperties.json: maxProperties validation with a decimal", kValijsonDecimalCount},
    {"minItems.json: minItems validation with a decimal", kValijsonDecimalCount},
    {"minLength.json: minLength validation with a decimal", kValijsonDecimalCount},
    {"minProperties.json: minProperties validation with a decimal", kValijsonDecimalCount},
    {"multipleOf.json: small multiple of large integer",
     "valijson divides in binary floating point; tether decides multipleOf exactly on decimals"},
    {"type.json: integer type matches integers",
     "valijson (strong types) does not count 1.0 as an integer; JSON Schema does"},
    {"ref.json: $ref prevents a sibling $id from changing the base uri", kValijsonNoIdResolution},
    {"ref.json: Recursive references between schemas", kValijsonNoIdResolution},
    {"ref.json: Location-independent identifier", kValijsonNoAnchorId},
    {"ref.json: Reference an anchor with a non-relative URI", kValijsonNoIdResolution},
    {"ref.json: Location-independent identifier with base URI change in subschema", kValijsonNoIdResolution},
    {"ref.json: refs with relative uris and defs", kValijsonNoIdResolution},
    {"ref.json: relative refs with absolute uris and defs", kValijsonNoIdResolution},
    {"ref.json: $id must be resolved against nearest parent, not just immediate parent", kValijsonNoIdResolution},
    {"ref.json: simple URN base URI with $ref via the URN", kValijsonNoIdResolution},
    {"ref.json: URN base URI with URN and JSON pointer ref", kValijsonNoIdResolution},
    {"ref.json: URN base URI with URN and anchor ref", kValijsonNoIdResolution},
    {"ref.json: ref to if", kValijsonNoIdResolution},
    {"ref.json: ref to then", kValijsonNoIdResolution},
    {"ref.json: ref to else", kValijsonNoIdResolution},
    {"ref.json: ref with absolute-path-reference", kValijsonNoIdResolution},
    {"ref.json: empty tokens in $ref json-pointer",
     "valijson cannot follow a JSON pointer with an empty token (a property named \"\")"},
    {"refRemote.json: base URI change", kValijsonNoIdResolution},
    {"refRemote.json: base URI change - change folder", kValijsonNoIdResolution},
    {"refRemote.json: base URI change - change folder in subschema", kValijsonNoIdResolution},
    {"refRemote.json: root ref in remote ref",
     "valijson resolves a relative $ref inside a remote document against the wrong base URI"},
    {"refRemote.json: remote ref with ref to definitions",
     "valijson resolves a relative $ref inside a remote document against the wrong base URI"},
    {"refRemote.json: Location-independent identifier in remote ref", kValijsonNoAnchorId},
    {"refRemote.json: retrieved nested refs resolve relative to their URI not $id",
     "valijson resolves a relative $ref inside a remote document against the wrong base URI"},
    {"refRemote.json: $ref to $ref finds location-independent $id", kValijsonNoAnchorId},
};


// valijson fetches remote documents through this callback: it gets the same documents as
// tether (the suite's remotes and the embedded meta-schemas), never the network.
const Registry* g_registry = nullptr;

const json* fetchRemote(const std::string& uri) {
  const json* doc = g_registry ? g_registry->find(uri) : nullptr;
  return doc ? new json(*doc) : nullptr;
}
void freeRemote(const json* doc) { delete doc; }

std::unique_ptr<valijson::Schema> valijsonCompile(const json& schema, std::string& error) {
  auto compiled = std::make_unique<valijson::Schema>();
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled, fetchRemote, freeRemote);
  } catch (const std::exception& e) {
    error = e.what();
    return nullptr;
  }
  return compiled;
}

bool valijsonValidate(const valijson::Schema& schema, const json& instance) {
  valijson::Validator validator;
  valijson::adapters::NlohmannJsonAdapter adapter(instance);
  return validator.validate(schema, adapter, nullptr);
}

TEST(SchemaDifferential, Draft7SuiteAgainstValijson) {
  TETHER_REQUIRE_SHARED(suite, "json-schema-test-suite");
  Registry registry = tether::schema::testing::suiteRegistry(suite);
  g_registry = &registry;
  CompileOptions options;
  options.default_dialect = Dialect::Draft7;
  std::set<std::string> seen;
  int compared = 0, agreed = 0;
  std::vector<std::string> unexplained;
  for (const auto& file : tether::schema::testing::suiteFiles(suite / "tests" / "draft7")) {
    std::ifstream in(file);
    for (const auto& test_case : json::parse(in)) {
      std::string key = file.filename().string() + ": " + test_case["description"].get<std::string>();
      Program program = compile(test_case["schema"], registry, options);
      std::string error;
      auto other = valijsonCompile(test_case["schema"], error);
      bool disagree = false;
      for (const auto& test : test_case["tests"]) {
        ++compared;
        bool ours = validate(program, test["data"]);
        bool theirs = other ? valijsonValidate(*other, test["data"]) : !ours;
        if (ours == theirs) ++agreed;
        else disagree = true;
      }
      if (!disagree) continue;
      seen.insert(key);
      if (!kSuiteDisagreements.count(key))
        unexplained.push_back(key + (other ? "" : " (valijson could not compile: " + error + ")"));
    }
  }
  std::cout << "[valijson differential, draft7 suite] " << agreed << " agreed, " << (compared - agreed)
            << " disagreed (" << seen.size() << " cases, all explained below)" << std::endl;
  for (const auto& u : unexplained) ADD_FAILURE() << "unexplained disagreement: " << u;
  for (const auto& [key, reason] : kSuiteDisagreements)
    EXPECT_TRUE(seen.count(key)) << "listed disagreement no longer occurs: " << key;
  g_registry = nullptr;
}

// --- randomized instances ------------------------------------------------------------------

// OpenAPI-like draft-7 schemas without `format` (whose assertion is optional) and with
// ASCII-only patterns (valijson uses std::regex, tether ECMA-262 on PCRE2).
const char* kRandomSchemas[] = {
    R"({"type": "object", "required": ["id", "name"], "additionalProperties": false,
        "properties": {"id": {"type": "integer", "minimum": 1, "maximum": 1000000},
                       "name": {"type": "string", "minLength": 1, "maxLength": 8, "pattern": "^[a-z]+$"},
                       "status": {"enum": ["available", "pending", "sold"]},
                       "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true, "maxItems": 4},
                       "price": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.5}}})",
    R"({"definitions": {"node": {"type": "object", "properties": {"value": {"type": ["integer", "null"]},
                                   "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}}}},
        "$ref": "#/definitions/node"})",
    R"({"oneOf": [{"type": "object", "required": ["kind"], "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer", "maximum": 9}}},
                  {"type": "object", "required": ["kind"], "properties": {"kind": {"const": "dog"}, "bark": {"type": "boolean"}}}]})",
    R"({"type": "array", "items": [{"type": "string"}, {"type": "number"}], "additionalItems": false,
        "contains": {"type": "number", "minimum": 10}, "minItems": 1})",
    R"({"type": "object", "dependencies": {"card": ["billing"], "name": {"required": ["id"]}},
        "propertyNames": {"maxLength": 5}, "patternProperties": {"^x-": {"type": "string"}},
        "minProperties": 1, "maxProperties": 4,
        "if": {"required": ["id"]}, "then": {"properties": {"id": {"type": "integer"}}}, "else": {"not": {"required": ["name"]}}})",
    R"({"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer", "multipleOf": 3}, {"type": "array", "maxItems": 2}],
        "not": {"enum": [0, "no", [], null]}})",
};

class RandomJson {
 public:
  explicit RandomJson(std::uint32_t seed) : rng_(seed) {}

  json value(int depth) {
    switch (pick(depth > 3 ? 6 : 8)) {
      case 0: return nullptr;
      case 1: return pick(2) == 0;
      case 2: return integer();
      case 3: return number();
      case 4: case 5: return string();
      case 6: {
        json a = json::array();
        for (int i = pick(5); i > 0; --i) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        static const char* keys[] = {"id", "name", "status", "tags", "price", "kind", "lives", "bark",
                                     "value", "children", "card", "billing", "x-a", "x-long", "other"};
        for (int i = pick(6); i > 0; --i) o[keys[pick(15)]] = value(depth + 1);
        return o;
      }
    }
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  json integer() {
    static const std::int64_t special[] = {0, 1, 3, 9, 10, 1000000, 1000001, -1};
    return pick(2) ? json(special[pick(8)]) : json(std::uniform_int_distribution<std::int64_t>(-50, 50)(rng_));
  }
  json number() {
    static const double special[] = {0.5, 1.5, 2.0, 10.0, 12.25, -0.5, 0.1, 1e6};
    return special[pick(8)];
  }
  json string() {
    static const char* strings[] = {"", "a", "abc", "abcd", "cat", "dog", "available", "sold",
                                    "no", "Abc", "abcdefghij", "x1", "\u00e9t\u00e9", "\u2603\u2603\u2603"};
    return json::parse("\"" + std::string(strings[pick(14)]) + "\"");
  }
  std::mt19937 rng_;
};

// True when `v` holds an integer-valued float (2.0): JSON Schema counts it as an integer
// (and equal to 2), valijson's strong typing does not.
bool hasIntegralFloat(const json& v) {
  if (v.is_number_float()) return v.get<double>() == static_cast<double>(static_cast<std::int64_t>(v.get<double>()));
  if (v.is_array() || v.is_object())
    for (const auto& e : v)
      if (hasIntegralFloat(e)) return true;
  return false;
}

TEST(SchemaDifferential, RandomInstancesAgainstValijson) {
  constexpr std::uint32_t kSeed = 20240601;
  constexpr int kInstancesPerSchema = 1500;
  RandomJson generate(kSeed);
  CompileOptions options;
  options.default_dialect = Dialect::Draft7;
  int compared = 0, agreed = 0, explained = 0;
  for (const char* text : kRandomSchemas) {
    json schema = json::parse(text);
    Program program = compile(schema, options);
    std::string error;
    auto other = valijsonCompile(schema, error);
    ASSERT_TRUE(other) << error;
    for (int i = 0; i < kInstancesPerSchema; ++i) {
      json instance = generate.value(0);
      bool ours = validate(program, instance);
      bool theirs = valijsonValidate(*other, instance);
      ++compared;
      if (ours == theirs) {
        ++agreed;
        continue;
      }
      // The one explained disagreement: integer-valued floats (see hasIntegralFloat).
      if (hasIntegralFloat(instance)) {
        ++explained;
        continue;
      }
      ADD_FAILURE() << "unexplained disagreement: schema " << schema.dump() << "\ninstance " << instance.dump()
                    << "\ntether " << ours << ", valijson " << theirs;
    }
  }
  std::cout << "[valijson differential, random instances, seed " << kSeed << "] " << agreed << " agreed, "
            << (compared - agreed) << " disagreed (" << explained
            << " explained: integer-valued floats such as 2.0)" << std::endl;
  EXPECT_GT(agreed, compared * 9 / 10);
}

}  // namespace
