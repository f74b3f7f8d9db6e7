// tether-conform: checks that a deployment honours its OpenAPI contract.
//   tether-conform run --spec S --base-url U [--token T] [--suite DIR] ...
//   tether-conform replay --spec S --base-url U --cassette F
// Exit codes: 0 conformant, 1 violations, 2 usage or connection errors.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "tether/conformance/checker.h"
#include "tether/conformance/cleanup.h"
#include "tether/conformance/generate.h"
#include "tether/conformance/report_html.h"
#include "tether/conformance/runner.h"
#include "tether/conformance/suite.h"

namespace tc = tether::conformance;

namespace {

// Ctrl-C (SIGINT) and SIGTERM: no new case starts, the cases in flight finish, what the
// run created is deleted, and the exit code is 128 + the signal. A second signal kills.
std::atomic<bool> g_stop{false};
volatile sig_atomic_t g_signal = 0;

void onSignal(int sig) {
  g_signal = sig;
  g_stop.store(true);
}

void handleStopSignals() {
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// The stateful checks the generator could not build (printed and in the JSON report).
std::vector<tc::NotGenerated> g_notGenerated;

struct Common {
  std::string token2;      // a second tenant's credential (cross-tenant checks)
  bool noCleanup = false;  // keep what the run created
  std::string spec, baseUrl, token, junit, json, html, cassette = "tether-conform.cassette.jsonl";
  int workers = 1;
  double rate = 0;
  int timeoutMs = 10000;
  bool readOnly = false, allowLive = false, noProblemJson = false, quiet = false;
};

void addCommon(CLI::App& app, Common& c) {
  app.add_option("--spec", c.spec, "OpenAPI document (3.0 or 3.1, YAML or JSON)")->required()->check(CLI::ExistingFile);
  app.add_option("--base-url", c.baseUrl, "base URL of the deployment, e.g. http://127.0.0.1:8080")->required();
  app.add_option("--token", c.token, "bearer credential (also $TETHER_TOKEN)")->envname("TETHER_TOKEN");
  app.add_option("--token2", c.token2,
                 "a second tenant's bearer credential: enables the cross-tenant (bola) checks (also $TETHER_TOKEN2)")
      ->envname("TETHER_TOKEN2");
  app.add_flag("--no-cleanup", c.noCleanup, "do not delete what the run created");
  app.add_option("--workers", c.workers, "parallel workers")->check(CLI::Range(1, 64));
  app.add_option("--rate", c.rate, "at most this many requests per second (0: unbounded)")->check(CLI::NonNegativeNumber);
  app.add_option("--timeout-ms", c.timeoutMs, "per-request timeout")->check(CLI::Range(1, 600000));
  app.add_flag("--read-only", c.readOnly, "send only safe methods (GET, HEAD, OPTIONS)");
  app.add_flag("--allow-live", c.allowLive, "allow sk_live_ credentials and non-loopback hosts");
  app.add_flag("--no-problem-json", c.noProblemJson, "do not require application/problem+json error bodies");
  app.add_option("--junit", c.junit, "write a JUnit XML report");
  app.add_option("--json", c.json, "write a JSON report");
  app.add_option("--html", c.html, "write a self-contained HTML report");
  app.add_option("--cassette-out", c.cassette, "where failures are recorded (JSON lines); '' for none");
  app.add_flag("-q,--quiet", c.quiet, "no progress lines");
}

int execute(const Common& c, const std::function<std::vector<tc::Case>(const tc::Contract&)>& makeCases) {
  if (!c.allowLive) {
    if (c.token.rfind("sk_live_", 0) == 0 || c.token2.rfind("sk_live_", 0) == 0) {
      std::cerr << "tether-conform: refusing a live credential (sk_live_...) without --allow-live\n";
      return 2;
    }
    std::string host = tc::urlHost(c.baseUrl);
    if (host.empty()) {
      std::cerr << "tether-conform: --base-url must be an http(s) URL\n";
      return 2;
    }
    if (!tc::isLoopbackHost(host)) {
      std::cerr << "tether-conform: refusing non-loopback host '" << host << "' without --allow-live\n";
      return 2;
    }
  }
  std::shared_ptr<tc::Contract> contract;
  std::vector<tc::Case> cases;
  try {
    contract = tc::Contract::load(c.spec);
    for (const auto& w : contract->warnings()) std::cerr << "warning: " << w << "\n";
    cases = makeCases(*contract);
  } catch (const std::exception& e) {
    std::cerr << "tether-conform: " << e.what() << "\n";
    return 2;
  }
  tc::RunOptions options;
  options.client.baseUrl = c.baseUrl;
  options.client.token = c.token;
  options.client.token2 = c.token2;
  options.client.rate = c.rate;
  options.client.timeout = std::chrono::milliseconds(c.timeoutMs);
  options.workers = c.workers;
  options.readOnly = c.readOnly;
  options.checks.requireProblemJson = !c.noProblemJson;
  const bool tty = isatty(fileno(stderr)) != 0;
  if (!c.quiet) {
    options.progress = [tty, start = std::chrono::steady_clock::now(), failed = std::size_t{0},
                        requests = 0](const tc::CaseResult& r, std::size_t done, std::size_t total) mutable {
      failed += r.outcome == tc::Outcome::Failed;
      requests += r.requests;
      const char* word = r.outcome == tc::Outcome::Passed ? "PASS" : r.outcome == tc::Outcome::Failed ? "FAIL" : "SKIP";
      if (tty) {
        // One line redrawn in place: bar, cases done, failures so far, request rate.
        const int width = 30;
        int filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cerr << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << total
                  << "  " << failed << " failed  " << static_cast<long>(s > 0 ? requests / s : 0) << " req/s\033[K"
                  << (done == total ? "\n" : "") << std::flush;
      } else {
        std::cerr << "[" << done << "/" << total << "] " << word << " " << r.name << "\n";
      }
    };
  }
  tc::CreationTracker tracker(*contract, c.baseUrl);
  if (!c.noCleanup) options.onResponse = [&tracker](const tc::Request& q, const tc::Response& r) { tracker.observe(q, r); };
  options.stop = &g_stop;
  handleStopSignals();
  tc::RunReport report = tc::run(*contract, cases, options);
  if (g_signal) std::cerr << "\ntether-conform: interrupted; deleting what the run created\n";
  tc::CleanupReport cleaned;
  if (!c.noCleanup) {
    tc::HttpClient client(options.client);
    cleaned = tracker.cleanup(client);
  }
  for (const auto& r : report.cases) {
    for (const auto& f : r.findings) std::cout << f.format() << "\n";
  }
  std::cout << "\n" << report.summaryTable();
  if (!g_notGenerated.empty()) {
    std::cout << "\nnot generated (" << g_notGenerated.size() << "):\n";
    for (const auto& n : g_notGenerated) std::cout << "  [" << n.check << "] " << n.operation << ": " << n.reason << "\n";
  }
  if (!c.noCleanup) {
    std::cout << cleaned.summary() << "\n";
    for (const auto& f : cleaned.failures) std::cout << "  " << f << "\n";
  }
  if (!c.junit.empty()) std::ofstream(c.junit) << report.toJUnit();
  if (!c.json.empty()) {
    nlohmann::json j = report.toJson();
    if (!c.noCleanup) j["cleanup"] = cleaned.toJson();
    j["notGenerated"] = nlohmann::json::array();
    for (const auto& n : g_notGenerated)
      j["notGenerated"].push_back({{"check", n.check}, {"operation", n.operation}, {"reason", n.reason}});
    std::ofstream(c.json) << j.dump(2) << "\n";
  }
  if (!c.html.empty()) {
    tc::HtmlReportOptions html;
    html.target = c.baseUrl + " against " + c.spec;
    std::ofstream(c.html) << tc::renderHtmlReport(report.toJson(), html);
  }
  if (!c.cassette.empty() && report.findingCount() > 0) {
    std::ofstream out(c.cassette);
    tc::writeCassette(report, out);
    std::cout << "failures recorded in " << c.cassette << "\n";
  }
  if (report.exitCode() == 2) std::cerr << "tether-conform: no request got a response from " << c.baseUrl << "\n";
  if (g_signal) return 128 + g_signal;
  return report.exitCode();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tether-conform: check a deployment against its OpenAPI contract"};
  app.require_subcommand(1);
  Common runOpts, replayOpts;
  std::string suiteDir;
  std::uint64_t seed = 1;
  std::vector<std::string> tags;
  bool noGenerated = false;
  std::vector<std::string> kinds = {"examples", "negative", "auth", "method", "boundary", "use-after-delete", "links",
                                    "bola"};
  auto* runCmd = app.add_subcommand("run", "run the suites and the generated checks");
  addCommon(*runCmd, runOpts);
  runCmd->add_option("--suite", suiteDir, "folder of YAML suites")->check(CLI::ExistingDirectory);
  runCmd->add_option("--seed", seed, "seed of the generated checks");
  runCmd->add_option("--tag", tags, "run only suites with one of these tags");
  std::vector<std::string> excludeTags;
  runCmd->add_option("--exclude-tag", excludeTags, "leave out suites with one of these tags");
  runCmd->add_flag("--no-generated", noGenerated, "run only the suites");
  runCmd->add_option("--kinds", kinds, "generated kinds to run (default: all; bola needs --token2)")
      ->delimiter(',')
      ->check(CLI::IsMember({"examples", "negative", "auth", "method", "boundary", "use-after-delete", "links", "bola"}));
  std::string cassette;
  auto* replayCmd = app.add_subcommand("replay", "re-send the requests of a cassette");
  addCommon(*replayCmd, replayOpts);
  replayCmd->add_option("--cassette", cassette, "cassette written by run")->required()->check(CLI::ExistingFile);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (*runCmd) {
    return execute(runOpts, [&](const tc::Contract& contract) {
      std::vector<tc::Case> cases;
      if (!suiteDir.empty()) {
        for (auto& c : tc::loadSuites(suiteDir)) {
          bool keep = tags.empty() || std::any_of(c.tags.begin(), c.tags.end(), [&](const std::string& t) {
                        return std::find(tags.begin(), tags.end(), t) != tags.end();
                      });
          keep = keep && std::none_of(c.tags.begin(), c.tags.end(), [&](const std::string& t) {
                   return std::find(excludeTags.begin(), excludeTags.end(), t) != excludeTags.end();
                 });
          if (keep) cases.push_back(std::move(c));
        }
      }
      if (!noGenerated) {
        tc::GenerateOptions g;
        g.seed = seed;
        g.readOnly = runOpts.readOnly;
        auto wants = [&](const char* kind) { return std::find(kinds.begin(), kinds.end(), kind) != kinds.end(); };
        g.examples = wants("examples");
        g.negative = wants("negative");
        g.auth = wants("auth");
        g.methods = wants("method");
        g.boundary = wants("boundary");
        g.useAfterDelete = wants("use-after-delete");
        g.links = wants("links");
        g.bola = wants("bola") && !runOpts.token2.empty();
        for (auto& c : tc::generateCases(contract, g, &g_notGenerated)) cases.push_back(std::move(c));
      }
      return cases;
    });
  }
  return execute(replayOpts, [&](const tc::Contract&) {
    std::ifstream in(cassette);
    return tc::readCassette(in);
  });
}
