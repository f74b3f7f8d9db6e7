// The two exceptions a Transport throws: ApiError (the server answered with a status >= 400)
// and TransportError (no usable answer after the retries).
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "tether/client/http_types.h"
#include "tether/client/problem.h"

namespace tether::client {

class ApiError : public std::runtime_error {
 public:
  // Builds the error from a response: parses the problem body and takes the request id
  // from X-Request-Id, else from the body, else the id the client sent (sentRequestId).
  ApiError(const HttpResponse& response, std::string sentRequestId = {});

  int status() const { return status_; }
  const std::string& type() const { return problem_.type; }
  const std::string& title() const { return problem_.title; }
  const std::string& detail() const { return problem_.detail; }
  const std::string& instance() const { return problem_.instance; }
  const std::string& code() const { return problem_.code; }
  const std::string& requestId() const { return requestId_; }
  const nlohmann::json& errors() const { return problem_.errors; }
  const std::string& body() const { return body_; }
  const Headers& headers() const { return headers_; }
  int attempts() const { return attempts_; }
  // From Retry-After (delta-seconds or HTTP-date) when the response had one.
  std::optional<std::chrono::milliseconds> retryAfter() const { return retryAfter_; }

 private:
  ApiError(const HttpResponse& response, Problem problem, std::string sentRequestId);

  int status_;
  Problem problem_;
  std::string requestId_;
  std::string body_;
  Headers headers_;
  int attempts_;
  std::optional<std::chrono::milliseconds> retryAfter_;
};

class TransportError : public std::runtime_error {
 public:
  TransportError(int curlCode, const std::string& message, int attempts);

  int curlCode() const { return curlCode_; }  // a CURLcode
  int attempts() const { return attempts_; }

 private:
  int curlCode_;
  int attempts_;
};

}  // namespace tether::client
