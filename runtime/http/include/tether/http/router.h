// Operations and routing: what the generator emits per operation (OperationInfo and a
// Handler), the per-request Context, and the Router that maps method + path to them.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tether/http/message.h"

namespace tether::http {

// One alternative of an operation's `security`: every scheme listed must hold, with its
// scopes. An empty requirement ({}) means anonymous access is allowed.
struct SecurityRequirement {
  std::vector<std::pair<std::string, std::vector<std::string>>> schemes;
};

// Every member has a default, so generated tables name only the members they set
// (designated initializers).
struct OperationInfo {
  std::string operationId{};
  std::string method{};        // the exact token: "GET", not "get" (methods are case-sensitive)
  std::string pathTemplate{};  // "/pets/{petId}"
  std::vector<std::string> tags{};
  std::vector<SecurityRequirement> security{};  // empty: no security
  std::vector<std::string> requestMediaTypes{};  // empty: the operation takes no body
  bool bodyRequired = false;
  std::vector<std::string> responseMediaTypes{};  // empty: no body in any response
};

struct Context {
  const OperationInfo* operation = nullptr;
  std::string requestId;
  std::string principal;  // set by the authenticate hook
  std::vector<std::string> scopes;
  std::map<std::string, std::string> attributes;  // free for hooks and handlers
  std::string requestMediaType;   // the declared request media type the body matched
  std::string responseMediaType;  // the negotiated response media type
};

using Handler = std::function<Response(const Request&, Context&)>;

struct Route {
  OperationInfo info;
  Handler handler;
};

struct RouteMatch {
  enum Kind { Found, NotFound, MethodNotAllowed } kind = NotFound;
  const Route* route = nullptr;  // Found
  std::vector<std::pair<std::string, std::string>> params;  // Found: raw captures
  std::vector<std::string> allowed;  // MethodNotAllowed: the path's methods (with HEAD and OPTIONS)
  bool viaGet = false;  // Found for HEAD through the GET operation
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Throws std::invalid_argument for a malformed template, a duplicate method+template, a
  // method that is not a token, or a standard method in the wrong case ("get").
  void add(OperationInfo info, Handler handler);

  // Templates are matched segment by segment on the raw path; a literal segment wins over
  // a segment with a variable ("/pets/mine" over "/pets/{id}"), whatever the order of
  // add(). Only the most specific matching path answers: a method it lacks is 405 (OpenAPI
  // matches the path first, then the method), not a fall back to a less specific template.
  // HEAD falls back to GET. OPTIONS is NOT special here (the dispatcher answers it).
  // Methods are compared exactly: "get" matches no GET route.
  RouteMatch match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const;
  std::vector<std::string> allMethods() const;  // for "OPTIONS *"
  // Whether `method` (exactly, case-sensitive) is a method this server knows: a standard
  // one (RFC 9110 section 9, PATCH) or one some route was registered with. The others are
  // answered 501 Not Implemented (RFC 9110 section 15.6.2) whatever the path.
  bool recognizes(std::string_view method) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tether::http
