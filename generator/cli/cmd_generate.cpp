#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "commands.h"
#include "tether/codegen/client.h"
#include "tether/codegen/models.h"
#include "tether/codegen/server.h"
#include "tether/codegen/validators.h"
#include "tether/ir/builder.h"

namespace tether::cli {

namespace {

struct GenerateFlags {
  std::string irPath;
  std::string cppDir;
  std::string cppNamespace = "api";
  std::string source;
  bool models = false;
  bool validators = false;
  bool server = false;
  bool client = false;
  std::size_t parts = 4;
  bool format = false;
  bool noFormat = false;  // the default now; accepted so existing build scripts keep working
  bool timings = false;
  unsigned jobs = 0;  // 0: one per core
};

struct EmitResult {
  codegen::GeneratedFiles files;
  std::string error;
  long long wallMs = 0;
};

struct EmitJob {
  const char* kind;
  codegen::GeneratedFiles (*emit)(const ir::Api&, const codegen::CodegenOptions&);
  std::future<EmitResult> result{};
  std::promise<EmitResult> promise{};
};

// Emits the kinds on worker threads (one per core unless told): the emitters only read the
// IR, and on large specs the kinds take comparable time. Each job's result arrives through
// its future. Destroying the pool stops it from starting more jobs and joins the workers,
// so a caller that returns early (the validators refused the spec) waits for no more than
// the jobs already running.
class EmitPool {
 public:
  EmitPool(const ir::Api& api, const codegen::CodegenOptions& options, std::vector<EmitJob>& jobs,
           unsigned threads)
      : api_(api), options_(options), jobs_(jobs) {
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, static_cast<unsigned>(jobs.size()));
    for (EmitJob& job : jobs) job.result = job.promise.get_future();
    for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
  }
  ~EmitPool() { stop_ = true; }  // then workers_, the last member, joins

 private:
  void work() {
    for (std::size_t i = next_++; i < jobs_.size(); i = next_++) {
      EmitResult result;
      auto start = std::chrono::steady_clock::now();
      try {
        if (stop_) throw std::runtime_error("not emitted: generation stopped");
        result.files = jobs_[i].emit(api_, options_);
      } catch (const std::exception& e) {
        result.error = e.what();
      }
      result.wallMs =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
      jobs_[i].promise.set_value(std::move(result));
    }
  }

