#include "exchange.h"

#include <algorithm>

#include "curl_session.h"

namespace tether::client::detail {

namespace {

struct Transfer {
  HttpResponse* response;
  const std::function<bool(std::string_view)>* onBody;
  bool stopped = false;
  bool receivedBody = false;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 1xx interim response): only the final one's fields count.
    transfer->response->headers.clear();
    std::size_t space = line.find(' ');
    if (space != std::string_view::npos && line.size() >= space + 4) {
      std::string_view code = line.substr(space + 1, 3);
      int status = 0;
      for (char c : code) status = status * 10 + (c - '0');
      if (std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        transfer->response->status = status;
      }
    }
    return size * count;
  }
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    transfer->response->headers.add(std::string(trim(line.substr(0, colon))),
                                     std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::size_t onData(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view bytes(data, size * count);
  transfer->receivedBody = transfer->receivedBody || !bytes.empty();
  int status = transfer->response->status;
  if (*transfer->onBody && status >= 200 && status < 300) {
    if (!(*transfer->onBody)(bytes)) {
      transfer->stopped = true;
      return 0;  // curl aborts the transfer with CURLE_WRITE_ERROR
    }
    return bytes.size();
  }
  transfer->response->body.append(bytes);
  return bytes.size();
}

template <class T>
void set(CURL* handle, CURLoption option, T value) {
  curl_easy_setopt(handle, option, value);
}

long millis(std::chrono::milliseconds ms) { return static_cast<long>(std::max<std::int64_t>(ms.count(), 0)); }

}  // namespace

bool isTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP3:
      return true;
    default:
      return false;
  }
}

Attempt exchange(CURL* handle, const Outgoing& outgoing, const HttpRequest& request,
                 const ClientOptions& options, HttpResponse& response,
                 const std::function<bool(std::string_view)>& onBody) {
  response.status = 0;
  response.headers.clear();
  response.body.clear();
  bool streaming = static_cast<bool>(onBody);

  // reset keeps the handle's live connections, DNS and TLS session caches and its share
  // (attached by the pool).
  curl_easy_reset(handle);
  char errorBuffer[CURL_ERROR_SIZE] = {};
  set(handle, CURLOPT_ERRORBUFFER, errorBuffer);
  set(handle, CURLOPT_URL, outgoing.url.c_str());
  set(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  set(handle, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: required with threads
  set(handle, CURLOPT_HTTP_VERSION, options.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1);
  set(handle, CURLOPT_SSL_VERIFYPEER, options.verifyTls ? 1L : 0L);
  set(handle, CURLOPT_SSL_VERIFYHOST, options.verifyTls ? 2L : 0L);
  if (!options.caBundle.empty()) set(handle, CURLOPT_CAINFO, options.caBundle.c_str());
  set(handle, CURLOPT_CONNECTTIMEOUT_MS, millis(options.connectTimeout));
  if (streaming) {
    set(handle, CURLOPT_TIMEOUT_MS, 0L);
    set(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
    set(handle, CURLOPT_LOW_SPEED_TIME, std::max(1L, millis(options.requestTimeout) / 1000));
  } else {
    set(handle, CURLOPT_TIMEOUT_MS, millis(options.requestTimeout));
  }
  set(handle, CURLOPT_TCP_KEEPALIVE, 1L);
  // Compressed API responses, but not compressed streams: a compressing server buffers
  // events until a block fills, which delays them.
  if (!streaming) set(handle, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode

  const std::string& method = request.method;
  bool hasBodyMethod = iequals(method, "POST") || iequals(method, "PUT") || iequals(method, "PATCH");
  if (iequals(method, "GET") && request.body.empty()) {
    set(handle, CURLOPT_HTTPGET, 1L);
  } else if (iequals(method, "HEAD")) {
    set(handle, CURLOPT_NOBODY, 1L);
  } else {
    set(handle, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (hasBodyMethod || !request.body.empty()) {
    // POSTFIELDS with a size sends the bytes as they are (no strlen, no copy).
    set(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(handle, CURLOPT_POSTFIELDS, request.body.data());
  }

  HeaderList headers;
  for (const std::string& line : outgoing.headerLines) headers.add(line);
  set(handle, CURLOPT_HTTPHEADER, headers.get());

  Transfer transfer{&response, &onBody};
  set(handle, CURLOPT_HEADERFUNCTION, &onHeader);
  set(handle, CURLOPT_HEADERDATA, &transfer);
  set(handle, CURLOPT_WRITEFUNCTION, &onData);
  set(handle, CURLOPT_WRITEDATA, &transfer);

  Attempt attempt;
  attempt.code = curl_easy_perform(handle);
  attempt.stoppedByCaller = transfer.stopped;
  attempt.receivedBody = transfer.receivedBody;
  if (attempt.code != CURLE_OK) {
    attempt.error = errorBuffer[0] != '\0' ? std::string(errorBuffer) : curl_easy_strerror(attempt.code);
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (status != 0) response.status = static_cast<int>(status);
  // The handle outlives this frame: unhook everything that points into it.
  set(handle, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  set(handle, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  return attempt;
}

}  // namespace tether::client::detail
