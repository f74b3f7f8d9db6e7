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
  // The check name of body, contains and excludes failures.
  std::string bodyCheck = "expected-body";
  bool schema = true;  // run the conformance checks on the response
  // JSON Pointer -> values (a list, or one value) that the array there must hold / must not
  // hold. Read from the step's view: the body, the pagination walk or the event stream.
  std::vector<std::pair<std::string, nlohmann::json>> contains, excludes;
  // A text/event-stream response: at least `minEvents` (and at most `maxEvents`, -1 = no
  // bound) events, each of one of `eventTypes` (empty = any), no id twice (check `sse`).
  bool events = false;
  int minEvents = 0, maxEvents = -1;
  std::vector<std::string> eventTypes;
};

// `retry:` re-sends the step until its expectations hold; only the last attempt counts.
struct Retry {
  int attempts = 1;
  int intervalMs = 500;
};

// `repeat:` sends up to `count` times until the status is `untilStatus` (check `rate-limit`
// when it never is); the expectations apply to that response.
struct Repeat {
  int count = 0;  // 0: no repeat
  int untilStatus = 429;
};

// `paginate:` follows cursors from page to page (check `pagination`: a key seen twice, a
// cursor seen twice, a page longer than the request's `limit`, more than `maxPages` pages).
struct Paginate {
  bool enabled = false;
  std::string items = "/data";              // the page's array
  std::string next = "/meta/next_cursor";   // null, absent or "" on the last page
  std::string param = "cursor";             // query parameter that takes the cursor
  std::string key = "/id";                  // what identifies an item
  std::string limitParam = "limit";
  int maxPages = 50;
  std::string collect;                      // variable that receives the keys in page order
};

// `webhook:` sends nothing; waits for a delivery to the case's `${webhook_url}` whose body
// matches `match`, verifies its Standard Webhooks signature with `secret` (check
// `webhook-signature`), else check `webhook-delivery`.
struct WebhookWait {
  bool enabled = false;
  int withinMs = 10000;
  nlohmann::json secret;  // template; null: signature not checked
  std::vector<std::pair<std::string, nlohmann::json>> match;
  int toleranceSeconds = 0;  // > 0: webhook-timestamp must be this close to now
};

struct Step {
  std::string name;
  std::string operationId;  // optional; else found by method and path
  // {method, path, params, query, headers, json, body, auth, token} with ${var} templates.
  nlohmann::json request;
  Expectation expect;
  std::map<std::string, std::string> capture;  // variable -> JSON Pointer into the step's view
  Retry retry;
  Repeat repeat;
  Paginate paginate;
  WebhookWait webhook;
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
