// What generated server code shares between operations, so that what it emits per
// operation is only what depends on the spec: a parameter declared once (its codec spec,
// whether it is required, its validator), the writing of whichever response alternative a
// handler returned, and the registration of a tag's operations from a table.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <utility>
#include <variant>

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

// Writes the alternative a handler chose. Its status is its own `status` member when it
// has one (a range such as 4XX, or default), else statuses[index], the documented one.
// Headers and body come from its `write(out)` member; an alternative without one is a bare
// status.
template <class... Alternatives>
http::Response respond(const std::variant<Alternatives...>& value, std::initializer_list<int> statuses) {
  http::Response out;
  std::visit(
      [&](const auto& alternative) {
        if constexpr (requires { alternative.status; }) {
          out.status = alternative.status;
        } else {
          out.status = statuses.begin()[value.index()];
        }
        if constexpr (requires { alternative.write(out); }) alternative.write(out);
      },
      value);
  return out;
}

// One operation of a tag: what the router needs to know of it, and the generated function
// that decodes its request, calls the handler and writes the response.
template <class Handler>
struct Operation {
  using Handle = http::Response (*)(Handler&, const http::Request&, http::Context&, const http::BodyLimits&);
  http::OperationInfo info;
  Handle handle = nullptr;
};

// Registers `operations` on the router, each path under options.basePath; `handler` must
// outlive the router.
template <class Handler>
void addOperations(http::Router& router, Handler& handler, const RouteOptions& options,
                   std::span<const Operation<Handler>> operations) {
  for (const Operation<Handler>& operation : operations) {
    http::OperationInfo info = operation.info;
    info.pathTemplate = options.basePath + info.pathTemplate;
    router.add(std::move(info), [&handler, limits = options.limits, handle = operation.handle](
                                    const http::Request& request, http::Context& context) {
      return handle(handler, request, context, limits);
    });
  }
}

}  // namespace tether::server
