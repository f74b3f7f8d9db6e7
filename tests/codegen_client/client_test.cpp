// The generated client of petstore.yaml against a cpp-httplib server on 127.0.0.1: typed
// calls, parameter encoding as the server sees it, JSON, form and multipart bodies, errors,
// pagination, Server-Sent Events and forward-compatible enums.
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <vector>

#include "client.h"
#include "test_server.h"

namespace {

using tether::client::testing::TestServer;

// What the handlers saw, beyond what TestServer records: the raw request target.
struct Targets {
  std::mutex mutex;
  std::vector<std::string> list;
  void add(const httplib::Request& request) {
    std::lock_guard<std::mutex> lock(mutex);
    list.push_back(request.target);
  }
  std::string last() {
    std::lock_guard<std::mutex> lock(mutex);
    return list.empty() ? std::string() : list.back();
  }
};

tether::client::ClientOptions options(const TestServer& server) {
  tether::client::ClientOptions o;
  o.baseUrl = server.url();
  o.token = "secret";
  o.retry.maxAttempts = 1;
  o.sleep = [](std::chrono::milliseconds) {};
  return o;
}

const char* kPet = R"({"id":"p1","name":"Rex","status":"available","tags":["good"]})";

TEST(GeneratedClient, TypedCallParsesTheBody) {
  TestServer server([](httplib::Server& s, TestServer& t) { s.Get("/pets/p1", t.answer(200, kPet)); });
  petstore::client::Client api(options(server));
  petstore::Pet pet = api.pets.getPet({.pet_id = "p1"});
  EXPECT_EQ(pet.id, "p1");
  EXPECT_EQ(pet.name, "Rex");
  EXPECT_EQ(pet.status, petstore::Status::Available);
  ASSERT_TRUE(pet.tags.has_value());
  EXPECT_EQ(*pet.tags, std::vector<std::string>{"good"});
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].header("Authorization"), "Bearer secret");
  EXPECT_NE(seen[0].header("Accept").find("application/json"), std::string::npos);
}

TEST(GeneratedClient, WithResponseGivesStatusAndHeaders) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/pets", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      response.set_header("X-Total", "7");
      response.set_content(R"({"data":[],"meta":{"next_cursor":null,"has_more":false}})", "application/json");
    });
    s.Delete("/pets/p1", t.answer(204, ""));
    s.Get("/pets/p1/name", t.answer(200, "Rex", "text/plain"));
  });
  petstore::client::Client api(options(server));
  auto page = api.pets.listPetsWithResponse();
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("x-total"), "7");
  EXPECT_EQ(page.typedHeaders.x_total, 7);
  EXPECT_TRUE(page.body.data.empty());
  EXPECT_FALSE(page.body.meta.has_more);

  api.pets.deletePet({.pet_id = "p1"});  // void
  petstore::client::Response<petstore::client::NoContent> deleted = api.pets.deletePetWithResponse({.pet_id = "p1"});
  EXPECT_EQ(deleted.status, 204);
  std::string name = api.pets.getPetName({.pet_id = "p1"});
  EXPECT_EQ(name, "Rex");
}

TEST(GeneratedClient, ParametersAreEncodedByStyle) {
  Targets targets;
  TestServer server([&targets](httplib::Server& s, TestServer& t) {
    auto handler = [&targets, &t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      targets.add(request);
      if (request.path == "/pets") {
        response.set_content(R"({"data":[],"meta":{"next_cursor":null,"has_more":false}})", "application/json");
      } else {
        response.status = 204;
      }
    };
    s.Get("/pets", handler);
    s.Get(R"(/matrix/.*)", handler);
  });
  petstore::client::Client api(options(server));
  petstore::client::ListPetsParams params;
  params.limit = 10;
  params.tags = std::vector<std::string>{"a b", "c"};
  params.color = std::vector<std::string>{"red", "blue"};
  petstore::ListPetsFilter filter;
  filter.kind = "cat";
  filter.min_age = 2;
  params.filter = filter;
  params.x_trace = "t-1";
  params.x_ids = std::vector<std::int64_t>{1, 2, 3};
  params.session = "s&1";
  api.pets.listPets(params);
  EXPECT_EQ(targets.last(), "/pets?limit=10&tags=a%20b,c&color=red&color=blue&filter%5Bkind%5D=cat&filter%5Bmin_age%5D=2");
  auto seen = server.seen();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().header("X-Trace"), "t-1");
  EXPECT_EQ(seen.back().header("X-Ids"), "1,2,3");
  // The client sends session=s%261; cpp-httplib percent-decodes header values it receives.
  EXPECT_EQ(seen.back().header("Cookie"), "session=s&1");

  petstore::StyledPathPoint point;
  point.x = 1;
  point.y = 2;
  api.pets.styledPath({.ids = {4, 5}, .point = point});
  EXPECT_EQ(targets.last(), "/matrix/;ids=4;ids=5/label/.x,1,y,2");
}

