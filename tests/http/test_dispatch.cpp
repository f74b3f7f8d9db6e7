// Server::dispatch without sockets: the pipeline order, hooks, negotiation, limits and
// error mapping.
#include <gtest/gtest.h>

#include <stdexcept>

#include "tether/http/params.h"
#include "tether/http/server.h"

namespace th = tether::http;
using nlohmann::json;

namespace {

th::OperationInfo op(std::string method, std::string path, std::string id) {
  th::OperationInfo info;
  info.operationId = std::move(id);
  info.method = std::move(method);
  info.pathTemplate = std::move(path);
  info.responseMediaTypes = {"application/json"};
  return info;
}

th::Request request(std::string method, std::string path, th::Headers headers = {}, std::string body = {}) {
  th::Request r;
  r.method = std::move(method);
  std::size_t q = path.find('?');
  r.path = path.substr(0, q);
  if (q != std::string::npos) r.rawQuery = path.substr(q + 1);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

json bodyOf(const th::Response& r) { return json::parse(r.body); }

// A small pet API the way generated code would register it.
th::Router petRouter() {
  th::Router router;
  router.add(op("GET", "/pets/{petId}", "getPet"), [](const th::Request& req, th::Context& ctx) {
    th::ParamSpec id = th::defaultParam("petId", th::Location::Path, th::Shape::primitive(th::Scalar::Integer));
    json petId = *th::decodePath(*req.pathParam("petId"), id);
    if (!petId.is_number_integer()) {
      th::Problem p = th::makeProblem(422, th::code::kValidationFailed, "Invalid parameters.");
      p.errors.push_back({"/petId", "must be an integer"});
      throw th::ProblemError(p);
    }
    return th::Response::json(200, json({{"id", petId}, {"by", ctx.principal}, {"as", ctx.responseMediaType}}).dump());
  });
  th::OperationInfo create = op("POST", "/pets", "createPet");
  create.requestMediaTypes = {"application/json"};
  create.bodyRequired = true;
  create.security = {th::SecurityRequirement{{{"bearer", {"pets:write"}}}}};
  router.add(create, [](const th::Request& req, th::Context& ctx) {
    return th::Response::json(201, json({{"size", req.body.size()}, {"type", ctx.requestMediaType}}).dump());
  });
  router.add(op("GET", "/boom", "boom"), [](const th::Request&, th::Context&) -> th::Response {
    throw std::runtime_error("secret database password in this message");
  });
  router.add(op("GET", "/decode", "decode"), [](const th::Request& req, th::Context&) -> th::Response {
    (void)th::decodeQuery(req.query, th::defaultParam("q", th::Location::Query));
    return th::Response::empty(204);
  });
  return router;
}

}  // namespace

TEST(Dispatch, RunsTheHandlerAndEchoesTheRequestId) {
  th::Server server(petRouter());
  th::Response r = server.dispatch(request("GET", "/pets/7", {{"X-Request-Id", "client-id-1"}}));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get("X-Request-Id"), "client-id-1");
  EXPECT_EQ(r.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(bodyOf(r), json({{"id", 7}, {"by", ""}, {"as", "application/json"}}));
}

TEST(Dispatch, GeneratesARequestIdWhenTheIncomingOneIsNotSane) {
  th::Server server(petRouter());
  for (const char* bad : {"", "has space", "\x01"}) {
    th::Headers h;
    if (*bad != 0) h.add("X-Request-Id", bad);
    th::Response r = server.dispatch(request("GET", "/pets/7", h));
    std::string id = r.headers.get("X-Request-Id").value_or("");
    EXPECT_EQ(id.rfind("req_", 0), 0u) << id;
    EXPECT_EQ(id.size(), 28u);
  }
  EXPECT_NE(server.dispatch(request("GET", "/pets/7")).headers.get("X-Request-Id"),
            server.dispatch(request("GET", "/pets/7")).headers.get("X-Request-Id"));
  EXPECT_FALSE(th::saneRequestId(std::string(129, 'a')));
}

TEST(Dispatch, NotFoundAndMethodNotAllowedAreProblems) {
  th::Server server(petRouter());
  th::Response r = server.dispatch(request("GET", "/nope", {{"X-Request-Id", "abc"}}));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.contentType, "application/problem+json");
  json body = bodyOf(r);
  EXPECT_EQ(body["code"], "RESOURCE_NOT_FOUND");
  EXPECT_EQ(body["request_id"], "abc");
  EXPECT_EQ(body["instance"], "/nope");
  EXPECT_EQ(r.headers.get("X-Request-Id"), "abc");

