// Transport: sends HttpRequests over libcurl for generated client code. Thread-safe:
// one Transport serves concurrent send() and stream() calls from many threads.
#pragma once

#include <functional>
#include <memory>

#include "tether/client/errors.h"
#include "tether/client/http_types.h"
#include "tether/client/options.h"
#include "tether/client/sse.h"

namespace tether::client {

class Transport {
 public:
  explicit Transport(ClientOptions options);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;
  Transport(Transport&&) noexcept;
  Transport& operator=(Transport&&) noexcept;

  // Sends with retries (see RetryPolicy); returns whatever status the last attempt got.
  // Throws TransportError when no response came back after the allowed attempts.
  HttpResponse send(HttpRequest request);
  // As send(), but throws ApiError when the final status is >= 400.
  HttpResponse sendChecked(HttpRequest request);
  // Reads a text/event-stream, calling onEvent per event until it returns false or the
  // server ends the stream with 204. A dropped stream is re-requested with Last-Event-ID
  // after the stream's retry delay. Throws ApiError on a status >= 400 (after the usual
  // retries on 429/503) and TransportError when reconnecting keeps failing.
  void stream(HttpRequest request, const std::function<bool(const SseEvent&)>& onEvent);

  const ClientOptions& options() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tether::client
