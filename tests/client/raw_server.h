// A raw TCP server on 127.0.0.1 that can drop a connection without answering: the
// network errors an httplib server cannot produce on demand. For each connection it reads
// one request (headers and Content-Length body) and lets the test decide the reply; an
// empty reply closes the connection with nothing sent.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tether::client::testing {

class RawServer {
 public:
  // reply(index, request) → bytes to send (index counts connections from 0).
  using Reply = std::function<std::string(int index, const std::string& request)>;

  explicit RawServer(Reply reply) : reply_(std::move(reply)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0) {
      throw std::runtime_error("bind/listen");
    }
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { loop(); });
  }

  ~RawServer() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<std::string> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

  // The value of a header in a raw request ("" when absent); names compared exactly.
  static std::string header(const std::string& request, const std::string& name) {
    std::string key = "\r\n" + name + ": ";
    std::size_t at = request.find(key);
    if (at == std::string::npos) return {};
    at += key.size();
    return request.substr(at, request.find("\r\n", at) - at);
  }

 private:
  void loop() {
    int index = 0;
    while (!stop_) {
      pollfd pfd{listener_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;  // wakes regularly to notice stop_
      int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      std::string request = readRequest(connection);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      std::string answer = reply_(index++, request);
      if (!answer.empty()) (void)!::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
      ::close(connection);
    }
  }

  static std::string readRequest(int connection) {
    std::string data;
    char buffer[4096];
    std::size_t need = std::string::npos;
    while (data.size() < need) {
      ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      data.append(buffer, static_cast<std::size_t>(n));
      std::size_t end = data.find("\r\n\r\n");
      if (end != std::string::npos && need == std::string::npos) {
        std::string length = header(data, "Content-Length");
        need = end + 4 + (length.empty() ? 0 : std::stoul(length));
      }
    }
    return data;
  }

  Reply reply_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
};

}  // namespace tether::client::testing