TEST(GeneratedClient, JsonFormAndMultipartBodies) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Post("/pets", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      response.status = 201;
      response.set_content(R"({"id":"p9","name":"Tom","status":"pending"})", "application/json");
    });
    s.Post("/pets/p9/form", t.answer(200, kPet));
    s.Post("/pets/p9/photo", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      std::string parts;
      for (const auto& [name, file] : request.files) {
        parts += (parts.empty() ? "\"" : ",\"") + name + "=" + file.content + ":" + file.filename + "\"";
      }
      response.set_content("{\"parts\":[" + parts + "]}", "application/json");
    });
  });
  petstore::client::Client api(options(server));
  petstore::NewPet pet;
  pet.name = "Tom";
  pet.status = petstore::Status::Pending;
  petstore::Pet created = api.pets.createPet({.body = pet});
  EXPECT_EQ(created.id, "p9");
  EXPECT_EQ(created.status, petstore::Status::Pending);

  petstore::client::UpdatePetFormParams form;
  form.pet_id = "p9";
  form.body.name = "Tom & Jerry";
  form.body.age = 3;
  form.body.tags = std::vector<std::string>{"x", "y"};
  api.uploads.updatePetForm(form);

  petstore::client::UploadPhotoParams upload;
  upload.pet_id = "p9";
  upload.body = petstore::UploadPhotoRequest{};
  upload.body->caption = "hi";
  upload.parts.push_back({.name = "file", .filename = "a.png", .contentType = "image/png", .data = "PNG"});
  auto received = api.uploads.uploadPhoto(upload);
  std::vector<std::string> parts = received.parts;
  std::sort(parts.begin(), parts.end());
  EXPECT_EQ(parts, (std::vector<std::string>{"caption=hi:", "file=PNG:a.png"}));

  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(seen[0].body), nlohmann::json::parse(R"({"name":"Tom","status":"pending"})"));
  EXPECT_EQ(seen[0].header("Content-Type"), "application/json");
  EXPECT_FALSE(seen[0].header("Idempotency-Key").empty());
  // Members in the order nlohmann::json keeps them (by name).
  EXPECT_EQ(seen[1].body, "age=3&name=Tom%20%26%20Jerry&tags=x&tags=y");
  EXPECT_EQ(seen[1].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[2].header("Content-Type").rfind("multipart/form-data; boundary=", 0), 0u);
}

TEST(GeneratedClient, ErrorsThrowApiErrorWithProblemFields) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/pets/nope", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      response.status = 404;
      response.set_header("X-Request-Id", "req-42");
      response.set_content(R"({"type":"https://errors.example/not-found","title":"Not found","status":404,)"
                           R"("detail":"no pet nope","code":"PET_NOT_FOUND"})",
                           "application/problem+json");
    });
  });
  petstore::client::Client api(options(server));
  try {
    api.pets.getPet({.pet_id = "nope"});
    FAIL() << "no exception";
  } catch (const tether::client::ApiError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.title(), "Not found");
    EXPECT_EQ(e.detail(), "no pet nope");
    EXPECT_EQ(e.code(), "PET_NOT_FOUND");
    EXPECT_EQ(e.type(), "https://errors.example/not-found");
    EXPECT_EQ(e.requestId(), "req-42");
  }
}

TEST(GeneratedClient, PagerWalksEveryPage) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/pets", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      std::string cursor = request.get_param_value("cursor");
      std::string next = cursor.empty() ? "c2" : cursor == "c2" ? "c3" : "";
      std::string id = cursor.empty() ? "1" : cursor == "c2" ? "2" : "3";
      std::string pet = R"({"id":"p)" + id + R"(","name":"n","status":"sold"})";
      std::string meta = next.empty() ? R"({"next_cursor":null,"has_more":false})"
                                      : R"({"next_cursor":")" + next + R"(","has_more":true})";
      response.set_content(R"({"data":[)" + pet + "," + pet + R"(],"meta":)" + meta + "}", "application/json");
    });
    s.Get("/after/pets", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      std::string after = request.get_param_value("starting_after");
      std::string id = after.empty() ? "a" : after == "a" ? "b" : "c";
      response.set_content(R"({"data":[{"id":")" + id + R"(","name":"n","status":"sold"}],"has_more":)" +
                               (id == "c" ? "false" : "true") + "}",
                           "application/json");
    });
  });
  petstore::client::Client api(options(server));
  auto pager = api.pets.listPetsAll({.limit = 2});
  std::vector<std::string> ids;
  for (petstore::Pet& pet : pager) ids.push_back(pet.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"p1", "p1", "p2", "p2", "p3", "p3"}));
  EXPECT_EQ(pager.pagesFetched(), 3u);
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 3u);

  std::vector<std::string> after;
  for (petstore::Pet& pet : api.pets.listPetsAfterAll()) after.push_back(pet.id);
  EXPECT_EQ(after, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(GeneratedClient, StreamReadsServerSentEvents) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/events", [&t](const httplib::Request& request, httplib::Response& response) {
      t.record(request);
      response.set_content("id: 1\nevent: pet\ndata: {\"a\":1}\n\nid: 2\ndata: two\n\n", "text/event-stream");
    });
  });
  petstore::client::Client api(options(server));
  std::vector<tether::client::SseEvent> events;
  api.events.watchEventsStream({.topic = "pets"}, [&](const tether::client::SseEvent& e) {
    events.push_back(e);
    return events.size() < 2;
  });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "pet");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[1].id, "2");
  EXPECT_EQ(events[1].data, "two");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].header("Accept"), "text/event-stream");
}

TEST(GeneratedClient, UnknownEnumValuesMapToUnknown) {
  TestServer server([](httplib::Server& s, TestServer& t) {
    s.Get("/pets/p2", t.answer(200, R"({"id":"p2","name":"Ghost","status":"adopted"})"));
  });
  petstore::client::Settings lenient;
  lenient.validateResponses = false;
  petstore::client::Client api(options(server), lenient);
  petstore::Pet pet = api.pets.getPet({.pet_id = "p2"});
  EXPECT_EQ(pet.status, petstore::Status::Unknown);

  // Validating the responses (the default in debug builds) reports the deviation instead.
  petstore::client::Settings strict;
  strict.validateResponses = true;
  petstore::client::Client checked(options(server), strict);
  EXPECT_THROW(checked.pets.getPet({.pet_id = "p2"}), petstore::client::ResponseValidationError);
}

}  // namespace
