#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>
#if defined(__GLIBC__)  // (defined by the standard headers above)
#include <malloc.h>
#endif

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
  bool strictPatterns = false;
  bool strictKeywords = false;
  unsigned jobs = 0;  // 0: one per core
};

// Above this many document nodes, `generate` emits the kinds one after another unless
// --jobs says otherwise (see below).
constexpr std::size_t kLargeSpecNodes = 1'000'000;

struct EmitJob {
  const char* kind;
  std::function<codegen::GeneratedFiles()> emit;
  codegen::GeneratedFiles files{};
  std::string error{};
  long long wallMs = 0;
};

// Emits the kinds on worker threads (at least one): the emitters only read the
// IR, and on large specs the kinds take comparable time. `nextDone` hands the jobs back in
// the order they finish, so each kind is written and its text dropped as soon as it is
// ready (graph-beta's output is 340 MB of C++). Destroying the pool stops it from starting
// more jobs and joins the workers, so a caller that returns early waits only for the jobs
// already running.
class EmitPool {
 public:
  EmitPool(std::vector<EmitJob>& jobs, unsigned threads) : jobs_(jobs) {
    threads = std::min<unsigned>(threads, static_cast<unsigned>(jobs.size()));
    for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this] { work(); });
  }
  ~EmitPool() { stop_ = true; }  // then workers_, the last member, joins

  // The next job to finish (blocking), or nullptr once every job was handed back.
  EmitJob* nextDone() {
    std::unique_lock lock(mutex_);
    if (handedBack_ == jobs_.size()) return nullptr;
    doneChanged_.wait(lock, [&] { return !done_.empty(); });
    EmitJob* job = &jobs_[done_.front()];
    done_.erase(done_.begin());
    ++handedBack_;
    return job;
  }

 private:
  void work() {
    for (std::size_t i = next_++; i < jobs_.size(); i = next_++) {
      EmitJob& job = jobs_[i];
      auto start = std::chrono::steady_clock::now();
      try {
        if (stop_) throw std::runtime_error("not emitted: generation stopped");
        job.files = job.emit();
      } catch (const std::exception& e) {
        job.error = e.what();
      }
      job.wallMs =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
      std::lock_guard lock(mutex_);
      done_.push_back(i);
      doneChanged_.notify_one();
    }
  }

  std::vector<EmitJob>& jobs_;
  std::mutex mutex_;
  std::condition_variable doneChanged_;
  std::vector<std::size_t> done_;  // finished, not yet handed back
  std::size_t handedBack_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::vector<std::jthread> workers_;
};

// The process's peak resident memory so far (Linux: VmHWM), as " (peak N MB)", or "".
std::string peakSoFar() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return " (peak " + std::to_string(std::stol(line.substr(6)) / 1024) + " MB)";
  }
  return "";
}

// Wall time of each stage on stderr (--timings): where a large spec's generate time and
// memory go.
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
                << std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count() << " ms"
                << peakSoFar() << "\n";
    last_ = now;
  }

 private:
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

