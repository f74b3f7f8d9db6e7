// tether: make an OpenAPI document the single source of truth for an HTTP API.
#include <iostream>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "commands.h"

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  // glibc's fastbins make every large request walk and merge them (malloc_consolidate):
  // a third of `generate`'s CPU on large specs was malloc (perf, Kubernetes). Without them
  // `generate` takes about a quarter less CPU (bench/codegen).
  mallopt(M_MXFAST, 0);
#endif
  CLI::App app{
      "tether: OpenAPI 3.0/3.1 toolkit (validate, bundle, generate, diff).\n\n"
      "Exit codes: 0 ok, 1 findings (the spec has errors), 2 usage or I/O error."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tether ") + TETHER_VERSION);
  int exitCode = tether::cli::kOk;
  tether::cli::addValidate(app, exitCode);
  tether::cli::addBundle(app, exitCode);
  tether::cli::addGenerate(app, exitCode);
  tether::cli::addDiff(app, exitCode);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? tether::cli::kOk : tether::cli::kUsage;
  }
  return exitCode;
}
