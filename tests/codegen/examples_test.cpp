// Every example of a spec goes through the C++ generated from that spec, and through the
// runtime engine:
//
//   - it is validated by the runtime engine (tether::schema, via the conformance runner's
//     compiled contract) and, when the spec has a generated validator for its schema, by
//     that validator too; the two must agree;
//   - when its schema is a declared model type (a struct, a union, an enum, an alias), or
//     an array or map of one, it is read into that type, written back and compared with the
//     example as JSON; the catalog also checks that reading the written value gives an equal
//     value: parse(serialize(x)) == x.
//
// Examples are those of request and response bodies (callbacks and webhooks included),
// parameters, and every schema (`example`/`examples`, at any depth: inline schemas are
// types of their own in the IR).
//
// Real-world specs have examples that break their own schemas. Those are listed, with the
// reason, in examples_known/<spec>.txt (as Kiota lists the specs it cannot build): a listed
// example must still fail, so the list stays true, and an unlisted failure fails the test.
//
// One executable per spec: this driver, compiled once, linked with the spec's generated
// code and its examples_glue.cpp (examples_glue.h says why); see CMakeLists.txt.
#include <gtest/gtest.h>

#include "support/shared_data.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "examples_glue.h"
#include "tether/codegen/cpp_types.h"
#include "tether/conformance/checker.h"
#include "tether/schema/evaluator.h"

namespace {

namespace ir = tether::ir;
namespace schema = tether::schema;

using tether::examples::specUnderTest;

struct Example {
  std::string where;  // "createPet request application/json example 'default'"
  ir::TypeId type = ir::kNoType;
  schema::Direction direction = schema::Direction::None;
  nlohmann::json value;
};

bool isJson(const std::string& mediaType) {
  std::string base = mediaType.substr(0, mediaType.find(';'));
  return base == "application/json" || base.ends_with("+json") || base == "*/*";
}

struct Collected {
  std::vector<Example> examples;
  std::size_t notJson = 0;  // examples of other media types (text, XML, binary)
};

Collected collect(const ir::Api& api) {
  Collected out;
  auto add = [&](std::string where, ir::TypeId type, schema::Direction direction, const ir::Json& value) {
    if (type == ir::kNoType) return;
    out.examples.push_back({std::move(where), type, direction, nlohmann::json::parse(value.dump())});
  };
  auto media = [&](const std::string& where, const ir::MediaType& m, schema::Direction direction) {
    for (const auto& [name, value] : m.examples) {
      if (!isJson(m.mediaType)) {
        ++out.notJson;
        continue;
      }
      add(where + " " + m.mediaType + " example '" + name + "'", m.type, direction, value);
    }
  };
  std::function<void(const std::string&, const ir::Operation&)> operation = [&](const std::string& prefix,
                                                                                const ir::Operation& op) {
    const std::string name = prefix + tether::conformance::operationName(op);
    for (const ir::Parameter& p : op.parameters) {
      if (!p.mediaType.empty() && !isJson(p.mediaType)) continue;
      for (std::size_t i = 0; i < p.examples.size(); ++i) {
        add(name + " parameter '" + p.name + "' example " + std::to_string(i), p.type, schema::Direction::Request,
            p.examples[i]);
      }
    }
    if (op.requestBody) {
      for (const auto& m : op.requestBody->contents) media(name + " request", m, schema::Direction::Request);
    }
    for (const auto& response : op.responses) {
      for (const auto& m : response.contents) media(name + " " + response.status, m, schema::Direction::Response);
    }
    for (const auto& callback : op.callbacks) {
      for (const auto& inner : callback.operations) operation(name + " callback '" + callback.name + "' ", inner);
    }
  };
  for (const auto& op : api.operations) operation("", op);
  for (const auto& hook : api.webhooks) {
    for (const auto& op : hook.operations) operation("webhook '" + hook.name + "' ", op);
  }
  for (const ir::Type& type : api.types) {
    if (!type.schema.is_object() || !type.schema.contains("examples") || !type.schema["examples"].is_array()) continue;
    const ir::Json& examples = type.schema["examples"];
    for (std::size_t i = 0; i < examples.size(); ++i) {
      add("schema '" + type.name + "' example " + std::to_string(i), type.id, schema::Direction::None, examples[i]);
    }
  }
  return out;
}

// examples_known/<spec>.txt: "<where> | <why it fails>" per line; '#' starts a comment.
std::map<std::string, std::string> knownFailures() {
  std::map<std::string, std::string> out;
  std::ifstream in(specUnderTest().known);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t bar = line.rfind(" | ");
    if (bar == std::string::npos) {
      ADD_FAILURE() << specUnderTest().known << ": no ' | reason' in: " << line;
      continue;
    }
    out[line.substr(0, bar)] = line.substr(bar + 3);
  }
  return out;
}

std::string firstErrors(const schema::Result& result) {
  std::string out;
  for (std::size_t i = 0; i < result.errors.size() && i < 3; ++i) {
    const schema::OutputUnit& e = result.errors[i];
    out += "\n    at '" + e.instance_location + "' (" + e.keyword_location + "): " + e.error;
  }
  return out;
}

std::string oneLine(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != '\n') out += c;
  }
  return out;
}

class Checker {
 public:
  explicit Checker(const tether::conformance::Contract& contract) : contract_(contract), types_(contract.api()) {}

