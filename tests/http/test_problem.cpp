// Problem details: the RFC 9457 shape with the Cloud API's code, request_id and errors.
#include <gtest/gtest.h>

#include "tether/http/problem.h"

namespace th = tether::http;
using nlohmann::json;

TEST(Problem, ResponseShape) {
  th::Problem p = th::makeProblem(422, th::code::kValidationFailed, "The body is invalid.");
  p.instance = "/v1/projects";
  p.requestId = "req_1";
  p.errors.push_back({"/name", "must match pattern ^[a-z]+$"});
  p.extra = {{"retry", false}, {"status", 999}};
  th::Response r = th::problemResponse(p);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.contentType, "application/problem+json");
  json body = json::parse(r.body);
  EXPECT_EQ(body, json({{"type", "about:blank"},
                        {"title", "Validation failed"},
                        {"status", 422},
                        {"detail", "The body is invalid."},
                        {"instance", "/v1/projects"},
                        {"code", "VALIDATION_FAILED"},
                        {"request_id", "req_1"},
                        {"errors", {{{"pointer", "/name"}, {"message", "must match pattern ^[a-z]+$"}}}},
                        {"retry", false}}));
}

TEST(Problem, OmitsEmptyMembers) {
  th::Problem p;
  p.status = 404;
  p.code = th::code::kNotFound;
  json body = json::parse(th::problemResponse(p).body);
  EXPECT_EQ(body, json({{"type", "about:blank"}, {"title", "Resource not found"}, {"status", 404}, {"code", "RESOURCE_NOT_FOUND"}}));
}

// A hook can only return a Problem, so its headers (WWW-Authenticate, Retry-After) must
// reach the response; they never override the problem's own Content-Type.
TEST(Problem, HeadersGoOnTheResponseNotInTheBody) {
  th::Problem p = th::makeProblem(401, th::code::kUnauthorized);
  p.headers.add("WWW-Authenticate", "Bearer realm=\"pets\"");
  p.headers.add("Content-Type", "text/plain");
  th::Response r = th::problemResponse(p);
  EXPECT_EQ(r.headers.get("WWW-Authenticate"), "Bearer realm=\"pets\"");
  EXPECT_FALSE(r.headers.has("Content-Type"));
  EXPECT_EQ(r.contentType, "application/problem+json");
  EXPECT_FALSE(json::parse(r.body).contains("headers"));
}

TEST(Problem, InvalidUtf8InADetailIsReplacedNotThrown) {
  th::Problem p = th::makeProblem(400, th::code::kBadRequest, "bad \xff byte");
  EXPECT_TRUE(json::accept(th::problemResponse(p).body));
}

TEST(Problem, TitlesAndPointerTokens) {
  EXPECT_EQ(th::titleFromCode("METHOD_NOT_ALLOWED"), "Method not allowed");
  EXPECT_EQ(th::titleFromCode("CONFLICT"), "Conflict");
  EXPECT_EQ(th::pointerToken("a/b~c"), "a~1b~0c");
}
