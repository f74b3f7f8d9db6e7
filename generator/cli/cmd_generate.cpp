#include <fstream>
#include <iostream>

#include "commands.h"
#include "tether/ir/builder.h"

namespace tether::cli {

void addGenerate(CLI::App& app, int& exitCode) {
  auto* command = app.add_subcommand(
      "generate",
      "Compile a spec into its intermediate representation (operations and types). For now "
      "it writes the IR as JSON; the C++ emitters read this same IR.");
  auto input = addSpecInput(*command);
  auto irPath = std::make_shared<std::string>();
  command->add_option("--ir", *irPath, "Write the IR as JSON to this file (default: stdout)");
  command->callback([=, &exitCode] {
    std::optional<load::LoadedSpec> loaded = input->loadClean(exitCode);
    if (!loaded) return;
    ir::Api api = ir::build(*loaded);
    std::string text = ir::toJson(api).dump(2) + "\n";
    if (irPath->empty()) {
      std::cout << text;
      return;
    }
    std::ofstream out(*irPath, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      std::cerr << "tether: cannot write " << *irPath << "\n";
      exitCode = kUsage;
    }
  });
}

}  // namespace tether::cli
