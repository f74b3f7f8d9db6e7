// Router: templates, literal-over-parameter precedence, 404/405 with Allow, HEAD fallback.
#include <gtest/gtest.h>

#include "tether/http/router.h"
#include "tether/http/security.h"

namespace th = tether::http;

namespace {

th::OperationInfo op(std::string method, std::string path, std::string id) {
  th::OperationInfo info;
  info.operationId = std::move(id);
  info.method = std::move(method);
  info.pathTemplate = std::move(path);
  return info;
}

th::Handler nothing() {
  return [](const th::Request&, th::Context&) { return th::Response{}; };
}

th::Router petRouter() {
  th::Router r;
  r.add(op("GET", "/pets/{petId}", "getPet"), nothing());
  r.add(op("DELETE", "/pets/{petId}", "deletePet"), nothing());
  r.add(op("GET", "/pets/mine", "listMine"), nothing());  // added after the template on purpose
  r.add(op("GET", "/pets", "listPets"), nothing());
  r.add(op("POST", "/pets", "createPet"), nothing());
  r.add(op("GET", "/pets/{petId}/photos/{photoId}", "getPhoto"), nothing());
  r.add(op("GET", "/files/{name}.{ext}", "getFile"), nothing());
  r.add(op("GET", "/files/{name}.json", "getJsonFile"), nothing());
  return r;
}

}  // namespace

TEST(Router, MatchesTemplatesAndCapturesRawParams) {
  th::Router r = petRouter();
  th::RouteMatch m = r.match("GET", "/pets/42");
  ASSERT_EQ(m.kind, th::RouteMatch::Found);
  EXPECT_EQ(m.route->info.operationId, "getPet");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"petId", "42"}));

  m = r.match("GET", "/pets/a%2Fb/photos/7");
  ASSERT_EQ(m.kind, th::RouteMatch::Found);
  EXPECT_EQ(m.route->info.operationId, "getPhoto");
  EXPECT_EQ(m.params[0].second, "a%2Fb");  // raw: decoding is the codec's job
  EXPECT_EQ(m.params[1].second, "7");

  EXPECT_EQ(r.match("GET", "/pets").route->info.operationId, "listPets");
  EXPECT_EQ(r.match("POST", "/pets").route->info.operationId, "createPet");
}

TEST(Router, LiteralSegmentsWinOverParameters) {
  th::Router r = petRouter();
  EXPECT_EQ(r.match("GET", "/pets/mine").route->info.operationId, "listMine");
  // ...for every method: the literal path is the one that matched, and it has no DELETE
  // (OpenAPI matches the path first, then the method), so no fallback to /pets/{petId}.
  th::RouteMatch m = r.match("DELETE", "/pets/mine");
  ASSERT_EQ(m.kind, th::RouteMatch::MethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD", "OPTIONS"}));
  // A segment with a literal part beats a bare variable, and finds its pieces.
  m = r.match("GET", "/files/report.json");
  EXPECT_EQ(m.route->info.operationId, "getJsonFile");
  m = r.match("GET", "/files/report.v2.csv");
  ASSERT_EQ(m.kind, th::RouteMatch::Found);
  EXPECT_EQ(m.route->info.operationId, "getFile");
  EXPECT_EQ(m.params[0].second, "report");
  EXPECT_EQ(m.params[1].second, "v2.csv");
}

TEST(Router, NotFoundAndMethodNotAllowed) {
  th::Router r = petRouter();
  EXPECT_EQ(r.match("GET", "/nope").kind, th::RouteMatch::NotFound);
  EXPECT_EQ(r.match("GET", "/pets/").kind, th::RouteMatch::NotFound);  // an empty variable does not match
  EXPECT_EQ(r.match("GET", "/pets/1/photos").kind, th::RouteMatch::NotFound);
  EXPECT_EQ(r.match("GET", "").kind, th::RouteMatch::NotFound);
  EXPECT_EQ(r.match("GET", "pets").kind, th::RouteMatch::NotFound);
  th::RouteMatch m = r.match("PUT", "/pets");
  ASSERT_EQ(m.kind, th::RouteMatch::MethodNotAllowed);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD", "OPTIONS", "POST"}));
  m = r.match("PATCH", "/pets/mine");  // the methods of the path that matched, the literal one
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "HEAD", "OPTIONS"}));
  m = r.match("PATCH", "/pets/7");
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD", "OPTIONS"}));
}

TEST(Router, HeadFallsBackToGet) {
  th::Router r = petRouter();
  th::RouteMatch m = r.match("HEAD", "/pets/1");
  ASSERT_EQ(m.kind, th::RouteMatch::Found);
  EXPECT_TRUE(m.viaGet);
  EXPECT_EQ(m.route->info.operationId, "getPet");
}

