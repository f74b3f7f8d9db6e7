// Transport::stream: an EventSource-like reader. Each connection feeds an SseParser; when
// a connection ends without the caller stopping it, the request is sent again with
// Last-Event-ID after the stream's retry delay, until the server answers 204.
#include <exception>

#include "exchange.h"
#include "outgoing.h"
#include "transport_impl.h"

namespace tether::client {

namespace {

void setHeader(HttpRequest& request, const std::string& name, const std::string& value) {
  std::erase_if(request.headers, [&](const auto& field) { return iequals(field.first, name); });
  request.headers.emplace_back(name, value);
}

}  // namespace

void Transport::stream(HttpRequest request, const std::function<bool(const SseEvent&)>& onEvent) {
  Impl& impl = *impl_;
  using std::chrono::milliseconds;
  if (request.accept.empty() || request.accept == "application/json") request.accept = "text/event-stream";
  if (!findHeader(request, "Cache-Control")) request.headers.emplace_back("Cache-Control", "no-cache");
  const int maxAttempts = std::max(1, impl.options.retry.maxAttempts);
  const milliseconds cap = impl.options.retry.maxDelay;

  SseParser parser;
  int failures = 0;  // consecutive connections that delivered no event
  for (;;) {
    HttpRequest attemptRequest = request;
    if (!parser.lastEventId().empty()) setHeader(attemptRequest, "Last-Event-ID", parser.lastEventId());
    detail::Outgoing outgoing = detail::prepare(attemptRequest, impl.options, impl.token);

    bool gotEvent = false, stopped = false;
    std::exception_ptr failure;  // nothing may unwind through curl's C frames
    auto onBody = [&](std::string_view bytes) {
      try {
        return parser.feed(bytes, [&](const SseEvent& event) {
          gotEvent = true;
          stopped = !onEvent(event);
          return !stopped;
        });
      } catch (...) {
        failure = std::current_exception();
        return false;
      }
    };
    HttpResponse response;
    detail::Attempt result;
    {
      detail::HandlePool::Lease handle = impl.pool.acquire();
      result = detail::exchange(handle.get(), outgoing, attemptRequest, impl.options, response,
                                onBody);
    }
    if (failure) std::rethrow_exception(failure);
    if (stopped) return;
    parser.resetConnection();
    if (response.status == 204) return;  // the server's way of saying "do not reconnect"

    if (response.status != 0 && (response.status < 200 || response.status >= 300)) {
      ++failures;
      if (failures < maxAttempts && shouldRetryStatus(response.status, true)) {
        impl.pause(impl.backoff.delay(failures, Impl::retryAfterOf(response)));
        continue;
      }
      response.attempts = failures;
      throw ApiError(response, outgoing.requestId);
    }
    if (result.code != CURLE_OK && !detail::isTransient(result.code)) {
      throw TransportError(result.code, "GET " + outgoing.url + ": " + result.error, failures + 1);
    }
    failures = gotEvent ? 0 : failures + 1;
    if (failures >= maxAttempts) {
      std::string why = result.code != CURLE_OK ? result.error : "the stream kept closing without events";
      throw TransportError(result.code, "GET " + outgoing.url + ": " + why, failures);
    }
    // After a healthy stream, the server's retry delay; while connections keep failing,
    // the back-off grows (never below the server's delay).
    milliseconds reconnect = parser.reconnectionTime() ? milliseconds{*parser.reconnectionTime()}
                                                       : impl.options.retry.baseDelay;
    milliseconds delay = failures == 0 ? reconnect : std::max(reconnect, impl.backoff.delay(failures, std::nullopt));
    impl.pause(std::clamp(delay, milliseconds{0}, cap));
  }
}

}  // namespace tether::client
