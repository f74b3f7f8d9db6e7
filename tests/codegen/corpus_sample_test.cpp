// The APIs.guru corpus (../shared/data/openapi/apis-guru-corpus: 1,322 real specs, extracted
// into the build folder on first use) in CI: every sampled spec generates, and a sample of
// the generated outputs compiles (-fsyntax-only -Wall -Wextra -Werror), except the specs
// listed in corpus-exceptions.txt, each with its reason (Kiota's way). A listed spec that
// works again fails the test, so the list stays true.
//
// CI's build is sanitized and unoptimized: there `tether generate` takes about 15 times as
// long as a release build's (20 minutes for the whole corpus). So CI runs a sample that
// rotates: TETHER_CORPUS_SAMPLE specs (default 120) below 1 MB, drawn with the seed
// TETHER_CORPUS_SEED (default: the day number, a different sample each day), and
// TETHER_CORPUS_COMPILE of them (default 3, from the smallest half) compiled. Set
// TETHER_CORPUS_SAMPLE=all for every spec, the largest included (bench/codegen/corpus.sh
// does the same with the release build; bench/codegen/corpus_compile.sh compiles them all).
// The seed is printed: a failure is reproduced by setting it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "corpus_support.h"
#include "support/shared_data.h"

namespace {

namespace fs = std::filesystem;
using tether::testing::corpus::compileAll;
using tether::testing::corpus::generate;
using tether::testing::corpus::quote;
using tether::testing::corpus::tail;

constexpr std::uintmax_t kSampleBytes = 1 << 20;

// corpus-exceptions.txt: "<spec>  <generate|compile>  <reason>" a line, '#' comments.
struct Exception {
  std::string stage;
  std::string reason;
};

std::map<std::string, Exception> readExceptions() {
  std::map<std::string, Exception> out;
  std::ifstream in(fs::path(TETHER_CODEGEN_TEST_DIR) / "corpus-exceptions.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string spec, stage;
    fields >> spec >> stage;
    std::string reason;
    std::getline(fields >> std::ws, reason);
    out[spec] = Exception{stage, reason};
  }
  return out;
}

// The corpus, extracted once into the build folder; empty (after skipping or failing the
// test) when ../shared is absent.
// The two tests run as two processes at once under ctest: each extracts into its own
// folder and renames it into place; the second rename finds the folder there and its copy
// is dropped.
fs::path corpusRoot() {
  const fs::path root = fs::path(TETHER_CORPUS_DIR);
  if (fs::exists(root)) return root;
  const fs::path archive = tether::testing::sharedDataRoot() / "openapi/apis-guru-corpus/apis-guru-dev.tar.xz";
  if (!fs::exists(archive)) return {};
  const fs::path staging = root.string() + ".extracting." + std::to_string(::getpid());
  fs::remove_all(staging);
  fs::create_directories(staging);
  std::string command = "tar xJf " + quote(archive.string()) + " -C " + quote(staging.string());
  if (std::system(command.c_str()) != 0) return {};
  std::error_code taken;
  fs::rename(staging, root, taken);
  if (taken) fs::remove_all(staging);
  return fs::exists(root) ? root : fs::path();
}

// Every spec of the corpus, relative to its root, sorted.
std::vector<std::string> corpusSpecs(const fs::path& root) {
  std::vector<std::string> specs;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(root)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file() && (extension == ".json" || extension == ".yaml" || extension == ".yml")) {
      specs.push_back(fs::relative(entry.path(), root).string());
    }
  }
  std::sort(specs.begin(), specs.end());
  return specs;
}