TEST(Router, RejectsBadTemplates) {
  th::Router r;
  EXPECT_THROW(r.add(op("GET", "pets", "a"), nothing()), std::invalid_argument);
  EXPECT_THROW(r.add(op("GET", "/pets/{id", "a"), nothing()), std::invalid_argument);
  EXPECT_THROW(r.add(op("GET", "/pets/{}", "a"), nothing()), std::invalid_argument);
  EXPECT_THROW(r.add(op("GET", "/x/{a}{b}", "a"), nothing()), std::invalid_argument);
  r.add(op("GET", "/pets", "a"), nothing());
  EXPECT_THROW(r.add(op("GET", "/pets", "b"), nothing()), std::invalid_argument);
  // Methods are case-sensitive: a standard one in another case would answer no client.
  EXPECT_THROW(r.add(op("get", "/other", "b"), nothing()), std::invalid_argument);
  EXPECT_THROW(r.add(op("Post", "/other", "b"), nothing()), std::invalid_argument);
  EXPECT_THROW(r.add(op("G T", "/other", "b"), nothing()), std::invalid_argument);
  EXPECT_EQ(r.allMethods(), (std::vector<std::string>{"GET", "HEAD", "OPTIONS"}));
}

TEST(Router, MethodsAreMatchedExactly) {
  th::Router r = petRouter();
  r.add(op("PURGE", "/pets", "purge"), nothing());
  EXPECT_EQ(r.match("get", "/pets/1").kind, th::RouteMatch::MethodNotAllowed);
  EXPECT_EQ(r.match("head", "/pets/1").kind, th::RouteMatch::MethodNotAllowed);  // no GET fallback either
  EXPECT_EQ(r.match("purge", "/pets").kind, th::RouteMatch::MethodNotAllowed);
  EXPECT_EQ(r.match("PURGE", "/pets").kind, th::RouteMatch::Found);
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PURGE"}) {
    EXPECT_TRUE(r.recognizes(known)) << known;
  }
  for (const char* unknown : {"get", "Get", "FOO", "purge", ""}) EXPECT_FALSE(r.recognizes(unknown)) << unknown;
}

TEST(Security, AlternativesSchemesAndScopes) {
  std::vector<th::SecurityRequirement> security = {
      th::SecurityRequirement{{{"bearer", {"pets:write", "pets:read"}}}},
      th::SecurityRequirement{{{"apiKey", {}}, {"mtls", {}}}},
  };
  EXPECT_TRUE(th::satisfiesSecurity({}, {}, {}));
  EXPECT_TRUE(th::satisfiesSecurity({th::SecurityRequirement{}}, {}, {}));  // {} = anonymous allowed
  EXPECT_FALSE(th::satisfiesSecurity(security, {}, {}));
  EXPECT_FALSE(th::satisfiesSecurity(security, {"bearer"}, {"pets:read"}));
  EXPECT_TRUE(th::satisfiesSecurity(security, {"bearer"}, {"pets:read", "pets:write"}));
  EXPECT_FALSE(th::satisfiesSecurity(security, {"apiKey"}, {}));
  EXPECT_TRUE(th::satisfiesSecurity(security, {"apiKey", "mtls"}, {}));
  EXPECT_EQ(th::missingScopes(security, {"bearer"}, {"pets:read"}), (std::vector<std::string>{"pets:write"}));
  EXPECT_TRUE(th::missingScopes(security, {"bearer"}, {"pets:read", "pets:write"}).empty());
}

// 401 and 403 are told apart by whether some alternative has all of its schemes.
TEST(Security, CheckSecurityAnswers401Or403NamingTheMissingScopes) {
  std::vector<th::SecurityRequirement> security = {
      th::SecurityRequirement{{{"bearer", {"pets:write", "pets:read"}}}},
      th::SecurityRequirement{{{"apiKey", {}}, {"mtls", {}}}},
  };
  EXPECT_FALSE(th::checkSecurity({}, {}, {}));
  EXPECT_FALSE(th::checkSecurity(security, {"apiKey", "mtls"}, {}));
  std::optional<th::Problem> none = th::checkSecurity(security, {}, {});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->code, "UNAUTHORIZED");
  std::optional<th::Problem> half = th::checkSecurity(security, {"apiKey"}, {});  // one scheme of two
  ASSERT_TRUE(half);
  EXPECT_EQ(half->status, 401);
  std::optional<th::Problem> scoped = th::checkSecurity(security, {"bearer"}, {"pets:read"});
  ASSERT_TRUE(scoped);
  EXPECT_EQ(scoped->status, 403);
  EXPECT_EQ(scoped->code, "FORBIDDEN");
  EXPECT_EQ(scoped->detail, "Missing scopes: pets:write.");
  EXPECT_EQ(scoped->extra["missing_scopes"], nlohmann::json::array({"pets:write"}));
}
