// The event-loop transport on the wire, with a raw TCP client: pipelining, chunked uploads,
// 100-continue, refusals before dispatch, timeouts, connection reuse limits, a client that
// reads slowly, and more connections than loops. Servers listen on 127.0.0.1 on an
// ephemeral port and stop at the end of each test.
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "tether/http/headers.h"
#include "operations.h"
#include "raw_client.h"
#include "tether/http/server.h"

namespace th = tether::http;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using tether::http::testing::op;
using tether::http::testing::Raw;
using tether::http::testing::Reply;

th::Router router() {
  th::Router r;
  r.add(op("GET", "/echo/{n}"), [](const th::Request& req, th::Context&) {
    return th::Response::json(200, json({{"n", *req.pathParam("n")}, {"remote", req.remoteAddr}}).dump());
  });
  r.add(op("POST", "/upload", {"application/octet-stream"}), [](const th::Request& req, th::Context&) {
    return th::Response::json(200, json({{"size", req.body.size()}, {"head", req.body.substr(0, 8)}}).dump());
  });
  r.add(op("GET", "/big"), [](const th::Request&, th::Context&) {
    return th::Response::json(200, "\"" + std::string(8 << 20, 'x') + "\"");
  });
  return r;
}

// A server on its own thread for the length of a test.
class Running {
 public:
  explicit Running(th::ServerOptions options, th::Router routes = router()) : server_(std::move(routes), {}, options) {
    server_.bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_.listen(); });
  }
  ~Running() {
    server_.stop();
    thread_.join();
  }
  int port() const { return server_.port(); }

 private:
  th::Server server_;
  std::thread thread_;
};

th::ServerOptions eventLoop(int threads = 2) {
  th::ServerOptions options;
  options.engine = th::Engine::EventLoop;
  options.threads = threads;
  options.maxBodyBytes = 1 << 16;
  return options;
}

}  // namespace

TEST(EventLoop, AnswersPipelinedRequestsInOrder) {
  Running server(eventLoop());
  Raw client(server.port());
  ASSERT_TRUE(client.connected());
  client.send("GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
              "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\nhello"
              "GET /echo/3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  for (const char* n : {"1", "2"}) {
    Reply r = client.read();
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["n"], n);
    EXPECT_EQ(json::parse(r.body)["remote"], "127.0.0.1");
    EXPECT_FALSE(r.headers.get("X-Request-Id").value_or("").empty());
  }
  Reply upload = client.read();
  ASSERT_EQ(upload.status, 200);
  EXPECT_EQ(json::parse(upload.body)["size"], 5);
  EXPECT_EQ(json::parse(client.read().body)["n"], "3");
}

TEST(EventLoop, DecodesAChunkedUpload) {
  Running server(eventLoop());
  Raw client(server.port());
  client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\nchunk\r\n");
  std::this_thread::sleep_for(50ms);  // the rest arrives in another segment
  client.send("3\r\ned!\r\n0\r\n\r\n");
  Reply r = client.read();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body), json({{"size", 8}, {"head", "chunked!"}}));
}

TEST(EventLoop, SendsContinueBeforeTheBodyWhenAsked) {
  Running server(eventLoop());
  Raw client(server.port());
  client.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n"
              "Expect: 100-continue\r\n\r\n");
  Reply interim = client.read();
  EXPECT_EQ(interim.status, 100);
  client.send("data");
  Reply r = client.read();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["size"], 4);
}