std::uint64_t seed() {
  if (const char* text = std::getenv("TETHER_CORPUS_SEED")) return std::strtoull(text, nullptr, 10);
  using Days = std::chrono::duration<std::int64_t, std::ratio<86400>>;
  return static_cast<std::uint64_t>(std::chrono::duration_cast<Days>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::size_t envCount(const char* name, std::size_t fallback) {
  const char* text = std::getenv(name);
  return text == nullptr ? fallback : std::strtoull(text, nullptr, 10);
}

bool everySpec() {
  const char* text = std::getenv("TETHER_CORPUS_SAMPLE");
  return text != nullptr && std::string(text) == "all";
}

// `count` specs drawn from `pool` with `rng`, in the corpus order.
std::vector<std::string> draw(std::vector<std::string> pool, std::size_t count, std::mt19937_64& rng) {
  std::shuffle(pool.begin(), pool.end(), rng);
  pool.resize(std::min(count, pool.size()));
  std::sort(pool.begin(), pool.end());
  return pool;
}

class CorpusSample : public ::testing::Test {
 protected:
  void SetUp() override {
    TETHER_REQUIRE_SHARED(archive, "openapi/apis-guru-corpus/apis-guru-dev.tar.xz");
    root_ = corpusRoot();
    ASSERT_FALSE(root_.empty()) << "could not extract " << archive;
    all_ = corpusSpecs(root_);
    ASSERT_GE(all_.size(), 1300u) << "the corpus has 1,322 specs";
    exceptions_ = readExceptions();
    for (const auto& [spec, exception] : exceptions_) {
      EXPECT_TRUE(std::binary_search(all_.begin(), all_.end(), spec)) << "corpus-exceptions.txt names " << spec
                                                                       << ", which the corpus does not hold";
      EXPECT_TRUE(exception.stage == "generate" || exception.stage == "compile") << spec << ": " << exception.stage;
      EXPECT_FALSE(exception.reason.empty()) << spec << " is listed without a reason";
    }
    for (const std::string& spec : all_) {
      if (fs::file_size(root_ / spec) < kSampleBytes) small_.push_back(spec);
    }
    seed_ = seed();
    std::cout << "[ corpus   ] seed " << seed_ << " (TETHER_CORPUS_SEED reproduces this sample)\n";
  }

  bool listed(const std::string& spec, const char* stage) const {
    auto found = exceptions_.find(spec);
    return found != exceptions_.end() && found->second.stage == stage;
  }

  fs::path root_;
  std::vector<std::string> all_, small_;
  std::map<std::string, Exception> exceptions_;
  std::uint64_t seed_ = 0;
};

TEST_F(CorpusSample, EverySampledSpecGeneratesUnlessListed) {
  std::mt19937_64 rng(seed_);
  const std::vector<std::string> sample = everySpec() ? all_ : draw(small_, envCount("TETHER_CORPUS_SAMPLE", 120), rng);
  const fs::path out = fs::path(TETHER_CORPUS_OUT) / "generate";
  fs::remove_all(out);
  // Two specs at a time (CI's machine has two cores; ctest runs other tests beside).
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  struct Result {
    std::string spec;
    bool ok;
    std::size_t index;  // its folder under `out`
    bool operator<(const Result& other) const { return spec < other.spec; }
  };
  std::vector<Result> results;
  auto worker = [&] {
    for (std::size_t i = next++; i < sample.size(); i = next++) {
      const fs::path dir = out / std::to_string(i);
      fs::create_directories(dir);
      bool ok = generate(TETHER_BINARY, root_ / sample[i], dir, dir / "generate.log", "-q");
      if (ok) fs::remove_all(dir);  // only failures keep their output and log
      std::lock_guard<std::mutex> lock(mutex);
      results.push_back({sample[i], ok, i});
    }
  };
  std::thread second(worker);
  worker();
  second.join();
  std::sort(results.begin(), results.end());
  std::size_t generated = 0;
  for (const auto& [spec, ok, index] : results) {
    generated += ok ? 1 : 0;
    if (listed(spec, "generate")) {
      EXPECT_FALSE(ok) << spec << " generates now: remove it from corpus-exceptions.txt ("
                       << exceptions_.at(spec).reason << ")";
    } else {
      EXPECT_TRUE(ok) << spec << " does not generate:\n" << tail(out / std::to_string(index) / "generate.log", 10);
    }
  }
  std::cout << "[ corpus   ] " << generated << " of " << sample.size() << " sampled specs generate ("
            << all_.size() << " in the corpus, " << small_.size() << " below 1 MB)\n";
}

TEST_F(CorpusSample, SampledOutputsCompileUnlessListed) {
  // From the smallest half: a compile of a large spec's output takes minutes.
  std::vector<std::pair<std::uintmax_t, std::string>> bySize;
  for (const std::string& spec : small_) bySize.emplace_back(fs::file_size(root_ / spec), spec);
  std::sort(bySize.begin(), bySize.end());
  std::vector<std::string> smaller;
  for (std::size_t i = 0; i < bySize.size() / 2; ++i) smaller.push_back(bySize[i].second);
  std::mt19937_64 rng(seed_ ^ 0x9e3779b97f4a7c15ull);
  const std::vector<std::string> sample = draw(smaller, envCount("TETHER_CORPUS_COMPILE", 3), rng);
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const std::string& spec = sample[i];
    if (listed(spec, "generate")) continue;
    const fs::path out = fs::path(TETHER_CORPUS_OUT) / "compile" / std::to_string(i);
    fs::remove_all(out);
    fs::create_directories(out);
    const fs::path log = out / "build.log";
    ASSERT_TRUE(generate(TETHER_BINARY, root_ / spec, out, log, "-q")) << spec << ":\n" << tail(log, 10);
    std::size_t files = 0;
    const bool compiles = compileAll(TETHER_CXX, TETHER_RUNTIME_INCLUDES, out, log, files);
    std::cout << "[ corpus   ] " << spec << ": " << files << " files " << (compiles ? "compile" : "do not compile")
              << "\n";
    if (listed(spec, "compile")) {
      EXPECT_FALSE(compiles) << spec << " compiles now: remove it from corpus-exceptions.txt";
    } else {
      EXPECT_TRUE(compiles) << spec << " (" << log << "):\n" << tail(log, 30);
    }
  }
}

}  // namespace
