// The middleware hooks (authenticate, requestId, rateLimit, log) exercised through server
// stubs generated from secured.yaml: every OperationInfo, its security included, comes from
// the generated addRoutes(), none is written here. The hooks are what an implementation
// would supply: bearer tokens and an API key mapped to principals and scopes, a request id
// policy, a per-principal token budget and a log that records what it sees.
#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "server.h"
#include "tether/http/security.h"
#include "tether/http/server.h"

namespace {

namespace th = tether::http;
using Schemes = decltype(th::SecurityRequirement::schemes);

struct Identity {
  std::string principal;
  std::vector<std::string> scopes;
};

struct LogEntry {
  std::string method, path, operationId, requestId, principal;
  int status = 0;
  std::optional<std::string> responseRequestId;
  std::chrono::microseconds duration{0};
};

// What handlers record: whether they ran, and who the Context said was calling.
struct Calls {
  std::atomic<int> count{0};
  std::mutex mutex;
  std::string principal;
  std::vector<std::string> scopes;

  void record(const th::Context& context) {
    ++count;
    std::lock_guard lock(mutex);
    principal = context.principal;
    scopes = context.scopes;
  }
};

class Pets : public secured::server::PetsHandler {
 public:
  Calls calls;
  std::chrono::milliseconds delay{0};

  secured::server::ListPetsResponse listPets(const secured::server::ListPetsRequest&, th::Context& context) override {
    calls.record(context);
    std::this_thread::sleep_for(delay);
    return {secured::server::ListPetsResponse::Status200{{pet(1, context)}}};
  }
  secured::server::CreatePetResponse createPet(const secured::server::CreatePetRequest& request,
                                               th::Context& context) override {
    calls.record(context);
    secured::Pet created = request.body;
    created.id = 7;
    created.owner = context.principal;
    return {secured::server::CreatePetResponse::Status201{created}};
  }
  secured::server::GetPetResponse getPet(const secured::server::GetPetRequest& request, th::Context& context) override {
    calls.record(context);
    return {secured::server::GetPetResponse::Status200{pet(request.pet_id, context)}};
  }
  secured::server::DeletePetResponse deletePet(const secured::server::DeletePetRequest&,
                                               th::Context& context) override {
    calls.record(context);
    return {secured::server::DeletePetResponse::Status204{}};
  }

 private:
  static secured::Pet pet(std::int64_t id, const th::Context& context) {
    secured::Pet p;
    p.id = id;
    p.name = "Rex";
    if (!context.principal.empty()) p.owner = context.principal;
    return p;
  }
};

class Ops : public secured::server::OpsHandler {
 public:
  Calls calls;
  secured::server::HealthResponse health(const secured::server::HealthRequest&, th::Context& context) override {
    calls.record(context);
    secured::server::HealthResponse::Status200 ok;
    ok.body.status = "up";
    return {ok};
  }
};

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

class Middleware : public ::testing::Test {
 protected:
  Middleware() : server(routes(), hooks()) {}

  th::Router routes() {
    th::Router router;
    secured::server::addRoutes(router, {.pets = &pets, .ops = &ops});
    return router;
  }

