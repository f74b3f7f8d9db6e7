// The cpp-httplib transport (ServerOptions::Engine::Httplib): one catch-all registration
// per method that converts the httplib request to a Request and calls Server::dispatch.
// Everything HTTP-semantic is in dispatch(); this file only moves bytes. httplib holds a
// worker thread per keep-alive connection, so `threads` bounds the open connections.
#include <httplib.h>

#include <atomic>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <thread>

#include "tether/http/wire.h"
#include "transport.h"

namespace tether::http::detail {

namespace {

// httplib parses multipart/form-data bodies itself and then drops the raw bytes; the
// runtime needs the raw body (parseMultipart), so the type is hidden from httplib while it
// reads the content and restored when the request is converted.
constexpr const char* kHiddenContentType = "X-Tether-Multipart-Content-Type";

// Pseudo headers httplib adds to every request; they did not come from the client.
bool pseudoHeader(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

// The methods httplib's request-line parser accepts; it answers any other token 400 before
// reading the head, so the error handler turns that 400 into the 501 dispatch() gives an
// unknown method on the event loop.
bool httplibParses(const std::string& method) {
  for (const char* m : {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI"}) {
    if (method == m) return true;
  }
  return false;
}

// httplib serves requests without Host or with two of them; RFC 9112 section 3.2 wants a
// 400, as the event loop's parser answers (wire::hostProblem).
std::optional<std::string> hostRefusal(const httplib::Request& req) {
  auto [first, last] = req.headers.equal_range("Host");
  const auto count = static_cast<std::size_t>(std::distance(first, last));
  return wire::hostProblem(count, count > 0 ? std::string_view(first->second) : std::string_view(), req.version == "HTTP/1.0");
}

// httplib parses multipart/form-data itself when it sees the type; see kHiddenContentType.
void hideMultipartType(const httplib::Request& req) {
  // The request object is httplib's own mutable local; only the view is const.
  auto& mutableHeaders = const_cast<httplib::Request&>(req).headers;
  mutableHeaders.erase(kHiddenContentType);  // a client cannot smuggle a second Content-Type
  auto it = req.headers.find("Content-Type");
  if (it != req.headers.end() && toLower(it->second).rfind("multipart/", 0) == 0) {
    std::string value = it->second;
    mutableHeaders.erase("Content-Type");
    mutableHeaders.emplace(kHiddenContentType, value);
  }
}

Request convert(const httplib::Request& in) {
  Request out;
  out.method = in.method;
  // `target` is the request-target as sent; httplib's `path` is already %-decoded, which
  // would make "%2F" inside a parameter look like a segment separator.
  std::string_view target = in.target;
  std::size_t question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.rawQuery = std::string(target.substr(question + 1));
  out.query = Query::parse(out.rawQuery);
  for (const auto& field : in.headers) {
    if (pseudoHeader(field.first)) continue;
    if (field.first == kHiddenContentType) {
      out.headers.add("Content-Type", field.second);
    } else {
      out.headers.add(field.first, field.second);
    }
  }
  out.body = in.body;
  out.remoteAddr = in.remote_addr;
  return out;
}

void write(const Response& in, httplib::Response& out) {
  out.status = in.status;
  std::string contentType = in.contentType;
  for (const auto& field : in.headers) {
    if (iequals(field.first, "Content-Type")) {
      if (contentType.empty()) contentType = field.second;
      continue;
    }
    out.headers.emplace(field.first, field.second);
  }
  if (!in.body.empty() || !contentType.empty()) out.set_content(in.body, contentType.empty() ? "application/octet-stream" : contentType);
}

class HttplibTransport final : public Transport {
 public:
  HttplibTransport(TransportCallbacks callbacks, const ServerOptions& options)
      : callbacks_(std::move(callbacks)), options_(options) {
    httplib::Server& s = native_;
    s.set_tcp_nodelay(true);
    s.set_read_timeout(options_.readTimeout);
    s.set_write_timeout(options_.writeTimeout);
    s.set_keep_alive_timeout(options_.keepAliveTimeout.count());
    if (options_.keepAliveMaxRequests > 0) s.set_keep_alive_max_count(options_.keepAliveMaxRequests);
    // httplib refuses longer bodies before reading them (413 through the error handler).
    s.set_payload_max_length(options_.maxBodyBytes);
    const auto threads = static_cast<std::size_t>(options_.threads > 0 ? options_.threads : 1);
    s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      hideMultipartType(req);
      if (std::optional<std::string> refused = hostRefusal(req)) {
        write(callbacks_.refuse(convert(req), makeProblem(400, code::kBadRequest, *refused)), res);
        return httplib::Server::HandlerResponse::Handled;
      }
      // httplib parses TRACE and CONNECT but has no routes for them (it would answer 400):
      // dispatch() answers them as on the event loop, 405 with the path's Allow.
      if (req.method == "TRACE" || req.method == "CONNECT") {
        write(callbacks_.dispatch(convert(req)), res);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });

    auto handler = [this](const httplib::Request& req, httplib::Response& res) { write(callbacks_.dispatch(convert(req)), res); };
    s.Get(".*", handler);  // httplib routes HEAD here too
    s.Post(".*", handler);
    s.Put(".*", handler);
    s.Patch(".*", handler);
    s.Delete(".*", handler);
    s.Options(".*", handler);

    // Errors httplib answers by itself (malformed request, body over the limit, unknown
    // method) still get a problem body and a request id. Responses from dispatch() carry
    // X-Request-Id already and pass through.
    s.set_error_handler(httplib::Server::HandlerWithResponse([this](const httplib::Request& req, httplib::Response& res) {
      if (res.has_header("X-Request-Id")) return httplib::Server::HandlerResponse::Unhandled;
      Request request = convert(req);
      Problem p;
      switch (res.status) {
        case 413: p = makeProblem(413, code::kPayloadTooLarge, "The body exceeds " + std::to_string(options_.maxBodyBytes) + " bytes."); break;
        case 404: p = makeProblem(404, code::kNotFound); break;
        case 500: p = makeProblem(500, code::kInternalError, "An unexpected error occurred."); break;
        case 400:
          if (!httplibParses(req.method)) {
            p = makeProblem(501, code::kNotImplemented, "The method " + req.method.substr(0, 64) + " is not implemented.");
            break;
          }
          p = makeProblem(400, code::kBadRequest, "The request could not be read.");
          break;
        default: p = makeProblem(res.status, code::kBadRequest, "The request could not be read."); break;
      }
      res.headers.clear();
      write(callbacks_.refuse(request, std::move(p)), res);
      return httplib::Server::HandlerResponse::Handled;
    }));
  }

  ~HttplibTransport() override {
    if (native_.is_running()) native_.stop();
  }

  int bind(const std::string& host, int port) override {
    if (port == 0) {
      int bound = native_.bind_to_any_port(host);
      if (bound < 0) throw std::runtime_error("cannot bind " + host + " on an ephemeral port");
      return bound;
    }
    if (!native_.bind_to_port(host, port)) throw std::runtime_error("cannot bind " + host + ":" + std::to_string(port));
    return port;
  }

  void serve() override {
    // listening_ is raised before stopRequested_ is read, and stop() raises
    // stopRequested_ before it reads listening_: one of the two always sees the other.
    listening_ = true;
    if (!stopRequested_) native_.listen_after_bind();
    listening_ = false;
  }

  void stop() override {
    stopRequested_ = true;
    // httplib's stop() does nothing until its accept loop runs; wait for it to start.
    while (listening_ && !native_.is_running()) std::this_thread::yield();
    native_.stop();
  }

  bool running() const override { return native_.is_running(); }

 private:
  TransportCallbacks callbacks_;
  const ServerOptions& options_;
  httplib::Server native_;
  std::atomic<bool> stopRequested_{false};
  std::atomic<bool> listening_{false};
};

}  // namespace

std::unique_ptr<Transport> makeHttplibTransport(TransportCallbacks callbacks, const ServerOptions& options) {
  return std::make_unique<HttplibTransport>(std::move(callbacks), options);
}

}  // namespace tether::http::detail
