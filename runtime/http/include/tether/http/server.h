// Server: the dispatcher that runs every generic step around a generated handler, and the
// transport that feeds it from sockets: an epoll event loop by default, or cpp-httplib
// (ServerOptions::engine). dispatch() needs no socket, so the whole pipeline is testable
// in-process.
//
// Dispatch order: request id (X-Request-Id echoed on every response) → header size (431) →
// method (501 for a token no route and no standard method has: methods are case-sensitive,
// "get" is not GET) → route (404; 405 with Allow) → OPTIONS (204 with Allow) → HEAD runs
// GET and drops the body → authenticate hook → rate-limit hook → Content-Type against
// requestMediaTypes (415; 400 when a required body is missing) → Accept against
// responseMediaTypes (406) → body size (413) → handler. A handler exception becomes a 500
// problem without details (DecodeError → 400, ProblemError → its problem). The log hook
// runs last, on every request.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tether/http/body.h"
#include "tether/http/problem.h"
#include "tether/http/router.h"

namespace tether::http {

namespace detail {
class Transport;
}

struct Hooks {  // middleware the implementation supplies; all optional
  // Sees ctx.operation->security; fills ctx.principal/ctx.scopes, or returns a 401/403.
  std::function<std::optional<Problem>(const Request&, Context&)> authenticate;
  // Default: the incoming X-Request-Id when it is 1-128 visible ASCII characters, else
  // "req_" and 24 random letters and digits.
  std::function<std::string(const Request&)> requestId;
  // May add headers to the Response it is given (they are copied to the final response,
  // whatever it is); returns a 429 problem to refuse.
  std::function<std::optional<Problem>(const Request&, Context&, Response&)> rateLimit;
  std::function<void(const Request&, const Context&, const Response&, std::chrono::microseconds)> log;
};

// How requests come off the sockets.
enum class Engine {
  // epoll loops (event_loop.cpp): `threads` loops serve any number of connections, and
  // handlers run on the loops. The default.
  EventLoop,
  // cpp-httplib's server: a worker thread per keep-alive connection, at most `threads`.
  Httplib,
};

struct ServerOptions {
  std::size_t maxBodyBytes = 1 << 20;
  int maxJsonDepth = 64;  // for handlers, through bodyLimits()
  std::size_t maxHeaderBytes = 16384;
  // readTimeout: a request must arrive whole within it (slow clients get a 408);
  // writeTimeout: an answer the client does not take within it is dropped.
  std::chrono::seconds readTimeout{30}, writeTimeout{30};
  std::chrono::seconds keepAliveTimeout{5};  // an idle connection closes after it
  std::size_t keepAliveMaxRequests = 1000;   // answers per connection; 0 = no limit
  Engine engine = Engine::EventLoop;
  int threads = 8;
  // Event loop only: when above 0, the handlers of requests with an unsafe method (POST,
  // PUT, PATCH, DELETE, ...: RFC 9110 section 9.2.1) run on a pool of this many worker
  // threads instead of on the loop, so a handler that waits (for a durable commit, a
  // database round trip) holds up neither its loop's other connections nor the writes of
  // other clients that could share that commit. Safe methods (GET, HEAD, OPTIONS, TRACE)
  // stay on the loop, where they cost no thread hand-off. A connection's requests are still
  // answered in order: it reads no further request while one of its requests is away.
  int workers = 0;
  // When set, problems get type = problemTypeBase + the code in kebab case
  // ("https://docs.cloud.example/errors/" + "resource-not-found"); else "about:blank".
  std::string problemTypeBase;
};

// The default request id policy (see Hooks::requestId).
std::string defaultRequestId(const Request& request);

// `p` as the dispatcher sends it: the request id and the path as instance when unset, and
// type = problemTypeBase + the code in kebab case when a base is set (ServerOptions). For
// middleware that stores a problem before the dispatcher answers with it (a replay).
Problem dispatchedProblem(Problem p, const Request& request, const Context& context, const std::string& problemTypeBase);
bool saneRequestId(std::string_view id);

// Threads: the router is read-only once the Server exists; hooks and handlers run on
// the transport's threads concurrently and must be thread-safe.
class Server {
 public:
  Server(Router router, Hooks hooks = {}, ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds to exactly `host` (e.g. "127.0.0.1"); port 0 picks an ephemeral port. Throws
  // std::runtime_error when binding fails.
  void bind(const std::string& host, int port);
  int port() const;
  // Serves until stop(); blocking. bind() first. A Server serves once.
  void listen();
  // Ends listen() from another thread, whenever it is called: before listen() starts
  // (listen() then returns at once) or while it is starting up. In-flight requests finish.
  void stop();
  bool running() const;

  // The whole pipeline, without sockets.
  Response dispatch(Request request);

  const ServerOptions& options() const { return options_; }
  // The limits handlers should parse bodies with (maxBodyBytes, maxJsonDepth).
  BodyLimits bodyLimits() const;

 private:
  Response run(Request& request, Context& context);
  void finish(const Request& request, const Context& context, Response& response) const;
  // A problem for a request the transport refused before dispatch (body over the limit,
  // unreadable request): request id, problem body and log hook as dispatch() would.
  Response answerEarly(const Request& request, Problem p) const;
  Response problem(const Request& request, const Context& context, Problem p) const;

  Router router_;
  Hooks hooks_;
  ServerOptions options_;
  std::unique_ptr<detail::Transport> transport_;
  int port_ = -1;
};

}  // namespace tether::http
