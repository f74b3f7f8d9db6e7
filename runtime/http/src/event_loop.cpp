// The event-loop transport: one acceptor and `threads` loop threads, each with its own
// epoll set. A loop reads what its connections send, parses requests with wire.h, runs
// Server::dispatch in place and writes each response with a single send.
//
// Why not httplib's server: it holds a worker thread for every keep-alive connection, so
// 64 clients make 64 runnable threads on two cores, and the scheduler's round-robin over
// them sets the latency tail (bench/sandbox_load/notes.md). Here a connection costs a few
// hundred bytes while idle, and only the loops compete for the cores.
//
// Handlers run on the loop thread: a slow handler delays the other connections of its
// loop, not all of them. Handlers that wait on I/O (the sandbox's writes wait for a durable
// commit) run on a worker pool instead when ServerOptions::workers is set: the loop hands
// the request over, goes on with its other connections, and takes the answer back through
// its wake-up eventfd (complete()).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tether/http/wire.h"
#include "transport.h"
#include "worker_pool.h"

namespace tether::http::detail {

namespace {

using Clock = std::chrono::steady_clock;

std::string addressText(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, text, sizeof text);
  } else if (addr.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, text, sizeof text);
  }
  return text;
}

struct Connection {
  int fd = -1;
  std::string remoteAddr;
  std::string in;          // received and not yet parsed
  std::string out;         // responses not yet sent
  std::size_t outSent = 0;
  std::size_t served = 0;  // requests answered on this connection
  Clock::time_point lastActivity;
  // When the first byte of the request being received arrived: a request must be whole
  // within readTimeout, however slowly its bytes trickle in.
  Clock::time_point requestStarted;
  bool receiving = false;        // `in` holds part of a request
  bool closeAfterWrite = false;  // no more requests: close once `out` is sent
  bool sentContinue = false;     // "100 Continue" sent for the request being received
  bool peerClosed = false;       // the client shut down its side
  bool writing = false;          // waiting for EPOLLOUT
  bool lingering = false;        // answered and shut down for writing; draining the rest
  bool away = false;             // a request of it is on the worker pool; read no further
  bool closed = false;           // closed while away: erased when the answer comes back
  std::list<Connection>::iterator self;
};

