// Network errors (a connection closed with no answer, a refused connection): retried for
// idempotent requests only, with the same Idempotency-Key on every attempt.
#include <gtest/gtest.h>

#include "raw_server.h"
#include "test_server.h"
#include "tether/client/transport.h"

namespace tether::client {
namespace {

using testing::RawServer;
using testing::SleepLog;

constexpr const char* kOk = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";

// Drops the first `drops` connections, then answers 200.
RawServer::Reply dropFirst(int drops) {
  return [drops](int index, const std::string&) { return index < drops ? std::string() : std::string(kOk); };
}

ClientOptions optionsFor(const std::string& url, SleepLog& sleeps) {
  ClientOptions options;
  options.baseUrl = url;
  options.sleep = sleeps.hook();
  options.jitterSeed = 7;
  return options;
}

TEST(NetworkErrors, GetIsRetriedAfterADroppedConnection) {
  RawServer server(dropFirst(2));
  SleepLog sleeps;
  Transport transport(optionsFor(server.url(), sleeps));
  HttpResponse response = transport.send({.method = "GET", .path = "/projects"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 3);
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(sleeps.delays().size(), 2u);
}

TEST(NetworkErrors, PostWithItsAutomaticKeyIsRetriedWithTheSameKey) {
  RawServer server(dropFirst(2));
  SleepLog sleeps;
  Transport transport(optionsFor(server.url(), sleeps));
  HttpResponse response = transport.send({.method = "POST", .path = "/deployments", .body = R"({"branch":"main"})"});
  EXPECT_EQ(response.status, 200);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  std::string key = RawServer::header(requests[0], "Idempotency-Key");
  EXPECT_EQ(key.size(), 36u);
  for (const std::string& request : requests) {
    EXPECT_EQ(RawServer::header(request, "Idempotency-Key"), key);
    EXPECT_EQ(request.substr(request.size() - 17), R"({"branch":"main"})") << "the body goes out every time";
  }
}

TEST(NetworkErrors, PostWithoutKeyIsNotRetried) {
  RawServer server(dropFirst(1));
  SleepLog sleeps;
  ClientOptions options = optionsFor(server.url(), sleeps);
  options.autoIdempotencyKey = false;
  Transport transport(options);
  try {
    transport.send({.method = "POST", .path = "/deployments", .body = "{}"});
    FAIL() << "no TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.attempts(), 1);
    EXPECT_NE(error.curlCode(), 0);
  }
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(RawServer::header(server.requests()[0], "Idempotency-Key"), "");
  EXPECT_TRUE(sleeps.delays().empty());
}

TEST(NetworkErrors, PatchIsNotRetriedAndPolicyCanTurnRetriesOff) {
  RawServer server(dropFirst(100));
  SleepLog sleeps;
  ClientOptions options = optionsFor(server.url(), sleeps);
  Transport transport(options);
  EXPECT_THROW(transport.send({.method = "PATCH", .path = "/services/svc_1", .body = "{}"}), TransportError);
  EXPECT_EQ(server.requests().size(), 1u);

  options.retry.retryNetworkErrorsForIdempotent = false;
  Transport noRetries(options);
  EXPECT_THROW(noRetries.send({.method = "GET", .path = "/projects"}), TransportError);
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_TRUE(sleeps.delays().empty());
}

TEST(NetworkErrors, RefusedConnectionsExhaustTheAttempts) {
  SleepLog sleeps;
  ClientOptions options = optionsFor("http://127.0.0.1:1", sleeps);  // nothing listens on port 1
  options.retry.maxAttempts = 3;
  Transport transport(options);
  try {
    transport.send({.method = "GET", .path = "/projects"});
    FAIL() << "no TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.attempts(), 3);
    EXPECT_NE(std::string(error.what()).find("127.0.0.1:1/projects"), std::string::npos) << error.what();
  }
  EXPECT_EQ(sleeps.delays().size(), 2u);
}

TEST(NetworkErrors, TheRequestTimeoutEndsASlowExchangeAndIsRetriedForGet) {
  // The handler outlasts the client's limit several times over, so only the direction of
  // the timing matters: a slower machine makes the timeout more certain, not less.
  testing::TestServer server([](httplib::Server& s, testing::TestServer& t) {
    s.Get("/slow", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      std::this_thread::sleep_for(std::chrono::milliseconds{500});
      res.set_content("{}", "application/json");
    });
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server.url(), sleeps);
  options.requestTimeout = std::chrono::milliseconds{100};
  options.retry.maxAttempts = 2;
  Transport transport(options);
  try {
    transport.send({.method = "GET", .path = "/slow"});
    FAIL() << "no TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.curlCode(), 28) << error.what();  // CURLE_OPERATION_TIMEDOUT
    EXPECT_EQ(error.attempts(), 2);
  }
  EXPECT_EQ(sleeps.delays().size(), 1u);
}

}  // namespace
}  // namespace tether::client
