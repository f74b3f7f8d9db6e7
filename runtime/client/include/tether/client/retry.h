// Retry decisions, Retry-After parsing and jittered back-off: pure functions and a small
// seeded generator, separate from the transport so they can be tested and fuzzed alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

#include "tether/client/http_types.h"
#include "tether/client/options.h"

namespace tether::client {

// GET, HEAD, PUT, DELETE, OPTIONS, TRACE, or any request carrying an Idempotency-Key.
bool isIdempotent(const HttpRequest& request);

// 429 and 503 mean the server did not act and are retried for every method; 502 and 504
// may hide a request the upstream did act on, so only idempotent requests retry them.
bool shouldRetryStatus(int status, bool idempotent);

// Retry-After as delta-seconds or an HTTP-date (IMF-fixdate, RFC 850, asctime), as a delay
// from now (a date in the past gives zero). nullopt when the value is not valid.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// Seconds since the epoch of an HTTP-date (RFC 9110 §5.6.7), nullopt if malformed.
std::optional<std::int64_t> parseHttpDate(std::string_view value);

// Exponential back-off with full jitter; thread-safe.
class Backoff {
 public:
  Backoff(RetryPolicy policy, std::uint64_t seed);  // seed 0: from std::random_device

  // The wait before retry number `retry` (1 for the first retry). A server-given delay
  // replaces the jittered one, capped by maxDelay.
  std::chrono::milliseconds delay(int retry, std::optional<std::chrono::milliseconds> serverDelay);

 private:
  RetryPolicy policy_;
  std::mutex mutex_;
  std::mt19937_64 random_;
};

}  // namespace tether::client