  th::Hooks hooks() {
    th::Hooks h;
    h.authenticate = [this](const th::Request& request, th::Context& context) -> std::optional<th::Problem> {
      {
        std::lock_guard lock(mutex);
        ++authCalls;
        securitySeen[context.operation->operationId].clear();
        for (const auto& requirement : context.operation->security) {
          securitySeen[context.operation->operationId].push_back(requirement.schemes);
        }
      }
      std::vector<std::string> schemes;
      if (std::optional<std::string> authorization = request.headers.get("Authorization")) {
        if (auto it = tokens.find(*authorization); it != tokens.end()) {
          schemes.push_back("oauth");
          context.principal = it->second.principal;
          context.scopes = it->second.scopes;
        }
      }
      if (request.headers.get("X-Api-Key") == "key-dan") {
        schemes.push_back("apiKey");
        if (context.principal.empty()) context.principal = "dan";
      }
      std::optional<th::Problem> refused = th::checkSecurity(context.operation->security, schemes, context.scopes);
      if (refused) {
        // RFC 6750: the 401 names the scheme to use, the 403 the scope that was missing.
        std::string challenge = "Bearer realm=\"pets\"";
        if (refused->status == 403) {
          challenge += ", error=\"insufficient_scope\", scope=\"" +
                       join(refused->extra["missing_scopes"].get<std::vector<std::string>>()) + "\"";
        }
        refused->headers.set("WWW-Authenticate", challenge);
      }
      return refused;
    };
    h.requestId = [this](const th::Request& request) {
      std::optional<std::string> incoming = request.headers.get("X-Request-Id");
      if (incoming && th::saneRequestId(*incoming)) return *incoming;
      return "gen-" + std::to_string(++generatedIds);
    };
    h.rateLimit = [this](const th::Request&, th::Context& context, th::Response& out) -> std::optional<th::Problem> {
      std::lock_guard lock(mutex);
      ++rateCalls;
      int& spent = spentTokens[context.principal.empty() ? "anonymous" : context.principal];
      out.headers.set("RateLimit-Limit", std::to_string(budget));
      if (spent >= budget) {
        out.headers.set("RateLimit-Remaining", "0");
        th::Problem p = th::makeProblem(429, th::code::kRateLimited, "Too many requests.");
        p.headers.set("Retry-After", "30");
        return p;
      }
      ++spent;
      out.headers.set("RateLimit-Remaining", std::to_string(budget - spent));
      return std::nullopt;
    };
    h.log = [this](const th::Request& request, const th::Context& context, const th::Response& response,
                   std::chrono::microseconds duration) {
      std::lock_guard lock(mutex);
      log.push_back({request.method, request.path, context.operation ? context.operation->operationId : "",
                     context.requestId, context.principal, response.status, response.headers.get("X-Request-Id"),
                     duration});
    };
    return h;
  }

  th::Response call(std::string method, std::string target,
                    std::vector<std::pair<std::string, std::string>> headers = {}, std::string body = "") {
    th::Request r;
    r.method = std::move(method);
    r.path = std::move(target);
    r.body = std::move(body);
    for (auto& [name, value] : headers) r.headers.add(name, value);
    if (!r.body.empty() && !r.headers.has("Content-Type")) r.headers.add("Content-Type", "application/json");
    return server.dispatch(std::move(r));
  }

  static nlohmann::json json(const th::Response& r) { return nlohmann::json::parse(r.body); }

  const std::map<std::string, Identity> tokens = {
      {"Bearer reader", {"ann", {"pets:read"}}},
      {"Bearer writer", {"bob", {"pets:read", "pets:write"}}},
      {"Bearer admin", {"cat", {"pets:read", "pets:write", "pets:admin"}}},
  };
  std::mutex mutex;  // the socket test runs the hooks on httplib's worker threads
  std::map<std::string, std::vector<Schemes>> securitySeen;  // by operationId
  int authCalls = 0;
  int rateCalls = 0;
  int budget = 1000;  // tokens per principal; the rate-limit tests lower it
  std::map<std::string, int> spentTokens;
  std::atomic<int> generatedIds{0};
  std::vector<LogEntry> log;
  Pets pets;
  Ops ops;
  th::Server server;  // last: its hooks use the members above
};

const std::vector<std::pair<std::string, std::string>> kReader = {{"Authorization", "Bearer reader"}};
const std::vector<std::pair<std::string, std::string>> kWriter = {{"Authorization", "Bearer writer"}};
const std::vector<std::pair<std::string, std::string>> kAdmin = {{"Authorization", "Bearer admin"}};

// The requirements reach the hook exactly as the spec states them, through the generated
// OperationInfo: root security inherited, overridden with alternatives, two scopes, the
// empty requirement of optional security, and security: [] for the public operation.
TEST_F(Middleware, HookSeesEachOperationsSecurityFromTheSpec) {
  ASSERT_EQ(call("GET", "/health").status, 200);
  ASSERT_EQ(call("GET", "/pets", kAdmin).status, 200);
  ASSERT_EQ(call("POST", "/pets", kAdmin, R"({"name":"Rex"})").status, 201);
  ASSERT_EQ(call("GET", "/pets/1", kAdmin).status, 200);
  ASSERT_EQ(call("DELETE", "/pets/1", kAdmin).status, 204);
  std::map<std::string, std::vector<Schemes>> expected = {
      {"health", {}},
      {"listPets", {Schemes{{"oauth", {"pets:read"}}}}},
      {"createPet", {Schemes{{"oauth", {"pets:write"}}}, Schemes{{"apiKey", {}}}}},
      {"getPet", {Schemes{}, Schemes{{"oauth", {"pets:read"}}}}},
      {"deletePet", {Schemes{{"oauth", {"pets:write", "pets:admin"}}}}},
  };
  EXPECT_EQ(securitySeen, expected);
}

TEST_F(Middleware, NoOrUnknownCredentialsAre401WithAChallenge) {
  for (const auto& headers : {std::vector<std::pair<std::string, std::string>>{},
                              std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer forged"}},
                              std::vector<std::pair<std::string, std::string>>{{"X-Api-Key", "key-eve"}}}) {
    th::Response r = call("GET", "/pets", headers);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.contentType, "application/problem+json");
    EXPECT_EQ(json(r)["code"], "UNAUTHORIZED");
    EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Bearer realm=\"pets\"");
  }
  EXPECT_EQ(pets.calls.count, 0);
}

