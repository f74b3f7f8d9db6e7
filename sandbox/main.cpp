// tether-sandbox: the reference deployment of the Cloud API. See sandbox/README.md.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/app.h"
#include "app/faults.h"
#include "app/file_lock.h"

namespace {

// A flag's default from TETHER_SANDBOX_<NAME> when set.
template <class T>
void fromEnv(const char* name, T& value) {
  if (const char* text = std::getenv(name); text != nullptr && *text != '\0') {
    if constexpr (std::is_same_v<T, std::string>) {
      value = text;
    } else if constexpr (std::is_same_v<T, double>) {
      value = std::stod(text);
    } else {
      value = static_cast<T>(std::stoll(text));
    }
  }
}

// glibc's per-thread cache (tcache) keeps 7 free chunks per size, up to 1 KiB, by default.
// A request here allocates more than that (httplib's 4 KiB read buffer per request, JSON
// trees), so chunks spill into the arenas the 64 workers share, and every 4 KiB allocation
// then consolidates their fast bins: about 5 % of the process in bench/sandbox_load's
// profile. These limits can only be set before a process starts, so the sandbox executes
// itself once more with them, unless GLIBC_TUNABLES is set already (the caller's choice
// stands). If that exec fails, it runs on with glibc's defaults.
void tuneAllocator(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_max=8192:glibc.malloc.tcache_count=1000", 1);
  execv("/proc/self/exe", argv);
  unsetenv("GLIBC_TUNABLES");
}

}  // namespace

