// Server's socket side: it owns the transport ServerOptions::engine names and hands it
// dispatch() (dispatch.cpp) as the one way in.
#include "tether/http/server.h"

#include <stdexcept>

#include "transport.h"

namespace tether::http {

Server::Server(Router router, Hooks hooks, ServerOptions options)
    : router_(std::move(router)), hooks_(std::move(hooks)), options_(std::move(options)) {
  detail::TransportCallbacks callbacks{
      [this](Request request) { return dispatch(std::move(request)); },
      [this](const Request& request, Problem p) { return answerEarly(request, std::move(p)); },
  };
  transport_ = options_.engine == Engine::Httplib ? detail::makeHttplibTransport(std::move(callbacks), options_)
                                                  : detail::makeEventLoopTransport(std::move(callbacks), options_);
}

Server::~Server() = default;

void Server::bind(const std::string& host, int port) { port_ = transport_->bind(host, port); }

int Server::port() const { return port_; }

void Server::listen() {
  if (port_ < 0) throw std::logic_error("Server::listen() before bind()");
  transport_->serve();
}

void Server::stop() { transport_->stop(); }

bool Server::running() const { return transport_->running(); }

}  // namespace tether::http
