// Real sockets, on both transports (the event loop and httplib): 127.0.0.1, an ephemeral
// port, httplib::Client. The server thread ends when the test calls stop().
// test_event_loop.cpp has the event loop's own wire-level cases.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "tether/http/body.h"
#include "tether/http/params.h"
#include "operations.h"
#include "raw_client.h"
#include "tether/http/server.h"

namespace th = tether::http;
using nlohmann::json;

namespace {

using tether::http::testing::op;
using tether::http::testing::Raw;
using tether::http::testing::Reply;

th::Router router() {
  th::Router r;
  r.add(op("GET", "/files/{name}"), [](const th::Request& req, th::Context&) {
    json name = *th::decodePath(*req.pathParam("name"), th::defaultParam("name", th::Location::Path));
    json tags = th::decodeQuery(req.query, th::defaultParam("tag", th::Location::Query, th::Shape::array()))
                    .value_or(json::array());
    return th::Response::json(200, json({{"name", name}, {"tags", tags}, {"remote", req.remoteAddr}}).dump());
  });
  r.add(op("POST", "/upload", {"multipart/form-data"}), [](const th::Request& req, th::Context&) {
    th::MultipartResult parts = th::parseMultipart(req.body, req.headers.get("Content-Type").value_or(""));
    if (!parts) return th::problemResponse(*parts.problem);
    json out = json::array();
    for (const th::Part& p : parts.parts) out.push_back({{"name", p.name}, {"size", p.data.size()}, {"file", p.filename.value_or("")}});
    return th::Response::json(200, out.dump());
  });
  return r;
}

th::ServerOptions withEngine(th::Engine engine) {
  th::ServerOptions options;
  options.engine = engine;
  return options;
}

}  // namespace

class Socket : public ::testing::TestWithParam<th::Engine> {};

INSTANTIATE_TEST_SUITE_P(Engines, Socket, ::testing::Values(th::Engine::EventLoop, th::Engine::Httplib),
                         [](const ::testing::TestParamInfo<th::Engine>& param) {
                           return param.param == th::Engine::EventLoop ? "EventLoop" : "Httplib";
                         });

TEST_P(Socket, ServesOverLoopbackAndStops) {
  th::ServerOptions options = withEngine(GetParam());
  options.maxBodyBytes = 4096;
  options.threads = 2;
  th::Server server(router(), {}, options);
  server.bind("127.0.0.1", 0);
  ASSERT_GT(server.port(), 0);
  std::atomic<bool> returned{false};
  std::thread thread([&server, &returned] {
    server.listen();
    returned = true;
  });
  // No wait for listen() to start: the socket is already listening since bind(), so
  // requests queue, and stop() ends listen() whenever it is called.

  httplib::Client client("127.0.0.1", server.port());
  auto r = client.Get("/files/a%2Fb%20c?tag=x&tag=y%2Cz", {{"X-Request-Id", "sock-1"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "sock-1");
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(json::parse(r->body), json({{"name", "a/b c"}, {"tags", {"x", "y,z"}}, {"remote", "127.0.0.1"}}));

  r = client.Get("/nowhere");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");

  r = client.Delete("/files/x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD, OPTIONS");

  auto get = client.Get("/files/x");
  r = client.Head("/files/x");
  ASSERT_TRUE(r && get);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(get->body.size()));
  EXPECT_EQ(r->get_header_value_count("Content-Length"), 1u);

  r = client.Options("/files/x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD, OPTIONS");

  // The raw multipart body reaches dispatch() (httplib would otherwise consume it).
  std::string multipart =
      "--B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHi\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--B--\r\n";
  r = client.Post("/upload", multipart, "multipart/form-data; boundary=B");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body),
            json::parse(R"([{"name":"title","size":2,"file":""},{"name":"f","size":3,"file":"a.txt"}])"));

  // Over the body limit: refused before the body is read, still a problem with an id.
  r = client.Post("/upload", std::string(5000, 'x'), "multipart/form-data; boundary=B");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/problem+json");
  EXPECT_FALSE(r->get_header_value("X-Request-Id").empty());
  EXPECT_EQ(json::parse(r->body)["code"], "PAYLOAD_TOO_LARGE");

  server.stop();
  thread.join();
  EXPECT_TRUE(returned);
}