  const ir::Api& api_;
  const codegen::CodegenOptions& options_;
  std::vector<EmitJob>& jobs_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::jthread> workers_;
};

// Wall time of each stage on stderr (--timings): where a large spec's generate time goes.
class StageClock {
 public:
  explicit StageClock(bool on) : on_(on), last_(std::chrono::steady_clock::now()) {}
  void report(const char* stage, long long ms) const {
    if (on_) std::cerr << "tether: " << stage << " " << ms << " ms (on a worker)\n";
  }
  void restart() { last_ = std::chrono::steady_clock::now(); }
  void lap(const char* stage) {
    auto now = std::chrono::steady_clock::now();
    if (on_)
      std::cerr << "tether: " << stage << " "
                << std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count() << " ms\n";
    last_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

bool writeIr(const ir::Api& api, const std::string& path) {
  std::string text = ir::toJson(api).dump(2) + "\n";
  if (path == "-") {
    std::cout << text;
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) std::cerr << "tether: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

void addGenerate(CLI::App& app, int& exitCode) {
  auto* command = app.add_subcommand(
      "generate",
      "Compile a spec into C++ (--cpp DIR) and/or its intermediate representation as JSON (--ir). "
      "With --cpp and no part selected, every part is generated.");
  auto input = addSpecInput(*command);
  auto flags = std::make_shared<GenerateFlags>();
  command->add_option("--ir", flags->irPath, "Write the IR as JSON to this file ('-' for stdout)");
  command->add_option("--cpp", flags->cppDir, "Write C++ sources into this directory");
  command->add_option("--namespace", flags->cppNamespace, "C++ namespace of the generated code")
      ->capture_default_str();
  command->add_option("--source", flags->source,
                      "How generated files name their spec (default: the spec path as given)");
  command->add_flag("--models", flags->models, "Generate the model types");
  command->add_flag("--validators", flags->validators, "Generate validators for the operations' types");
  command->add_flag("--server", flags->server,
                   "Generate server stubs: handler interfaces and routes (implies --models --validators)");
  command->add_flag("--client", flags->client,
                   "Generate client bindings: a class per tag over tether::client (implies --models --validators)");
  command->add_option("--parts", flags->parts, "Translation units per kind of generated code (exactly this many files)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  command->add_flag("--format", flags->format,
                   "Run clang-format (TETHER_CLANG_FORMAT, else clang-format on PATH) over the output. Off by "
                   "default: the output is already consistently indented");
  command->add_flag("--no-format", flags->noFormat, "Do not run clang-format (the default)");
  command->add_option("--jobs", flags->jobs,
                      "Kinds emitted at the same time (default: one per core; 1 emits them one after another)");
  command->add_flag("--timings", flags->timings, "Print the time of each stage (load, IR, each kind emitted and written) on stderr");
  command->callback([=, &exitCode] {
    if (flags->irPath.empty() && flags->cppDir.empty()) flags->irPath = "-";
    StageClock clock(flags->timings);
    ir::Api api;
    // The loaded documents are dropped once the IR is built: no emitter reads them. Freeing
    // a large spec's millions of nodes takes a while, so a thread does it beside the emitters.
    std::jthread freeDocuments;
    {
      std::optional<load::LoadedSpec> loaded = input->loadClean(exitCode);
      if (!loaded) return;
      clock.lap("load");
      api = ir::build(*loaded);
      clock.lap("ir");
      freeDocuments = std::jthread([documents = std::move(loaded)]() mutable { documents.reset(); });
    }
    if (!flags->irPath.empty() && !writeIr(api, flags->irPath)) {
      exitCode = kUsage;
      return;
    }
    if (flags->cppDir.empty()) return;
    codegen::CodegenOptions options;
    options.cppNamespace = flags->cppNamespace;
    options.source = flags->source.empty() ? input->path : flags->source;
    options.format = flags->format && !flags->noFormat;
    options.parts = flags->parts;
    bool all = !flags->models && !flags->validators && !flags->server && !flags->client;
    if (flags->server) flags->models = flags->validators = true;
    if (flags->client) flags->models = flags->validators = true;
    std::vector<EmitJob> jobs;
    // Validators first: they are the kind that can refuse a spec (a schema the validator
    // compiler cannot compile), and then nothing else is written either. The others in
    // order of their cost, so that the workers finish together.
    if (all || flags->validators) jobs.push_back({"validators", codegen::emitValidators});
    if (all || flags->server) jobs.push_back({"server", codegen::emitServer});
    if (all || flags->client) jobs.push_back({"client", codegen::emitClient});
    if (all || flags->models) jobs.push_back({"models", codegen::emitModels});
    EmitPool pool(api, options, jobs, flags->jobs);
    // Each kind is written as soon as it is emitted and the validators succeeded, and its
    // text dropped.
    for (EmitJob& job : jobs) {
      EmitResult result = job.result.get();
      if (!result.error.empty()) {
        std::cerr << "tether: " << result.error << "\n";
        exitCode = kFindings;
        return;
      }
      clock.report(job.kind, result.wallMs);
      clock.restart();  // the write's own time, not the wait for the kind
      std::string error;
      if (!codegen::writeFiles(flags->cppDir, result.files, error, {job.kind})) {
        std::cerr << "tether: " << error << "\n";
        exitCode = kUsage;
        return;
      }
      clock.lap((std::string("write ") + job.kind).c_str());
    }
  });
}

}  // namespace tether::cli
