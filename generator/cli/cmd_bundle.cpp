#include <iostream>

#include "commands.h"
#include "tether/codegen/output.h"
#include "tether/bundle/bundler.h"

namespace tether::cli {

namespace {
// Unchanged output keeps its modification time (regenerating an unchanged spec touches
// nothing a build depends on).
bool writeFile(const std::string& path, const std::string& text) {
  std::string error;
  if (codegen::writeIfChanged(path, text, error)) return true;
  std::cerr << "tether: " << error << "\n";
  return false;
}
}  // namespace

void addBundle(CLI::App& app, int& exitCode) {
  auto* command = app.add_subcommand(
      "bundle",
      "Join a multi-file spec into one document. References to other files become entries of "
      "`components` (path items and values with no components section are inlined). The "
      "output is deterministic, byte for byte.");
  auto input = addSpecInput(*command);
  auto output = std::make_shared<std::string>();
  auto yaml = std::make_shared<std::string>();
  command->add_option("-o,--output", *output, "Where to write the JSON bundle (default: stdout)");
  command->add_option("--yaml", *yaml, "Also write the bundle as YAML to this file");
  command->callback([=, &exitCode] {
    std::optional<load::LoadedSpec> loaded = input->loadClean(exitCode);
    if (!loaded) return;
    std::size_t known = loaded->diagnostics.list().size();
    nlohmann::ordered_json document = bundle::bundle(*loaded);
    // Only what bundling itself found is new (e.g. a reference that would inline itself).
    const auto& all = loaded->diagnostics.list();
    for (std::size_t i = known; i < all.size(); ++i) std::cerr << load::format(all[i], loaded->sources) << "\n";
    if (loaded->diagnostics.errorCount() > 0) {
      exitCode = kFindings;
      return;
    }
    std::string json = bundle::toJsonText(document);
    if (output->empty()) {
      std::cout << json;
    } else if (!writeFile(*output, json)) {
      exitCode = kUsage;
      return;
    }
    if (!yaml->empty() && !writeFile(*yaml, bundle::toYamlText(document))) exitCode = kUsage;
  });
}

}  // namespace tether::cli
