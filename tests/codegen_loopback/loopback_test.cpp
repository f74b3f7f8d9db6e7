// The generated client against the generated server, in-process over 127.0.0.1: every
// operation of petstore.yaml, with its parameters (path styles, query styles, headers,
// cookies), bodies (JSON, form, multipart), typed response headers, documented errors,
// both pagination styles and a server-sent event stream. Nothing between the two sides is
// hand-written: what one side writes, the other reads through the spec.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client.h"
#include "server.h"
#include "tether/client/errors.h"
#include "tether/http/server.h"

namespace {

using namespace loop;

// An in-memory pet store on the generated handler interfaces. Handlers run on the
// server's worker threads, hence the mutex.
class Store : public server::PetsHandler, public server::UploadsHandler, public server::EventsHandler {
 public:
  std::mutex mutex;
  std::map<std::string, Pet> pets;  // by id, so pages come in id order
  int next = 1;
  server::ListPetsRequest lastList;
  server::StyledPathRequest lastStyled;

  server::ListPetsResponse listPets(const server::ListPetsRequest& request, tether::http::Context&) override {
    std::lock_guard lock(mutex);
    lastList = request;
    const std::size_t limit = static_cast<std::size_t>(request.limit.value_or(2));
    server::ListPetsResponse::Status200 page;
    auto it = request.cursor ? pets.upper_bound(*request.cursor) : pets.begin();
    for (; it != pets.end() && page.body.data.size() < limit; ++it) page.body.data.push_back(it->second);
    page.body.meta.has_more = it != pets.end();
    if (page.body.meta.has_more) page.body.meta.next_cursor = page.body.data.back().id;
    page.headers.x_total = static_cast<std::int64_t>(pets.size());
    return {page};
  }

  server::CreatePetResponse createPet(const server::CreatePetRequest& request, tether::http::Context&) override {
    std::lock_guard lock(mutex);
    if (request.body.name == "taken") {
      server::CreatePetResponse::Status422 taken;
      taken.body.title = "Name taken";
      taken.body.status = 422;
      taken.body.code = "NAME_TAKEN";
      return {taken};
    }
    Pet pet;
    pet.id = "p" + std::to_string(next++);
    pet.name = request.body.name;
    pet.status = request.body.status.value_or(Status::Available);
    pets[pet.id] = pet;
    return {server::CreatePetResponse::Status201{pet}};
  }

  server::GetPetResponse getPet(const server::GetPetRequest& request, tether::http::Context&) override {
    std::lock_guard lock(mutex);
    auto it = pets.find(request.pet_id);
    if (it == pets.end()) {
      server::GetPetResponse::Status404 missing;
      missing.body.title = "Not found";
      missing.body.status = 404;
      missing.body.detail = "no pet " + request.pet_id;
      return {missing};
    }
    return {server::GetPetResponse::Status200{it->second}};
  }

  server::DeletePetResponse deletePet(const server::DeletePetRequest& request, tether::http::Context&) override {
    std::lock_guard lock(mutex);
    pets.erase(request.pet_id);
    return {server::DeletePetResponse::Status204{}};
  }

  server::GetPetNameResponse getPetName(const server::GetPetNameRequest& request, tether::http::Context&) override {
    std::lock_guard lock(mutex);
    return {server::GetPetNameResponse::Status200{pets.at(request.pet_id).name}};
  }

  server::StyledPathResponse styledPath(const server::StyledPathRequest& request, tether::http::Context&) override {
    std::lock_guard lock(mutex);
    lastStyled = request;
    return {server::StyledPathResponse::Status204{}};
  }

  server::ListPetsAfterResponse listPetsAfter(const server::ListPetsAfterRequest& request,
                                              tether::http::Context&) override {
    std::lock_guard lock(mutex);
    server::ListPetsAfterResponse::Status200 page;
    auto it = request.starting_after ? pets.upper_bound(*request.starting_after) : pets.begin();
    if (it != pets.end()) page.body.data.push_back((it++)->second);
    page.body.has_more = it != pets.end();
    return {page};
  }

  server::UpdatePetFormResponse updatePetForm(const server::UpdatePetFormRequest& request,
                                              tether::http::Context&) override {
    std::lock_guard lock(mutex);
    Pet& pet = pets.at(request.pet_id);
    pet.name = request.body.name;
    pet.tags = request.body.tags;
    return {server::UpdatePetFormResponse::Status200{pet}};
  }

  server::UploadPhotoResponse uploadPhoto(const server::UploadPhotoRequest& request,
                                          tether::http::Context&) override {
    server::UploadPhotoResponse::Status200 received;
    if (request.body && request.body->caption) received.body.parts.push_back("caption=" + *request.body->caption);
    if (request.body && request.body->rating) {
      received.body.parts.push_back("rating=" + std::to_string(*request.body->rating));
    }
    for (const tether::http::Part& part : request.parts) {
      if (part.isFile()) received.body.parts.push_back(part.name + "=" + part.data + ":" + part.filename.value_or(""));
    }
    std::sort(received.body.parts.begin(), received.body.parts.end());
    return {received};
  }

  server::WatchEventsResponse watchEvents(const server::WatchEventsRequest& request,
                                          tether::http::Context&) override {
    std::string topic = request.topic.value_or("all");
    return {server::WatchEventsResponse::Status200{"id: 1\nevent: " + topic + "\ndata: {\"n\":1}\n\nid: 2\nevent: " +
                                                  topic + "\ndata: {\"n\":2}\n\n"}};
  }
};

class Loopback : public ::testing::Test {
 protected:
  Store store;
  std::unique_ptr<tether::http::Server> http;
  std::thread serving;
  std::unique_ptr<client::Client> api;

