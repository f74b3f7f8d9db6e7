#include "tether/conformance/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iomanip>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "case_runner.h"
#include "tether/conformance/report_html.h"
#include "webhook_receiver.h"

namespace tether::conformance {

namespace {

// JUnit XML: the HTML escaping (its numeric references are XML too), after the control
// characters XML 1.0 has no place for become spaces.
std::string xmlEscape(const std::string& s) {
  std::string clean = s;
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') c = ' ';
  }
  return htmlEscape(clean);
}

const char* outcomeName(Outcome o) {
  switch (o) {
    case Outcome::Passed: return "passed";
    case Outcome::Failed: return "failed";
    case Outcome::Skipped: return "skipped";
  }
  return "?";
}

}  // namespace

nlohmann::json expectationToJson(const Expectation& e) {
  nlohmann::json j = {{"statuses", e.statuses}, {"statusCheck", e.statusCheck}, {"headersCheck", e.headersCheck},
                      {"bodyCheck", e.bodyCheck}, {"schema", e.schema}};
  j["headers"] = nlohmann::json::array();
  for (const auto& [k, v] : e.headers) j["headers"].push_back({k, v});
  j["body"] = nlohmann::json::array();
  for (const auto& [k, v] : e.body) j["body"].push_back({k, v});
  return j;
}

Expectation expectationFromJson(const nlohmann::json& j) {
  Expectation e;
  if (!j.is_object()) return e;
  if (j.contains("statuses") && j["statuses"].is_array())
    for (const auto& s : j["statuses"]) if (s.is_string()) e.statuses.push_back(s.get<std::string>());
  e.statusCheck = j.value("statusCheck", e.statusCheck);
  e.headersCheck = j.value("headersCheck", e.headersCheck);
  e.bodyCheck = j.value("bodyCheck", e.bodyCheck);
  e.schema = j.value("schema", true);
  if (j.contains("headers") && j["headers"].is_array())
    for (const auto& h : j["headers"])
      if (h.is_array() && h.size() == 2 && h[0].is_string() && h[1].is_string())
        e.headers.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  if (j.contains("body") && j["body"].is_array())
    for (const auto& b : j["body"])
      if (b.is_array() && b.size() == 2 && b[0].is_string()) e.body.emplace_back(b[0].get<std::string>(), b[1]);
  return e;
}

RunReport run(const Contract& contract, const std::vector<Case>& cases, const RunOptions& options) {
  RunReport report;
  report.cases.resize(cases.size());
  Counters counters;
  auto limiter = std::make_shared<RateLimiter>(options.client.rate);
  // One loopback receiver for the run, only when a suite waits for webhooks.
  std::unique_ptr<WebhookReceiver> receiver;
  if (std::any_of(cases.begin(), cases.end(), usesWebhooks)) receiver = std::make_unique<WebhookReceiver>();
  std::atomic<std::size_t> next{0};
  std::size_t done = 0;
  std::mutex progressMutex;
  auto start = std::chrono::steady_clock::now();
  auto worker = [&] {
    HttpClient client(options.client, limiter);
    CaseRunner runner(contract, client, options, counters, limiter, receiver.get());
    for (std::size_t i = next++; i < cases.size(); i = next++) {
      if (options.stop && options.stop->load()) {
        CaseResult& skipped = report.cases[i];
        skipped.name = cases[i].name;
        skipped.kind = cases[i].kind;
        skipped.tags = cases[i].tags;
        skipped.outcome = Outcome::Skipped;
        skipped.skipReason = "interrupted";
        continue;
      }
      report.cases[i] = runner.run(cases[i]);
      std::lock_guard lock(progressMutex);
      ++done;
      if (options.progress) options.progress(report.cases[i], done, cases.size());
    }
  };
  const int n = std::max(1, std::min<int>(options.workers, static_cast<int>(std::max<std::size_t>(1, cases.size()))));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  report.requests = counters.requests;
  report.responses = counters.responses;
  report.transportErrors = counters.transportErrors;
  report.durationMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return report;
}

std::size_t RunReport::findingCount() const {
  std::size_t n = 0;
  for (const auto& c : cases) n += c.findings.size();
  return n;
}

std::size_t RunReport::count(Outcome outcome) const {
  return static_cast<std::size_t>(
      std::count_if(cases.begin(), cases.end(), [&](const CaseResult& c) { return c.outcome == outcome; }));
}

int RunReport::exitCode() const {
  if (transportErrors > 0 && responses == 0) return 2;
  return findingCount() > 0 ? 1 : 0;
}

nlohmann::json RunReport::toJson() const {
  nlohmann::json j;
  j["summary"] = {{"cases", cases.size()},           {"passed", count(Outcome::Passed)},
                  {"failed", count(Outcome::Failed)}, {"skipped", count(Outcome::Skipped)},
                  {"findings", findingCount()},       {"requests", requests},
                  {"transportErrors", transportErrors}, {"durationMs", durationMs}};
  j["cases"] = nlohmann::json::array();
  for (const auto& c : cases) {
    nlohmann::json cj = {{"name", c.name}, {"kind", c.kind}, {"tags", c.tags}, {"outcome", outcomeName(c.outcome)},
                         {"requests", c.requests}, {"durationMs", c.durationMs}};
    if (!c.skipReason.empty()) cj["skipReason"] = c.skipReason;
    cj["findings"] = nlohmann::json::array();
    for (const auto& f : c.findings) cj["findings"].push_back(f.toJson());
    j["cases"].push_back(std::move(cj));
  }
  return j;
}

