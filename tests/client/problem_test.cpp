// parseProblem: RFC 9457 flat members, the Cloud API's extensions, the wrapped shape, junk.
#include <gtest/gtest.h>

#include "tether/client/problem.h"

namespace tether::client {
namespace {

TEST(Problem, ReadsRfc9457MembersAndTheCloudApiExtensions) {
  Problem p = parseProblem(R"({"type":"https://docs.cloud.example/errors/resource-not-found",
    "title":"Resource not found","status":404,"detail":"No project prj_1","instance":"/v1/projects/prj_1",
    "code":"RESOURCE_NOT_FOUND","request_id":"req_1"})");
  EXPECT_TRUE(p.parsed);
  EXPECT_EQ(p.type, "https://docs.cloud.example/errors/resource-not-found");
  EXPECT_EQ(p.title, "Resource not found");
  EXPECT_EQ(p.status, 404);
  EXPECT_EQ(p.detail, "No project prj_1");
  EXPECT_EQ(p.instance, "/v1/projects/prj_1");
  EXPECT_EQ(p.code, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(p.requestId, "req_1");
  EXPECT_TRUE(p.errors.is_null());
}

TEST(Problem, ReadsTheWrappedShape) {
  Problem p = parseProblem(R"({"error":{"code":"CONFLICT","message":"service is running","request_id":"req_2",
    "errors":[{"pointer":"/status","message":"running"}]}})");
  EXPECT_EQ(p.code, "CONFLICT");
  EXPECT_EQ(p.detail, "service is running");
  EXPECT_EQ(p.requestId, "req_2");
  EXPECT_EQ(p.errors.size(), 1u);
  EXPECT_EQ(p.type, "about:blank");

  Problem outer = parseProblem(R"({"error":{"code":"X"},"request_id":"req_3"})");
  EXPECT_EQ(outer.requestId, "req_3") << "a request id beside the wrapper counts too";
}

TEST(Problem, ToleratesOddBodies) {
  for (const char* body : {"", "not json", "[1,2]", "\"text\"", "{\"title\": 5, \"status\": \"x\"}", "{"}) {
    Problem p = parseProblem(body);
    EXPECT_EQ(p.type, "about:blank") << body;
    EXPECT_FALSE(p.status.has_value()) << body;
  }
  EXPECT_EQ(parseProblem(R"({"code": 1042})").code, "1042") << "numeric codes keep their text";
  EXPECT_EQ(parseProblem(R"({"title": 5})").title, "5");
  EXPECT_FALSE(parseProblem("not json").parsed);
}

}  // namespace
}  // namespace tether::client