TEST_F(Middleware, MissingScopeIs403NamingIt) {
  th::Response create = call("POST", "/pets", kReader, R"({"name":"Rex"})");
  ASSERT_EQ(create.status, 403) << create.body;
  EXPECT_EQ(json(create)["code"], "FORBIDDEN");
  EXPECT_EQ(json(create)["detail"], "Missing scopes: pets:write.");
  EXPECT_EQ(json(create)["missing_scopes"], nlohmann::json::array({"pets:write"}));
  EXPECT_EQ(create.headers.get("WWW-Authenticate"),
            "Bearer realm=\"pets\", error=\"insufficient_scope\", scope=\"pets:write\"");

  th::Response readerDelete = call("DELETE", "/pets/1", kReader);
  EXPECT_EQ(readerDelete.status, 403);
  EXPECT_EQ(json(readerDelete)["missing_scopes"], nlohmann::json::array({"pets:write", "pets:admin"}));
  th::Response writerDelete = call("DELETE", "/pets/1", kWriter);
  EXPECT_EQ(writerDelete.status, 403);
  EXPECT_EQ(json(writerDelete)["missing_scopes"], nlohmann::json::array({"pets:admin"}));
  EXPECT_EQ(pets.calls.count, 0);
}

TEST_F(Middleware, HandlerSeesThePrincipalAndScopesTheHookSet) {
  th::Response r = call("POST", "/pets", kWriter, R"({"name":"Rex"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["owner"], "bob");
  EXPECT_EQ(pets.calls.principal, "bob");
  EXPECT_EQ(pets.calls.scopes, (std::vector<std::string>{"pets:read", "pets:write"}));
  EXPECT_EQ(call("DELETE", "/pets/7", kAdmin).status, 204);
  EXPECT_EQ(pets.calls.principal, "cat");
  EXPECT_EQ(pets.calls.count, 2);
}

TEST_F(Middleware, PublicOperationNeedsNoCredentials) {
  th::Response r = call("GET", "/health");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["status"], "up");
  EXPECT_EQ(ops.calls.principal, "");
  // Credentials the hook does not know do not turn a public operation into a 401.
  EXPECT_EQ(call("GET", "/health", {{"Authorization", "Bearer forged"}}).status, 200);
  EXPECT_EQ(ops.calls.count, 2);
}

