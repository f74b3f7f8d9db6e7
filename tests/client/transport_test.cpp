// Transport::send/sendChecked against an httplib server: headers on the way out, errors on
// the way back, and status retries with the injected sleep (no real waiting).
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

#include "test_server.h"
#include "tether/client/transport.h"

namespace tether::client {
namespace {

using std::chrono::milliseconds;
using testing::Seen;
using testing::SleepLog;
using testing::TestServer;

const std::regex kUuidV4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

ClientOptions optionsFor(const TestServer& server, SleepLog& sleeps) {
  ClientOptions options;
  options.baseUrl = server.url() + "/v1";
  options.token = "sk_test_explicit";
  options.sleep = sleeps.hook();
  options.jitterSeed = 42;
  return options;
}

TEST(Transport, GetSucceedsWithTheStandardHeaders) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/projects/prj_1", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      res.set_header("X-Request-Id", req.get_header_value("X-Request-Id"));
      res.set_content(R"({"id":"prj_1"})", "application/json");
    });
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  HttpResponse response = transport.sendChecked({.method = "GET", .path = "/projects/prj_1", .query = "expand=owner"});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"id":"prj_1"})");
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(response.header("content-type"), "application/json");
  ASSERT_EQ(server.seen().size(), 1u);
  const Seen seen = server.seen().at(0);
  EXPECT_EQ(seen.header("Authorization"), "Bearer sk_test_explicit");
  EXPECT_EQ(seen.header("Accept"), "application/json");
  EXPECT_TRUE(std::regex_match(seen.header("X-Request-Id"), kUuidV4)) << seen.header("X-Request-Id");
  EXPECT_EQ(response.header("X-Request-Id"), seen.header("X-Request-Id"));
  EXPECT_EQ(seen.header("User-Agent").rfind("tether-client/", 0), 0u);
  EXPECT_EQ(seen.count("Idempotency-Key"), 0u) << "only POSTs get an automatic key";
  EXPECT_TRUE(sleeps.delays().empty());
}

TEST(Transport, PostSendsBodyContentTypeAndAnIdempotencyKey) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Post("/v1/projects", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      res.status = 201;
      res.set_content(req.body, "application/json");
    });
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  HttpResponse response = transport.sendChecked({.method = "POST", .path = "/projects", .body = R"({"name":"web"})"});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"name":"web"})");
  const Seen seen = server.seen().at(0);
  EXPECT_EQ(seen.header("Content-Type"), "application/json");
  EXPECT_EQ(seen.body, R"({"name":"web"})");
  EXPECT_TRUE(std::regex_match(seen.header("Idempotency-Key"), kUuidV4));

  // A caller's own key is kept, not replaced.
  transport.send({.method = "POST", .path = "/projects", .headers = {{"Idempotency-Key", "mine-1"}}, .body = "{}"});
  EXPECT_EQ(server.seen().at(1).header("Idempotency-Key"), "mine-1");
  EXPECT_EQ(server.seen().at(1).count("Idempotency-Key"), 1u);
}

TEST(Transport, ProblemJsonBecomesAnApiError) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Post("/v1/projects", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      res.status = 422;
      res.set_header("X-Request-Id", "req_7Hq2LmZ9");
      res.set_content(R"({"type":"https://docs.cloud.example/errors/validation-failed","title":"Validation failed",
        "status":422,"detail":"name is too long","instance":"/v1/projects","code":"VALIDATION_FAILED",
        "request_id":"req_7Hq2LmZ9","errors":[{"pointer":"/name","message":"at most 63 characters"}]})",
                      "application/problem+json");
    });
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  try {
    transport.sendChecked({.method = "POST", .path = "/projects", .body = R"({"name":"x"})"});
    FAIL() << "no ApiError";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 422);
    EXPECT_EQ(error.type(), "https://docs.cloud.example/errors/validation-failed");
    EXPECT_EQ(error.title(), "Validation failed");
    EXPECT_EQ(error.detail(), "name is too long");
    EXPECT_EQ(error.instance(), "/v1/projects");
    EXPECT_EQ(error.code(), "VALIDATION_FAILED");
    EXPECT_EQ(error.requestId(), "req_7Hq2LmZ9");
    ASSERT_TRUE(error.errors().is_array());
    EXPECT_EQ(error.errors()[0]["pointer"], "/name");
    EXPECT_NE(std::string(error.what()).find("VALIDATION_FAILED"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("req_7Hq2LmZ9"), std::string::npos) << error.what();
    EXPECT_EQ(error.attempts(), 1);
  }
  EXPECT_EQ(server.seen().size(), 1u) << "a 422 is not retried";
  EXPECT_TRUE(sleeps.delays().empty());
}

