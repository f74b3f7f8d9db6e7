// The sandbox's cross-cutting behaviour (the brief's conventions) and its first resource
// groups: users, API keys, workspaces, projects. Every case runs on SQLite and PostgreSQL.
#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "sandbox_fixture.h"

namespace tether::sandbox::testing {
namespace {

class CoreTest : public SandboxTest {};

TEST_P(CoreTest, HealthReadinessAndSpecAreServedAnonymously) {
  EXPECT_EQ(call("GET", "/healthz", {}, {}, "").status, 200);
  EXPECT_EQ(call("GET", "/readyz", {}, {}, "").status, 200);
  http::Response spec = call("GET", "/openapi.json", {}, {}, "");
  ASSERT_EQ(spec.status, 200);
  EXPECT_EQ(json(spec)["info"]["title"], "Cloud Platform API");
  http::Response docs = call("GET", "/docs", {}, {}, "");
  EXPECT_EQ(docs.status, 200);
  EXPECT_NE(docs.body.find("<redoc spec-url=\"/openapi.json\">"), std::string::npos);
}

TEST_P(CoreTest, CredentialsAreCheckedAndScopesEnforced) {
  http::Response none = call("GET", "/v1/projects", {}, {}, "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(json(none)["code"], "UNAUTHORIZED");
  EXPECT_TRUE(none.headers.get("WWW-Authenticate").has_value());
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, "sk_live_doesnotexist0000000000000000").status, 401);
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, "not-a-credential").status, 401);

  std::string reader = keyWith({"projects:read"});
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, reader).status, 200);
  http::Response denied = call("POST", "/v1/projects", Json{{"name", "web"}}, {}, reader);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(json(denied)["code"], "FORBIDDEN");
  EXPECT_NE(json(denied)["detail"].get<std::string>().find("projects:write"), std::string::npos);
  // `read` implies every <resource>:read, and no write.
  std::string broad = keyWith({"read"});
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, broad).status, 200);
  EXPECT_EQ(call("POST", "/v1/projects", Json{{"name", "web"}}, {}, broad).status, 403);
}

TEST_P(CoreTest, EveryResponseCarriesRequestIdAndRateLimitHeaders) {
  http::Response r = call("GET", "/v1/projects", {}, {{"X-Request-Id", "trace-123"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("X-Request-Id"), "trace-123");
  EXPECT_EQ(r.headers.get("X-RateLimit-Limit"), "100");
  EXPECT_EQ(r.headers.get("X-RateLimit-Remaining"), "99");
  EXPECT_EQ(r.headers.get("RateLimit-Policy"), "\"default\";q=100;w=60");
  EXPECT_TRUE(r.headers.get("RateLimit").has_value());
  http::Response missing = call("GET", "/v1/projects/prj_000000000000000000000000");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.headers.get("X-Request-Id").has_value());
  EXPECT_EQ(json(missing)["code"], "RESOURCE_NOT_FOUND");
  EXPECT_EQ(json(missing)["request_id"], *missing.headers.get("X-Request-Id"));
}

class RateLimitTest : public SandboxTest {
  void configure(Config& c) override {
    c.rateLimit = 3;
    c.rateWindowSeconds = 3600;
  }
};

TEST_P(RateLimitTest, AnEmptyBucketAnswers429WithRetryAfter) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(call("GET", "/v1/projects").status, 200) << i;
  http::Response r = call("GET", "/v1/projects");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(json(r)["code"], "RATE_LIMITED");
  ASSERT_TRUE(r.headers.get("Retry-After").has_value());
  EXPECT_GT(std::stoi(*r.headers.get("Retry-After")), 0);
  EXPECT_EQ(r.headers.get("X-RateLimit-Remaining"), "0");
}

