// Transport: what moves requests from sockets to Server::dispatch and answers back. Two
// implementations, chosen by ServerOptions::engine: the event loop (event_loop.cpp, the
// default) and the cpp-httplib adapter (httplib_transport.cpp).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tether/http/message.h"
#include "tether/http/problem.h"
#include "tether/http/server.h"

namespace tether::http::detail {

struct TransportCallbacks {
  // The whole pipeline (Server::dispatch).
  std::function<Response(Request)> dispatch;
  // A problem for a request the transport refused before dispatch (unreadable, too large,
  // too slow), with request id and log hook as dispatch would (Server::answerEarly).
  std::function<Response(const Request&, Problem)> refuse;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Binds and starts listening; returns the port (the ephemeral one when port is 0).
  virtual int bind(const std::string& host, int port) = 0;
  // Serves until stop(); blocking.
  virtual void serve() = 0;
  // Ends serve() from any thread, before or during it; requests in flight finish.
  virtual void stop() = 0;
  virtual bool running() const = 0;
};

std::unique_ptr<Transport> makeEventLoopTransport(TransportCallbacks callbacks, const ServerOptions& options);
std::unique_ptr<Transport> makeHttplibTransport(TransportCallbacks callbacks, const ServerOptions& options);

}  // namespace tether::http::detail
