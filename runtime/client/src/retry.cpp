#include <algorithm>

#include "tether/client/retry.h"

namespace tether::client {

bool isIdempotent(const HttpRequest& request) {
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"}) {
    if (iequals(request.method, method)) return true;
  }
  // The server deduplicates keyed requests, so resending one cannot act twice.
  return findHeader(request, "Idempotency-Key").has_value();
}

bool shouldRetryStatus(int status, bool idempotent) {
  switch (status) {
    case 429:
    case 503:
      return true;
    case 502:
    case 504:
      return idempotent;
    default:
      return false;
  }
}

Backoff::Backoff(RetryPolicy policy, std::uint64_t seed) : policy_(policy) {
  if (seed == 0) {
    std::random_device device;
    seed = (std::uint64_t{device()} << 32) ^ device();
  }
  random_.seed(seed);
}

std::chrono::milliseconds Backoff::delay(int retry, std::optional<std::chrono::milliseconds> serverDelay) {
  using std::chrono::milliseconds;
  milliseconds cap = std::max(policy_.maxDelay, milliseconds{0});
  if (serverDelay) return std::clamp(*serverDelay, milliseconds{0}, cap);
  // base * 2^(retry-1), saturating at the cap before it can overflow.
  milliseconds ceiling = std::max(policy_.baseDelay, milliseconds{0});
  for (int i = 1; i < retry && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  std::lock_guard<std::mutex> lock(mutex_);
  std::uniform_int_distribution<milliseconds::rep> pick(0, ceiling.count());
  return milliseconds{pick(random_)};
}

}  // namespace tether::client
