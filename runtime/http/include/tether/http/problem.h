// Problem details (RFC 9457, application/problem+json) in the Cloud API's shape: type,
// title, status, detail, instance, a stable machine `code`, `request_id`, and for
// validation failures an `errors` array of {pointer, message}.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/http/message.h"

namespace tether::http {

// The stable codes (docs: /work/shared/design/cloud-api.md and the spec's ErrorCode).
// METHOD_NOT_ALLOWED, NOT_ACCEPTABLE and REQUEST_HEADER_FIELDS_TOO_LARGE are the
// runtime's own, for statuses the Cloud API's table does not list.
namespace code {
inline constexpr const char* kBadRequest = "BAD_REQUEST";
inline constexpr const char* kUnauthorized = "UNAUTHORIZED";
inline constexpr const char* kForbidden = "FORBIDDEN";
inline constexpr const char* kNotFound = "RESOURCE_NOT_FOUND";
inline constexpr const char* kMethodNotAllowed = "METHOD_NOT_ALLOWED";
inline constexpr const char* kNotAcceptable = "NOT_ACCEPTABLE";
inline constexpr const char* kConflict = "CONFLICT";
inline constexpr const char* kPayloadTooLarge = "PAYLOAD_TOO_LARGE";
inline constexpr const char* kUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
inline constexpr const char* kValidationFailed = "VALIDATION_FAILED";
inline constexpr const char* kRateLimited = "RATE_LIMITED";
inline constexpr const char* kHeadersTooLarge = "REQUEST_HEADER_FIELDS_TOO_LARGE";
inline constexpr const char* kInternalError = "INTERNAL_ERROR";
// Refusals of the transport, before a request reaches an operation.
inline constexpr const char* kRequestTimeout = "REQUEST_TIMEOUT";
inline constexpr const char* kUriTooLong = "URI_TOO_LONG";
inline constexpr const char* kExpectationFailed = "EXPECTATION_FAILED";
inline constexpr const char* kNotImplemented = "NOT_IMPLEMENTED";
inline constexpr const char* kHttpVersionNotSupported = "HTTP_VERSION_NOT_SUPPORTED";
}  // namespace code

struct FieldError {
  std::string pointer;  // JSON Pointer (RFC 6901) into the request body or parameter
  std::string message;
};

struct Problem {
  int status = 500;
  std::string type;      // empty → "about:blank"
  std::string title;     // empty → derived from `code` ("RESOURCE_NOT_FOUND" → "Resource not found")
  std::string detail;
  std::string instance;  // usually the request path
  std::string code;
  std::vector<FieldError> errors;
  nlohmann::json extra;  // more members (an object); never overrides the ones above
  std::string requestId;  // written as "request_id" when set; the dispatcher fills it in
  // Sent with the problem, not in its body: a 401 needs WWW-Authenticate (RFC 9110), a 429
  // or 503 may say Retry-After. Hooks and handlers only return a Problem, so it carries them.
  Headers headers;
};

// One RFC 6901 reference token: "~" → "~0", "/" → "~1".
std::string pointerToken(std::string_view name);

// A Problem with its title derived from the code.
Problem makeProblem(int status, std::string code, std::string detail = {});
// "RESOURCE_NOT_FOUND" → "Resource not found".
std::string titleFromCode(std::string_view code);

nlohmann::json problemJson(const Problem& problem);
// status, Content-Type application/problem+json, the JSON body and the problem's headers.
Response problemResponse(const Problem& problem);

// Thrown by a handler (or the generated code around it) to answer with a problem; the
// dispatcher catches it and answers with `problem`.
struct ProblemError : std::exception {
  Problem problem;
  explicit ProblemError(Problem p) : problem(std::move(p)) {}
  const char* what() const noexcept override { return problem.title.c_str(); }
};

}  // namespace tether::http
