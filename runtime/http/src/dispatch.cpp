// Server::dispatch: the generic request pipeline (see server.h for the order).
#include <exception>

#include "tether/http/media.h"
#include "tether/http/server.h"

namespace tether::http {

namespace {

std::string kebab(std::string_view code) {
  std::string out;
  for (char c : code) out += c == '_' ? '-' : static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
  return out;
}

std::string joinList(const std::vector<std::string>& methods) {
  std::string out;
  for (const std::string& m : methods) {
    if (!out.empty()) out += ", ";
    out += m;
  }
  return out;
}

}  // namespace

BodyLimits Server::bodyLimits() const {
  BodyLimits limits;
  limits.maxBytes = options_.maxBodyBytes;
  limits.maxDepth = options_.maxJsonDepth;
  return limits;
}

Problem dispatchedProblem(Problem p, const Request& request, const Context& context, const std::string& problemTypeBase) {
  if (p.requestId.empty()) p.requestId = context.requestId;
  if (p.instance.empty()) p.instance = request.path;
  if (p.type.empty() && !problemTypeBase.empty() && !p.code.empty()) p.type = problemTypeBase + kebab(p.code);
  return p;
}

Response Server::problem(const Request& request, const Context& context, Problem p) const {
  return problemResponse(dispatchedProblem(std::move(p), request, context, options_.problemTypeBase));
}

Response Server::answerEarly(const Request& request, Problem p) const {
  Context context;
  try {
    context.requestId = hooks_.requestId ? hooks_.requestId(request) : defaultRequestId(request);
  } catch (const std::exception&) {
    // fall through to the default below
  }
  if (!saneRequestId(context.requestId)) context.requestId = defaultRequestId(Request{});
  Response response = problem(request, context, std::move(p));
  finish(request, context, response);
  if (hooks_.log) {
    try {
      hooks_.log(request, context, response, std::chrono::microseconds(0));
    } catch (const std::exception&) {
      // Logging must not change the answer.
    }
  }
  return response;
}

Response Server::dispatch(Request request) {
  const auto start = std::chrono::steady_clock::now();
  if (request.query.empty() && !request.rawQuery.empty()) request.query = Query::parse(request.rawQuery);
  Context context;
  Response response;
  try {
    context.requestId = hooks_.requestId ? hooks_.requestId(request) : defaultRequestId(request);
    if (!saneRequestId(context.requestId)) context.requestId = defaultRequestId(Request{});
    response = run(request, context);
  } catch (const std::exception&) {
    // A hook that throws; the handler's own exceptions are caught in run(). Nothing of
    // the exception reaches the client.
    response = problem(request, context, makeProblem(500, code::kInternalError, "An unexpected error occurred."));
  }
  finish(request, context, response);
  if (hooks_.log) {
    try {
      hooks_.log(request, context, response,
                 std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start));
    } catch (const std::exception&) {
      // Logging must not change the answer.
    }
  }
  return response;
}

void Server::finish(const Request& request, const Context& context, Response& response) const {
  response.headers.set("X-Request-Id", context.requestId);
  if (!response.contentType.empty()) response.headers.set("Content-Type", response.contentType);
  if (request.method == "HEAD" && !response.body.empty()) {
    // HEAD answers with GET's headers, Content-Length included, and no content.
    response.headers.set("Content-Length", std::to_string(response.body.size()));
    response.body.clear();
  }
}

Response Server::run(Request& request, Context& context) {
  if (request.headers.wireSize() > options_.maxHeaderBytes) {
    return problem(request, context, makeProblem(431, code::kHeadersTooLarge, "The request's header fields are too large."));
  }
  // An unknown method token ("get", "FOO") is not a method this path lacks: the server
  // implements it nowhere (RFC 9110 section 15.6.2).
  if (!router_.recognizes(request.method)) {
    return problem(request, context,
                   makeProblem(501, code::kNotImplemented, "The method " + request.method.substr(0, 64) + " is not implemented."));
  }
  if (request.method == "OPTIONS" && request.path == "*") {
    Response r = Response::empty(204);
    r.headers.set("Allow", joinList(router_.allMethods()));
    return r;
  }

  RouteMatch match = router_.match(request.method, request.path);
  if (match.kind == RouteMatch::NotFound) {
    return problem(request, context, makeProblem(404, code::kNotFound, "No operation matches " + request.path.substr(0, 256) + "."));
  }
  if (match.kind == RouteMatch::MethodNotAllowed) {
    if (request.method == "OPTIONS") {
      Response r = Response::empty(204);
      r.headers.set("Allow", joinList(match.allowed));
      return r;
    }
    Response r = problem(request, context,
                         makeProblem(405, code::kMethodNotAllowed, "Allowed methods: " + joinList(match.allowed) + "."));
    r.headers.set("Allow", joinList(match.allowed));
    return r;
  }
  const OperationInfo& op = match.route->info;
  context.operation = &op;
  request.pathParams = std::move(match.params);

  if (hooks_.authenticate) {
    if (std::optional<Problem> refused = hooks_.authenticate(request, context)) return problem(request, context, std::move(*refused));
  }
  Response rateHeaders;
  auto withRateHeaders = [&rateHeaders](Response r) {
    for (const auto& field : rateHeaders.headers) {
      if (!r.headers.has(field.first)) r.headers.add(field.first, field.second);
    }
    return r;
  };
  if (hooks_.rateLimit) {
    if (std::optional<Problem> limited = hooks_.rateLimit(request, context, rateHeaders)) {
      return withRateHeaders(problem(request, context, std::move(*limited)));
    }
  }

  std::optional<std::string> contentType = request.headers.get("Content-Type");
  if (!op.requestMediaTypes.empty()) {
    if (!request.body.empty() || contentType) {
      std::optional<std::string> matched = matchContentType(contentType.value_or(""), op.requestMediaTypes);
      if (!matched) {
        return withRateHeaders(problem(request, context,
                                       makeProblem(415, code::kUnsupportedMediaType,
                                                   "Content-Type must be one of: " + joinList(op.requestMediaTypes) + ".")));
      }
      context.requestMediaType = *matched;
    } else if (op.bodyRequired) {
      return withRateHeaders(problem(request, context, makeProblem(400, code::kBadRequest, "A request body is required.")));
    }
  }
  if (!op.responseMediaTypes.empty()) {
    std::optional<std::string> chosen = negotiate(request.headers.get("Accept").value_or(""), op.responseMediaTypes);
    if (!chosen) {
      return withRateHeaders(problem(request, context,
                                     makeProblem(406, code::kNotAcceptable,
                                                 "Acceptable media types: " + joinList(op.responseMediaTypes) + ".")));
    }
    context.responseMediaType = *chosen;
  }
  if (request.body.size() > options_.maxBodyBytes) {
    return withRateHeaders(problem(request, context,
                                   makeProblem(413, code::kPayloadTooLarge,
                                               "The body exceeds " + std::to_string(options_.maxBodyBytes) + " bytes.")));
  }

  try {
    return withRateHeaders(match.route->handler(request, context));
  } catch (const ProblemError& e) {
    return withRateHeaders(problem(request, context, e.problem));
  } catch (const DecodeError& e) {
    // Malformed client input that escaped the generated decoding code.
    return withRateHeaders(problem(request, context, makeProblem(400, code::kBadRequest, e.message)));
  } catch (...) {
    return withRateHeaders(problem(request, context, makeProblem(500, code::kInternalError, "An unexpected error occurred.")));
  }
}

}  // namespace tether::http