// createPet: oauth with pets:write OR an API key; either alternative suffices alone.
TEST_F(Middleware, EitherAlternativeSatisfiesTheOperation) {
  th::Response byKey = call("POST", "/pets", {{"X-Api-Key", "key-dan"}}, R"({"name":"Rex"})");
  ASSERT_EQ(byKey.status, 201) << byKey.body;
  EXPECT_EQ(json(byKey)["owner"], "dan");
  // The token lacks pets:write, but the key satisfies the second alternative.
  th::Response both = call("POST", "/pets", {{"Authorization", "Bearer reader"}, {"X-Api-Key", "key-dan"}},
                           R"({"name":"Rex"})");
  EXPECT_EQ(both.status, 201) << both.body;
  // The key is not an alternative for listPets: oauth is the only one there.
  EXPECT_EQ(call("GET", "/pets", {{"X-Api-Key", "key-dan"}}).status, 401);
}

// getPet: security [{}, {oauth: [pets:read]}]: anonymous allowed, a caller still identified.
TEST_F(Middleware, OptionalSecurityAllowsAnonymousAndIdentifiesCallers) {
  th::Response anonymous = call("GET", "/pets/3");
  ASSERT_EQ(anonymous.status, 200) << anonymous.body;
  EXPECT_FALSE(json(anonymous).contains("owner"));
  th::Response identified = call("GET", "/pets/3", kReader);
  ASSERT_EQ(identified.status, 200);
  EXPECT_EQ(json(identified)["owner"], "ann");
}

// The request id everywhere it must appear: the response header, a problem's request_id,
// and what the log hook saw of the context and of the final response.
void expectRequestId(const th::Response& r, const LogEntry& logged, const std::string& id) {
  EXPECT_EQ(r.headers.get("X-Request-Id"), id);
  if (r.contentType == "application/problem+json") {
    EXPECT_EQ(nlohmann::json::parse(r.body)["request_id"], id);
  }
  EXPECT_EQ(logged.requestId, id);
  EXPECT_EQ(logged.responseRequestId, id);
}

// A sane incoming id is echoed; a missing or insane one is replaced by the hook's own.
TEST_F(Middleware, RequestIdIsEchoedOrGeneratedInHeaderProblemAndLog) {
  struct Case {
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    int status;
    std::string id;
  };
  const std::vector<Case> cases = {
      {"/pets", {{"Authorization", "Bearer reader"}, {"X-Request-Id", "client-42"}}, 200, "client-42"},
      {"/pets", {{"X-Request-Id", "client-43"}}, 401, "client-43"},
      {"/pets", {}, 401, "gen-1"},
      {"/owners", {{"X-Request-Id", "has spaces in it"}}, 404, "gen-2"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    th::Response r = call("GET", c.target, c.headers);
    EXPECT_EQ(r.status, c.status);
    ASSERT_FALSE(log.empty());
    expectRequestId(r, log.back(), c.id);
  }
  EXPECT_EQ(log.size(), cases.size());
}

TEST_F(Middleware, LogRunsOncePerRequestWithStatusOperationAndDuration) {
  pets.delay = std::chrono::milliseconds(20);
  EXPECT_EQ(call("GET", "/owners").status, 404);
  EXPECT_EQ(call("PATCH", "/pets").status, 405);
  EXPECT_EQ(call("GET", "/pets/abc").status, 400);
  EXPECT_EQ(call("GET", "/pets").status, 401);
  EXPECT_EQ(call("DELETE", "/pets/1", kReader).status, 403);
  EXPECT_EQ(call("POST", "/pets", kWriter, R"({"name":""})").status, 422);
  EXPECT_EQ(call("GET", "/pets", kReader).status, 200);
  ASSERT_EQ(log.size(), 7u);
  std::vector<std::pair<int, std::string>> seen;
  for (const LogEntry& e : log) seen.emplace_back(e.status, e.operationId);
  EXPECT_EQ(seen, (std::vector<std::pair<int, std::string>>{{404, ""},
                                                            {405, ""},
                                                            {400, "getPet"},
                                                            {401, "listPets"},
                                                            {403, "deletePet"},
                                                            {422, "createPet"},
                                                            {200, "listPets"}}));
  EXPECT_EQ(log[6].principal, "ann");
  EXPECT_GE(log[6].duration, std::chrono::milliseconds(20));  // the handler's sleep is inside it
  EXPECT_EQ(log[6].method, "GET");
  EXPECT_EQ(log[6].path, "/pets");
}

TEST_F(Middleware, RateLimitRefusesWith429AfterTheBudgetWithoutCallingTheHandler) {
  budget = 3;
  for (int remaining = 2; remaining >= 0; --remaining) {
    th::Response r = call("GET", "/pets", kReader);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers.get("RateLimit-Limit"), "3");
    EXPECT_EQ(r.headers.get("RateLimit-Remaining"), std::to_string(remaining));
  }
  th::Response limited = call("GET", "/pets", {{"Authorization", "Bearer reader"}, {"X-Request-Id", "rl-1"}});
  ASSERT_EQ(limited.status, 429);
  EXPECT_EQ(json(limited)["code"], "RATE_LIMITED");
  EXPECT_EQ(json(limited)["request_id"], "rl-1");
  EXPECT_EQ(limited.headers.get("Retry-After"), "30");
  EXPECT_EQ(limited.headers.get("RateLimit-Remaining"), "0");
  EXPECT_EQ(pets.calls.count, 3);
  // The budget is per principal: another caller still gets through.
  EXPECT_EQ(call("GET", "/pets", kWriter).status, 200);
  // Refilled, the first caller does again.
  spentTokens.clear();
  EXPECT_EQ(call("GET", "/pets", kReader).status, 200);
  EXPECT_EQ(pets.calls.count, 5);
}

