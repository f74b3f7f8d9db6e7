#include "middleware.h"

#include <httplib.h>

#include <cmath>
#include <iostream>
#include <sstream>

#include "problems.h"
#include "ratelimit.h"
#include "tether/http/security.h"

namespace tether::sandbox {

// ---- metrics ------------------------------------------------------------------------------

void Metrics::record(const std::string& operation, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{operation, status}];
  auto& d = durations_[operation];
  d.first += seconds;
  ++d.second;
}

std::string Metrics::text() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out << "# HELP sandbox_http_requests_total Requests answered, by operation and status.\n"
         "# TYPE sandbox_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "sandbox_http_requests_total{operation=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
        << "\n";
  }
  out << "# HELP sandbox_http_request_duration_seconds Time spent answering, by operation.\n"
         "# TYPE sandbox_http_request_duration_seconds summary\n";
  for (const auto& [operation, d] : durations_) {
    out << "sandbox_http_request_duration_seconds_sum{operation=\"" << operation << "\"} " << d.first << "\n"
        << "sandbox_http_request_duration_seconds_count{operation=\"" << operation << "\"} " << d.second << "\n";
  }
  return out.str();
}

// ---- authentication -----------------------------------------------------------------------

std::optional<http::Problem> authenticate(const Services& services, const http::Request& request,
                                          http::Context& context) {
  const auto& security = context.operation->security;
  if (security.empty()) return std::nullopt;
  // A request without a valid credential spends from its address's bucket: guessing keys is
  // rate limited too, and the 401 carries the rate-limit headers every response has.
  auto unauthorized = [&](std::string detail) {
    http::Headers limits;
    if (std::optional<http::Problem> refused = spendToken(services, "ip:" + request.remoteAddr, limits)) return *refused;
    http::Problem p = http::makeProblem(401, http::code::kUnauthorized, std::move(detail));
    p.headers = limits;
    p.headers.set("WWW-Authenticate", "Bearer realm=\"cloud\"");
    return p;
  };
  std::string header = request.headers.get("Authorization").value_or("");
  if (header.empty()) return unauthorized("Send an API key or access token as `Authorization: Bearer <credential>`.");
  if (header.size() < 7 || !(header.compare(0, 7, "Bearer ") == 0 || header.compare(0, 7, "bearer ") == 0)) {
    return unauthorized("The Authorization header must use the Bearer scheme.");
  }
  std::string why;
  std::optional<Verified> verified = services.auth.verify(services.db, header.substr(7), request.remoteAddr, why);
  if (!verified) return unauthorized(why);
  const Credential& credential = verified->credential;
  setTenant(context, credential);
  context.scopes = std::move(verified->impliedScopes);
  // A bearer credential stands for both schemes; the scopes are stated on oauth2's.
  bool hasOauth = false;
  for (const auto& requirement : security) {
    for (const auto& scheme : requirement.schemes) hasOauth = hasOauth || scheme.first == "oauth2";
  }
  std::vector<std::string> schemes = hasOauth ? std::vector<std::string>{"oauth2"}
                                              : std::vector<std::string>{"bearerAuth"};
  std::vector<http::SecurityRequirement> needed;
  for (const auto& requirement : security) {
    bool oauth = requirement.schemes.size() == 1 && requirement.schemes[0].first == "oauth2";
    if (!hasOauth || oauth) needed.push_back(requirement);
  }
  std::optional<http::Problem> denied = http::checkSecurity(needed, schemes, context.scopes);
  if (denied) {
    // The rate-limit hook does not run after a refusal here; the 403 spends and says so.
    if (std::optional<http::Problem> refused = spendToken(services, credential.tenant.keyId, denied->headers)) {
      return refused;
    }
  }
  return denied;
}

// ---- rate limits ----------------------------------------------------------------------

std::optional<http::Problem> rateLimit(const Services& services, const http::Request&, http::Context& context,
                                       http::Response& headersOut) {
  const Tenant tenant = tenantOf(context);
  if (tenant.keyId.empty()) return std::nullopt;  // anonymous: the operational endpoints
  return spendToken(services, tenant.keyId, headersOut.headers);
}

// ---- logs ---------------------------------------------------------------------------------

