// A blocking raw TCP client for the transport tests: it sends bytes as they are (so a test
// can send what no HTTP client library would: no Host, a lower-case method) and reads
// responses off the wire.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

#include "tether/http/headers.h"

namespace tether::http::testing {

struct Reply {
  int status = 0;
  Headers headers;
  std::string body;
};

// A blocking TCP client that speaks raw bytes.
class Raw {
 public:
  explicit Raw(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Raw() { ::close(fd_); }
  bool connected() const { return connected_; }

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // The next response, or status 0 when the connection ended or nothing came in time.
  Reply read(std::chrono::milliseconds wait = std::chrono::milliseconds(5000)) {
    Reply reply;
    std::size_t headEnd;
    while ((headEnd = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(wait)) return reply;
    }
    std::string head = buffer_.substr(0, headEnd);
    buffer_.erase(0, headEnd + 4);
    reply.status = std::stoi(head.substr(9, 3));
    std::size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      std::size_t next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      std::size_t colon = line.find(':');
      reply.headers.add(line.substr(0, colon), line.substr(colon + 2));
      pos = next;
    }
    std::size_t length = std::stoul(reply.headers.get("Content-Length").value_or("0"));
    if (reply.status < 200 || reply.status == 204 || head_) length = 0;
    while (buffer_.size() < length) {
      if (!fill(wait)) return Reply{};
    }
    reply.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return reply;
  }

  // Whether the server closed the connection within `wait` (and sent nothing more).
  bool closedWithin(std::chrono::milliseconds wait) {
    auto deadline = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) == 1) {
        char c;
        ssize_t n = ::recv(fd_, &c, 1, 0);
        if (n == 0) return true;
        if (n < 0) return true;  // reset
        buffer_.push_back(c);
        return false;
      }
    }
    return false;
  }

  void expectHeadOnly(bool on) { head_ = on; }
  int fd() const { return fd_; }

 private:
  bool fill(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) != 1) return false;
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  bool head_ = false;
  std::string buffer_;
};

}  // namespace tether::http::testing
