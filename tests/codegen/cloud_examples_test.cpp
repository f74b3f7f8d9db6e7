// Every example of the Cloud API (generated/openapi.json) whose media type schema is a
// declared model type goes through the generated models: read, written back, and compared
// with the example as JSON; the catalog also checks that reading the written value gives an
// equal value (parse(serialize(x)) == x). The models are generated at build time from the
// same file (see CMakeLists.txt); the IR built here only tells which examples to use.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "cloud/models.h"
#include "tether/codegen/cpp_types.h"
#include "tether/ir/builder.h"
#include "tether/load/loader.h"

namespace {

struct Example {
  std::string where;  // "createProject 201 application/json example 'default'"
  std::string schema;
  nlohmann::json value;
};

bool isJson(const std::string& mediaType) {
  std::string base = mediaType.substr(0, mediaType.find(';'));
  return base == "application/json" || base.ends_with("+json");
}

struct Collected {
  std::vector<Example> examples;
  std::size_t notDeclared = 0;  // examples whose schema has no declaration (a string, an inline array)
  std::size_t notJson = 0;      // examples of other media types
};

Collected collect(const tether::ir::Api& api) {
  tether::codegen::CppTypes types(api);
  Collected out;
  auto media = [&](const std::string& where, const tether::ir::MediaType& m) {
    for (const auto& [name, value] : m.examples) {
      if (!isJson(m.mediaType)) {
        ++out.notJson;
        continue;
      }
      if (m.type == tether::ir::kNoType || types.declKind(m.type) == tether::codegen::DeclKind::None) {
        ++out.notDeclared;
        continue;
      }
      out.examples.push_back({where + " " + m.mediaType + " example '" + name + "'", api.type(m.type).name,
                              nlohmann::json::parse(value.dump())});
    }
  };
  std::function<void(const tether::ir::Operation&)> operation = [&](const tether::ir::Operation& op) {
    if (op.requestBody) {
      for (const auto& m : op.requestBody->contents) media(op.operationId + " request", m);
    }
    for (const auto& response : op.responses) {
      for (const auto& m : response.contents) media(op.operationId + " " + response.status, m);
    }
    for (const auto& callback : op.callbacks) {
      for (const auto& inner : callback.operations) operation(inner);
    }
  };
  for (const auto& op : api.operations) operation(op);
  for (const auto& hook : api.webhooks) {
    for (const auto& op : hook.operations) operation(op);
  }
  return out;
}

TEST(CloudApiExamples, EveryExampleOfADeclaredTypeRoundTrips) {
  tether::load::LoadedSpec loaded = tether::load::loadSpec(TETHER_CLOUD_SPEC);
  ASSERT_FALSE(loaded.diagnostics.hasErrors());
  tether::ir::Api api = tether::ir::build(loaded);
  Collected collected = collect(api);
  // The spec has examples on most of its operations; an empty list means the walk broke.
  ASSERT_GT(collected.examples.size(), 50u);

  std::size_t passed = 0;
  for (const Example& example : collected.examples) {
    nlohmann::json out;
    std::string error;
    if (!cloud::reserialize(example.schema, example.value, out, error)) {
      ADD_FAILURE() << example.where << " (" << example.schema << "): " << error;
      continue;
    }
    if (out != example.value) {
      ADD_FAILURE() << example.where << " (" << example.schema << ") writes back differently:\n  in:  "
                    << example.value.dump() << "\n  out: " << out.dump();
      continue;
    }
    // Writing is stable: the written value reserializes to itself.
    nlohmann::json again;
    EXPECT_TRUE(cloud::reserialize(example.schema, out, again, error) && again == out) << example.where;
    ++passed;
  }
  std::cout << "[ cloud    ] " << passed << " of " << collected.examples.size()
            << " examples round-tripped through the generated models (" << collected.notDeclared
            << " more have a schema with no declared type, " << collected.notJson << " are not JSON)\n";
  RecordProperty("examples", static_cast<int>(collected.examples.size()));
  RecordProperty("passed", static_cast<int>(passed));
}

}  // namespace
