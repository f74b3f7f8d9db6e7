// An httplib server on 127.0.0.1 with an ephemeral port, started after the routes are
// registered and stopped when the test ends. It records every request it sees.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tether::client::testing {

struct Seen {
  std::string method, path, body;
  httplib::Headers headers;
  int remotePort = 0;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::size_t count(const std::string& name) const { return headers.count(name); }
};

class TestServer {
 public:
  // `server` may be an httplib::SSLServer, which makes url() https.
  explicit TestServer(const std::function<void(httplib::Server&, TestServer&)>& routes,
                      std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>(),
                      bool tls = false)
      : owned_(std::move(server)), server_(*owned_), tls_(tls) {
    if (!server_.is_valid()) throw std::runtime_error("invalid test server (TLS set-up?)");
    server_.set_tcp_nodelay(true);
    // Keep-alive connections pin a worker each: enough workers for the concurrency test,
    // and no cap on requests per connection, so connection reuse is observable.
    server_.new_task_queue = [] { return new httplib::ThreadPool(24); };
    server_.set_keep_alive_max_count(1000000);
    routes(server_, *this);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      finished_ = true;
    });
  }

  ~TestServer() {
    // stop() acts only on a running accept loop: wait until it runs (or has ended).
    while (!server_.is_running() && !finished_) std::this_thread::yield();
    server_.stop();
    thread_.join();
  }

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::string url() const { return (tls_ ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port_); }

  // Handlers call this first.
  void record(const httplib::Request& request) {
    Seen seen{request.method, request.path, request.body, request.headers, request.remote_port};
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back(std::move(seen));
  }

  // A handler that records the request and answers with a fixed status and body.
  httplib::Server::Handler answer(int status, std::string body, std::string contentType = "application/json") {
    return [this, status, body = std::move(body), contentType = std::move(contentType)](
               const httplib::Request& request, httplib::Response& response) {
      record(request);
      response.status = status;
      if (!body.empty()) response.set_content(body, contentType);
    };
  }

  std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

  std::set<int> remotePorts() const {
    std::set<int> ports;
    for (const Seen& s : seen()) ports.insert(s.remotePort);
    return ports;
  }

 private:
  std::unique_ptr<httplib::Server> owned_;
  httplib::Server& server_;
  bool tls_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  mutable std::mutex mutex_;
  std::vector<Seen> seen_;
};

// Delays handed to the injected sleep, in order; thread-safe.
class SleepLog {
 public:
  std::function<void(std::chrono::milliseconds)> hook() {
    return [this](std::chrono::milliseconds delay) {
      std::lock_guard<std::mutex> lock(mutex_);
      delays_.push_back(delay);
    };
  }
  std::vector<std::chrono::milliseconds> delays() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return delays_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> delays_;
};

}  // namespace tether::client::testing
