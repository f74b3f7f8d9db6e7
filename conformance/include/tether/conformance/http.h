// The HTTP side of the runner: requests and responses as plain data, a libcurl client
// with timeouts, bearer credentials, a bounded request rate and 429/Retry-After retries,
// and the one-line `curl` reproduction of a request.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tether::conformance {

// A request whose token is this placeholder is sent with ClientOptions::token2 (written
// as $TOKEN2 in curl lines and cassettes).
inline constexpr const char* kSecondToken = "$TOKEN2";

// Header names keep the case they were given; lookups ignore case.
using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string* findHeader(const Headers& headers, std::string_view name);

struct Request {
  std::string method = "GET";  // upper case
  std::string target;          // path and query, e.g. "/pets/1?limit=2" (already encoded)
  Headers headers;
  std::string body;
  // When false the client adds no Authorization header (auth probes).
  bool sendCredentials = true;
  // Overrides the client's token for this request (invalid-credential probes).
  // kSecondToken stands for ClientOptions::token2, so reports never carry it.
  std::optional<std::string> token;

  nlohmann::json toJson() const;
  static Request fromJson(const nlohmann::json& j);
};

struct Response {
  int status = 0;  // 0: no response (see `error`)
  Headers headers;
  std::string body;
  std::string error;  // transport error (connection refused, timeout, ...)
  double elapsedMs = 0;
  int attempts = 1;

  bool ok() const { return status != 0; }
  // The Content-Type without parameters, lower case ("application/json").
  std::string mediaType() const;
  nlohmann::json toJson() const;
  static Response fromJson(const nlohmann::json& j);
};

struct ClientOptions {
  std::string baseUrl;  // "http://127.0.0.1:8080" or with a path prefix
  std::string token;    // bearer credential; empty for none
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds connectTimeout{3000};
  double rate = 0;      // requests per second across all clients sharing the limiter; 0 = unbounded
  int maxRetries = 3;   // on 429
  std::chrono::milliseconds maxRetryAfter{30000};
  std::string token2{};  // a second tenant's credential (cross-tenant checks); see kSecondToken
};

// Spaces request starts at least 1/rate apart; shared by every worker.
class RateLimiter {
 public:
  explicit RateLimiter(double rate) : rate_(rate) {}
  void acquire();

 private:
  double rate_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point next_{};
};

// One client per thread (it owns a curl easy handle); the limiter may be shared.
class HttpClient {
 public:
  HttpClient(ClientOptions options, std::shared_ptr<RateLimiter> limiter = nullptr);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Response send(const Request& request);
  const ClientOptions& options() const { return options_; }

 private:
  Response sendOnce(const Request& request);
  ClientOptions options_;
  std::shared_ptr<RateLimiter> limiter_;
  void* curl_ = nullptr;
};

// A shell-quoted one-line `curl` command that sends `request` to `baseUrl`. The token is
// written as $TOKEN so reports never carry credentials.
std::string curlCommand(const Request& request, const std::string& baseUrl);

// Parses a Retry-After value (delay-seconds or an HTTP-date) relative to now.
std::optional<std::chrono::milliseconds> parseRetryAfter(const std::string& value);

// The host of an http(s) URL ("127.0.0.1", "::1", "api.example.com"); empty if malformed.
std::string urlHost(const std::string& url);
bool isLoopbackHost(const std::string& host);

// Percent-encodes a path segment or query component (RFC 3986 unreserved kept).
std::string percentEncode(std::string_view text);

}  // namespace tether::conformance
