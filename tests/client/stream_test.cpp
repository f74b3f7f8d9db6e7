// Transport::stream against an httplib SSE endpoint: events across reconnections,
// Last-Event-ID on resume, the stream's retry delay, 204 to stop, errors.
#include <gtest/gtest.h>

#include "test_server.h"
#include "tether/client/transport.h"

namespace tether::client {
namespace {

using std::chrono::milliseconds;
using testing::SleepLog;
using testing::TestServer;

// Sends `payload` as an event stream; with `drop`, the connection is cut afterwards
// instead of ending cleanly.
void serveEvents(httplib::Response& res, std::string payload, bool drop = false) {
  res.set_chunked_content_provider("text/event-stream",
                                   [payload = std::move(payload), drop](std::size_t, httplib::DataSink& sink) {
                                     sink.write(payload.data(), payload.size());
                                     if (drop) return false;
                                     sink.done();
                                     return true;
                                   });
}

ClientOptions optionsFor(const TestServer& server, SleepLog& sleeps) {
  ClientOptions options;
  options.baseUrl = server.url() + "/v1";
  options.sleep = sleeps.hook();
  options.jitterSeed = 3;
  return options;
}

std::vector<std::string> collect(Transport& transport, const std::string& path, std::size_t stopAfter = 1000) {
  std::vector<std::string> got;
  transport.stream({.method = "GET", .path = path}, [&](const SseEvent& e) {
    got.push_back(e.id + "|" + e.event + "|" + e.data);
    return got.size() < stopAfter;
  });
  return got;
}

TEST(Stream, ResumesWithLastEventIdAfterTheStreamEnds) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/events", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      std::string last = req.get_header_value("Last-Event-ID");
      if (last.empty()) {
        serveEvents(res, "retry: 7\n: hello\nid: 1\ndata: one\n\nid: 2\nevent: update\ndata: two\ndata: lines\n\n");
      } else if (last == "2") {
        serveEvents(res, "id: 3\ndata: three\n\n");
      } else {
        res.status = 204;  // no more: the client must not reconnect
      }
    });
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  EXPECT_EQ(collect(transport, "/events"),
            (std::vector<std::string>{"1|message|one", "2|update|two\nlines", "3|message|three"}));
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].header("Accept"), "text/event-stream");
  EXPECT_EQ(seen[0].count("Last-Event-ID"), 0u);
  EXPECT_EQ(seen[1].header("Last-Event-ID"), "2");
  EXPECT_EQ(seen[2].header("Last-Event-ID"), "3");
  EXPECT_EQ(sleeps.delays(), (std::vector<milliseconds>{milliseconds{7}, milliseconds{7}})) << "the stream's retry";
}

TEST(Stream, ADroppedConnectionLosesOnlyThePartialEvent) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/deployments/dep_1/logs", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      if (req.get_header_value("Last-Event-ID").empty()) {
        serveEvents(res, "id: 1\ndata: building\n\nid: 2\ndata: half of an ev", /*drop=*/true);
      } else {
        serveEvents(res, "id: 2\ndata: deploying\n\nid: 3\ndata: live\n\n");
      }
    });
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server, sleeps);
  options.retry.baseDelay = milliseconds{250};
  Transport transport(options);
  // The caller stops after "live"; no further connection is made.
  EXPECT_EQ(collect(transport, "/deployments/dep_1/logs", 3),
            (std::vector<std::string>{"1|message|building", "2|message|deploying", "3|message|live"}));
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].header("Last-Event-ID"), "1");
  EXPECT_EQ(sleeps.delays(), std::vector<milliseconds>{milliseconds{250}}) << "no retry field: the base delay";
}

TEST(Stream, ErrorStatusesThrowApiErrorAfterRetryableOnes) {
  int calls = 0;
  TestServer server([&calls](httplib::Server& s, TestServer& t) {
    s.Get("/v1/events", [&](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      if (++calls == 1) {
        res.status = 429;
        res.set_header("Retry-After", "2");
        return;
      }
      res.status = 403;
      res.set_header("X-Request-Id", "req_sse");
      res.set_content(R"({"title":"Forbidden","status":403,"code":"FORBIDDEN"})", "application/problem+json");
    });
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  try {
    collect(transport, "/events");
    FAIL() << "no ApiError";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 403);
    EXPECT_EQ(error.code(), "FORBIDDEN");
    EXPECT_EQ(error.requestId(), "req_sse");
  }
  EXPECT_EQ(sleeps.delays(), std::vector<milliseconds>{milliseconds{2000}});
}

TEST(Stream, AStreamThatKeepsEndingEmptyGivesUp) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/events", t.answer(200, ": nothing to say\n\n", "text/event-stream"));
  });
  SleepLog sleeps;
  ClientOptions options = optionsFor(server, sleeps);
  options.retry.maxAttempts = 3;
  Transport transport(options);
  EXPECT_THROW(collect(transport, "/events"), TransportError);
  EXPECT_EQ(server.seen().size(), 3u);
}

TEST(Stream, ExceptionsFromTheCallbackReachTheCaller) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/events", t.answer(200, "data: 1\n\n", "text/event-stream"));
  });
  SleepLog sleeps;
  Transport transport(optionsFor(server, sleeps));
  EXPECT_THROW(transport.stream({.method = "GET", .path = "/events"},
                                [](const SseEvent&) -> bool { throw std::domain_error("bad event"); }),
               std::domain_error);
}

}  // namespace
}  // namespace tether::client
