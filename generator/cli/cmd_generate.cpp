#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

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
};

// Wall time of each stage on stderr (--timings): where a large spec's generate time goes.
class StageClock {
 public:
  explicit StageClock(bool on) : on_(on), last_(std::chrono::steady_clock::now()) {}
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
  command->add_flag("--timings", flags->timings, "Print the time of each stage (load, IR, each kind emitted and written) on stderr");
  command->callback([=, &exitCode] {
    if (flags->irPath.empty() && flags->cppDir.empty()) flags->irPath = "-";
    StageClock clock(flags->timings);
    ir::Api api;
    {
      // The loaded documents are dropped once the IR is built: no emitter reads them.
      std::optional<load::LoadedSpec> loaded = input->loadClean(exitCode);
      if (!loaded) return;
      clock.lap("load");
      api = ir::build(*loaded);
      clock.lap("ir");
    }
    clock.lap("free documents");
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
    // Each kind is written as soon as it is emitted and its text dropped, so the peak
    // memory holds one kind's output, not all four (graph-beta's is 340 MB of C++).
    auto emitAndWrite = [&](const char* kind, auto emit) {
      codegen::GeneratedFiles files;
      try {
        files = emit(api, options);
      } catch (const std::exception& e) {
        std::cerr << "tether: " << e.what() << "\n";
        exitCode = kFindings;
        return false;
      }
      clock.lap(kind);
      std::string error;
      if (!codegen::writeFiles(flags->cppDir, files, error, {kind})) {
        std::cerr << "tether: " << error << "\n";
        exitCode = kUsage;
        return false;
      }
      clock.lap("write");
      return true;
    };
    // Validators first: they are the kind that can refuse a spec (a schema the validator
    // compiler cannot compile), and then nothing else is written either.
    if ((all || flags->validators) && !emitAndWrite("validators", codegen::emitValidators)) return;
    if ((all || flags->models) && !emitAndWrite("models", codegen::emitModels)) return;
    if ((all || flags->server) && !emitAndWrite("server", codegen::emitServer)) return;
    if ((all || flags->client) && !emitAndWrite("client", codegen::emitClient)) return;
  });
}

}  // namespace tether::cli
