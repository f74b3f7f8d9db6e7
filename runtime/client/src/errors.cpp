#include "tether/client/errors.h"

#include "tether/client/retry.h"

namespace tether::client {

namespace {

std::string describe(int status, const Problem& problem, const std::string& requestId) {
  std::string message = "HTTP " + std::to_string(status);
  if (!problem.code.empty()) message += " " + problem.code;
  if (!problem.title.empty()) message += ": " + problem.title;
  if (!problem.detail.empty()) message += (problem.title.empty() ? ": " : " - ") + problem.detail;
  if (!requestId.empty()) message += " (request " + requestId + ")";
  return message;
}

std::string pickRequestId(const HttpResponse& response, const Problem& problem, std::string sent) {
  if (auto id = response.header("X-Request-Id"); id && !id->empty()) return *id;
  if (!problem.requestId.empty()) return problem.requestId;
  return sent;
}

}  // namespace

ApiError::ApiError(const HttpResponse& response, std::string sentRequestId)
    : ApiError(response, parseProblem(response.body), std::move(sentRequestId)) {}

ApiError::ApiError(const HttpResponse& response, Problem problem, std::string sentRequestId)
    : std::runtime_error(describe(response.status, problem,
                                  pickRequestId(response, problem, sentRequestId))),
      status_(response.status),
      problem_(std::move(problem)),
      requestId_(pickRequestId(response, problem_, std::move(sentRequestId))),
      body_(response.body),
      headers_(response.headers),
      attempts_(response.attempts) {
  if (auto value = response.header("Retry-After")) {
    retryAfter_ = parseRetryAfter(*value, std::chrono::system_clock::now());
  }
}

TransportError::TransportError(int curlCode, const std::string& message, int attempts)
    : std::runtime_error(message + " (curl error " + std::to_string(curlCode) + ", " +
                         std::to_string(attempts) + (attempts == 1 ? " attempt)" : " attempts)")),
      curlCode_(curlCode),
      attempts_(attempts) {}

}  // namespace tether::client
