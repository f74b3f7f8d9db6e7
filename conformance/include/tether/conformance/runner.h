// Runs cases against a deployment with a pool of workers, checks every response, and
// writes the reports (summary table, JUnit XML, JSON) and the cassette of failures.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/conformance/checker.h"
#include "tether/conformance/http.h"
#include "tether/conformance/suite.h"

namespace tether::conformance {

enum class Outcome { Passed, Failed, Skipped };

struct CaseResult {
  std::string name;
  std::string kind;
  std::vector<std::string> tags;
  Outcome outcome = Outcome::Passed;
  std::string skipReason;
  std::vector<Finding> findings;
  // Per finding, the expectation of the step it came from (for the cassette).
  std::vector<nlohmann::json> expectations;
  double durationMs = 0;
  int requests = 0;
};

struct RunReport {
  std::vector<CaseResult> cases;
  int requests = 0;
  int responses = 0;        // requests that got an HTTP response
  int transportErrors = 0;  // requests that got none
  double durationMs = 0;

  std::size_t findingCount() const;
  std::size_t count(Outcome outcome) const;
  // 0 conformant, 1 violations, 2 nothing answered (connection errors).
  int exitCode() const;
  nlohmann::json toJson() const;
  std::string toJUnit() const;
  std::string summaryTable() const;
};

struct RunOptions {
  ClientOptions client;
  int workers = 1;
  bool readOnly = false;
  CheckOptions checks;
  // Called once per finished case (from worker threads, serialized).
  std::function<void(const CaseResult&, std::size_t done, std::size_t total)> progress;
  // Called after every HTTP response (from worker threads, concurrently): what the run
  // created, for the cleanup at its end.
  std::function<void(const Request&, const Response&)> onResponse;
  // Once true, no further case starts (Ctrl-C); the cases not started are skipped.
  const std::atomic<bool>* stop = nullptr;
};

RunReport run(const Contract& contract, const std::vector<Case>& cases, const RunOptions& options);

// Cassette: one JSON object per line for every finding (request, response, check,
// operation, expectation).
void writeCassette(const RunReport& report, std::ostream& out);
// Cases that re-send each recorded request once (no substitution) with its expectation.
std::vector<Case> readCassette(std::istream& in);

nlohmann::json expectationToJson(const Expectation& e);
Expectation expectationFromJson(const nlohmann::json& j);

}  // namespace tether::conformance