// server.h: route → authenticate → rate limit → Content-Type → Accept → body size → handler
// (whose generated code validates the body).
TEST_F(Middleware, AuthenticationRunsBeforeRateLimitAndBodyChecks) {
  // Unrouted requests never reach the authenticate hook.
  EXPECT_EQ(call("GET", "/owners").status, 404);
  EXPECT_EQ(call("PUT", "/pets").status, 405);
  EXPECT_EQ(authCalls, 0);

  // Unauthenticated with an invalid body, or a wrong Content-Type: 401, not 422 or 415,
  // and no rate-limit token spent on it.
  EXPECT_EQ(call("POST", "/pets", {}, R"({"name":""})").status, 401);
  EXPECT_EQ(call("POST", "/pets", {{"Content-Type", "text/plain"}}, "Rex").status, 401);
  EXPECT_EQ(rateCalls, 0);

  // Authenticated, within budget, invalid body: 422, with the rate-limit headers on it.
  budget = 1;
  th::Response invalid = call("POST", "/pets", kWriter, R"({"name":""})");
  EXPECT_EQ(invalid.status, 422) << invalid.body;
  EXPECT_EQ(invalid.headers.get("RateLimit-Remaining"), "0");
  // Over budget, the same invalid body is 429: the rate limit runs before body checks.
  EXPECT_EQ(call("POST", "/pets", kWriter, R"({"name":""})").status, 429);
  EXPECT_EQ(rateCalls, 2);
  EXPECT_EQ(pets.calls.count, 0);
}

TEST_F(Middleware, HooksOverARealSocket) {
  budget = 1;
  server.bind("127.0.0.1", 0);
  std::thread serving([this] { server.listen(); });
  httplib::Client client("127.0.0.1", server.port());
  auto refused = client.Get("/pets");
  auto ok = client.Get("/pets", httplib::Headers{{"Authorization", "Bearer reader"}, {"X-Request-Id", "sock-1"}});
  auto limited = client.Get("/pets", httplib::Headers{{"Authorization", "Bearer reader"}});
  server.stop();
  serving.join();

  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer realm=\"pets\"");
  EXPECT_EQ(refused->get_header_value("X-Request-Id"), "gen-1");
  EXPECT_EQ(nlohmann::json::parse(refused->body)["request_id"], "gen-1");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->get_header_value("X-Request-Id"), "sock-1");
  EXPECT_EQ(ok->get_header_value("RateLimit-Remaining"), "0");
  EXPECT_EQ(nlohmann::json::parse(ok->body)[0]["owner"], "ann");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "30");
  std::lock_guard lock(mutex);
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].status, 401);
  EXPECT_EQ(log[1].requestId, "sock-1");
  EXPECT_EQ(log[2].status, 429);
}

}  // namespace