int main(int argc, char** argv) {
  tuneAllocator(argv);
  tether::sandbox::Config config;
  fromEnv("TETHER_SANDBOX_DATABASE", config.database);
  fromEnv("TETHER_SANDBOX_HOST", config.host);
  fromEnv("TETHER_SANDBOX_PORT", config.port);
  fromEnv("TETHER_SANDBOX_CLOCK_SPEED", config.clockSpeed);
  fromEnv("TETHER_SANDBOX_KEY_FILE", config.keyFile);
  fromEnv("TETHER_SANDBOX_RATE_LIMIT", config.rateLimit);
  fromEnv("TETHER_SANDBOX_RATE_WINDOW", config.rateWindowSeconds);
  fromEnv("TETHER_SANDBOX_THREADS", config.threads);
  fromEnv("TETHER_SANDBOX_WORKERS", config.workers);
  fromEnv("TETHER_SANDBOX_HTTP_ENGINE", config.httpEngine);
  fromEnv("TETHER_SANDBOX_OPENAPI", config.openapiFile);
  fromEnv("TETHER_SANDBOX_DOCS_DIR", config.docsDir);
  if (const char* key = std::getenv("TETHER_SANDBOX_ADMIN_KEY"); key != nullptr && *key != '\0') config.adminKey = key;
  if (const char* key = std::getenv("TETHER_SANDBOX_OTHER_TENANT_KEY"); key != nullptr && *key != '\0') {
    config.otherTenantKey = key;
  }
  bool quiet = false;
  std::string fault;
  fromEnv("TETHER_SANDBOX_FAULT", fault);

  CLI::App app{"tether-sandbox: the reference deployment of the Cloud API, stateful, on the generated stubs"};
  app.add_option("--database", config.database, "SQLite file, or a postgresql:// URL (TETHER_SANDBOX_DATABASE)")
      ->capture_default_str();
  app.add_option("--host", config.host, "Address to listen on (TETHER_SANDBOX_HOST)")->capture_default_str();
  app.add_option("--port", config.port, "Port; 0 picks a free one (TETHER_SANDBOX_PORT)")->capture_default_str();
  app.add_option("--clock-speed", config.clockSpeed, "Sandbox seconds per real second (TETHER_SANDBOX_CLOCK_SPEED)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--key-file", config.keyFile,
                 "Master key file (mode 0600, made on first start; default: <database>.key). "
                 "TETHER_SANDBOX_MASTER_KEY overrides it");
  app.add_option("--rate-limit", config.rateLimit, "Requests per key per window (TETHER_SANDBOX_RATE_LIMIT)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--rate-window", config.rateWindowSeconds, "Window in seconds (TETHER_SANDBOX_RATE_WINDOW)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--threads", config.threads,
                 "Event loops, or with httplib the most open connections (TETHER_SANDBOX_THREADS)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--workers", config.workers,
                 "Event loop: threads for the handlers of writes, which wait for a durable group commit; 0: "
                 "on the loops (TETHER_SANDBOX_WORKERS)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--http-engine", config.httpEngine,
                 "event-loop (epoll) or httplib (a thread per connection) (TETHER_SANDBOX_HTTP_ENGINE)")
      ->check(CLI::IsMember({"event-loop", "httplib"}))
      ->capture_default_str();
  app.add_option("--openapi", config.openapiFile, "openapi.json to serve (TETHER_SANDBOX_OPENAPI)");
  app.add_option("--docs-dir", config.docsDir, "Folder with redoc.standalone.js (TETHER_SANDBOX_DOCS_DIR)");
  app.add_flag("--quiet", quiet, "No request logs");
  bool anyFormat = false;
  app.add_flag("--no-format-assertion", anyFormat,
               "Accept any string where the spec declares a format (email, uuid, uri ...)");
  std::string faultHelp;
  for (const std::string& name : tether::sandbox::faultNames()) faultHelp += (faultHelp.empty() ? "" : ", ") + name;
  app.add_option("--fault", fault,
                 "TESTS ONLY: break the API contract in one way, for the conformance runner's mutation test "
                 "(TETHER_SANDBOX_FAULT): " + faultHelp);
  CLI11_PARSE(app, argc, argv);
  config.logRequests = !quiet;
  config.assertFormats = !anyFormat;
  if (config.httpEngine != "event-loop" && config.httpEngine != "httplib") {
    std::cerr << "tether-sandbox: TETHER_SANDBOX_HTTP_ENGINE: '" << config.httpEngine
              << "' is neither event-loop nor httplib\n";
    return 2;
  }
  try {
    tether::sandbox::setFault(tether::sandbox::parseFault(fault));
  } catch (const std::invalid_argument& e) {
    std::cerr << "tether-sandbox: --fault: " << e.what() << "\n";
    return 2;
  }
  if (!fault.empty() && fault != "none") {
    std::cerr << "tether-sandbox: WARNING: fault \"" << fault << "\" injected: this process breaks the API contract\n";
  }

  // SIGTERM and SIGINT are taken by a thread of their own: the server stops accepting and
  // the requests in flight finish before the process exits.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    // Before the database is opened, and held until the process ends: a SQLite file is
    // served by one process (app/file_lock.h); a second one stops here with the message.
    tether::sandbox::DatabaseFileLock databaseLock(config.database);
    tether::sandbox::Sandbox sandbox(config);
    if (std::optional<std::string> key = sandbox.bootstrap()) {
      if (config.adminKey) {
        std::cout << "tether-sandbox: created the workspace and its admin key (from TETHER_SANDBOX_ADMIN_KEY)\n";
      } else {
        std::cout << "tether-sandbox: created the workspace; its admin key, shown this once:\n  " << *key << "\n";
      }
    }
    sandbox.bind();
    std::cout << "tether-sandbox: listening on http://" << config.host << ":" << sandbox.port() << std::endl;
    std::thread waiter([&] {
      int received = 0;
      sigwait(&signals, &received);
      std::cerr << R"({"level":"info","msg":"shutting down","signal":)" << received << "}\n";
      sandbox.stop();
    });
    sandbox.serve();
    // serve() returned: stopped by a signal (the waiter is done) or by an error.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    std::cerr << R"({"level":"info","msg":"stopped"})" << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "tether-sandbox: " << e.what() << "\n";
    return 1;
  }
}
