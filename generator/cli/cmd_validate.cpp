#include <iostream>

#include "commands.h"
#include "tether/check/checker.h"

namespace tether::cli {

void addValidate(CLI::App& app, int& exitCode) {
  auto* command = app.add_subcommand(
      "validate",
      "Check a spec: the OpenAPI object model (fields, types, required fields) and semantic "
      "rules (references resolve, unique operationIds, path parameters match templates, "
      "security schemes and scopes exist). Each finding names file:line:column and a JSON "
      "Pointer. Exit 0 when there is no error, 1 when there is one, 2 on I/O errors.");
  auto input = addSpecInput(*command);
  auto strict = std::make_shared<bool>(false);
  command->add_flag("--strict", *strict, "Count warnings as errors");
  command->callback([=, &exitCode] {
    std::optional<load::LoadedSpec> loaded = input->load(exitCode);
    if (!loaded) return;
    check::checkSpec(*loaded);
    report(*loaded, input->flags.quiet);
    std::size_t errors = loaded->diagnostics.errorCount();
    std::vector<std::string> codes;
    for (const load::Diagnostic& d : loaded->diagnostics.list()) {
      if (d.severity != load::Severity::Error) codes.push_back(d.code);
    }
    std::size_t warnings = codes.size();
    std::cerr << input->path << ": " << errors << " error(s), " << warnings << " warning(s)" << countByCode(codes) << "\n";
    exitCode = errors > 0 || (*strict && warnings > 0) ? kFindings : kOk;
  });
}

}  // namespace tether::cli
