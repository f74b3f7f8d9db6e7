// What generated server code shares between operations, so that what it emits per
// operation is only what depends on the spec: a parameter declared once (its codec spec,
// whether it is required, its validator), the response a handler returns (Reply), and the
// registration of a tag's operations from a table of literal data.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <utility>

#include "tether/http/router.h"
#include "tether/server/glue.h"

namespace tether::server {

// A parameter of the spec, declared once per component (or per operation when inline).
struct Param {
  http::ParamSpec spec;
  bool required = false;
  Evaluate evaluate = nullptr;   // nullptr: the schema constrains nothing worth checking
  bool jsonContent = false;      // `content: application/json` instead of `schema`
};

// Reads `param` from the request into `out` (see RequestReader::param).
template <class T>
void read(RequestReader& reader, const Param& param, T& out) {
  reader.param(param.spec, param.required, param.evaluate, out, param.jsonContent);
}

// What a handler returns: one of the response alternatives the spec documents for its
// operation, written. Each operation's <Op>Response derives from it with a constructor per
// alternative (so a handler cannot return anything else), defined in the generated part:
// it sets the documented status (a range or default alternative's own `status` member)
// and calls the alternative's write(out), which sets its headers and body. A std::variant
// of the alternatives did the same at about 1 MB of compiler memory per operation.
class Reply {
 public:
  int status() const { return response_.status; }
  // The response as it will be sent (before the dispatcher's middleware).
  const http::Response& response() const { return response_; }

 protected:
  explicit Reply(int status) { response_.status = status; }
  http::Response response_;

  friend http::Response respond(Reply&& reply);
};

// The response a handler's Reply holds, for the dispatcher.
inline http::Response respond(Reply&& reply) { return std::move(reply.response_); }

// An operation as literal data, for a tag's table: a constant expression, so a table of
// hundreds of operations is data where http::OperationInfo's strings and vectors made the
// compiler generate code for every member of every entry (250 entries needed 400 MB).
// C strings, as GCC 12 does not take string_views inside an initializer_list as constants.
struct OperationSpec {
  // One scheme of a security requirement, with the scopes it needs.
  struct Scheme {
    const char* name = "";
    std::initializer_list<const char*> scopes{};
  };
  // Every scheme must hold; an empty requirement allows anonymous access.
  using Requirement = std::initializer_list<Scheme>;

  const char* operationId = "";
  const char* method = "";        // upper case
  const char* pathTemplate = "";  // "/pets/{petId}"
  std::initializer_list<const char*> tags{};
  std::initializer_list<Requirement> security{};           // empty: no security
  std::initializer_list<const char*> requestMediaTypes{};  // empty: no body
  bool bodyRequired = false;
  std::initializer_list<const char*> responseMediaTypes{};  // empty: no body in any response

  // What the router takes, under `basePath`.
  http::OperationInfo info(const std::string& basePath) const;
};

// One operation of a tag: what the router needs to know of it, and the generated function
// that decodes its request, calls the handler and writes the response.
template <class Handler>
struct Operation {
  using Handle = http::Response (*)(Handler&, const http::Request&, http::Context&, const RouteOptions&);
  OperationSpec spec;
  Handle handle = nullptr;
};

// Registers `operations` on the router, each path under options.basePath; `handler` must
// outlive the router.
template <class Handler>
void addOperations(http::Router& router, Handler& handler, const RouteOptions& options,
                   std::span<const Operation<Handler>> operations) {
  for (const Operation<Handler>& operation : operations) {
    router.add(operation.spec.info(options.basePath),
               [&handler, options, handle = operation.handle](const http::Request& request, http::Context& context) {
                 return handle(handler, request, context, options);
               });
  }
}

}  // namespace tether::server
