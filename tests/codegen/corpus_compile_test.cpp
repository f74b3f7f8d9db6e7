// The generated code compiles for real-world specs: the Cloud API, every OAI example, the
// DigitalOcean spec and every spec in ../shared/data/openapi/apis-guru/. For each spec the
// test runs `tether generate` (models, validators, server stubs, client bindings) and
// compiles every generated file with
//
//   <c++> -std=c++20 -fsyntax-only -Wall -Wextra -Werror -I <runtime include dirs>
//
// -fsyntax-only checks everything the compiler front end checks (templates instantiated,
// warnings) without code generation, which bounds the time on CI: code generation is most
// of a compile at -O0 for this kind of code. The spec is generated as one part per kind
// (--parts 1) and the files are compiled as one unit (all.cpp includes them), so the
// runtime headers and the models header are parsed once per spec; the parallel compile of
// several parts is what the compile-time benchmark measures.
//
// Two executables share this file: tether_codegen_corpus_tests (label corpus-compile, run
// by CI) and tether_codegen_corpus_large_tests (label corpus-large: DigitalOcean and
// Kubernetes, whose front-end time alone is several CPU-minutes per file; not in CI's time
// budget, run with `ctest --preset debug -L corpus-large`; see README.md).
//
// A spec that is known not to compile is listed below with its reason (as Kiota lists the
// specs it cannot build): its test then expects the failure, and fails when the spec starts
// to compile, so the list stays true. Nothing is skipped silently: the shared specs skip
// with a message when ../shared is absent, and fail under CI=true.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "corpus_support.h"
#include "support/shared_data.h"

namespace {

namespace fs = std::filesystem;

struct CorpusSpec {
  const char* name;  // the test's name
  const char* path;  // under ../shared/data, or under the project for the Cloud API
  bool shared;
  // Why the generated code does not compile; empty when it must compile.
  const char* knownFailure;
};

std::ostream& operator<<(std::ostream& out, const CorpusSpec& spec) { return out << spec.name; }

// The OAI examples come in YAML and JSON with the same content; the YAML ones are used.
#if TETHER_CORPUS_LARGE
const CorpusSpec kSpecs[] = {
    {"digitalocean", "openapi/digitalocean/DigitalOcean-public.v2.yaml", true, ""},
    {"apis_guru_kubernetes", "openapi/apis-guru/kubernetes.io.json", true, ""},
};
#else
const CorpusSpec kSpecs[] = {
    {"cloud_api", "spec/openapi.yaml", false, ""},
    {"oai_v30_api_with_examples", "openapi/oai/examples/v3.0/api-with-examples.yaml", true, ""},
    {"oai_v30_callback_example", "openapi/oai/examples/v3.0/callback-example.yaml", true, ""},
    {"oai_v30_link_example", "openapi/oai/examples/v3.0/link-example.yaml", true, ""},
    {"oai_v30_petstore", "openapi/oai/examples/v3.0/petstore.yaml", true, ""},
    {"oai_v30_petstore_expanded", "openapi/oai/examples/v3.0/petstore-expanded.yaml", true, ""},
    {"oai_v30_uspto", "openapi/oai/examples/v3.0/uspto.yaml", true, ""},
    {"oai_v31_non_oauth_scopes", "openapi/oai/examples/v3.1/non-oauth-scopes.yaml", true, ""},
    {"oai_v31_webhook_example", "openapi/oai/examples/v3.1/webhook-example.yaml", true, ""},
    {"apis_guru_adyen_checkout", "openapi/apis-guru/adyen.CheckoutService-v71.json", true, ""},
    {"apis_guru_discourse", "openapi/apis-guru/discourse.json", true, ""},
    {"apis_guru_vercel", "openapi/apis-guru/vercel.com.json", true, ""},
};
#endif

using tether::testing::corpus::compileAll;
using tether::testing::corpus::generate;
using tether::testing::corpus::tail;

class CorpusCompile : public ::testing::TestWithParam<CorpusSpec> {};

TEST_P(CorpusCompile, GeneratedCodeCompiles) {
  const CorpusSpec& corpus = GetParam();
  fs::path spec;
  if (corpus.shared) {
    TETHER_REQUIRE_SHARED(found, corpus.path);
    spec = found;
  } else {
    spec = fs::path(TETHER_PROJECT_DIR) / corpus.path;
  }
  const fs::path out = fs::path(TETHER_CORPUS_OUT) / corpus.name;
  fs::remove_all(out);
  fs::create_directories(out);
  const fs::path log = out / "build.log";

  ASSERT_TRUE(generate(TETHER_BINARY, spec, out, log, "--no-format"))
      << "tether generate failed for " << spec << ":\n" << tail(log, 20);
  std::size_t files = 0;
  bool compiles = compileAll(TETHER_CXX, TETHER_RUNTIME_INCLUDES, out, log, files);
  ASSERT_GT(files, 0u);
  RecordProperty("files", static_cast<int>(files));
  if (corpus.knownFailure[0] == '\0') {
    EXPECT_TRUE(compiles) << files << " files generated from " << spec << "; errors (" << log << "):\n" << tail(log, 40);
  } else {
    EXPECT_FALSE(compiles) << spec << " compiles now: remove it from the known failures (" << corpus.knownFailure
                           << ")";
    if (!compiles) std::cout << "[ known    ] " << corpus.name << " does not compile: " << corpus.knownFailure << "\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Specs, CorpusCompile, ::testing::ValuesIn(kSpecs),
                         [](const ::testing::TestParamInfo<CorpusSpec>& param) { return std::string(param.param.name); });

}  // namespace
