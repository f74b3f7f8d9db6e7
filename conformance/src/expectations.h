// A suite step's expectations and captures, applied to what the step received: status and
// headers of a response (or a webhook delivery), and its "view": the JSON body, the parsed
// event stream of a text/event-stream response, or the keys of a pagination walk.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tether/conformance/http.h"
#include "tether/conformance/suite.h"

namespace tether::conformance {

// Records one finding: check name, message, instance pointer.
using Report = std::function<void(const std::string&, const std::string&, const std::string&)>;

// `expect.body`, `contains`, `excludes` and header values with ${var} replaced (throws SuiteError).
Expectation substituteExpectation(const Expectation& e, const std::map<std::string, nlohmann::json>& vars);

void checkStatus(const Expectation& e, int status, const Report& report);
void checkHeaders(const Expectation& e, const Headers& headers, const Report& report);

// The JSON body, or for text/event-stream the event view (see sse.h); discarded JSON when
// the body is neither. `expect.events` on a response of another type is a finding (`sse`).
nlohmann::json responseView(const Expectation& e, const Response& response, const Report& report);

// `expect.body`, `contains`, `excludes` and `events` against the view.
void checkView(const Expectation& e, const nlohmann::json& view, const Report& report);

// capture: variable -> JSON Pointer into the view, or "header:Name" for a header.
void captureFrom(const std::map<std::string, std::string>& capture, const nlohmann::json& view,
                 const Headers& headers, std::map<std::string, nlohmann::json>& into, const Report& report);

// `target` with query parameter `name` set to `value` (replacing an earlier one).
std::string withQueryParam(const std::string& target, const std::string& name, const std::string& value);
// The integer value of query parameter `name` of `target`, if it has one.
std::optional<long long> queryInteger(const std::string& target, const std::string& name);

}  // namespace tether::conformance
