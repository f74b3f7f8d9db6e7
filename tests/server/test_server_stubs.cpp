// The generated server stubs end to end: a handler implemented on the typed interfaces,
// routes registered by the generated add*Routes(), requests through the dispatcher.
#include <httplib.h>

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "server.h"
#include "tether/http/server.h"

namespace {

using tether::http::Request;
using tether::http::Response;

class Pets : public pets::server::PetsHandler {
 public:
  std::map<std::int64_t, pets::Pet> store;
  pets::server::ListPetsRequest lastList;
  std::string lastCreateMedia;
  bool breakContract = false;

  pets::server::ListPetsResponse listPets(const pets::server::ListPetsRequest& request,
                                          tether::http::Context&) override {
    lastList = request;
    pets::PetList list;
    for (const auto& entry : store) list.data.push_back(entry.second);
    pets::server::ListPetsResponse::Status200 ok;
    ok.body = list;
    ok.headers.x_total = static_cast<std::int64_t>(store.size());
    return {ok};
  }

  pets::server::CreatePetResponse createPet(const pets::server::CreatePetRequest& request,
                                            tether::http::Context& context) override {
    lastCreateMedia = context.requestMediaType;
    pets::Pet pet = request.body_json ? *request.body_json : *request.body_form;
    pet.id = static_cast<std::int64_t>(store.size() + 1);
    store[*pet.id] = pet;
    return {pets::server::CreatePetResponse::Status201{pet}};
  }

  pets::server::GetPetResponse getPet(const pets::server::GetPetRequest& request, tether::http::Context&) override {
    auto it = store.find(request.pet_id);
    if (it == store.end()) {
      pets::server::GetPetResponse::Status4XX missing;
      missing.status = 404;
      missing.body.title = "not found";
      return {missing};
    }
    pets::Pet pet = it->second;
    if (breakContract) pet.name = "";  // minLength 1: the debug-build response check catches it
    return {pets::server::GetPetResponse::Status200{pet}};
  }

  pets::server::DeletePetResponse deletePet(const pets::server::DeletePetRequest& request,
                                            tether::http::Context&) override {
    store.erase(request.pet_id);
    return {pets::server::DeletePetResponse::Status204{}};
  }
};

class Photos : public pets::server::PhotosHandler {
 public:
  std::string lastFileBytes;
  pets::server::UploadPhotoResponse uploadPhoto(const pets::server::UploadPhotoRequest& request,
                                                tether::http::Context&) override {
    for (const tether::http::Part& part : request.parts) {
      if (part.name == "file") lastFileBytes = part.data;
    }
    pets::server::UploadPhotoResponse::Status200 ok;
    ok.body.bytes = static_cast<std::int64_t>(lastFileBytes.size());
    ok.body.caption = request.body.caption;
    return {ok};
  }
};

class ServerStubs : public ::testing::Test {
 protected:
  ServerStubs() : server(makeRouter()) {}

  tether::http::Router makeRouter() {
    tether::http::Router router;
    pets::server::addRoutes(router, {.pets = &pets, .photos = &photos});
    return router;
  }

  Response call(std::string method, std::string target, std::string body = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = std::move(method);
    std::size_t q = target.find('?');
    r.path = target.substr(0, q);
    r.rawQuery = q == std::string::npos ? "" : target.substr(q + 1);
    r.query = tether::http::Query::parse(r.rawQuery);
    r.body = std::move(body);
    for (auto& [name, value] : headers) r.headers.add(name, value);
    if (!r.body.empty() && !r.headers.has("Content-Type")) r.headers.add("Content-Type", "application/json");
    return server.dispatch(std::move(r));
  }

  static nlohmann::json json(const Response& r) { return nlohmann::json::parse(r.body); }

