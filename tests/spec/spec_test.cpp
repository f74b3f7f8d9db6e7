// The Cloud API spec (spec/): loads and checks clean, covers every resource group with
// the operations listed below, every example validates against its schema (with
// tether's own JSON Schema engine, by direction), and its bundle is stable.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "tether/bundle/bundler.h"
#include "tether/check/checker.h"
#include "tether/doc/json_pointer.h"
#include "tether/ir/builder.h"
#include "tether/load/loader.h"
#include "tether/schema/schema.h"

namespace {

const std::filesystem::path kRoot = TETHER_SOURCE_DIR;

std::string diagnosticsOf(const tether::load::LoadedSpec& spec) {
  std::string out;
  for (const auto& d : spec.diagnostics.list()) out += tether::load::format(d, spec.sources) + "\n";
  return out;
}

class CloudApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spec_ = new tether::load::LoadedSpec(tether::load::loadSpec(kRoot / "spec/openapi.yaml"));
    tether::check::checkSpec(*spec_);
    api_ = new tether::ir::Api(tether::ir::build(*spec_));
  }
  static void TearDownTestSuite() {
    delete api_;
    delete spec_;
  }
  static tether::load::LoadedSpec* spec_;
  static tether::ir::Api* api_;
};
tether::load::LoadedSpec* CloudApi::spec_ = nullptr;
tether::ir::Api* CloudApi::api_ = nullptr;

TEST_F(CloudApi, ValidatesWithoutErrorsOrWarnings) {
  EXPECT_TRUE(spec_->diagnostics.empty()) << diagnosticsOf(*spec_);
  EXPECT_EQ(spec_->version(), "3.1.0");
}

TEST_F(CloudApi, CoversEveryResourceGroup) {
  const std::map<std::string, std::size_t> expected = {
      {"Users", 3},        {"API Keys", 6},        {"Access Tokens", 4},  {"Workspaces", 5},
      {"Members", 5},      {"Audit Log", 2},       {"Projects", 5},       {"Environments", 5},
      {"Environment Variables", 5}, {"Services", 12}, {"Deployments", 6}, {"Service Env Vars", 8},
      {"Secrets", 12},     {"Instances", 9},       {"Regions & Sizes", 4}, {"Databases", 13},
      {"Redis", 13},       {"Storage", 11},        {"Email", 12},         {"Email Domains", 9},
      {"Email Webhooks", 5}, {"DNS", 10},          {"Metrics", 4},        {"Webhooks", 10},
      {"Billing", 4},      {"Events", 2}};
  std::map<std::string, std::size_t> counted;
  for (const auto& op : api_->operations) {
    ASSERT_EQ(op.tags.size(), 1u) << op.operationId << " has one tag";
    ++counted[op.tags[0]];
    EXPECT_FALSE(op.operationIdSynthesized) << op.method << " " << op.path;
    EXPECT_FALSE(op.summary.empty()) << op.operationId;
    EXPECT_FALSE(op.effectiveSecurity.empty()) << op.operationId << " declares its security";
  }
  EXPECT_EQ(counted, expected);
  EXPECT_GE(api_->operations.size(), 120u);
  EXPECT_EQ(api_->webhooks.size(), 50u);
}

TEST_F(CloudApi, EveryOperationDocumentsItsErrors) {
  for (const auto& op : api_->operations) {
    std::set<std::string> statuses;
    for (const auto& r : op.responses) statuses.insert(r.status);
    for (const char* status : {"400", "401", "403", "429"}) {
      EXPECT_EQ(statuses.count(status), 1u) << op.operationId << " lacks " << status;
    }
    if (op.requestBody) {
      for (const char* status : {"413", "415", "422"}) {
        EXPECT_EQ(statuses.count(status), 1u) << op.operationId << " lacks " << status;
      }
    }
  }
}

// Walks the bundle and validates each example against the schema beside it.
class ExampleChecker {
 public:
  explicit ExampleChecker(const nlohmann::json& bundle) : bundle_(bundle) {
    registry_.add(kUri, bundle_);
  }

  void checkAll() {
    walk(bundle_["paths"], "/paths", false);
    walk(bundle_["webhooks"], "/webhooks", true);
    walk(bundle_["components"], "/components", false);
  }

  int checked = 0;
  std::vector<std::string> failures;

 private:
  static constexpr const char* kUri = "https://tether.test/cloud-api.json";

  void validate(const std::string& schemaPointer, const nlohmann::json& value, tether::schema::Direction direction,
                const std::string& where) {
    nlohmann::json ref = {{"$ref", std::string(kUri) + "#" + schemaPointer}};
    tether::schema::CompileOptions options;
    options.format_assertion = true;
    auto program = tether::schema::compile(ref, registry_, options);
    tether::schema::EvaluateOptions evaluate;
    evaluate.direction = direction;
    auto result = tether::schema::evaluate(program, value, evaluate);
    ++checked;
    if (!result.valid) failures.push_back(where + ": " + result.toBasicOutput().dump());
  }

  // Media types and parameters carry `schema` beside `example(s)`.
  void walk(const nlohmann::json& node, const std::string& pointer, bool serverSent, bool inResponse = false,
            bool inRequest = false) {
    if (!node.is_object()) return;
    if (node.contains("schema") && node["schema"].is_object()) {
      auto direction = inRequest ? (serverSent ? tether::schema::Direction::Response : tether::schema::Direction::Request)
                       : inResponse ? tether::schema::Direction::Response
                                    : tether::schema::Direction::None;
      std::string schemaPointer = pointer + "/schema";
      if (node.contains("example")) validate(schemaPointer, node["example"], direction, pointer + "/example");
      if (node.contains("examples") && node["examples"].is_object()) {
        for (const auto& [name, example] : node["examples"].items()) {
          const nlohmann::json* resolved = &example;
          if (example.contains("$ref")) {
            std::string target = example["$ref"].get<std::string>().substr(1);
            resolved = &bundle_.at(nlohmann::json::json_pointer(target));
          }
          if (resolved->contains("value")) {
            validate(schemaPointer, (*resolved)["value"], direction,
                     pointer + "/examples/" + tether::doc::escapePointerToken(name));
          }
        }
      }
    }
    for (const auto& [key, child] : node.items()) {
      if (key == "example" || key == "examples" || key == "schema") continue;
      walk(child, pointer + "/" + tether::doc::escapePointerToken(key), serverSent,
           inResponse || key == "responses", inRequest || key == "requestBody");
    }
  }

  const nlohmann::json& bundle_;
  tether::schema::Registry registry_;
};

TEST_F(CloudApi, EveryExampleValidatesAgainstItsSchema) {
  nlohmann::json bundle = nlohmann::json::parse(tether::bundle::toJsonText(tether::bundle::bundle(*spec_)));
  ExampleChecker checker(bundle);
  checker.checkAll();
  EXPECT_GE(checker.checked, 300) << "every request and response body has an example";
  for (const std::string& failure : checker.failures) ADD_FAILURE() << failure;
}

TEST_F(CloudApi, BundleIsByteIdenticalAndMatchesThePublishedFile) {
  std::string first = tether::bundle::toJsonText(tether::bundle::bundle(*spec_));
  tether::load::LoadedSpec again = tether::load::loadSpec(kRoot / "spec/openapi.yaml");
  std::string second = tether::bundle::toJsonText(tether::bundle::bundle(again));
  EXPECT_EQ(first, second);
  std::ifstream published(kRoot / "generated/openapi.json");
  std::string text(std::istreambuf_iterator<char>(published), {});
  EXPECT_EQ(first, text) << "generated/openapi.json is stale: run tools/regenerate.sh";
}

}  // namespace
