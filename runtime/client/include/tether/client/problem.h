// Problem: the fields of an error body, read from RFC 9457 problem+json (flat members) or
// from the common wrapped shape {"error": {...}}; anything unreadable leaves fields empty.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tether::client {

struct Problem {
  std::string type;    // "about:blank" when the body names none (RFC 9457 §4.2.1)
  std::string title;
  std::optional<int> status;  // as the body states it; the HTTP status is authoritative
  std::string detail;
  std::string instance;
  std::string code;       // stable machine code, e.g. "RESOURCE_NOT_FOUND"
  std::string requestId;  // "request_id" (or "requestId") in the body
  nlohmann::json errors;  // field errors as sent ([{pointer, message}]); null when absent
  bool parsed = false;    // the body was a JSON object
};

// Reads what it can; never throws. contentType is informational: JSON bodies are read
// whatever the declared type, since servers label problems inconsistently.
Problem parseProblem(std::string_view body);

}  // namespace tether::client