  r = server.dispatch(request("DELETE", "/pets"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.get("Allow"), "OPTIONS, POST");
  EXPECT_EQ(bodyOf(r)["code"], "METHOD_NOT_ALLOWED");
}

// RFC 9110 section 9.1: method tokens are case-sensitive, so "get" is not GET: it is a
// method the server implements nowhere (501, whatever the path), as is "FOO"; a standard
// method the path lacks stays 405. A method some route registers is known everywhere.
TEST(Dispatch, UnknownMethodTokensAre501) {
  th::Router router = petRouter();
  router.add(op("PURGE", "/cache", "purge"), [](const th::Request&, th::Context&) { return th::Response::empty(204); });
  th::Server server(std::move(router));
  for (const char* method : {"get", "Get", "FOO", "head", "options"}) {
    for (const char* path : {"/pets/1", "/nope", "*"}) {
      th::Response r = server.dispatch(request(method, path));
      EXPECT_EQ(r.status, 501) << method << " " << path;
      EXPECT_EQ(r.contentType, "application/problem+json");
      EXPECT_EQ(bodyOf(r)["code"], "NOT_IMPLEMENTED");
    }
  }
  EXPECT_EQ(server.dispatch(request("GET", "/pets/1")).status, 200);
  EXPECT_EQ(server.dispatch(request("PURGE", "/cache")).status, 204);
  th::Response r = server.dispatch(request("PURGE", "/pets/1"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.get("Allow"), "GET, HEAD, OPTIONS");
  for (const char* method : {"TRACE", "CONNECT", "PATCH", "PUT"}) EXPECT_EQ(server.dispatch(request(method, "/pets/1")).status, 405) << method;
}

TEST(Dispatch, OptionsAndHead) {
  th::Server server(petRouter());
  th::Response r = server.dispatch(request("OPTIONS", "/pets/1"));
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.headers.get("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(server.dispatch(request("OPTIONS", "/nope")).status, 404);
  r = server.dispatch(request("OPTIONS", "*"));
  EXPECT_EQ(r.headers.get("Allow"), "GET, HEAD, OPTIONS, POST");

  th::Response get = server.dispatch(request("GET", "/pets/1"));
  th::Response head = server.dispatch(request("HEAD", "/pets/1"));
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.headers.get("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.headers.get("Content-Type"), "application/json");
}

TEST(Dispatch, HooksRunInOrderAndCanRefuse) {
  std::vector<std::string> calls;
  th::Hooks hooks;
  hooks.requestId = [](const th::Request&) { return std::string("fixed-id"); };
  hooks.authenticate = [&calls](const th::Request& req, th::Context& ctx) -> std::optional<th::Problem> {
    calls.push_back("auth:" + ctx.operation->operationId);
    if (ctx.operation->security.empty()) return std::nullopt;
    std::optional<std::string> auth = req.headers.get("Authorization");
    if (!auth) return th::makeProblem(401, th::code::kUnauthorized, "Missing credential.");
    if (*auth != "Bearer writer") return th::makeProblem(403, th::code::kForbidden, "Needs pets:write.");
    ctx.principal = "writer";
    ctx.scopes = {"pets:write"};
    return std::nullopt;
  };
  int remaining = 2;
  hooks.rateLimit = [&calls, &remaining](const th::Request&, th::Context&, th::Response& extra) -> std::optional<th::Problem> {
    calls.push_back("rate");
    extra.headers.set("X-RateLimit-Remaining", std::to_string(remaining > 0 ? remaining - 1 : 0));
    if (remaining-- <= 0) {
      extra.headers.set("Retry-After", "17");
      return th::makeProblem(429, th::code::kRateLimited, "Slow down.");
    }
    return std::nullopt;
  };
  std::vector<int> logged;
  hooks.log = [&calls, &logged](const th::Request&, const th::Context& ctx, const th::Response& r, std::chrono::microseconds) {
    calls.push_back("log:" + ctx.requestId);
    logged.push_back(r.status);
  };
  th::Server server(petRouter(), hooks);

  th::Response r = server.dispatch(request("POST", "/pets", {{"Content-Type", "application/json"}}, "{}"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(bodyOf(r)["request_id"], "fixed-id");
  EXPECT_EQ(calls, (std::vector<std::string>{"auth:createPet", "log:fixed-id"}));
  EXPECT_EQ(server.dispatch(request("POST", "/pets", {{"Authorization", "Bearer reader"}}, "{}")).status, 403);

  calls.clear();
  r = server.dispatch(request("POST", "/pets", {{"Authorization", "Bearer writer"}, {"Content-Type", "application/json"}}, "{}"));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers.get("X-RateLimit-Remaining"), "1");
  EXPECT_EQ(calls, (std::vector<std::string>{"auth:createPet", "rate", "log:fixed-id"}));

  EXPECT_EQ(server.dispatch(request("GET", "/pets/1")).status, 200);
  r = server.dispatch(request("GET", "/pets/1"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.get("Retry-After"), "17");
  EXPECT_EQ(r.headers.get("X-RateLimit-Remaining"), "0");
  EXPECT_EQ(bodyOf(r)["code"], "RATE_LIMITED");
  EXPECT_EQ(logged, (std::vector<int>{401, 403, 201, 200, 429}));
}

TEST(Dispatch, ContentNegotiationAndBodyChecks) {
  th::ServerOptions options;
  options.maxBodyBytes = 16;
  th::Server server(petRouter(), {}, options);
  th::Response r = server.dispatch(request("POST", "/pets", {{"Content-Type", "text/plain"}}, "{}"));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(bodyOf(r)["code"], "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_EQ(server.dispatch(request("POST", "/pets", {}, "{}")).status, 415);  // a body without a type
  r = server.dispatch(request("POST", "/pets"));
  EXPECT_EQ(r.status, 400);  // the body is required
  r = server.dispatch(request("POST", "/pets", {{"Content-Type", "application/json; charset=utf-8"}}, "{}"));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(bodyOf(r)["type"], "application/json");

  r = server.dispatch(request("GET", "/pets/1", {{"Accept", "text/html"}}));
  EXPECT_EQ(r.status, 406);
  EXPECT_EQ(r.contentType, "application/problem+json");  // problems are sent whatever Accept says
  EXPECT_EQ(server.dispatch(request("GET", "/pets/1", {{"Accept", "text/html, application/*;q=0.2"}})).status, 200);

  r = server.dispatch(request("POST", "/pets", {{"Content-Type", "application/json"}}, std::string(17, ' ')));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(bodyOf(r)["code"], "PAYLOAD_TOO_LARGE");
}

TEST(Dispatch, HeaderSizeLimit) {
  th::ServerOptions options;
  options.maxHeaderBytes = 64;
  th::Server server(petRouter(), {}, options);
  EXPECT_EQ(server.dispatch(request("GET", "/pets/1", {{"X-Big", std::string(100, 'a')}})).status, 431);
}

TEST(Dispatch, HandlerErrorsBecomeProblems) {
  th::ServerOptions options;
  options.problemTypeBase = "https://docs.cloud.example/errors/";
  th::Server server(petRouter(), {}, options);
  th::Response r = server.dispatch(request("GET", "/boom"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  json body = bodyOf(r);
  EXPECT_EQ(body["code"], "INTERNAL_ERROR");
  EXPECT_EQ(body["type"], "https://docs.cloud.example/errors/internal-error");

  r = server.dispatch(request("GET", "/pets/abc"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(bodyOf(r)["errors"], json::array({{{"pointer", "/petId"}, {"message", "must be an integer"}}}));

  r = server.dispatch(request("GET", "/decode?q=%zz"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(bodyOf(r)["code"], "BAD_REQUEST");
  EXPECT_EQ(server.dispatch(request("GET", "/decode?q=ok")).status, 204);
}

TEST(Dispatch, ThrowingHooksDoNotEscape) {
  th::Hooks hooks;
  hooks.authenticate = [](const th::Request&, th::Context&) -> std::optional<th::Problem> { throw std::runtime_error("x"); };
  hooks.log = [](const th::Request&, const th::Context&, const th::Response&, std::chrono::microseconds) {
    throw std::runtime_error("log");
  };
  th::Server server(petRouter(), hooks);
  th::Response r = server.dispatch(request("GET", "/pets/1"));
  EXPECT_EQ(r.status, 500);
  EXPECT_TRUE(r.headers.has("X-Request-Id"));
}