void logRequest(const http::Request& request, const http::Context& context, const http::Response& response,
                std::chrono::microseconds duration) {
  Json line = {{"time", Clock::format(std::chrono::system_clock::now())},
               {"level", response.status >= 500 ? "error" : "info"},
               {"msg", "request"},
               {"request_id", context.requestId},
               {"method", request.method},
               {"path", request.path},
               {"operation", context.operation ? context.operation->operationId : ""},
               {"status", response.status},
               {"duration_ms", static_cast<double>(duration.count()) / 1000.0},
               {"principal", context.principal},
               {"remote_addr", request.remoteAddr}};
  std::string text = line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  std::cerr << text << std::flush;
}

// ---- secrets in responses ----------------------------------------------------------------

bool isReveal(const http::OperationInfo& operation) {
  const std::string& id = operation.operationId;
  return id.find("reveal") != std::string::npos || id.find("Reveal") != std::string::npos;
}

bool showsSecrets(const http::OperationInfo& operation) {
  static const char* kShownOnce[] = {"createApiKey", "rotateApiKey", "createAccessToken", "createWebhookEndpoint",
                                     "rotateWebhookSecret", "createStorageAccessKey", "createEmailApiKey",
                                     "rotateDatabaseCredentials", "rotateRedisCredentials"};
  if (isReveal(operation)) return true;
  for (const char* id : kShownOnce) {
    if (operation.operationId == id) return true;
  }
  return false;
}

// ---- credential changes -------------------------------------------------------------------