// RFC 9110 section 9.2.1: the safe methods. Their handlers only read, so they stay on the
// loop; the others may wait for a write to be durable and go to the workers.
bool safeMethod(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

class Loop {
 public:
  Loop(const TransportCallbacks& callbacks, const ServerOptions& options, const wire::Limits& limits,
       WorkerPool* workers)
      : callbacks_(callbacks), options_(options), limits_(limits), workers_(workers) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(std::string("event loop: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = nullptr;  // the wake-up eventfd
    epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
  }
  ~Loop() {
    for (Connection& c : connections_) {
      if (!c.closed) ::close(c.fd);
    }
    for (auto& [fd, addr] : incoming_) ::close(fd);
    ::close(wake_);
    ::close(epoll_);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // From the acceptor thread.
  void adopt(int fd, std::string remoteAddr) {
    {
      std::lock_guard lock(mutex_);
      incoming_.emplace_back(fd, std::move(remoteAddr));
    }
    wake();
  }
  // From any thread: finish what is in flight, then return from run().
  void stop() {
    stopping_ = true;
    wake();
  }

  void run() {
    epoll_event events[64];
    auto lastSweep = Clock::now();
    while (!stopping_) {
      int n = epoll_wait(epoll_, events, 64, 1000);
      if (n < 0 && errno != EINTR) break;
      for (int i = 0; i < n; ++i) {
        if (events[i].data.ptr == nullptr) {
          woken();
          continue;
        }
        handle(*static_cast<Connection*>(events[i].data.ptr), events[i].events);
      }
      auto now = Clock::now();
      if (now - lastSweep >= std::chrono::seconds(1)) {
        sweep(now);
        lastSweep = now;
      }
    }
    drain();
  }

 private:
  void wake() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(wake_, &one, sizeof one);
  }

  // The eventfd says: connections were adopted, or answers came back from the workers.
  void woken() {
    std::uint64_t count;
    [[maybe_unused]] ssize_t r = ::read(wake_, &count, sizeof count);
    takeIncoming();
    takeAnswers();
  }

  // An answer computed on the worker pool (for a request of `c` handed over by process()).
  struct Answer {
    Connection* connection;
    Response response;
    bool head;
    bool last;
  };

  // Hands the request over to the workers; its answer comes back through takeAnswers().
  void handOver(Connection& c, Request request, bool head, bool last) {
    c.away = true;
    workers_->submit([this, connection = &c, request = std::move(request), head, last]() mutable {
      Answer answer{connection, dispatch(std::move(request)), head, last};
      {
        std::lock_guard lock(mutex_);
        answers_.push_back(std::move(answer));
      }
      wake();
    });
  }

  void takeAnswers() {
    std::vector<Answer> answers;
    {
      std::lock_guard lock(mutex_);
      answers.swap(answers_);
    }
    for (Answer& answer : answers) {
      Connection& c = *answer.connection;
      c.away = false;
      if (c.closed) {
        connections_.erase(c.self);  // the client went away meanwhile; the answer is dropped
        continue;
      }
      append(c, answer.response, answer.head, answer.last);
      c.lastActivity = Clock::now();
      if (c.writing) continue;  // flushed, and the rest read, once the client takes what it has
      process(c);               // answers what was pipelined behind it, and sends
    }
  }

  Response dispatch(Request request) {
    try {
      return callbacks_.dispatch(std::move(request));
    } catch (const std::exception&) {
      // dispatch() turns handler and hook exceptions into problems itself; this is
      // memory running out, and it must not end the loop's other connections.
      return problemResponse(makeProblem(500, code::kInternalError, "An unexpected error occurred."));
    }
  }

  void takeIncoming() {
    std::vector<std::pair<int, std::string>> fresh;
    {
      std::lock_guard lock(mutex_);
      fresh.swap(incoming_);
    }
    for (auto& [fd, addr] : fresh) {
      connections_.emplace_front();
      Connection& c = connections_.front();
      c.self = connections_.begin();
      c.fd = fd;
      c.remoteAddr = std::move(addr);
      c.lastActivity = Clock::now();
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.ptr = &c;
      if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) close(c);
    }
  }

  void handle(Connection& c, std::uint32_t events) {
    if (events & EPOLLERR) return close(c);
    if (c.lingering) return discard(c);
    if (events & EPOLLOUT) {
      if (!flush(c)) return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
      if (!receive(c)) return;
    }
    if (!c.writing) process(c);
  }

  // Reads what the socket has. False when the connection was closed.
  bool receive(Connection& c) {
    thread_local char buffer[65536];
    for (;;) {
      ssize_t got = ::recv(c.fd, buffer, sizeof buffer, 0);
      if (got > 0) {
        if (!c.receiving) {
          c.receiving = true;
          c.requestStarted = Clock::now();
        }
        c.in.append(buffer, static_cast<std::size_t>(got));
        c.lastActivity = Clock::now();
        // Enough for the largest acceptable request and one pipelined head behind it;
        // more is the client not waiting for answers, and it is parsed before reading on.
        if (c.in.size() > limits_.maxBodyBytes + limits_.maxHeaderBytes + limits_.maxTargetBytes + 65536) break;
        if (static_cast<std::size_t>(got) < sizeof buffer) break;
        continue;
      }
      if (got == 0) {
        c.peerClosed = true;
        // Nothing more will come: answer what is complete, then close.
        if (c.in.empty() && c.out.size() == c.outSent && !c.away) {
          close(c);
          return false;
        }
        return true;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      close(c);
      return false;
    }
    return true;
  }

  // Answers every complete request in `in`, in order, then sends.
  void process(Connection& c) {
    std::size_t offset = 0;
    bool answered = false;
    while (!c.away && !c.closeAfterWrite && offset < c.in.size()) {
      if (c.out.size() - c.outSent > kFlushAt) {
        // A client pipelining faster than it reads: send before answering more, and stop
        // answering while it does not take what it was sent.
        c.in.erase(0, offset);
        offset = 0;
        if (!flush(c)) return;
        if (c.writing) break;
      }
      wire::Parsed parsed = wire::parseRequest(std::string_view(c.in).substr(offset), limits_);
      if (parsed.state == wire::Parsed::State::Incomplete) break;
      if (parsed.state == wire::Parsed::State::HeadOnly) {
        if (parsed.expectContinue && !c.sentContinue) {
          c.out += "HTTP/1.1 100 Continue\r\n\r\n";
          c.sentContinue = true;
        }
        break;
      }
      answered = true;
      if (parsed.state == wire::Parsed::State::Error) {
        parsed.request.remoteAddr = c.remoteAddr;
        Problem p = makeProblem(parsed.errorStatus, problemCode(parsed.errorStatus), parsed.errorDetail);
        append(c, callbacks_.refuse(parsed.request, std::move(p)), false, true);
        offset = c.in.size();  // nothing after an unreadable request can be trusted
        break;
      }
      offset += parsed.consumed;
      c.sentContinue = false;
      const bool head = parsed.request.method == "HEAD";
      ++c.served;
      const bool last = !parsed.keepAlive || stopping_ ||
                        (options_.keepAliveMaxRequests > 0 && c.served >= options_.keepAliveMaxRequests);
      parsed.request.remoteAddr = c.remoteAddr;
      if (workers_ != nullptr && !safeMethod(parsed.request.method)) {
        handOver(c, std::move(parsed.request), head, last);
        break;
      }
      append(c, dispatch(std::move(parsed.request)), head, last);
    }
    if (offset > 0) c.in.erase(0, offset);
    c.receiving = !c.in.empty();
    if (c.receiving && answered) c.requestStarted = Clock::now();  // the next request's clock
    if (c.out.size() > c.outSent) {
      flush(c);
    } else if (c.away) {
      // its answer comes back from the workers (takeAnswers)
    } else if (c.peerClosed) {
      close(c);
    } else if (c.closeAfterWrite) {
      linger(c);
    }
  }

  // Closing right after an answer would make the kernel reset the connection if request
  // bytes are still unread (a refused oversized request), and a reset can destroy the
  // answer before the client reads it. So: shut down our side, read and drop what the
  // client still sends for up to two seconds, then close (the "lingering close").
  void linger(Connection& c) {
    ::shutdown(c.fd, SHUT_WR);
    c.lingering = true;
    c.in.clear();
    c.lastActivity = Clock::now();
    if (c.writing) {
      c.writing = false;
      watch(c, EPOLLIN | EPOLLRDHUP);
    }
  }

  void discard(Connection& c) {
    thread_local char sink[16384];
    for (;;) {
      ssize_t got = ::recv(c.fd, sink, sizeof sink, 0);
      if (got > 0) continue;
      if (got < 0 && errno == EINTR) continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
      return close(c);  // the client closed too, or the connection failed
    }
  }

  static constexpr std::size_t kFlushAt = 256 * 1024;

  static const char* problemCode(int status) {
    switch (status) {
      case 413: return code::kPayloadTooLarge;
      case 431: return code::kHeadersTooLarge;
      case 408: return code::kRequestTimeout;
      case 414: return code::kUriTooLong;
      case 417: return code::kExpectationFailed;
      case 501: return code::kNotImplemented;
      case 505: return code::kHttpVersionNotSupported;
      default: return code::kBadRequest;
    }
  }

  void append(Connection& c, const Response& response, bool head, bool close) {
    if (c.outSent == c.out.size()) {
      c.out.clear();
      c.outSent = 0;
    }
    c.out += wire::serializeHead(response, head, close);
    const bool bodiless = response.status < 200 || response.status == 204 || response.status == 304;
    if (!head && !bodiless) c.out += response.body;
    if (close) c.closeAfterWrite = true;
  }

  // Sends what `out` holds. False when the connection was closed.
  bool flush(Connection& c) {
    while (c.outSent < c.out.size()) {
      ssize_t sent = ::send(c.fd, c.out.data() + c.outSent, c.out.size() - c.outSent, MSG_NOSIGNAL);
      if (sent > 0) {
        c.outSent += static_cast<std::size_t>(sent);
        c.lastActivity = Clock::now();
        continue;
      }
      if (sent < 0 && errno == EINTR) continue;
      if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // The client reads slower than we answer: wait until it drains, and read nothing
        // more from it meanwhile.
        if (!c.writing) watch(c, EPOLLOUT);
        c.writing = true;
        return true;
      }
      close(c);
      return false;
    }
    c.out.clear();
    c.outSent = 0;
    if (c.peerClosed && c.in.empty() && !c.away) {
      close(c);
      return false;
    }
    if (c.closeAfterWrite) {
      linger(c);
      return false;
    }
    if (c.writing) {
      c.writing = false;
      watch(c, EPOLLIN | EPOLLRDHUP);
    }
    return true;
  }

  void watch(Connection& c, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &c;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
  }

  // A connection with a request on the workers stays in the list, closed, until its
  // answer comes back: the worker's answer names it.
  void close(Connection& c) {
    if (c.closed) return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    c.closed = true;
    if (!c.away) connections_.erase(c.self);
  }

  // Idle keep-alive connections past keepAliveTimeout close; a request not whole within
  // readTimeout gets a 408; an answer the client has not taken within writeTimeout is
  // dropped with its connection.
  void sweep(Clock::time_point now) {
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection& c = *it++;
      if (c.away || c.closed) {
        // waiting for the workers, not for the client
      } else if (c.lingering) {
        if (now - c.lastActivity > std::chrono::seconds(2)) close(c);
      } else if (c.out.size() > c.outSent) {
        if (now - c.lastActivity > options_.writeTimeout) close(c);
      } else if (c.receiving) {
        if (now - c.requestStarted > options_.readTimeout) {
          Request partial;
          partial.remoteAddr = c.remoteAddr;
          Problem p = makeProblem(408, code::kRequestTimeout,
                                  "The request was not complete within " + std::to_string(options_.readTimeout.count()) + " s.");
          append(c, callbacks_.refuse(partial, std::move(p)), false, true);
          c.in.clear();
          c.receiving = false;
          flush(c);
        }
      } else if (now - c.lastActivity > options_.keepAliveTimeout) {
        close(c);
      }
    }
  }

  // Stopping: requests already dispatched have been answered into `out`; give the clients
  // a bounded time to take those answers, then close everything.
  void drain() {
    auto deadline = Clock::now() + std::chrono::seconds(5);
    for (;;) {
      takeAnswers();
      bool pending = false;
      for (auto it = connections_.begin(); it != connections_.end();) {
        Connection& c = *it++;
        if (c.away) {
          pending = true;  // its handler is still running on the workers
        } else if (c.out.size() > c.outSent) {
          c.closeAfterWrite = true;
          if (flush(c) && c.out.size() > c.outSent) pending = true;
        } else {
          close(c);
        }
      }
      if (!pending || Clock::now() > deadline) break;
      epoll_event events[64];
      epoll_wait(epoll_, events, 64, 50);
    }
    // Past the deadline, answers still on the workers are dropped with their connections;
    // the workers only queue them (answers_), and nothing reads that queue any more.
    closeAll();
    takeIncoming();
    closeAll();
  }

  void closeAll() {
    for (Connection& c : connections_) {
      if (!c.closed) {
        epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
        ::close(c.fd);
      }
    }
    connections_.clear();
  }

  const TransportCallbacks& callbacks_;
  const ServerOptions& options_;
  const wire::Limits& limits_;
  WorkerPool* workers_;  // null: every handler runs on the loop
  int epoll_ = -1;
  int wake_ = -1;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::pair<int, std::string>> incoming_;
  std::vector<Answer> answers_;  // from the workers, under mutex_
  std::list<Connection> connections_;  // stable addresses: epoll holds pointers to them
};

