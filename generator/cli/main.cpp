// tether: make an OpenAPI document the single source of truth for an HTTP API.
#include <iostream>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#endif

#include "commands.h"

namespace {

#if defined(__GLIBC__)
// glibc's malloc takes memory from the system a 4 KB page at a time, gives freed memory back
// as soon as 128 kB of it sit at the top of a heap, and maps every request above 128 kB to
// fresh pages of its own; each first touch of a page is then a fault, about 15 µs on the
// virtual machines we measure on. That was half the wall time of `generate` on EC2 (60k
// faults) and Microsoft Graph (360k). With transparent huge pages (2 MB a fault) and freed
// memory kept for reuse, EC2 takes 13k faults and `generate` 1.3 s instead of 2 s; graph-beta
// 8 to 12 s instead of 16 s, its peak 810 to 870 MB instead of 820 (keeping up to 256 MB
// passed 950).
void tuneMalloc() {
  // glibc's fastbins make every large request walk and merge them (malloc_consolidate):
  // a third of `generate`'s CPU on large specs was malloc (perf, Kubernetes). Without them
  // `generate` takes about a quarter less CPU (bench/codegen).
  mallopt(M_MXFAST, 0);
  mallopt(M_TOP_PAD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest
}

// glibc asks for huge pages only when GLIBC_TUNABLES says so at startup, so tether starts
// itself again once with it set. A caller's own GLIBC_TUNABLES wins (and stops the loop);
// sanitized builds have their own allocator and skip it; if /proc is missing, tether
// simply runs without.
void restartWithHugePages(char** argv) {
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv("GLIBC_TUNABLES");
#else
  (void)argv;
#endif
}
#endif

}  // namespace

int main(int argc, char** argv) {
#if defined(__GLIBC__)
  restartWithHugePages(argv);
  tuneMalloc();
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