  Pets pets;
  Photos photos;
  tether::http::Server server;
};

TEST_F(ServerStubs, CreateThenListWithTypedParametersAndHeaders) {
  Response created = call("POST", "/pets", R"({"name":"Rex","status":"available","tags":["dog"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.contentType, "application/json");
  EXPECT_EQ(json(created)["id"], 1);
  EXPECT_EQ(pets.lastCreateMedia, "application/json");

  Response list = call("GET", "/pets?limit=10&tags=dog,brown", "", {{"X-Trace", "abc"}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(json(list)["data"][0]["name"], "Rex");
  EXPECT_EQ(list.headers.get("X-Total"), "1");
  ASSERT_TRUE(pets.lastList.limit.has_value());
  EXPECT_EQ(*pets.lastList.limit, 10);
  ASSERT_TRUE(pets.lastList.tags.has_value());
  EXPECT_EQ(*pets.lastList.tags, (std::vector<std::string>{"dog", "brown"}));
  EXPECT_EQ(pets.lastList.x_trace, "abc");
}

TEST_F(ServerStubs, FormBodyIsTypedLikeJson) {
  Response created = call("POST", "/pets", "name=Tom&status=sold&tags=cat",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(pets.lastCreateMedia, "application/x-www-form-urlencoded");
  EXPECT_EQ(json(created)["status"], "sold");
  EXPECT_EQ(json(created)["tags"], nlohmann::json::array({"cat"}));
}

TEST_F(ServerStubs, InvalidParametersAre400NamingTheParameter) {
  Response r = call("GET", "/pets?limit=0");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.contentType, "application/problem+json");
  EXPECT_NE(json(r)["detail"].get<std::string>().find("query parameter \"limit\""), std::string::npos) << r.body;

  Response notInteger = call("GET", "/pets/abc");
  EXPECT_EQ(notInteger.status, 400);
  EXPECT_NE(json(notInteger)["detail"].get<std::string>().find("path parameter \"petId\""), std::string::npos);
}

TEST_F(ServerStubs, BodySchemaViolationsAre422WithPointers) {
  Response r = call("POST", "/pets", R"({"name":"","status":"lost"})");
  ASSERT_EQ(r.status, 422) << r.body;
  nlohmann::json body = json(r);
  EXPECT_EQ(body["code"], "VALIDATION_FAILED");
  std::set<std::string> pointers;
  for (const auto& e : body["errors"]) pointers.insert(e["pointer"].get<std::string>());
  EXPECT_TRUE(pointers.count("/name")) << r.body;
  EXPECT_TRUE(pointers.count("/status")) << r.body;
}

TEST_F(ServerStubs, ReadOnlyPropertyInARequestIsRejected) {
  Response r = call("POST", "/pets", R"({"id":7,"name":"Rex"})");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(json(r)["errors"][0]["pointer"], "/id");
}

TEST_F(ServerStubs, MalformedJsonIs400AndMissingBodyIs400) {
  Response r = call("POST", "/pets", R"({"name":)");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["code"], "BAD_REQUEST");
  Response empty = call("POST", "/pets", "", {{"Content-Type", "application/json"}});
  EXPECT_EQ(empty.status, 400);
}

TEST_F(ServerStubs, RoutingAnswers404And405WithAllow) {
  EXPECT_EQ(call("GET", "/owners").status, 404);
  Response r = call("PATCH", "/pets/1");
  EXPECT_EQ(r.status, 405);
  std::string allow = r.headers.get("Allow").value_or("");
  EXPECT_NE(allow.find("GET"), std::string::npos);
  EXPECT_NE(allow.find("DELETE"), std::string::npos);
}

TEST_F(ServerStubs, ContentNegotiation415And406) {
  EXPECT_EQ(call("POST", "/pets", "<pet/>", {{"Content-Type", "application/xml"}}).status, 415);
  EXPECT_EQ(call("GET", "/pets", "", {{"Accept", "text/html"}}).status, 406);
}

TEST_F(ServerStubs, RangeStatusCarriesTheHandlersStatus) {
  Response r = call("GET", "/pets/42");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json(r)["title"], "not found");
}

TEST_F(ServerStubs, MultipartPartsReachTheHandlerWithTheirBytes) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nhello\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.bin\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\x01\x02\x03\r\n--XyZ--\r\n";
  Response r = call("PUT", "/pets/1/photo", body, {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["bytes"], 3);
  EXPECT_EQ(json(r)["caption"], "hello");
  EXPECT_EQ(photos.lastFileBytes, std::string("\x01\x02\x03"));
}

#ifndef NDEBUG
TEST_F(ServerStubs, DebugBuildsCatchAResponseThatBreaksTheSpec) {
  ASSERT_EQ(call("POST", "/pets", R"({"name":"Rex"})").status, 201);
  pets.breakContract = true;
  Response r = call("GET", "/pets/1");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(json(r)["errors"][0]["pointer"], "/name") << r.body;
}
#endif

TEST_F(ServerStubs, ServesOverASocket) {
  server.bind("127.0.0.1", 0);
  std::thread serving([this] { server.listen(); });
  httplib::Client client("127.0.0.1", server.port());
  auto created = client.Post("/pets", R"({"name":"Rex"})", "application/json");
  auto fetched = client.Get("/pets/1");
  server.stop();
  serving.join();
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  ASSERT_TRUE(fetched);
  EXPECT_EQ(fetched->status, 200);
  EXPECT_EQ(nlohmann::json::parse(fetched->body)["name"], "Rex");
}

}  // namespace

// A parameter with `content: application/json` is parsed under the body's limits: a header
// or query value nested past maxDepth is a 400 naming the parameter, not a tree built
// thousands of levels deep (issue 19's audit of the parsers).
TEST(RequestReaderJsonContent, IsParsedUnderTheBodyLimits) {
  tether::server::RouteOptions options;
  options.limits.maxDepth = 8;
  tether::http::ParamSpec spec = tether::http::defaultParam("filter", tether::http::Location::Query);
  auto readFilter = [&](const std::string& rawQuery) {
    tether::http::Request request;
    request.rawQuery = rawQuery;
    request.query = tether::http::Query::parse(rawQuery);
    tether::server::RequestReader reader(request, options);
    std::optional<nlohmann::json> value = reader.param(spec, false, nullptr, true);
    try {
      reader.checkParameters();
    } catch (const tether::http::ProblemError& e) {
      return std::pair(value, std::optional<std::string>(e.problem.detail));
    }
    return std::pair(value, std::optional<std::string>());
  };
  auto [shallow, noProblem] = readFilter("filter=%7B%22a%22%3A1%7D");  // {"a":1}
  ASSERT_TRUE(shallow.has_value());
  EXPECT_EQ((*shallow)["a"], 1);
  EXPECT_FALSE(noProblem.has_value());

  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "%5B";  // [[[[ ...
  auto [refused, problem] = readFilter("filter=" + deep);
  EXPECT_FALSE(refused.has_value());
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("query parameter \"filter\""), std::string::npos) << *problem;
  EXPECT_NE(problem->find("not valid JSON"), std::string::npos) << *problem;

  auto [huge, numberProblem] = readFilter("filter=1e400");
  EXPECT_FALSE(huge.has_value());
  EXPECT_TRUE(numberProblem.has_value());
}