class EventLoopTransport final : public Transport {
 public:
  EventLoopTransport(TransportCallbacks callbacks, const ServerOptions& options)
      : callbacks_(std::move(callbacks)), options_(options) {
    limits_.maxHeaderBytes = options_.maxHeaderBytes;
    limits_.maxBodyBytes = options_.maxBodyBytes;
  }
  ~EventLoopTransport() override {
    stop();
    if (listener_ >= 0) ::close(listener_);
  }

  int bind(const std::string& host, int port) override {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr) {
      throw std::runtime_error("cannot resolve " + host);
    }
    std::string error = "no address";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      int on = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
      if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
        listener_ = fd;
        break;
      }
      error = std::strerror(errno);
      ::close(fd);
    }
    freeaddrinfo(found);
    if (listener_ < 0) throw std::runtime_error("cannot bind " + host + ":" + service + ": " + error);
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &length);
    return ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6&>(bound).sin6_port
                                             : reinterpret_cast<sockaddr_in&>(bound).sin_port);
  }

  void serve() override {
    if (listener_ < 0) throw std::logic_error("serve() before bind()");
    if (stopRequested_) return;
    running_ = true;
    const int count = options_.threads > 0 ? options_.threads : 1;
    std::vector<std::unique_ptr<Loop>> loops;
    // Destroyed before the loops (declared after them): its last jobs' answers name them.
    std::unique_ptr<WorkerPool> workers;
    if (options_.workers > 0) workers = std::make_unique<WorkerPool>(options_.workers);
    for (int i = 0; i < count; ++i) loops.push_back(std::make_unique<Loop>(callbacks_, options_, limits_, workers.get()));
    std::vector<std::thread> threads;
    for (auto& loop : loops) threads.emplace_back([&loop] { loop->run(); });

    std::size_t next = 0;
    while (!stopRequested_) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      int fd = ::accept4(listener_, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (stopRequested_) break;
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: let the loops close some before accepting again.
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        break;  // the listener was shut down (stop()) or failed
      }
      int on = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      loops[next]->adopt(fd, addressText(peer));
      next = (next + 1) % loops.size();
    }
    for (auto& loop : loops) loop->stop();
    for (auto& t : threads) t.join();
    workers.reset();
    running_ = false;
  }

  void stop() override {
    stopRequested_ = true;
    // Wakes a blocked accept (it fails with EINVAL); the descriptor stays open until the
    // transport is destroyed, so no other thread's new descriptor can take its number.
    if (listener_ >= 0) ::shutdown(listener_, SHUT_RDWR);
  }

  bool running() const override { return running_; }

 private:
  TransportCallbacks callbacks_;
  const ServerOptions& options_;
  wire::Limits limits_;
  int listener_ = -1;
  std::atomic<bool> stopRequested_{false};
  std::atomic<bool> running_{false};
};

}  // namespace

std::unique_ptr<Transport> makeEventLoopTransport(TransportCallbacks callbacks, const ServerOptions& options) {
  return std::make_unique<EventLoopTransport>(std::move(callbacks), options);
}

}  // namespace tether::http::detail
