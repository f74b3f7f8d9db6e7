// One Transport shared by many threads: every call succeeds, and connections are reused
// (the server sees far fewer client ports than requests).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "test_server.h"
#include "tether/client/transport.h"

namespace tether::client {
namespace {

using testing::TestServer;

TEST(Concurrency, SequentialCallsShareOneConnection) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/v1/ping", t.answer(200, "{}"));
  });
  ClientOptions options;
  options.baseUrl = server.url() + "/v1";
  Transport transport(options);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(transport.send({.method = "GET", .path = "/ping"}).status, 200);
  EXPECT_EQ(server.seen().size(), 10u);
  EXPECT_EQ(server.remotePorts().size(), 1u);
}

TEST(Concurrency, EightThreadsShareOneTransport) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get(R"(/v1/items/(\d+))", [&t](const httplib::Request& req, httplib::Response& res) {
      t.record(req);
      res.set_content(R"({"id":)" + req.matches[1].str() + "}", "application/json");
    });
  });
  ClientOptions options;
  options.baseUrl = server.url() + "/v1";
  Transport transport(options);
  constexpr int kThreads = 8, kCalls = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        int id = t * 1000 + i;
        HttpResponse response = transport.sendChecked({.method = "GET", .path = "/items/" + std::to_string(id)});
        if (response.status == 200 && response.body == R"({"id":)" + std::to_string(id) + "}") ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kCalls);
  EXPECT_EQ(server.seen().size(), static_cast<std::size_t>(kThreads * kCalls));
  // At most one connection per concurrently busy handle: never one per request.
  EXPECT_LE(server.remotePorts().size(), static_cast<std::size_t>(kThreads));
}

}  // namespace
}  // namespace tether::client
