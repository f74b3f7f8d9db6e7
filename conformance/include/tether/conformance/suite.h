// Test cases: declarative YAML suites and generated checks share this model.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/conformance/http.h"

namespace tether::conformance {

struct Expectation {
  // Acceptable statuses: "201", "4XX"; empty = any documented status.
  std::vector<std::string> statuses;
  // The check name reported when the status is not one of `statuses`.
  std::string statusCheck = "expected-status";
  // Header name -> exact value; an empty value only requires presence.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string headersCheck = "expected-header";
  // JSON Pointer -> expected value (after ${var} substitution).
  std::vector<std::pair<std::string, nlohmann::json>> body;
  bool schema = true;  // run the conformance checks on the response
};

struct Step {
  std::string name;
  std::string operationId;  // optional; else found by method and path
  // {method, path, params, query, headers, json, body, auth, token} with ${var} templates.
  nlohmann::json request;
  Expectation expect;
  std::map<std::string, std::string> capture;  // variable -> JSON Pointer into the body
};

struct Case {
  std::string name;
  std::string kind;  // "suite" or the generator ("examples", "negative", "auth", "method")
  std::vector<std::string> tags;
  std::map<std::string, nlohmann::json> variables;
  std::vector<Step> setup, steps, teardown;
};

class SuiteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses one suite file (YAML or JSON). Throws SuiteError with a message naming the field.
Case parseSuite(const std::string& text, const std::string& name);
// Every *.yaml, *.yml and *.json file under `dir`, sorted by path.
std::vector<Case> loadSuites(const std::string& dir);

// Replaces ${var} in strings; a string that is exactly "${var}" takes the variable's value
// with its JSON type. Unknown variables are an error.
nlohmann::json substitute(const nlohmann::json& value, const std::map<std::string, nlohmann::json>& vars);

// Builds the HTTP request of a (substituted) request object.
Request buildRequest(const nlohmann::json& request);

bool isSafeMethod(const std::string& method);

}  // namespace tether::conformance
