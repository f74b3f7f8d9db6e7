// Throwing the Cloud API's problems from handlers: the dispatcher answers with them.
#pragma once

#include <string>

#include "tether/http/problem.h"

namespace tether::sandbox {

[[noreturn]] inline void fail(int status, const char* code, std::string detail) {
  throw http::ProblemError(http::makeProblem(status, code, std::move(detail)));
}
[[noreturn]] inline void notFound(const std::string& what) {
  fail(404, http::code::kNotFound, "No " + what + " with this id in the workspace.");
}
[[noreturn]] inline void conflict(std::string detail) { fail(409, http::code::kConflict, std::move(detail)); }
[[noreturn]] inline void badRequest(std::string detail) { fail(400, http::code::kBadRequest, std::move(detail)); }
// 422 with one {pointer, message}.
[[noreturn]] inline void invalid(std::string pointer, std::string message) {
  http::Problem p = http::makeProblem(422, http::code::kValidationFailed, message);
  p.errors.push_back({std::move(pointer), std::move(message)});
  throw http::ProblemError(std::move(p));
}

}  // namespace tether::sandbox