// What `generate` holds until the process exits is not destroyed: exiting gives the memory
// back at once, while freeing EC2's IR node by node took 40 ms and its documents 25 ms.
// (Still reachable from here, so leak checkers do not count it.)
template <typename T>
void keepUntilExit(std::unique_ptr<T> value) {
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::move(value));
}

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
  command->add_flag("--strict-patterns", flags->strictPatterns,
                   "A `pattern` that is neither ECMA-262 nor a known idiom of another regex dialect (Java, PCRE) "
                   "is an error; by default it is left out of the validators with a warning");
  command->add_flag("--strict-keywords", flags->strictKeywords,
                   "A schema keyword with a malformed value (a `type` that is an object, a `pattern` that is not a "
                   "string) is an error; by default it is left out of the validators with a warning");
  command->add_flag("--timings", flags->timings, "Print the time of each stage (load, IR, each kind emitted and written) on stderr");
  command->callback([=, &exitCode] {
    if (flags->irPath.empty() && flags->cppDir.empty()) flags->irPath = "-";
    StageClock clock(flags->timings);
    ir::Api api;
    std::size_t nodes = 0;  // of the spec's documents
    {
      auto loaded = std::make_unique<std::optional<load::LoadedSpec>>(input->loadClean(exitCode));
      if (!*loaded) return;
      for (std::uint32_t i = 0; i < (*loaded)->sources.size(); ++i) nodes += (*loaded)->sources.at(i).arena.size();
      clock.lap(("load (" + std::to_string(nodes) + " nodes)").c_str());
      api = ir::build(**loaded);
      clock.lap("ir");
      // No emitter reads the documents. A large spec drops them before the emitters start:
      // its peak memory is then the IR plus the emitters' output, not the documents too
      // (freeing them on a thread beside the emitters saved 10 ms on Kubernetes and cost
      // 200 MB at the peak on graph-beta). A smaller one keeps them: the emitters' threads
      // allocate from their own malloc arenas and would not reuse that memory anyway.
      if (nodes <= kLargeSpecNodes) {
        keepUntilExit(std::move(loaded));
      } else {
        loaded.reset();
#if defined(__GLIBC__)
        // The documents' freed memory goes back to the system rather than sit unused in the
        // main arena (on graph-beta it raised the peak by 200 MB).
        malloc_trim(0);
#endif
        clock.lap("free documents");
      }
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
    // The validators are the kind that can refuse a spec (a schema the validator compiler
    // cannot compile), and then nothing is written. Their Program compiles on a worker
    // beside the other kinds, which cannot fail on the spec (it was 20 to 30% of the wall
    // time of Stripe and EC2 when it ran first, alone); a kind that finishes before the
    // Program has compiled is held until it has, then every kind is written as it finishes.
    const bool validators = all || flags->validators;
    // A spec as large as Microsoft Graph's (47 MB, 1.5M nodes) emits one kind at a time:
    // its IR is 375 MB, and two emitters' working sets beside it passed 1 GB.
    unsigned threads = flags->jobs;
    if (threads == 0) threads = nodes > kLargeSpecNodes ? 1 : std::max(1u, std::thread::hardware_concurrency());
    // The C++ view of the type table, built once by the first emitter that needs it and
    // then only read (each emitter building its own cost a third of the server and client
    // stages on graph-beta).
    std::once_flag typesBuilt;
    std::optional<codegen::CppTypes> types;
    auto cppTypes = [&]() -> const codegen::CppTypes& {
      std::call_once(typesBuilt, [&] { types.emplace(api); });
      return *types;
    };
    codegen::ValidatorPlanPtr plan;
    std::vector<std::string> patternWarnings;
    std::promise<void> planned;
    std::shared_future<void> planReady = planned.get_future().share();
    const char* const kCompiled = "validators compiled";
    EmitJob compile{kCompiled, [&] {
                      try {
                        plan = codegen::planValidators(api, {flags->strictPatterns, flags->strictKeywords});
                        patternWarnings = codegen::warnings(*plan);  // the plan is freed once printed
                      } catch (...) {
                        planned.set_exception(std::current_exception());
                        throw;
                      }
                      planned.set_value();
                      return codegen::GeneratedFiles{};
                    }};
    EmitJob emitValidators{"validators", [&] {
                             planReady.get();  // rethrows the compile's error
                             codegen::GeneratedFiles files = codegen::emitValidators(*plan, api, options);
                             plan.reset();  // the Program too
                             return files;
                           }};
    std::vector<EmitJob> jobs;
    // The Program first, the rest in order of their cost, so that the workers finish
    // together. On one thread the validators' text follows its Program, which is then freed
    // before the next kind starts; on more it comes last, so that no worker waits for the
    // Program while another kind could start.
    if (validators) jobs.push_back(std::move(compile));
    if (validators && threads == 1) jobs.push_back(std::move(emitValidators));
    if (all || flags->server) jobs.push_back({"server", [&] { return codegen::emitServer(cppTypes(), options); }});
    if (all || flags->client) jobs.push_back({"client", [&] { return codegen::emitClient(cppTypes(), options); }});
    if (all || flags->models) jobs.push_back({"models", [&] { return codegen::emitModels(cppTypes(), options); }});
    if (validators && threads > 1) jobs.push_back(std::move(emitValidators));
    EmitPool pool(jobs, threads);
    bool compiled = !validators;
    std::vector<EmitJob*> held;  // finished before the Program compiled
    while (EmitJob* job = pool.nextDone()) {
      if (!job->error.empty()) {
        std::cerr << "tether: " << job->error << "\n";
        exitCode = kFindings;
        return;
      }
      clock.report(job->kind, job->wallMs);
      if (job->kind == std::string_view(kCompiled)) {
        compiled = true;
        std::vector<std::string> codes;
        for (const std::string& warning : patternWarnings) {
          if (!input->flags.quiet) std::cerr << warning << "\n";
          codes.push_back(warning.substr(warning.rfind('(') + 1, warning.size() - warning.rfind('(') - 2));
        }
        if (!codes.empty()) {
          std::cerr << input->path << ": " << codes.size() << " warning(s) from generating" << countByCode(codes)
                    << "\n";
        }
      } else {
        held.push_back(job);
      }
      if (!compiled) continue;
      for (EmitJob* ready : held) {
        clock.restart();  // the write's own time, not the wait for the kind
        std::string error;
        if (!codegen::writeFiles(flags->cppDir, ready->files, error, {ready->kind})) {
          std::cerr << "tether: " << error << "\n";
          exitCode = kUsage;
          return;
        }
        ready->files.clear();
        clock.lap((std::string("write ") + ready->kind).c_str());
      }
      held.clear();
    }
    keepUntilExit(std::make_unique<ir::Api>(std::move(api)));
  });
}

}  // namespace tether::cli
