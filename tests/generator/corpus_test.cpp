// Real-world specs nobody here wrote (../shared/data/openapi) load, and their IR has the
// operations and schemas that an independent count finds.
//
// The expected counts were computed outside this project: operations = (path, method)
// pairs under `paths`, schemas = entries of `components.schemas`, counted with Python's
// json/PyYAML on each file; for the multi-file DigitalOcean spec, on the output of
// `redocly bundle` (@redocly/cli 2.77.0, pinned in tools/package.json), which hoists
// every referenced schema file into components.schemas.
#include <gtest/gtest.h>

#include "support/shared_data.h"
#include "test_util.h"
#include "tether/ir/builder.h"

namespace tether::ir {
namespace {

struct CorpusSpec {
  const char* path;
  std::size_t operations;
  std::size_t schemas;
};

void PrintTo(const CorpusSpec& spec, std::ostream* out) { *out << spec.path; }

class Corpus : public ::testing::TestWithParam<CorpusSpec> {};

TEST_P(Corpus, LoadsAndMatchesIndependentCounts) {
  TETHER_REQUIRE_SHARED(root, "openapi");
  const CorpusSpec& expected = GetParam();
  load::LoadedSpec spec = load::loadSpec(root / expected.path);
  ASSERT_FALSE(spec.diagnostics.hasErrors()) << tether::testing::allDiagnostics(spec);
  Api api = build(spec);
  EXPECT_EQ(api.operations.size(), expected.operations);
  EXPECT_EQ(api.namedTypes().size(), expected.schemas);
  // Every operation has a usable name, and no two share one.
  std::set<std::string> names;
  for (const Operation& op : api.operations) {
    EXPECT_FALSE(op.cppName.empty());
    EXPECT_TRUE(names.insert(op.cppName).second) << op.cppName;
  }
}

INSTANTIATE_TEST_SUITE_P(
    RealWorld, Corpus,
    ::testing::Values(CorpusSpec{"digitalocean/DigitalOcean-public.v2.yaml", 659, 897},
                      CorpusSpec{"apis-guru/kubernetes.io.json", 845, 547},
                      CorpusSpec{"apis-guru/adyen.CheckoutService-v71.json", 25, 187},
                      CorpusSpec{"apis-guru/discourse.json", 84, 0},
                      CorpusSpec{"apis-guru/vercel.com.json", 113, 12},
                      CorpusSpec{"oai/examples/v3.0/api-with-examples.yaml", 2, 0},
                      CorpusSpec{"oai/examples/v3.0/callback-example.yaml", 1, 0},
                      CorpusSpec{"oai/examples/v3.0/link-example.yaml", 6, 3},
                      CorpusSpec{"oai/examples/v3.0/petstore-expanded.yaml", 4, 3},
                      CorpusSpec{"oai/examples/v3.0/petstore.json", 3, 3},
                      CorpusSpec{"oai/examples/v3.0/uspto.yaml", 3, 1},
                      CorpusSpec{"oai/examples/v3.1/non-oauth-scopes.yaml", 1, 0},
                      CorpusSpec{"oai/examples/v3.1/webhook-example.json", 0, 1}));

TEST(CorpusFiles, EveryOpenApiDocumentLoads) {
  TETHER_REQUIRE_SHARED(root, "openapi");
  int loaded = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    std::string path = entry.path().generic_string();
    bool document = path.find("/apis-guru/") != std::string::npos || path.find("/oai/examples/") != std::string::npos ||
                    path.find("/v3.1-schema-tests/pass/") != std::string::npos;
    if (!entry.is_regular_file() || !document) continue;
    load::LoadedSpec spec = load::loadSpec(entry.path());
    EXPECT_NE(spec.root(), nullptr) << path;
    Api api = build(spec);  // never throws, whatever the document holds
    EXPECT_FALSE(api.title.empty()) << path;
    ++loaded;
  }
  EXPECT_GE(loaded, 50);
}

TEST(CorpusFiles, DigitalOceanSpansHundredsOfFiles) {
  TETHER_REQUIRE_SHARED(root, "openapi/digitalocean");
  load::LoadedSpec spec = load::loadSpec(root / "DigitalOcean-public.v2.yaml");
  EXPECT_GT(spec.sources.size(), 1000u);
  EXPECT_GT(spec.refCount(), 5000u);
}

}  // namespace
}  // namespace tether::ir