std::string RunReport::toJUnit() const {
  std::map<std::string, std::vector<const CaseResult*>> byKind;
  for (const auto& c : cases) byKind[c.kind].push_back(&c);
  std::ostringstream x;
  x << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x << "<testsuites name=\"tether-conform\" tests=\"" << cases.size() << "\" failures=\"" << count(Outcome::Failed)
    << "\" skipped=\"" << count(Outcome::Skipped) << "\" time=\"" << durationMs / 1000 << "\">\n";
  for (const auto& [kind, list] : byKind) {
    std::size_t failed = 0, skipped = 0;
    double ms = 0;
    for (const auto* c : list) {
      failed += c->outcome == Outcome::Failed;
      skipped += c->outcome == Outcome::Skipped;
      ms += c->durationMs;
    }
    x << "  <testsuite name=\"" << xmlEscape(kind) << "\" tests=\"" << list.size() << "\" failures=\"" << failed
      << "\" skipped=\"" << skipped << "\" time=\"" << ms / 1000 << "\">\n";
    for (const auto* c : list) {
      x << "    <testcase classname=\"" << xmlEscape(kind) << "\" name=\"" << xmlEscape(c->name) << "\" time=\""
        << c->durationMs / 1000 << "\"";
      if (c->outcome == Outcome::Passed) {
        x << "/>\n";
        continue;
      }
      x << ">\n";
      if (c->outcome == Outcome::Skipped) {
        x << "      <skipped message=\"" << xmlEscape(c->skipReason) << "\"/>\n";
      } else {
        for (const auto& f : c->findings) {
          x << "      <failure type=\"" << xmlEscape(f.check) << "\" message=\"" << xmlEscape(f.message) << "\">"
            << xmlEscape(f.format()) << "</failure>\n";
        }
      }
      x << "    </testcase>\n";
    }
    x << "  </testsuite>\n";
  }
  x << "</testsuites>\n";
  return x.str();
}

std::string RunReport::summaryTable() const {
  std::map<std::string, std::array<std::size_t, 3>> byKind;  // passed, failed, skipped
  std::map<std::string, std::size_t> byCheck;
  for (const auto& c : cases) {
    byKind[c.kind][static_cast<std::size_t>(c.outcome)]++;
    for (const auto& f : c.findings) byCheck[f.check]++;
  }
  std::ostringstream t;
  t << std::left << std::setw(14) << "kind" << std::right << std::setw(8) << "passed" << std::setw(8) << "failed"
    << std::setw(9) << "skipped" << "\n";
  for (const auto& [kind, n] : byKind) {
    t << std::left << std::setw(14) << kind << std::right << std::setw(8) << n[0] << std::setw(8) << n[1]
      << std::setw(9) << n[2] << "\n";
  }
  t << std::left << std::setw(14) << "total" << std::right << std::setw(8) << count(Outcome::Passed) << std::setw(8)
    << count(Outcome::Failed) << std::setw(9) << count(Outcome::Skipped) << "\n";
  if (!byCheck.empty()) {
    t << "\n" << std::left << std::setw(24) << "check" << std::right << std::setw(9) << "findings" << "\n";
    for (const auto& [check, n] : byCheck) t << std::left << std::setw(24) << check << std::right << std::setw(9) << n << "\n";
  }
  t << "\n" << requests << " requests, " << findingCount() << " findings, " << std::fixed << std::setprecision(2)
    << durationMs / 1000 << " s\n";
  return t.str();
}

void writeCassette(const RunReport& report, std::ostream& out) {
  for (const auto& c : report.cases) {
    for (std::size_t i = 0; i < c.findings.size(); ++i) {
      const Finding& f = c.findings[i];
      // A webhook step sent nothing: there is no request to replay against a deployment.
      if (f.operation.rfind("webhook ", 0) == 0) continue;
      nlohmann::json j = {{"case", c.name}, {"check", f.check}, {"operation", f.operation}, {"message", f.message},
                          {"request", f.request.toJson()}, {"response", f.response.toJson()}};
      if (i < c.expectations.size()) j["expect"] = c.expectations[i];
      out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
  }
}

std::vector<Case> readCassette(std::istream& in) {
  std::vector<Case> out;
  std::string line;
  std::size_t n = 0;
  std::set<std::string> seen;  // one replay per recorded request, however many findings it had
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("request") || !j["request"].is_object())
      throw SuiteError("cassette line " + std::to_string(n) + ": not a recorded request");
    if (!seen.insert(j["request"].dump() + j.value("expect", nlohmann::json()).dump()).second) continue;
    Case c;
    c.kind = "replay";
    c.name = "replay: " + j.value("case", "line " + std::to_string(n)) + " [" + j.value("check", "") + "]";
    Step s;
    s.name = c.name;
    s.request = {{"raw", j["request"]}};
    if (j.contains("expect")) s.expect = expectationFromJson(j["expect"]);
    c.steps.push_back(std::move(s));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace tether::conformance
