// The subcommands of the `tether` command-line tool; each registers itself on the app.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "tether/load/loader.h"

namespace tether::cli {

// Exit codes, as documented in `tether --help` and the README.
enum Exit : int { kOk = 0, kFindings = 1, kUsage = 2 };

// Options every command that loads a spec accepts.
struct LoadFlags {
  std::vector<std::string> mappings;  // PREFIX=DIR
  std::uint64_t maxFileBytes = 128ull << 20;
  bool quiet = false;  // errors only, then a count of the warnings by code

  void addTo(CLI::App& command);
  // nullopt (after printing why) when a mapping is malformed.
  std::optional<load::LoadOptions> options() const;
};

// Loads the spec (its problems stay in its diagnostics). Returns nullopt, after saying
// why on stderr, when the entry file cannot be opened or a flag is malformed.
std::optional<load::LoadedSpec> loadSpecFile(const std::string& path, const LoadFlags& flags);

// Prints diagnostics to stderr; returns the number of errors.
std::size_t report(const load::LoadedSpec& spec, bool quiet = false);
// " (3 oas-unknown-field, 1 pattern-left-out)" for warnings with those codes; "" for none.
std::string countByCode(const std::vector<std::string>& codes);

// The positional spec argument and the load flags of a command that reads one spec.
struct SpecInput {
  std::string path;
  LoadFlags flags;

  // Loads the spec; nullopt with exitCode = 2 when the file cannot be opened.
  std::optional<load::LoadedSpec> load(int& exitCode) const;
  // Loads the spec and prints its diagnostics; nullopt with exitCode = 1 when it has
  // errors, for commands that need a spec that loads cleanly.
  std::optional<load::LoadedSpec> loadClean(int& exitCode) const;
};

std::shared_ptr<SpecInput> addSpecInput(CLI::App& command);

void addValidate(CLI::App& app, int& exitCode);
void addBundle(CLI::App& app, int& exitCode);
void addGenerate(CLI::App& app, int& exitCode);
void addDiff(CLI::App& app, int& exitCode);

}  // namespace tether::cli
