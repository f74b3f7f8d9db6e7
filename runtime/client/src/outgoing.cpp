#include "outgoing.h"

#include <stdexcept>

#include "ids.h"
#include "tether/client/retry.h"

namespace tether::client::detail {

namespace {

constexpr const char* kUserAgent = "tether-client/0.1";

void checkField(const std::string& name, const std::string& value) {
  if (name.empty() || name.find_first_of(std::string_view(":\r\n\0 ", 5)) != std::string::npos) {
    throw std::invalid_argument("invalid header name: '" + name + "'");
  }
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    throw std::invalid_argument("invalid value for header " + name);
  }
}

bool hasHeader(const HttpRequest& request, std::string_view name) { return findHeader(request, name).has_value(); }

// Set by the request or by a default header: either way no automatic one is added.
bool given(const HttpRequest& request, const ClientOptions& options, std::string_view name) {
  if (hasHeader(request, name)) return true;
  for (const auto& field : options.defaultHeaders) {
    if (iequals(field.first, name)) return true;
  }
  return false;
}

}  // namespace

std::string joinUrl(const std::string& baseUrl, const std::string& path, const std::string& query) {
  std::string url = baseUrl;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (path.empty() || path.front() != '/') url += '/';
  url += path;
  std::string_view q = query;
  if (!q.empty() && q.front() == '?') q.remove_prefix(1);
  if (!q.empty()) {
    url += '?';
    url += q;
  }
  return url;
}

Outgoing prepare(HttpRequest& request, const ClientOptions& options, const std::string& token) {
  if (request.method.empty()) request.method = "GET";
  if (options.autoIdempotencyKey && iequals(request.method, "POST") && !hasHeader(request, "Idempotency-Key")) {
    request.headers.emplace_back("Idempotency-Key", uuidV4());
  }
  Outgoing out;
  if (auto id = findHeader(request, "X-Request-Id")) {
    out.requestId = *id;
  } else {
    out.requestId = uuidV4();
    request.headers.emplace_back("X-Request-Id", out.requestId);
  }
  out.url = joinUrl(options.baseUrl, request.path, request.query);
  out.idempotent = isIdempotent(request);

  auto line = [&](const std::string& name, const std::string& value) {
    checkField(name, value);
    // "Name:" alone would tell curl to drop the header; "Name;" sends it empty.
    out.headerLines.push_back(value.empty() ? name + ";" : name + ": " + value);
  };
  for (const auto& [name, value] : options.defaultHeaders) {
    if (!hasHeader(request, name)) line(name, value);
  }
  for (const auto& [name, value] : request.headers) line(name, value);
  if (!request.accept.empty() && !given(request, options, "Accept")) line("Accept", request.accept);
  bool sendsBody = !request.body.empty() || !request.contentType.empty();
  if (sendsBody && !given(request, options, "Content-Type")) {
    line("Content-Type", request.contentType.empty() ? "application/json" : request.contentType);
  }
  if (!token.empty() && !given(request, options, "Authorization")) line("Authorization", "Bearer " + token);
  if (!given(request, options, "User-Agent")) line("User-Agent", options.userAgent.empty() ? kUserAgent : options.userAgent);
  // No "Expect: 100-continue" round trip before larger bodies: APIs answer quickly anyway.
  out.headerLines.push_back("Expect:");
  return out;
}

}  // namespace tether::client::detail
