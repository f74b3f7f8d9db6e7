// One attempt of one request on one easy handle: options, the transfer, the response.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <curl/curl.h>

#include "outgoing.h"
#include "tether/client/http_types.h"
#include "tether/client/options.h"

namespace tether::client::detail {

struct Attempt {
  CURLcode code = CURLE_OK;
  std::string error;             // curl's own message when code is not CURLE_OK
  bool stoppedByCaller = false;  // onBody returned false
  bool receivedBody = false;     // at least one body byte arrived
};

// The body of a 2xx response goes to onBody when it is set (streaming); every other body
// is collected into response.body. A streaming exchange has no total timeout: instead a
// connection silent for requestTimeout counts as dropped.
Attempt exchange(CURL* handle, const Outgoing& outgoing, const HttpRequest& request,
                 const ClientOptions& options, HttpResponse& response,
                 const std::function<bool(std::string_view)>& onBody = {});

// Whether a failed transfer is worth another attempt (the network or the peer, not the
// request or the local set-up).
bool isTransient(CURLcode code);

}  // namespace tether::client::detail