TEST_P(CoreTest, ProjectsLiveThroughCreateGetUpdateListDelete) {
  http::Response created = call("POST", "/v1/projects", Json{{"name", "web"}, {"labels", {{"team", "a"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json project = json(created);
  const std::string id = project["id"];
  EXPECT_EQ(id.rfind("prj_", 0), 0u);
  EXPECT_EQ(project["environment_ids"].size(), 1u);
  EXPECT_EQ(call("POST", "/v1/projects", Json{{"name", "web"}}).status, 409);  // names are unique

  http::Response got = call("GET", "/v1/projects/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json(got), project);
  http::Response patched = call("PATCH", "/v1/projects/" + id, Json{{"description", "The web app"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json(patched)["description"], "The web app");
  EXPECT_EQ(json(patched)["labels"]["team"], "a");
  EXPECT_EQ(call("DELETE", "/v1/projects/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/projects/" + id).status, 404);  // use after delete
}

TEST_P(CoreTest, ListsWalkEveryPageOnceNewestFirst) {
  std::vector<std::pair<std::string, std::string>> made;  // (created_at, id)
  for (int i = 0; i < 7; ++i) {
    http::Response r = call("POST", "/v1/projects", Json{{"name", "p" + std::to_string(i)}});
    ASSERT_EQ(r.status, 201);
    made.emplace_back(json(r)["created_at"], json(r)["id"]);
  }
  std::vector<std::string> seen;
  std::string next = "/v1/projects?limit=3";
  int pages = 0;
  while (!next.empty()) {
    http::Response r = call("GET", next);
    ASSERT_EQ(r.status, 200) << r.body;
    Json page = json(r);
    for (const Json& p : page["data"]) seen.push_back(p["id"]);
    ++pages;
    next = page["meta"]["has_more"] ? "/v1/projects?limit=3&cursor=" + page["meta"]["next_cursor"].get<std::string>()
                                    : "";
  }
  EXPECT_EQ(pages, 3);
  // Newest first: by created_at, then by id among those made in the same millisecond.
  std::sort(made.rbegin(), made.rend());
  std::vector<std::string> expected;
  for (const auto& m : made) expected.push_back(m.second);
  EXPECT_EQ(seen, expected);
  // Sorted by name, ascending; a cursor does not cross to another sort.
  Json byName = json(call("GET", "/v1/projects?sort=name&limit=2"));
  EXPECT_EQ(byName["data"][0]["name"], "p0");
  http::Response foreign =
      call("GET", "/v1/projects?limit=2&cursor=" + byName["meta"]["next_cursor"].get<std::string>());
  EXPECT_EQ(foreign.status, 400);
  EXPECT_EQ(call("GET", "/v1/projects?cursor=garbage").status, 400);
  EXPECT_EQ(json(call("GET", "/v1/projects?name=p1"))["data"].size(), 1u);
}

TEST_P(CoreTest, TestModeDataIsApartFromLiveData) {
  std::string test = keyWith({"admin"}, "test");
  ASSERT_EQ(test.rfind("sk_test_", 0), 0u);
  http::Response live = call("POST", "/v1/projects", Json{{"name", "web"}});
  ASSERT_EQ(live.status, 201);
  const std::string id = json(live)["id"];
  EXPECT_EQ(call("GET", "/v1/projects/" + id, {}, {}, test).status, 404);
  EXPECT_EQ(json(call("GET", "/v1/projects", {}, {}, test))["data"].size(), 0u);
  EXPECT_EQ(call("POST", "/v1/projects", Json{{"name", "web"}}, {}, test).status, 201);  // its own namespace
  // A test key cannot mint a live one.
  EXPECT_EQ(call("POST", "/v1/api-keys", Json{{"name", "x"}, {"scopes", {"read"}}}, {}, test).status, 403);
  EXPECT_EQ(call("POST", "/v1/api-keys", Json{{"name", "x"}, {"scopes", {"read"}}, {"mode", "test"}}, {}, test).status,
            201);
}

TEST_P(CoreTest, IdempotencyKeyReplaysAndRefusesReuse) {
  const std::map<std::string, std::string> key{{"Idempotency-Key", "3f0e8c1a-0000-4000-8000-000000000001"}};
  http::Response first = call("POST", "/v1/projects", Json{{"name", "once"}}, key);
  ASSERT_EQ(first.status, 201);
  http::Response again = call("POST", "/v1/projects", Json{{"name", "once"}}, key);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.headers.get("Idempotent-Replayed"), "true");
  EXPECT_EQ(json(call("GET", "/v1/projects"))["data"].size(), 1u);
  http::Response reused = call("POST", "/v1/projects", Json{{"name", "other"}}, key);
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(json(reused)["code"], "IDEMPOTENCY_KEY_REUSED");
  // Failures replay too.
  const std::map<std::string, std::string> k2{{"Idempotency-Key", "3f0e8c1a-0000-4000-8000-000000000002"}};
  EXPECT_EQ(call("POST", "/v1/projects", Json{{"name", "once"}}, k2).status, 409);
  http::Response replayed = call("POST", "/v1/projects", Json{{"name", "once"}}, k2);
  EXPECT_EQ(replayed.status, 409);
  EXPECT_EQ(replayed.headers.get("Idempotent-Replayed"), "true");
}

TEST_P(CoreTest, ConcurrentRetriesUnderOneKeyCreateOnceAndAllGetItsAnswer) {
  // The claim, the create and the recorded response are one unit of work (issue 19): a
  // retry that arrives while the first runs waits for it and replays it.
  const std::map<std::string, std::string> key{{"Idempotency-Key", "3f0e8c1a-0000-4000-8000-0000000000c0"}};
  std::vector<http::Response> answers(8);
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    clients.emplace_back([&, i] { answers[i] = call("POST", "/v1/projects", Json{{"name", "raced"}}, key); });
  }
  for (std::thread& t : clients) t.join();
  int originals = 0;
  for (const http::Response& answer : answers) {
    ASSERT_EQ(answer.status, 201) << answer.body;
    EXPECT_EQ(json(answer)["id"], json(answers[0])["id"]);
    if (!answer.headers.get("Idempotent-Replayed")) ++originals;
  }
  EXPECT_EQ(originals, 1);
  EXPECT_EQ(json(call("GET", "/v1/projects"))["data"].size(), 1u);
}

TEST_P(CoreTest, AnIdempotentCreateAndItsRecordAreWrittenTogether) {
  const std::map<std::string, std::string> key{{"Idempotency-Key", "3f0e8c1a-0000-4000-8000-0000000000c1"}};
  http::Response created = call("POST", "/v1/projects", Json{{"name", "recorded"}}, key);
  ASSERT_EQ(created.status, 201);
  // No request may observe the key claimed but unanswered: the record is 'done' with the
  // resource's status as soon as the resource exists.
  auto [state, status] = sandbox_->services().db.with([&](storage::Connection& c) {
    auto q = c.prepare("SELECT state, response_status FROM idempotency_keys WHERE idempotency_key = $1");
    q->bind_text(1, key.at("Idempotency-Key"));
    EXPECT_TRUE(q->step());
    return std::pair(q->text(0), q->int64(1));
  });
  EXPECT_EQ(state, "done");
  EXPECT_EQ(status, 201);
  // A create refused by the handler (a duplicate name: 409) keeps its recorded problem and
  // nothing else of the request.
  const std::map<std::string, std::string> k2{{"Idempotency-Key", "3f0e8c1a-0000-4000-8000-0000000000c2"}};
  EXPECT_EQ(call("POST", "/v1/projects", Json{{"name", "recorded"}}, k2).status, 409);
  EXPECT_EQ(json(call("GET", "/v1/projects"))["data"].size(), 1u);
  http::Response replayed = call("POST", "/v1/projects", Json{{"name", "recorded"}}, k2);
  EXPECT_EQ(replayed.status, 409);
  EXPECT_EQ(replayed.headers.get("Idempotent-Replayed"), "true");
}

TEST_P(CoreTest, BadInputGetsProblemsNeverServerErrors) {
  http::Response malformed = callRaw("POST", "/v1/projects", "{\"name\": ", "application/json");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.contentType, "application/problem+json");
  EXPECT_EQ(callRaw("POST", "/v1/projects", "name=web", "text/plain").status, 415);
  EXPECT_EQ(callRaw("POST", "/v1/projects", "{\"name\": \"\xff\xfe\"}", "application/json").status, 400);
  std::string deep(200, '[');
  EXPECT_EQ(callRaw("POST", "/v1/projects", deep + std::string(200, ']'), "application/json").status, 400);
  // Numbers no double holds, at any depth: a 400 at the number, not a 500 (issue 19).
  for (const char* body : {"{\"name\": 1e400}", "{\"name\": -1e400}", "{\"labels\": {\"a\": [1, 200e9100]}}"}) {
    http::Response huge = callRaw("POST", "/v1/projects", body, "application/json");
    EXPECT_EQ(huge.status, 400) << body;
    EXPECT_EQ(huge.contentType, "application/problem+json") << body;
  }
  http::Response invalid = call("POST", "/v1/projects", Json{{"name", "Not A Name!"}});
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(json(invalid)["errors"][0]["pointer"], "/name");
  EXPECT_EQ(call("GET", "/v1/projects/'%20OR%201=1--").status, 400);  // malformed id
  // Unknown fields, a body over the limit, a one-value parameter sent twice.
  http::Response unknown = call("POST", "/v1/projects", Json{{"name", "web"}, {"colour", "blue"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(json(unknown)["errors"][0]["pointer"], "/colour");
  http::Response huge = callRaw("POST", "/v1/projects", "{\"name\": \"" + std::string(2 << 20, 'a') + "\"}",
                                "application/json");
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(json(huge)["code"], "PAYLOAD_TOO_LARGE");
  http::Response twice = call("GET", "/v1/projects?limit=2&limit=3");
  EXPECT_EQ(twice.status, 400);
  EXPECT_NE(json(twice)["detail"].get<std::string>().find("limit"), std::string::npos) << twice.body;
  EXPECT_EQ(json(call("GET", "/v1/projects"))["data"].size(), 0u);  // none of it was stored
  http::Response injection = call("POST", "/v1/projects", Json{{"name", "x"}, {"description", "'); DROP TABLE resources;--"}});
  EXPECT_EQ(injection.status, 201);
  EXPECT_EQ(json(call("GET", "/v1/projects/" + json(injection)["id"].get<std::string>()))["description"],
            "'); DROP TABLE resources;--");
}

TEST_P(CoreTest, ApiKeysAreShownOnceRotatedWithOverlapAndRevoked) {
  http::Response created = call("POST", "/v1/api-keys", Json{{"name", "ci"}, {"scopes", {"projects:read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json key = json(created);
  const std::string id = key["id"], secret = key["secret"];
  http::Response got = call("GET", "/v1/api-keys/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_FALSE(json(got).contains("secret"));
  EXPECT_EQ(json(got)["prefix"], secret.substr(0, 12));

  http::Response rotated = call("POST", "/v1/api-keys/" + id + "/rotate", Json{{"overlap_seconds", 3600}});
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  const std::string next = json(rotated)["secret"];
  // The new key is a key of its own, beside the old one.
  EXPECT_EQ(rotated.headers.get("Location"), "/v1/api-keys/" + json(rotated)["id"].get<std::string>());
  EXPECT_NE(json(rotated)["id"], id);
  EXPECT_EQ(json(call("GET", "/v1/api-keys/" + id))["status"], "expiring");
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, secret).status, 200);  // both work during the overlap
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, next).status, 200);

  EXPECT_EQ(call("DELETE", "/v1/api-keys/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, secret).status, 401);
  EXPECT_EQ(json(call("GET", "/v1/api-keys/" + id))["status"], "revoked");
  // A key cannot grant what its creator lacks.
  std::string narrow = keyWith({"api_keys:write", "projects:read"});
  EXPECT_EQ(call("POST", "/v1/api-keys", Json{{"name", "x"}, {"scopes", {"admin"}}}, {}, narrow).status, 403);
  // Audited.
  // (the audit log's own endpoint is another handler; the entry count is checked there)
}

TEST_P(CoreTest, SecretsInResponsesAreNotCachedNorStoredInClear) {
  const std::map<std::string, std::string> key{{"Idempotency-Key", "9a1b2c3d-0000-4000-8000-0000000000aa"}};
  http::Response created = call("POST", "/v1/api-keys", Json{{"name", "once"}, {"scopes", {"read"}}}, key);
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.headers.get("Cache-Control"), "no-store");
  const std::string secret = json(created)["secret"];
  // The idempotency record holds the response sealed: the secret is not in the database.
  bool found = sandbox_->services().db.with([&](storage::Connection& c) {
    auto q = c.prepare("SELECT response_body FROM idempotency_keys");
    bool any = false;
    while (q->step()) {
      storage::Blob body = q->blob(0);
      any = any || std::string(body.begin(), body.end()).find(secret) != std::string::npos;
    }
    return any;
  });
  EXPECT_FALSE(found);
  http::Response replayed = call("POST", "/v1/api-keys", Json{{"name", "once"}, {"scopes", {"read"}}}, key);
  EXPECT_EQ(replayed.body, created.body);  // and it still replays
  EXPECT_EQ(replayed.headers.get("Cache-Control"), "no-store");
}

TEST_P(CoreTest, IpAllowlistRestrictsWhereAKeyWorks) {
  http::Response created =
      call("POST", "/v1/api-keys", Json{{"name", "office"}, {"scopes", {"read"}}, {"ip_allowlist", {"10.0.0.0/8"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, json(created)["secret"].get<std::string>()).status, 401);
}

TEST_P(CoreTest, CurrentUserAndWorkspaces) {
  http::Response me = call("GET", "/v1/users/@me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(json(me)["auth_method"], "api_key");
  http::Response account = call("GET", "/v1/account");
  ASSERT_EQ(account.status, 200);
  EXPECT_TRUE(account.headers.get("Deprecation").has_value());
  EXPECT_TRUE(account.headers.get("Sunset").has_value());

  Json list = json(call("GET", "/v1/workspaces"));
  ASSERT_EQ(list["data"].size(), 1u);
  http::Response made = call("POST", "/v1/workspaces", Json{{"name", "Acme"}, {"slug", "acme"}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(json(made)["member_count"], 1);
  EXPECT_EQ(call("POST", "/v1/workspaces", Json{{"name", "Acme 2"}, {"slug", "acme"}}).status, 409);
  EXPECT_EQ(json(call("GET", "/v1/workspaces"))["data"].size(), 2u);
  EXPECT_EQ(call("GET", "/v1/workspaces/ws_000000000000000000000000").status, 404);
}

TETHER_SANDBOX_BACKENDS(CoreTest);
TETHER_SANDBOX_BACKENDS(RateLimitTest);

}  // namespace
}  // namespace tether::sandbox::testing
