#include <iostream>

#include "commands.h"
#include "tether/diff/diff.h"
#include "tether/ir/builder.h"

namespace tether::cli {

void addDiff(CLI::App& app, int& exitCode) {
  auto* command = app.add_subcommand(
      "diff",
      "Compare two versions of a spec and list the changes that break existing clients (removed "
      "paths, operations, statuses and response fields; newly required parameters and request "
      "fields; narrowed request types and enums; stricter security), each with its location. "
      "Exit 0 when nothing breaks, 1 when something does, 2 on usage or I/O errors.");
  auto before = std::make_shared<std::string>();
  auto after = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  auto flags = std::make_shared<LoadFlags>();
  command->add_option("old", *before, "The earlier spec (entry file)")->required();
  command->add_option("new", *after, "The later spec (entry file)")->required();
  command->add_flag("--all", *all, "Also list the changes that do not break clients");
  command->add_flag("--json", *json, "Print the changes as JSON");
  flags->addTo(*command);
  command->callback([=, &exitCode] {
    std::optional<load::LoadedSpec> oldSpec = loadSpecFile(*before, *flags);
    std::optional<load::LoadedSpec> newSpec = loadSpecFile(*after, *flags);
    if (!oldSpec || !newSpec) {
      exitCode = kUsage;
      return;
    }
    if (report(*oldSpec) > 0 || report(*newSpec) > 0) {
      std::cerr << "tether diff: the specs must load without errors\n";
      exitCode = kUsage;
      return;
    }
    std::vector<diff::Change> changes = diff::compare(ir::build(*oldSpec), ir::build(*newSpec));
    std::size_t breaking = 0;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const diff::Change& change : changes) {
      breaking += change.breaking ? 1 : 0;
      if (!change.breaking && !*all) continue;
      std::string where = change.origin.file + ":" + std::to_string(change.origin.line);
      if (*json) {
        list.push_back({{"breaking", change.breaking}, {"code", change.code}, {"operation", change.operation},
                        {"message", change.message}, {"location", where}, {"pointer", change.origin.pointer}});
      } else {
        std::cout << where << ": " << (change.breaking ? "BREAKING " : "change ") << change.operation << ": "
                  << change.message << " [#" << change.origin.pointer << "] (" << change.code << ")\n";
      }
    }
    if (*json) std::cout << list.dump(2) << "\n";
    std::cerr << breaking << " breaking change(s), " << changes.size() - breaking << " other change(s)\n";
    exitCode = breaking > 0 ? kFindings : kOk;
  });
}

}  // namespace tether::cli