bool changesCredentials(const http::OperationInfo& operation) {
  if (operation.method == "GET" || operation.method == "HEAD") return false;
  for (const char* prefix : {"/v1/api-keys", "/v1/workspaces", "/v1/users"}) {
    if (operation.pathTemplate.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

http::Handler withKeyCacheReset(const Services& services, const http::OperationInfo& operation,
                                http::Handler handler) {
  if (!changesCredentials(operation)) return handler;
  return [&services, handler = std::move(handler)](const http::Request& request, http::Context& context) {
    // After the handler's transaction has committed (or failed): a lookup that overlapped
    // it is not cached either (KeyCache::generation()).
    struct Reset {
      const Authenticator& auth;
      ~Reset() { auth.forgetKeys(); }
    } reset{services.auth};
    return handler(request, context);
  };
}

// ---- idempotency --------------------------------------------------------------------------

namespace {

// What an Idempotency-Key names, and where its stored response is sealed.
struct IdempotencyKey {
  Tenant tenant;
  std::string key;
  Bytes requestHash;
  std::string sealContext;  // a create-key response holds the key's only clear copy
};

// Claims the key for this request (true), or returns what an earlier request under it
// left: its response to replay, or a 422/409 problem.
std::optional<http::Response> claimOrReplay(const Services& services, storage::Connection& c,
                                            const IdempotencyKey& k) {
  auto claim = c.prepare(
      "INSERT INTO idempotency_keys (workspace_id, mode, idempotency_key, request_hash, state, created_at)"
      " VALUES ($1, $2, $3, $4, 'in_flight', $5) ON CONFLICT DO NOTHING");
  claim->bind_text(1, k.tenant.workspace).bind_text(2, k.tenant.mode).bind_text(3, k.key).bind_blob(4, k.requestHash);
  claim->bind_text(5, services.clock.nowText());
  if (claim->run() == 1) return std::nullopt;
  auto q = c.prepare(
      "SELECT request_hash, state, response_status, response_headers, response_body FROM idempotency_keys"
      " WHERE workspace_id = $1 AND mode = $2 AND idempotency_key = $3");
  q->bind_text(1, k.tenant.workspace).bind_text(2, k.tenant.mode).bind_text(3, k.key);
  if (!q->step()) fail(409, "IDEMPOTENCY_REQUEST_IN_PROGRESS", "Retry: the key was released meanwhile.");
  Bytes stored = q->blob(0);
  if (!constantTimeEqual(std::string(stored.begin(), stored.end()), std::string(k.requestHash.begin(), k.requestHash.end()))) {
    fail(422, "IDEMPOTENCY_KEY_REUSED",
         "The Idempotency-Key was used before with a different request (method, path or body).");
  }
  if (q->text(1) != "done") {
    fail(409, "IDEMPOTENCY_REQUEST_IN_PROGRESS", "A request with this Idempotency-Key is still being processed.");
  }
  http::Response r;
  r.status = static_cast<int>(q->int64(2));
  Json headers = Json::parse(q->text(3));
  for (auto it = headers.begin(); it != headers.end(); ++it) r.headers.set(it.key(), it.value().get<std::string>());
  std::optional<std::string> body = services.sealer.open(q->blob(4), k.sealContext);
  if (!body) fail(500, http::code::kInternalError, "The stored response of this Idempotency-Key cannot be read.");
  r.body = std::move(*body);
  r.contentType = headers.value("Content-Type", "");
  r.headers.set("Idempotent-Replayed", "true");
  return r;
}

// Stores the response under the claimed key, for replays.
void recordResponse(const Services& services, storage::Connection& c, const IdempotencyKey& k,
                    const http::Response& response) {
  Json saved = Json::object();
  if (!response.contentType.empty()) saved["Content-Type"] = response.contentType;
  for (const char* name : {"Location", "Deprecation", "Sunset"}) {
    if (auto v = response.headers.get(name)) saved[name] = *v;
  }
  auto q = c.prepare(
      "UPDATE idempotency_keys SET state = 'done', response_status = $1, response_headers = $2,"
      " response_body = $3, completed_at = $4 WHERE workspace_id = $5 AND mode = $6 AND idempotency_key = $7");
  q->bind_int(1, response.status).bind_text(2, saved.dump()).bind_blob(3, services.sealer.seal(response.body, k.sealContext));
  q->bind_text(4, services.clock.nowText()).bind_text(5, k.tenant.workspace).bind_text(6, k.tenant.mode);
  q->bind_text(7, k.key);
  q->run();
}

// A 5xx the handler answered (not threw): thrown through the unit of work so that nothing
// of the request is kept, the claim included (a retry runs again), then answered.
struct NotKept {
  http::Response response;
};

}  // namespace

http::Handler withIdempotency(const Services& services, http::Handler handler) {
  return [&services, handler = std::move(handler)](const http::Request& request,
                                                   http::Context& context) -> http::Response {
    std::optional<std::string> key = request.headers.get("Idempotency-Key");
    const Tenant tenant = tenantOf(context);
    if (!key || tenant.workspace.empty()) return handler(request, context);
    if (key->empty() || key->size() > 255) {
      invalid("/Idempotency-Key", "The Idempotency-Key header must be 1 to 255 characters.");
    }
    const IdempotencyKey k{tenant, *key,
                           sha256(request.method + " " + request.path + "?" + request.rawQuery + "\n" + request.body),
                           "idempotency/" + tenant.workspace + "/" + tenant.mode + "/" + *key};
    // One unit of work: the claim, what the handler writes and the recorded response
    // commit together, or none of them does. So a crash can never leave a resource without
    // its record (a retry would create it twice) nor a record without its resource. A
    // concurrent retry under the key waits for the unit (SQLite: the group committer runs
    // units one after the other; PostgreSQL: the claim's unique index) and then replays.
    struct Outcome {
      http::Response response;
      std::optional<http::Problem> problem;  // a 4xx the handler threw, recorded
    };
    Outcome outcome;
    try {
      outcome = services.db.transact([&](storage::Connection& c) -> Outcome {
        if (std::optional<http::Response> replay = claimOrReplay(services, c, k)) return {std::move(*replay), {}};
        try {
          // A savepoint: a handler that fails undoes its own writes and keeps the claim.
          http::Response response = services.db.transact([&](storage::Connection&) { return handler(request, context); });
          if (response.status >= 500) throw NotKept{std::move(response)};
          recordResponse(services, c, k, response);
          return {std::move(response), {}};
        } catch (const http::ProblemError& e) {
          if (e.problem.status >= 500) throw;
          // Stored as the dispatcher will send it.
          http::Problem p = http::dispatchedProblem(e.problem, request, context, services.config.problemTypeBase);
          recordResponse(services, c, k, http::problemResponse(p));
          return {{}, std::move(p)};
        }
      });
    } catch (NotKept& failed) {
      return std::move(failed.response);
    }
    if (outcome.problem) throw http::ProblemError(std::move(*outcome.problem));
    return std::move(outcome.response);
  };
}

}  // namespace tether::sandbox