  // Empty when the example passes; else why not.
  std::string check(const Example& example) {
    const ir::Type& type = contract_.api().type(example.type);
    schema::EvaluateOptions options;
    options.direction = example.direction;
    // The runtime engine here is the conformance runner's, which does not assert formats;
    // the generated validator carries them (for servers' requests) and is asked not to.
    options.assert_formats = false;
    const schema::Program* program = contract_.program(example.type);
    if (program == nullptr) return "the runtime engine has no program for schema '" + type.name + "'";
    schema::Result result = schema::evaluate(*program, example.value, options);
    auto generated = specUnderTest().validators->find(type.cppName);
    if (generated != specUnderTest().validators->end()) {
      ++generatedChecks;
      if (generated->second(example.value, options) != result.valid) {
        return std::string("the generated validator and the runtime engine disagree (runtime says ") +
               (result.valid ? "valid" : "invalid") + ")";
      }
    }
    if (!result.valid) return "invalid against schema '" + type.name + "':" + firstErrors(result);
    ++validated;
    return roundTrip(example.type, example.value);
  }

  std::size_t validated = 0;
  std::size_t generatedChecks = 0;
  std::size_t roundTripped = 0;  // values read and written back (elements of arrays and maps count one each)
  std::size_t scalars = 0;       // valid values of schemas with no declared type (a string, an integer)

 private:
  std::string roundTrip(ir::TypeId id, const nlohmann::json& value) {
    const ir::Type& type = contract_.api().type(id);
    if (types_.declKind(id) == tether::codegen::DeclKind::None) {
      // Spelled inline: an array or a map of a declared type goes through it element by
      // element; anything else (scalars, inline any) has nothing generated to go through.
      if (type.kind == ir::TypeKind::Array && type.items != ir::kNoType && value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          std::string error = roundTripDeclared(type.items, value[i]);
          if (!error.empty()) return "item " + std::to_string(i) + ": " + error;
        }
        return {};
      }
      if (type.kind == ir::TypeKind::Map && type.extraType != ir::kNoType && value.is_object()) {
        for (const auto& [key, member] : value.items()) {
          std::string error = roundTripDeclared(type.extraType, member);
          if (!error.empty()) return "member '" + key + "': " + error;
        }
        return {};
      }
      ++scalars;
      return {};
    }
    return roundTripDeclared(id, value);
  }

  std::string roundTripDeclared(ir::TypeId id, const nlohmann::json& value) {
    if (types_.declKind(id) == tether::codegen::DeclKind::None) {
      ++scalars;
      return {};
    }
    const ir::Type& type = contract_.api().type(id);
    nlohmann::json out;
    std::string error;
    if (!specUnderTest().reserialize(type.name, value, out, error)) {
      return "does not round-trip through " + type.cppName + ": " + error;
    }
    if (out != value) {
      return "writes back differently through " + type.cppName + ":\n    in:  " + value.dump() +
             "\n    out: " + out.dump();
    }
    nlohmann::json again;
    if (!specUnderTest().reserialize(type.name, out, again, error) || again != out) {
      return "the written value does not write back to itself through " + type.cppName;
    }
    ++roundTripped;
    return {};
  }

  const tether::conformance::Contract& contract_;
  tether::codegen::CppTypes types_;
};

TEST(Examples, EveryExampleValidatesAndRoundTrips) {
  std::filesystem::path spec = std::filesystem::path(TETHER_PROJECT_DIR) / specUnderTest().spec;
  if (specUnderTest().shared) {
    TETHER_REQUIRE_SHARED(found, specUnderTest().spec);
    spec = found;
  }
  ASSERT_NE(specUnderTest().reserialize, nullptr)
      << spec << " exists now but did not when the build was configured: reconfigure";
  std::shared_ptr<tether::conformance::Contract> contract = tether::conformance::Contract::load(spec.string());
  Collected collected = collect(contract->api());
  std::map<std::string, std::string> known = knownFailures();
  Checker checker(*contract);

  // TETHER_EXAMPLES_DUMP=<file>: writes the unlisted failures in the list's format, to
  // review and add with their reasons when a spec is added or updated.
  std::ofstream dump;
  if (const char* path = std::getenv("TETHER_EXAMPLES_DUMP")) dump.open(path);
  std::set<std::string> seen;
  std::size_t knownFailed = 0;
  for (const Example& example : collected.examples) {
    if (!seen.insert(example.where).second) {
      ADD_FAILURE() << "two examples are both named: " << example.where;
      continue;
    }
    std::string error = checker.check(example);
    auto listed = known.find(example.where);
    if (listed != known.end()) {
      EXPECT_FALSE(error.empty()) << example.where << " passes now: remove it from " << specUnderTest().known
                                  << " (listed because: " << listed->second << ")";
      if (!error.empty()) ++knownFailed;
      known.erase(listed);
      continue;
    }
    EXPECT_TRUE(error.empty()) << example.where << ": " << error;
    if (!error.empty() && dump.is_open()) dump << example.where << " | " << oneLine(error) << "\n";
  }
  for (const auto& [where, why] : known) {
    ADD_FAILURE() << specUnderTest().known << " lists an example the spec does not have: " << where;
  }
  std::cout << "[ examples ] " << spec.filename().string() << ": " << collected.examples.size() << " examples, "
            << checker.validated << " valid (" << checker.generatedChecks
            << " also by a generated validator), " << checker.roundTripped << " values round-tripped through "
            << "the generated models, " << checker.scalars << " values of schemas with no declared type, " << knownFailed
            << " known to break their schema (listed), " << collected.notJson << " not JSON\n";
  RecordProperty("examples", static_cast<int>(collected.examples.size()));
  RecordProperty("round_tripped", static_cast<int>(checker.roundTripped));
}

}  // namespace
