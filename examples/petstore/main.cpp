// The petstore example: implements the generated handler interface, serves it through
// tether::http::Server on 127.0.0.1, and checks a few answers. Exits 0 when they are right.
#include <httplib.h>

#include <iostream>
#include <map>
#include <thread>

#include "server.h"
#include "tether/http/server.h"

namespace {

class Pets : public petstore::server::PetsHandler {
 public:
  petstore::server::ListPetsResponse listPets(const petstore::server::ListPetsRequest&,
                                              tether::http::Context&) override {
    petstore::server::ListPetsResponse::Status200 ok;
    for (const auto& entry : pets_) ok.body.data.push_back(entry.second);
    ok.headers.x_total = static_cast<std::int64_t>(pets_.size());
    return {ok};
  }
  petstore::server::CreatePetResponse createPet(const petstore::server::CreatePetRequest& request,
                                                tether::http::Context&) override {
    petstore::Pet pet = request.body_json ? *request.body_json : *request.body_form;
    pet.id = static_cast<std::int64_t>(pets_.size() + 1);
    pets_[*pet.id] = pet;
    return {petstore::server::CreatePetResponse::Status201{pet}};
  }
  petstore::server::GetPetResponse getPet(const petstore::server::GetPetRequest& request,
                                          tether::http::Context&) override {
    auto it = pets_.find(request.pet_id);
    if (it == pets_.end()) {
      petstore::server::GetPetResponse::Status4XX missing;
      missing.status = 404;
      missing.body.title = "No such pet";
      return {missing};
    }
    return {petstore::server::GetPetResponse::Status200{it->second}};
  }
  petstore::server::DeletePetResponse deletePet(const petstore::server::DeletePetRequest& request,
                                                tether::http::Context&) override {
    pets_.erase(request.pet_id);
    return {petstore::server::DeletePetResponse::Status204{}};
  }

 private:
  std::map<std::int64_t, petstore::Pet> pets_;
};

class Photos : public petstore::server::PhotosHandler {
 public:
  petstore::server::UploadPhotoResponse uploadPhoto(const petstore::server::UploadPhotoRequest& request,
                                                    tether::http::Context&) override {
    petstore::server::UploadPhotoResponse::Status200 ok;
    ok.body.caption = request.body.caption;
    return {ok};
  }
};

}  // namespace

int main() {
  Pets pets;
  Photos photos;
  tether::http::Router router;
  petstore::server::addRoutes(router, {.pets = &pets, .photos = &photos});
  tether::http::Server server(std::move(router));
  server.bind("127.0.0.1", 0);
  std::thread serving([&server] { server.listen(); });

  httplib::Client client("127.0.0.1", server.port());
  auto created = client.Post("/pets", R"({"name":"Rex"})", "application/json");
  auto invalid = client.Post("/pets", R"({"name":""})", "application/json");
  auto fetched = client.Get("/pets/1");
  server.stop();
  serving.join();

  bool ok = created && created->status == 201 && invalid && invalid->status == 422 && fetched &&
            fetched->status == 200 && nlohmann::json::parse(fetched->body)["name"] == "Rex";
  std::cout << (ok ? "petstore example: ok" : "petstore example: unexpected answers") << "\n";
  return ok ? 0 : 1;
}
