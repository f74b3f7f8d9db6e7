// ClientOptions: everything a Transport is configured with, fixed at construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace tether::client {

struct RetryPolicy {
  // Total attempts, the first one included; 1 disables retries.
  int maxAttempts = 4;
  // Back-off before retry n (n from 1) is uniform in [0, min(maxDelay, baseDelay * 2^(n-1))]
  // ("full jitter"); a Retry-After from the server replaces it, capped by maxDelay.
  std::chrono::milliseconds baseDelay{200};
  std::chrono::milliseconds maxDelay{20000};
  // Network errors (no response at all) are retried only for idempotent requests, since
  // the server may have acted on the lost request.
  bool retryNetworkErrorsForIdempotent = true;
};

struct ClientOptions {
  std::string baseUrl{};  // "https://api.example.com/v1"; request paths are appended
  // Explicit bearer token; if empty, read once from the environment variable tokenEnv when
  // the Transport is constructed. No Authorization header when both are empty.
  std::string token{};
  std::string tokenEnv = "TETHER_API_TOKEN";
  std::chrono::milliseconds connectTimeout{10000};
  // Whole-exchange limit for send(); for stream() it is the longest silence tolerated
  // before the stream counts as dropped and is resumed.
  std::chrono::milliseconds requestTimeout{60000};
  RetryPolicy retry{};
  bool verifyTls = true;
  // A PEM file of CA certificates to trust instead of the system store (a private CA in
  // front of a staging deployment); verification stays on. Empty: the system store.
  std::string caBundle{};
  bool http2 = true;       // HTTP/2 over TLS when the server offers it, else HTTP/1.1
  std::string userAgent{};   // empty: "tether-client/<version>"
  // Sent on every request; a request header of the same name replaces a default one.
  std::vector<std::pair<std::string, std::string>> defaultHeaders{};
  // Injectable for tests; empty: std::this_thread::sleep_for.
  std::function<void(std::chrono::milliseconds)> sleep{};
  std::uint64_t jitterSeed = 0;  // 0: seeded from std::random_device
  // Adds a random Idempotency-Key to every POST that has none, which also makes the POST
  // safe to retry after a network error. Off: such POSTs go out keyless and are not
  // retried after network errors.
  bool autoIdempotencyKey = true;
};

}  // namespace tether::client