  void SetUp() override {
    tether::http::Router router;
    server::addRoutes(router, {.pets = &store, .uploads = &store, .events = &store});
    http = std::make_unique<tether::http::Server>(std::move(router));
    http->bind("127.0.0.1", 0);
    serving = std::thread([this] { http->listen(); });
    tether::client::ClientOptions options;
    options.baseUrl = "http://127.0.0.1:" + std::to_string(http->port());
    api = std::make_unique<client::Client>(options);
  }
  void TearDown() override {
    api.reset();  // closes the pooled connections, so stop() need not wait out keep-alive
    http->stop();
    serving.join();
  }

  Pet create(const std::string& name, Status status = Status::Available) {
    client::CreatePetParams params;
    params.body.name = name;
    params.body.status = status;
    return api->pets.createPet(params);
  }
};

TEST_F(Loopback, CreateGetDeleteAndUseAfterDelete) {
  Pet rex = create("Rex", Status::Pending);
  EXPECT_EQ(rex.id, "p1");
  EXPECT_EQ(rex.status, Status::Pending);
  EXPECT_EQ(api->pets.getPet({.pet_id = rex.id}), rex);
  EXPECT_EQ(api->pets.getPetName({.pet_id = rex.id}), "Rex");
  auto deleted = api->pets.deletePetWithResponse({.pet_id = rex.id});
  EXPECT_EQ(deleted.status, 204);
  try {
    api->pets.getPet({.pet_id = rex.id});
    FAIL() << "a deleted pet is still readable";
  } catch (const tether::client::ApiError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.title(), "Not found");
    EXPECT_EQ(e.detail(), "no pet p1");
    EXPECT_FALSE(e.requestId().empty());  // the server's X-Request-Id
  }
}

TEST_F(Loopback, DocumentedErrorStatusReachesTheClientAsApiError) {
  try {
    create("taken");
    FAIL() << "no exception";
  } catch (const tether::client::ApiError& e) {
    EXPECT_EQ(e.status(), 422);
    EXPECT_EQ(e.code(), "NAME_TAKEN");
  }
}

TEST_F(Loopback, QueryHeaderAndCookieParametersArriveTyped) {
  create("a");
  client::ListPetsParams params;
  params.limit = 5;
  params.tags = std::vector<std::string>{"x", "y"};
  params.color = std::vector<std::string>{"red", "blue"};
  params.filter = ListPetsFilter{};
  params.filter->kind = "dog";
  params.filter->min_age = 2;
  params.x_trace = "trace-1";
  params.x_ids = std::vector<std::int64_t>{4, 5};
  params.session = "s3";
  auto page = api->pets.listPetsWithResponse(params);
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.typedHeaders.x_total, 1);
  ASSERT_EQ(page.body.data.size(), 1u);
  EXPECT_EQ(page.body.data[0].name, "a");

  const server::ListPetsRequest& seen = store.lastList;
  EXPECT_EQ(seen.limit, 5);
  EXPECT_EQ(seen.tags, params.tags);
  EXPECT_EQ(seen.color, params.color);
  ASSERT_TRUE(seen.filter);
  EXPECT_EQ(seen.filter->kind, "dog");
  EXPECT_EQ(seen.filter->min_age, 2);
  EXPECT_EQ(seen.x_trace, "trace-1");
  EXPECT_EQ(seen.x_ids, params.x_ids);
  EXPECT_EQ(seen.session, "s3");
}

TEST_F(Loopback, MatrixAndLabelPathParameters) {
  StyledPathPoint point;
  point.x = 3;
  point.y = -4;
  auto done = api->pets.styledPathWithResponse({.ids = {1, 2, 3}, .point = point});
  EXPECT_EQ(done.status, 204);
  EXPECT_EQ(store.lastStyled.ids, (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(store.lastStyled.point.x, 3);
  EXPECT_EQ(store.lastStyled.point.y, -4);
}

TEST_F(Loopback, PagersWalkEveryPageOfBothStyles) {
  for (const char* name : {"a", "b", "c", "d", "e"}) create(name);
  std::vector<std::string> names;
  auto pager = api->pets.listPetsAll({.limit = 2});
  for (Pet& pet : pager) names.push_back(pet.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(pager.pagesFetched(), 3u);

  names.clear();
  for (Pet& pet : api->pets.listPetsAfterAll()) names.push_back(pet.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

TEST_F(Loopback, FormAndMultipartBodies) {
  Pet pet = create("Tom");
  client::UpdatePetFormParams form;
  form.pet_id = pet.id;
  form.body.name = "Tom & Jerry";
  form.body.tags = std::vector<std::string>{"x", "y"};
  Pet updated = api->uploads.updatePetForm(form);
  EXPECT_EQ(updated.name, "Tom & Jerry");
  EXPECT_EQ(updated.tags, form.body.tags);

  client::UploadPhotoParams upload;
  upload.pet_id = pet.id;
  upload.body = UploadPhotoRequest{};
  upload.body->caption = "hi";
  upload.body->rating = 5;
  upload.parts.push_back({.name = "file", .filename = "a.png", .contentType = "image/png", .data = "PNG\x01"});
  UploadPhoto200 received = api->uploads.uploadPhoto(upload);
  EXPECT_EQ(received.parts, (std::vector<std::string>{"caption=hi", "file=PNG\x01:a.png", "rating=5"}));
}

TEST_F(Loopback, ServerSentEventsStream) {
  std::vector<tether::client::SseEvent> events;
  api->events.watchEventsStream({.topic = "pets"}, [&](const tether::client::SseEvent& e) {
    events.push_back(e);
    return events.size() < 2;  // an SSE client reconnects when a stream ends: stop here
  });
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[0].event, "pets");
  EXPECT_EQ(events[1].data, "{\"n\":2}");
}

}  // namespace
