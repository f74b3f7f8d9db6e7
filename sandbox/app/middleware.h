// The sandbox's middleware: the dispatcher's hooks (authenticate, rate limit, log) and the
// idempotency wrapper put around every POST handler.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "services.h"
#include "tether/http/server.h"

namespace tether::sandbox {

// Prometheus counters the log hook feeds and /metrics prints.
class Metrics {
 public:
  void record(const std::string& operation, int status, double seconds);
  std::string text() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::pair<double, std::uint64_t>> durations_;  // sum, count
};

// Bearer credential → tenant and scopes on the context; 401 with WWW-Authenticate, 403
// naming the missing scopes. The scopes an operation needs are those of its `oauth2`
// alternative (the spec's convention; see the bearerAuth scheme's description).
std::optional<http::Problem> authenticate(const Services& services, const http::Request& request,
                                          http::Context& context);

// A token bucket per API key (ratelimit.h: in the database on PostgreSQL, shared by
// replicas; in memory on SQLite): both header families on every response, 429 with
// Retry-After when empty.
std::optional<http::Problem> rateLimit(const Services& services, const http::Request& request,
                                       http::Context& context, http::Response& headersOut);

// One JSON line per request on stderr.
void logRequest(const http::Request& request, const http::Context& context, const http::Response& response,
                std::chrono::microseconds duration);

// The handler with Idempotency-Key semantics (the brief): the first request runs and its
// response, failures included, is stored; a retry with the same key and request replays it
// with Idempotent-Replayed: true; another request under the key is 422
// IDEMPOTENCY_KEY_REUSED. The claim of the key, the handler's writes and the stored
// response are one unit of work (Database::transact), so a retry while the first runs
// waits for it and replays its answer; 409 IDEMPOTENCY_REQUEST_IN_PROGRESS remains for a
// key found claimed but unanswered (not reachable with one unit of work per request, kept
// for rows written by older versions). A 5xx is not stored: the retry runs again. Stored
// response bodies are sealed (AES-256-GCM), since some hold a secret's only clear copy.
http::Handler withIdempotency(const Services& services, http::Handler handler);

// Whether the operation may change what an API key grants: a write (not GET or HEAD) under
// /v1/api-keys, /v1/workspaces or /v1/users (revoking, rotating or narrowing a key,
// removing a member, which revokes their keys, deleting a workspace).
bool changesCredentials(const http::OperationInfo& operation);
// The handler of such an operation, followed by forgetting the cached key lookups
// (auth_cache.h), whether it succeeded or not; other handlers are returned as they are.
http::Handler withKeyCacheReset(const Services& services, const http::OperationInfo& operation,
                                http::Handler handler);

// Whether a response of the operation holds a secret in clear (reveals, a new key's secret):
// such responses are sent with Cache-Control: no-store, and reveals are not kept for
// idempotent replay (a reveal is read-like, and each one must be audited).
bool showsSecrets(const http::OperationInfo& operation);
bool isReveal(const http::OperationInfo& operation);

}  // namespace tether::sandbox
