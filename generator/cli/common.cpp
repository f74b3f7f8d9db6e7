#include <filesystem>
#include <iostream>
#include <map>

#include "commands.h"

namespace tether::cli {

void LoadFlags::addTo(CLI::App& command) {
  command.add_option("--map-url", mappings,
                     "Serve remote $refs under PREFIX from local folder DIR (PREFIX=DIR); "
                     "without a mapping a remote $ref is an error, nothing is fetched");
  command.add_option("--max-file-size", maxFileBytes, "Refuse input files larger than this many bytes")
      ->capture_default_str();
  command.add_flag("-q,--quiet", quiet, "Print errors only; warnings are counted by code on one line");
}

std::optional<load::LoadOptions> LoadFlags::options() const {
  load::LoadOptions options;
  options.maxFileBytes = maxFileBytes;
  for (const std::string& mapping : mappings) {
    std::size_t equals = mapping.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::cerr << "tether: --map-url expects PREFIX=DIR, got '" << mapping << "'\n";
      return std::nullopt;
    }
    options.urlMappings.push_back({mapping.substr(0, equals), std::filesystem::path(mapping.substr(equals + 1))});
  }
  return options;
}

std::size_t report(const load::LoadedSpec& spec, bool quiet) {
  for (const load::Diagnostic& d : spec.diagnostics.list()) {
    if (!quiet || d.severity == load::Severity::Error) std::cerr << load::format(d, spec.sources) << "\n";
  }
  return spec.diagnostics.errorCount();
}

std::string countByCode(const std::vector<std::string>& codes) {
  std::map<std::string, std::size_t> counts;
  for (const std::string& code : codes) ++counts[code.empty() ? "other" : code];
  std::string out;
  for (const auto& [code, count] : counts) out += (out.empty() ? " (" : ", ") + std::to_string(count) + " " + code;
  return out.empty() ? out : out + ")";
}

std::optional<load::LoadedSpec> loadSpecFile(const std::string& path, const LoadFlags& flags) {
  std::optional<load::LoadOptions> options = flags.options();
  if (!options) return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    std::cerr << "tether: cannot read '" << path << "': "
              << (std::filesystem::exists(path, ec) ? "not a regular file" : "no such file") << "\n";
    return std::nullopt;
  }
  return load::loadSpec(path, *options);
}

std::optional<load::LoadedSpec> SpecInput::load(int& exitCode) const {
  std::optional<load::LoadedSpec> loaded = loadSpecFile(path, flags);
  if (!loaded) exitCode = kUsage;
  return loaded;
}

std::optional<load::LoadedSpec> SpecInput::loadClean(int& exitCode) const {
  std::optional<load::LoadedSpec> loaded = load(exitCode);
  if (loaded && flags.quiet) {
    std::vector<std::string> codes;
    for (const load::Diagnostic& d : loaded->diagnostics.list()) {
      if (d.severity != load::Severity::Error) codes.push_back(d.code);
    }
    if (!codes.empty()) std::cerr << path << ": " << codes.size() << " warning(s)" << countByCode(codes) << "\n";
  }
  if (loaded && report(*loaded, flags.quiet) > 0) {
    exitCode = kFindings;
    return std::nullopt;
  }
  return loaded;
}

std::shared_ptr<SpecInput> addSpecInput(CLI::App& command) {
  auto input = std::make_shared<SpecInput>();
  command.add_option("spec", input->path, "The entry file (YAML or JSON)")->required();
  input->flags.addTo(command);
  return input;
}

}  // namespace tether::cli
