// What goes on the wire for one logical request: computed once, so every retry sends the
// same URL and the same header lines (the same Idempotency-Key and X-Request-Id).
#pragma once

#include <string>
#include <vector>

#include "tether/client/http_types.h"
#include "tether/client/options.h"

namespace tether::client::detail {

struct Outgoing {
  std::string url;
  std::vector<std::string> headerLines;  // "Name: value"
  std::string requestId;                 // the X-Request-Id sent
  bool idempotent = false;
};

// Adds the automatic headers to request.headers (Idempotency-Key, X-Request-Id) and builds
// the lines. Throws std::invalid_argument on a header name or value that could split the
// header block (CR, LF or NUL), which would otherwise let input forge headers.
Outgoing prepare(HttpRequest& request, const ClientOptions& options, const std::string& token);

// baseUrl + path + ('?' + query), with exactly one '/' at the join.
std::string joinUrl(const std::string& baseUrl, const std::string& path, const std::string& query);

}  // namespace tether::client::detail