TEST_P(Socket, StopBeforeListenEndsListen) {
  th::Server server(router(), {}, withEngine(GetParam()));
  server.bind("127.0.0.1", 0);
  server.stop();
  server.listen();  // returns at once instead of serving forever
  EXPECT_FALSE(server.running());
}

// A request being handled when stop() is called still gets its whole response.
TEST_P(Socket, StopLetsAnInFlightRequestFinish) {
  std::atomic<bool> entered{false};
  th::Router r;
  r.add(op("GET", "/slow"), [&entered](const th::Request&, th::Context&) {
    entered = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return th::Response::json(200, R"({"done":true})");
  });
  th::Server server(std::move(r), {}, withEngine(GetParam()));
  server.bind("127.0.0.1", 0);
  std::thread thread([&server] { server.listen(); });
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  std::optional<httplib::Result> response;
  std::thread calling([&] { response.emplace(client.Get("/slow")); });
  while (!entered) std::this_thread::yield();
  server.stop();
  calling.join();
  thread.join();
  ASSERT_TRUE(response && *response);
  EXPECT_EQ((*response)->status, 200);
  EXPECT_EQ(json::parse((*response)->body)["done"], true);
}

namespace {

// A server on its own thread for one test, stopped at the end of it.
class Serving {
 public:
  explicit Serving(th::Engine engine) : server_(router(), {}, withEngine(engine)) {
    server_.bind("127.0.0.1", 0);
    thread_ = std::thread([this] { server_.listen(); });
  }
  ~Serving() {
    server_.stop();
    thread_.join();
  }
  // One request on a fresh connection, its bytes as given.
  Reply exchange(const std::string& bytes) const {
    Raw client(server_.port());
    client.send(bytes);
    return client.read();
  }

 private:
  th::Server server_;
  std::thread thread_;
};

void expectProblem(const Reply& r, int status, const char* code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.headers.get("Content-Type"), "application/problem+json");
  EXPECT_FALSE(r.headers.get("X-Request-Id").value_or("").empty());
  if (r.status == status) {
    EXPECT_EQ(json::parse(r.body)["code"], code);
  }
}

}  // namespace

// RFC 9112 section 3.2: 400 for an HTTP/1.1 request without Host, for two Host lines and
// for a Host that is not host[:port]; HTTP/1.0 may leave it out. On both transports.
TEST_P(Socket, HostFieldRulesOfRfc9112) {
  Serving serving(GetParam());
  for (const char* bytes : {
           "GET /files/x HTTP/1.1\r\n\r\n",
           "GET /files/x HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n",
           "GET /files/x HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n",
           "GET /files/x HTTP/1.1\r\nHost: user@127.0.0.1\r\n\r\n",
           "GET /files/x HTTP/1.1\r\nHost: 127.0.0.1:http\r\n\r\n",
           "GET /files/x HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n",
       }) {
    SCOPED_TRACE(bytes);
    expectProblem(serving.exchange(bytes), 400, "BAD_REQUEST");
  }
  EXPECT_EQ(serving.exchange("GET /files/x HTTP/1.0\r\n\r\n").status, 200);
  EXPECT_EQ(serving.exchange("GET /files/x HTTP/1.1\r\nHost: [::1]:8080\r\nConnection: close\r\n\r\n").status, 200);
}

// RFC 9110 section 9.1: method tokens are case-sensitive. One the server implements nowhere
// is a 501; a standard one the path lacks is a 405 with Allow.
TEST_P(Socket, UnknownMethodsAre501AndKnownOnesThePathLacks405) {
  Serving serving(GetParam());
  for (const char* bytes : {"get /files/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                            "FOO /files/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"}) {
    SCOPED_TRACE(bytes);
    expectProblem(serving.exchange(bytes), 501, "NOT_IMPLEMENTED");
  }
  for (const char* bytes : {"DELETE /files/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                            "TRACE /files/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"}) {
    SCOPED_TRACE(bytes);
    Reply r = serving.exchange(bytes);
    expectProblem(r, 405, "METHOD_NOT_ALLOWED");
    EXPECT_EQ(r.headers.get("Allow"), "GET, HEAD, OPTIONS");
  }
}
