#include "tether/client/transport.h"

#include <cstdlib>
#include <thread>

#include "exchange.h"
#include "outgoing.h"
#include "transport_impl.h"

namespace tether::client {

namespace {

std::string resolveToken(const ClientOptions& options) {
  if (!options.token.empty()) return options.token;
  if (options.tokenEnv.empty()) return {};
  const char* value = std::getenv(options.tokenEnv.c_str());
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

Transport::Impl::Impl(ClientOptions opts)
    : options(std::move(opts)),
      token(resolveToken(options)),
      pool(share.get()),
      backoff(options.retry, options.jitterSeed) {}

void Transport::Impl::pause(std::chrono::milliseconds delay) const {
  if (options.sleep) {
    options.sleep(delay);
  } else if (delay.count() > 0) {
    std::this_thread::sleep_for(delay);
  }
}

std::optional<std::chrono::milliseconds> Transport::Impl::retryAfterOf(const HttpResponse& response) {
  std::optional<std::string> value = response.header("Retry-After");
  if (!value) return std::nullopt;
  return parseRetryAfter(*value, std::chrono::system_clock::now());
}

HttpResponse Transport::Impl::send(HttpRequest request, std::string& requestId) {
  detail::Outgoing outgoing = detail::prepare(request, options, token);
  requestId = outgoing.requestId;
  int maxAttempts = std::max(1, options.retry.maxAttempts);
  HttpResponse response;
  for (int attempt = 1;; ++attempt) {
    detail::Attempt result;
    {
      detail::HandlePool::Lease handle = pool.acquire();
      result = detail::exchange(handle.get(), outgoing, request, options, response);
    }
    response.attempts = attempt;
    bool last = attempt >= maxAttempts;
    if (result.code != CURLE_OK) {
      bool retry = !last && outgoing.idempotent && options.retry.retryNetworkErrorsForIdempotent &&
                   detail::isTransient(result.code);
      if (!retry) throw TransportError(result.code, request.method + " " + outgoing.url + ": " + result.error, attempt);
      pause(backoff.delay(attempt, std::nullopt));
      continue;
    }
    if (last || !shouldRetryStatus(response.status, outgoing.idempotent)) return response;
    pause(backoff.delay(attempt, retryAfterOf(response)));
  }
}

Transport::Transport(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Transport::~Transport() = default;
Transport::Transport(Transport&&) noexcept = default;
Transport& Transport::operator=(Transport&&) noexcept = default;

const ClientOptions& Transport::options() const { return impl_->options; }

HttpResponse Transport::send(HttpRequest request) {
  std::string requestId;
  return impl_->send(std::move(request), requestId);
}

HttpResponse Transport::sendChecked(HttpRequest request) {
  std::string requestId;
  HttpResponse response = impl_->send(std::move(request), requestId);
  if (response.status >= 400) throw ApiError(response, requestId);
  return response;
}

}  // namespace tether::client