TEST(EventLoop, RefusesUnreadableRequestsWithAProblemAndCloses) {
  Running server(eventLoop());
  struct Case {
    std::string bytes;
    int status;
    const char* code;
  };
  const Case cases[] = {
      {"GARBAGE\r\n\r\n", 400, "BAD_REQUEST"},
      // Request smuggling: two framings of one body.
      {"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "BAD_REQUEST"},
      // Declared too large: refused before the body is sent.
      {"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 99999999\r\n\r\n", 413,
       "PAYLOAD_TOO_LARGE"},
      {"GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 431, "REQUEST_HEADER_FIELDS_TOO_LARGE"},
      {"GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414, "URI_TOO_LONG"},
      {"GET /echo/1 HTTP/3.0\r\n\r\n", 505, "HTTP_VERSION_NOT_SUPPORTED"},
      {"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: br\r\n\r\n", 501, "NOT_IMPLEMENTED"},
  };
  for (const Case& c : cases) {
    Raw client(server.port());
    client.send(c.bytes);
    Reply r = client.read();
    ASSERT_EQ(r.status, c.status) << c.bytes.substr(0, 60);
    EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
    EXPECT_EQ(r.headers.get("Connection"), "close");
    EXPECT_FALSE(r.headers.get("X-Request-Id").value_or("").empty());
    EXPECT_EQ(json::parse(r.body)["code"], c.code);
    EXPECT_TRUE(client.closedWithin(2000ms));
  }
  // The server is unharmed.
  Raw after(server.port());
  after.send("GET /echo/ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(after.read().status, 200);
}

TEST(EventLoop, ARequestThatTricklesPastTheReadTimeoutGets408) {
  th::ServerOptions options = eventLoop();
  options.readTimeout = 1s;
  Running server(options);
  Raw client(server.port());
  // A slowloris client: a byte now and then keeps the connection busy but never finishes.
  auto start = std::chrono::steady_clock::now();
  Reply r;
  client.send("GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (int i = 0; i < 40 && r.status == 0; ++i) {
    client.send("X");
    r = client.read(100ms);
  }
  EXPECT_EQ(r.status, 408);
  EXPECT_EQ(json::parse(r.body)["code"], "REQUEST_TIMEOUT");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_TRUE(client.closedWithin(2000ms));
}

TEST(EventLoop, IdleKeepAliveConnectionsClose) {
  th::ServerOptions options = eventLoop();
  options.keepAliveTimeout = 1s;
  Running server(options);
  Raw client(server.port());
  client.send("GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_EQ(client.read().status, 200);
  EXPECT_FALSE(client.closedWithin(500ms));  // still open a moment later
  EXPECT_TRUE(client.closedWithin(3000ms));
}

TEST(EventLoop, ClosesAfterTheLastAllowedRequestAndForHttp10) {
  th::ServerOptions options = eventLoop();
  options.keepAliveMaxRequests = 2;
  Running server(options);
  {
    Raw client(server.port());
    client.send("GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /echo/3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    Reply first = client.read();
    Reply second = client.read();
    EXPECT_FALSE(first.headers.has("Connection"));
    EXPECT_EQ(second.headers.get("Connection"), "close");
    EXPECT_TRUE(client.closedWithin(2000ms));  // the third request is not answered
  }
  {
    Raw client(server.port());
    client.send("GET /echo/1 HTTP/1.0\r\n\r\n");
    Reply r = client.read();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.get("Connection"), "close");
    EXPECT_TRUE(client.closedWithin(2000ms));
  }
  {
    Raw client(server.port());
    client.send("HEAD /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    client.expectHeadOnly(true);
    Reply r = client.read();
    EXPECT_EQ(r.status, 200);
    EXPECT_GT(std::stoul(r.headers.get("Content-Length").value_or("0")), 0u);
    EXPECT_TRUE(client.closedWithin(2000ms));  // and nothing but the head came
  }
}

// One loop, a client that does not read its 8 MB answer for a while, and another client
// meanwhile: the loop waits for the slow reader without blocking, and the slow reader
// still gets every byte.
TEST(EventLoop, ASlowReaderNeitherBlocksTheLoopNorLosesBytes) {
  Running server(eventLoop(1));
  Raw slow(server.port());
  slow.send("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  std::this_thread::sleep_for(200ms);
  Raw other(server.port());
  other.send("GET /echo/other HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  Reply quick = other.read(2000ms);
  EXPECT_EQ(quick.status, 200);
  Reply big = slow.read();
  ASSERT_EQ(big.status, 200);
  EXPECT_EQ(big.body.size(), (8u << 20) + 2);
}

TEST(EventLoop, ServesManyMoreConnectionsThanLoops) {
  Running server(eventLoop(1));
  std::vector<std::unique_ptr<Raw>> clients;
  for (int i = 0; i < 200; ++i) {
    clients.push_back(std::make_unique<Raw>(server.port()));
    ASSERT_TRUE(clients.back()->connected());
  }
  for (int i = 0; i < 200; ++i) clients[i]->send("GET /echo/" + std::to_string(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  for (int i = 0; i < 200; ++i) {
    Reply r = clients[i]->read();
    ASSERT_EQ(r.status, 200) << i;
    EXPECT_EQ(json::parse(r.body)["n"], std::to_string(i));
  }
}

TEST(EventLoop, AClientThatHangsUpAfterItsRequestIsStillAnswered) {
  Running server(eventLoop());
  Raw client(server.port());
  client.send("GET /echo/bye HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ::shutdown(client.fd(), SHUT_WR);
  Reply r = client.read();
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(client.closedWithin(2000ms));
}

// ServerOptions::workers: handlers of unsafe methods run on a worker pool. A gate holds the
// POST handler until the test opens it, standing in for a handler that waits for a commit.
namespace {

class Gate {
 public:
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // Marks the handler as arrived, then waits for open() (at most 10 s: a failing test ends).
  void pass() {
    std::unique_lock lock(mutex_);
    ++arrived_;
    changed_.notify_all();
    changed_.wait_for(lock, 10s, [this] { return open_; });
  }
  bool arrivedWithin(int count, std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, wait, [&] { return arrived_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int arrived_ = 0;
};

th::Router gatedRouter(Gate& gate) {
  th::Router r = router();
  r.add(op("POST", "/gated/{n}", {"application/octet-stream"}), [&gate](const th::Request& req, th::Context&) {
    gate.pass();
    return th::Response::json(200, json({{"gated", *req.pathParam("n")}}).dump());
  });
  return r;
}

th::ServerOptions withWorkers(int loops, int workers) {
  th::ServerOptions options = eventLoop(loops);
  options.workers = workers;
  return options;
}

// A 200 whose JSON body has `member` equal to `value`.
void expectAnswer(const Reply& r, const char* member, const char* value) {
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)[member], value);
}

const char* kGatedPost = "POST /gated/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 0\r\n\r\n";

}  // namespace

TEST(EventLoopWorkers, AWaitingWriteDoesNotHoldUpTheLoopsOtherConnections) {
  Gate gate;
  Running server(withWorkers(1, 2), gatedRouter(gate));
  Raw writer(server.port());
  writer.send(kGatedPost);
  ASSERT_TRUE(gate.arrivedWithin(1, 5000ms));
  // One loop, and its POST handler is waiting: a GET on another connection is answered.
  Raw reader(server.port());
  reader.send("GET /echo/7 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  expectAnswer(reader.read(2000ms), "n", "7");
  gate.open();
  expectAnswer(writer.read(), "gated", "1");
}

TEST(EventLoopWorkers, WritesOfSeveralClientsWaitTogether) {
  // Two connections on one loop, both POST handlers waiting at once: the concurrency a
  // group commit needs (without workers the loop would run them one after the other).
  Gate gate;
  Running server(withWorkers(1, 4), gatedRouter(gate));
  Raw first(server.port()), second(server.port());
  first.send(kGatedPost);
  second.send(kGatedPost);
  EXPECT_TRUE(gate.arrivedWithin(2, 5000ms));
  gate.open();
  EXPECT_EQ(first.read().status, 200);
  EXPECT_EQ(second.read().status, 200);
}

TEST(EventLoopWorkers, AnswersPipelinedRequestsInOrder) {
  Gate gate;
  Running server(withWorkers(1, 2), gatedRouter(gate));
  Raw client(server.port());
  client.send(std::string("GET /echo/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") + kGatedPost +
              "GET /echo/2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  expectAnswer(client.read(), "n", "1");
  ASSERT_TRUE(gate.arrivedWithin(1, 5000ms));
  // The GET behind the waiting POST is not answered before it.
  EXPECT_EQ(client.read(300ms).status, 0);
  gate.open();
  expectAnswer(client.read(), "gated", "1");
  expectAnswer(client.read(), "n", "2");
}

TEST(EventLoopWorkers, AClientThatLeavesWhileItsWriteWaitsLeavesTheServerWhole) {
  Gate gate;
  Running server(withWorkers(1, 2), gatedRouter(gate));
  {
    Raw leaving(server.port());
    leaving.send(kGatedPost);
    ASSERT_TRUE(gate.arrivedWithin(1, 5000ms));
  }  // closed while its handler waits: the answer has nowhere to go
  std::this_thread::sleep_for(100ms);
  gate.open();
  Raw next(server.port());
  next.send(kGatedPost);
  Reply r = next.read();
  EXPECT_EQ(r.status, 200);
}

TEST(EventLoopWorkers, StoppingWaitsForAWriteInFlightAndSendsItsAnswer) {
  Gate gate;
  auto server = std::make_unique<Running>(withWorkers(1, 2), gatedRouter(gate));
  Raw client(server->port());
  client.send(kGatedPost);
  ASSERT_TRUE(gate.arrivedWithin(1, 5000ms));
  std::thread opener([&] {
    std::this_thread::sleep_for(200ms);
    gate.open();
  });
  server.reset();  // stop(): in-flight requests finish
  opener.join();
  Reply r = client.read(1000ms);
  EXPECT_EQ(r.status, 200);
}