TEST(Transport, ApiErrorFallsBackToTheSentRequestIdAndNonProblemBodies) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/boom", t.answer(500, "upstream exploded", "text/plain"));
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  // send() reports the status without throwing.
  EXPECT_EQ(transport.send({.method = "GET", .path = "/boom"}).status, 500);
  try {
    transport.sendChecked({.method = "GET", .path = "/boom"});
    FAIL() << "no ApiError";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 500);
    EXPECT_EQ(error.type(), "about:blank");
    EXPECT_EQ(error.body(), "upstream exploded");
    EXPECT_EQ(error.requestId(), server.seen().back().header("X-Request-Id"));
  }
  EXPECT_EQ(server.seen().size(), 2u) << "a 500 is not retried";
}

TEST(Transport, RetryAfterOn429IsHonouredThenTheRequestSucceeds) {
  int calls = 0;
  TestServer server([&calls](httplib::Server& s, TestServer& t) {
    s.Post("/v1/deployments", [&](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      if (++calls == 1) {
        res.status = 429;
        res.set_header("Retry-After", "3");
        res.set_content(R"({"type":"about:blank","title":"Too Many Requests","status":429,"code":"RATE_LIMITED"})",
                        "application/problem+json");
        return;
      }
      res.status = 202;
      res.set_content(R"({"id":"dep_1"})", "application/json");
    });
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  HttpResponse response = transport.sendChecked({.method = "POST", .path = "/deployments", .body = "{}"});
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(sleeps.delays(), std::vector<milliseconds>{milliseconds{3000}});
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].header("Idempotency-Key"), seen[1].header("Idempotency-Key")) << "one key per request";
  EXPECT_EQ(seen[0].header("X-Request-Id"), seen[1].header("X-Request-Id"));
}

TEST(Transport, RetryAfterIsCappedByMaxDelayAndDatesInThePastMeanNow) {
  int calls = 0;
  TestServer server([&calls](httplib::Server& s, TestServer& t) {
    s.Get("/v1/slow", [&](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      ++calls;
      if (calls == 1) {
        res.status = 503;
        res.set_header("Retry-After", "86400");
      } else if (calls == 2) {
        res.status = 429;
        res.set_header("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT");
      } else {
        res.set_content("{}", "application/json");
      }
    });
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server, sleeps);
  options.retry.maxDelay = milliseconds{5000};
  Transport transport(options);
  EXPECT_EQ(transport.send({.method = "GET", .path = "/slow"}).status, 200);
  EXPECT_EQ(sleeps.delays(), (std::vector<milliseconds>{milliseconds{5000}, milliseconds{0}}));
}

TEST(Transport, ServiceUnavailableRetriesAreExhausted) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/down", t.answer(503, R"({"title":"Service Unavailable","status":503,"code":"INTERNAL_ERROR"})",
                               "application/problem+json"));
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server, sleeps);
  options.retry.maxAttempts = 3;
  options.retry.baseDelay = milliseconds{100};
  Transport transport(options);
  try {
    transport.sendChecked({.method = "GET", .path = "/down"});
    FAIL() << "no ApiError";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 503);
    EXPECT_EQ(error.code(), "INTERNAL_ERROR");
    EXPECT_EQ(error.attempts(), 3);
  }
  EXPECT_EQ(server.seen().size(), 3u);
  // Full jitter: retry n waits somewhere in [0, base * 2^(n-1)].
  auto delays = sleeps.delays();
  ASSERT_EQ(delays.size(), 2u);
  EXPECT_LE(delays[0], milliseconds{100});
  EXPECT_LE(delays[1], milliseconds{200});
}

