// Transport's state, shared by send (transport.cpp) and stream (stream.cpp).
#pragma once

#include <chrono>
#include <string>

#include "curl_session.h"
#include "tether/client/retry.h"
#include "tether/client/transport.h"

namespace tether::client {

struct Transport::Impl {
  explicit Impl(ClientOptions opts);

  // Waits through the injected sleep when there is one.
  void pause(std::chrono::milliseconds delay) const;
  // Retry-After of a response as a delay, if it has a valid one.
  static std::optional<std::chrono::milliseconds> retryAfterOf(const HttpResponse& response);
  // send() with the request id that went out, for ApiError's fallback.
  HttpResponse send(HttpRequest request, std::string& requestId);

  ClientOptions options;
  std::string token;  // resolved once: the explicit token or the environment variable
  // Destroyed in reverse order: the pool's handles go before the share they use.
  detail::CurlShare share;
  detail::HandlePool pool;
  Backoff backoff;
};

}  // namespace tether::client