TEST(Transport, BadGatewayIsRetriedOnlyForIdempotentRequests) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Patch("/v1/services/svc_1", t.answer(502, ""));
    s.Put("/v1/services/svc_1", t.answer(502, ""));
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server, sleeps);
  options.retry.maxAttempts = 2;
  Transport transport(options);
  EXPECT_EQ(transport.send({.method = "PATCH", .path = "/services/svc_1", .body = "{}"}).attempts, 1);
  EXPECT_EQ(transport.send({.method = "PUT", .path = "/services/svc_1", .body = "{}"}).attempts, 2);
  EXPECT_EQ(server.seen().size(), 3u);
}

TEST(Transport, TokenComesFromTheEnvironmentWhenNoneIsGiven) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/users/@me", t.answer(200, "{}"));
  });
  SleepLog sleeps;
  ::setenv("TETHER_CLIENT_TEST_TOKEN", "sk_test_from_env", 1);
  ClientOptions options = optionsFor(server, sleeps);
  options.token.clear();
  options.tokenEnv = "TETHER_CLIENT_TEST_TOKEN";
  Transport fromEnv(options);
  fromEnv.send({.method = "GET", .path = "/users/@me"});

  options.token = "sk_test_explicit";
  Transport explicitWins(options);
  explicitWins.send({.method = "GET", .path = "/users/@me"});

  ::unsetenv("TETHER_CLIENT_TEST_TOKEN");
  options.token.clear();
  Transport anonymous(options);
  anonymous.send({.method = "GET", .path = "/users/@me"});

  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer sk_test_from_env");
  EXPECT_EQ(seen[1].header("Authorization"), "Bearer sk_test_explicit");
  EXPECT_EQ(seen[2].count("Authorization"), 0u);
}

TEST(Transport, DefaultHeadersAreSentAndRequestHeadersOverrideThem) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/projects", t.answer(200, "[]"));
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server, sleeps);
  options.defaultHeaders = {{"X-Workspace", "ws_default"}, {"Accept-Language", "fr"}};
  options.userAgent = "my-portal/2.1";
  Transport transport(options);
  transport.send({.method = "GET", .path = "/projects"});
  transport.send({.method = "GET",
                  .path = "/projects",
                  .headers = {{"x-workspace", "ws_other"}, {"X-Request-Id", "req_mine"}}});

  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].header("X-Workspace"), "ws_default");
  EXPECT_EQ(seen[0].header("Accept-Language"), "fr");
  EXPECT_EQ(seen[0].header("User-Agent"), "my-portal/2.1");
  EXPECT_EQ(seen[1].count("X-Workspace"), 1u);
  EXPECT_EQ(seen[1].header("X-Workspace"), "ws_other");
  EXPECT_EQ(seen[1].header("X-Request-Id"), "req_mine") << "a caller's request id is kept";
  EXPECT_EQ(seen[1].header("Accept-Language"), "fr");
}

TEST(Transport, HeaderValuesThatWouldSplitTheHeaderBlockAreRefused) {
  ClientOptions options;
  options.baseUrl = "http://127.0.0.1:1";
  Transport transport(options);
  EXPECT_THROW(transport.send({.method = "GET", .path = "/x", .headers = {{"X-Note", "a\r\nX-Admin: 1"}}}),
               std::invalid_argument);
}

}  // namespace
}  // namespace tether::client
