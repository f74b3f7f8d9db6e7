#include "pet_server.h"

#include <map>
#include <mutex>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace tether::conformance::testing {

const char* toString(Fault fault) {
  switch (fault) {
    case Fault::None: return "None";
    case Fault::WrongStatus: return "WrongStatus";
    case Fault::MissingField: return "MissingField";
    case Fault::WrongType: return "WrongType";
    case Fault::UndocumentedStatus: return "UndocumentedStatus";
    case Fault::WrongContentType: return "WrongContentType";
    case Fault::MissingHeader: return "MissingHeader";
    case Fault::AuthIgnored: return "AuthIgnored";
    case Fault::NoAllow: return "NoAllow";
    case Fault::ServerError: return "ServerError";
    case Fault::NoProblemJson: return "NoProblemJson";
    case Fault::AcceptsInvalid: return "AcceptsInvalid";
    case Fault::RateLimitOnce: return "RateLimitOnce";
    case Fault::ForeignTenantVisible: return "ForeignTenantVisible";
    case Fault::DeletedStillReadable: return "DeletedStillReadable";
    case Fault::BrokenLink: return "BrokenLink";
    case Fault::RejectsBoundary: return "RejectsBoundary";
  }
  return "?";
}

struct PetServer::Impl {
  Fault fault;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  // Stored with the owning tenant in "_tenant" and a "_deleted" mark (never rendered).
  std::map<long long, nlohmann::json> pets, toys;
  long long nextId = 1000;
  std::atomic<int> unsafe{0}, total{0};
  bool limited = false;
  std::atomic<bool> finished{false};

  nlohmann::json render(const nlohmann::json& pet) const {
    nlohmann::json p = pet;
    p.erase("_tenant");
    p.erase("_deleted");
    if (fault == Fault::MissingField) p.erase("name");
    if (fault == Fault::WrongType) p["id"] = std::to_string(p["id"].get<long long>());
    return p;
  }

  void problem(httplib::Response& res, int status, const std::string& title) const {
    res.status = status;
    nlohmann::json body = {{"type", "about:blank"}, {"title", title}, {"status", status}};
    res.set_content(body.dump(), fault == Fault::NoProblemJson ? "application/json" : "application/problem+json");
  }

  bool authorized(const httplib::Request& req, httplib::Response& res) const {
    if (fault == Fault::AuthIgnored) return true;
    if (!tenantOf(req).empty()) return true;
    problem(res, 401, "Unauthorized");
    res.set_header("WWW-Authenticate", "Bearer");
    return false;
  }

  static std::string tenantOf(const httplib::Request& req) {
    const std::string auth = req.get_header_value("Authorization");
    if (auth == std::string("Bearer ") + kToken) return "a";
    if (auth == std::string("Bearer ") + kToken2) return "b";
    return "";
  }

  // The stored item if it exists for this caller (call with the mutex held).
  nlohmann::json* visible(std::map<long long, nlohmann::json>& items, long long id, const httplib::Request& req) {
    auto it = items.find(id);
    if (it == items.end()) return nullptr;
    if (it->second.value("_deleted", false) && fault != Fault::DeletedStillReadable) return nullptr;
    const std::string tenant = tenantOf(req);
    if (fault != Fault::ForeignTenantVisible && fault != Fault::AuthIgnored && it->second["_tenant"] != tenant)
      return nullptr;
    return &it->second;
  }

  // GET and DELETE of one item of `items` (pets or toys), captured id in matches[1].
  void itemRoutes(const std::string& pattern, std::map<long long, nlohmann::json>& items, const char* what) {
    server.Get(pattern, [this, &items, what](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      long long id = 0;
      if (!parseId(req.matches[1], id)) return problem(res, 400, std::string("Bad ") + what + " id");
      std::lock_guard lock(mutex);
      const nlohmann::json* item = visible(items, id, req);
      if (!item || (fault == Fault::WrongStatus && &items == &pets)) return problem(res, 404, "Not Found");
      res.set_content(render(*item).dump(), "application/json");
    });
    server.Delete(pattern, [this, &items, what](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      long long id = 0;
      if (!parseId(req.matches[1], id)) return problem(res, 400, std::string("Bad ") + what + " id");
      std::lock_guard lock(mutex);
      nlohmann::json* item = visible(items, id, req);
      if (!item || item->value("_deleted", false)) return problem(res, 404, "Not Found");
      if (fault == Fault::DeletedStillReadable) (*item)["_deleted"] = true;
      else items.erase(id);
      res.status = 204;
    });
  }

  void notAllowed(httplib::Response& res, const std::string& allow) const {
    problem(res, 405, "Method Not Allowed");
    if (fault != Fault::NoAllow) res.set_header("Allow", allow);
  }

  static bool parseId(const std::string& text, long long& id) {
    if (text.empty() || text.size() > 15) return false;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
    }
    id = std::stoll(text);
    return id >= 1;
  }

  void routes() {
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      ++total;
      if (req.method != "GET" && req.method != "HEAD") ++unsafe;
      if (fault == Fault::RateLimitOnce) {
        std::lock_guard lock(mutex);
        if (!limited) {
          limited = true;
          res.status = 429;
          res.set_header("Retry-After", "0");
          return httplib::Server::HandlerResponse::Handled;
        }
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      if (fault == Fault::ServerError) return problem(res, 500, "Internal Server Error");
      res.set_content(R"({"status":"ok"})", "application/json");
    });
    server.Post("/health", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET"); });
    server.Put("/health", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET"); });
    server.Patch("/health", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET"); });
    server.Delete("/health", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET"); });

    server.Get("/pets", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      if (req.has_param("limit")) {
        long long limit = 0;
        if (!parseId(req.get_param_value("limit"), limit) || limit > 100) return problem(res, 400, "Bad limit");
      }
      nlohmann::json list = nlohmann::json::array();
      {
        std::lock_guard lock(mutex);
        for (const auto& [id, pet] : pets)
          if (visible(pets, id, req)) list.push_back(render(pet));
      }
      res.status = fault == Fault::UndocumentedStatus ? 202 : 200;
      if (fault != Fault::MissingHeader) res.set_header("X-Request-Id", "req-1");
      res.set_content(list.dump(), fault == Fault::WrongContentType ? "text/plain" : "application/json");
    });
    server.Post("/pets", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (fault != Fault::AcceptsInvalid) {
        if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
            body["name"].get<std::string>().empty() ||
            body["name"].get<std::string>().size() > (fault == Fault::RejectsBoundary ? 49u : 50u) ||
            (body.contains("tag") && !body["tag"].is_string()))
          return problem(res, 400, "Invalid pet");
      }
      if (!body.is_object()) body = nlohmann::json::object();
      nlohmann::json pet;
      {
        std::lock_guard lock(mutex);
        pet = {{"id", nextId}, {"name", body.value("name", std::string("unnamed"))}, {"_tenant", tenantOf(req)}};
        if (body.contains("tag") && body["tag"].is_string()) pet["tag"] = body["tag"];
        pets[nextId++] = pet;
      }
      res.status = 201;
      res.set_header("Location", "/pets/" + std::to_string(pet["id"].get<long long>()));
      if (fault == Fault::BrokenLink) pet["id"] = pet["id"].get<long long>() + 100000;
      res.set_content(render(pet).dump(), "application/json");
    });
    server.Put("/pets", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET, POST"); });
    server.Patch("/pets", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET, POST"); });
    server.Delete("/pets", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET, POST"); });

    const std::string one = R"(/pets/([^/]+))";
    itemRoutes(one, pets, "pet");
    server.Post(R"(/pets/([^/]+)/toys)", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      long long petId = 0;
      if (!parseId(req.matches[1], petId)) return problem(res, 400, "Bad pet id");
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
          body["name"].get<std::string>().empty() || body["name"].get<std::string>().size() > 20 ||
          (body.contains("color") && body["color"] != "red" && body["color"] != "blue"))
        return problem(res, 400, "Invalid toy");
      std::lock_guard lock(mutex);
      if (!visible(pets, petId, req)) return problem(res, 404, "Not Found");
      nlohmann::json toy = {{"id", nextId}, {"petId", petId}, {"name", body["name"]}, {"_tenant", tenantOf(req)}};
      if (body.contains("color")) toy["color"] = body["color"];
      toys[nextId++] = toy;
      res.status = 201;
      res.set_content(render(toy).dump(), "application/json");
    });
    itemRoutes(R"(/toys/([^/]+))", toys, "toy");
    auto refuse = [this](const char* allow) {
      return [this, allow](const httplib::Request&, httplib::Response& res) { notAllowed(res, allow); };
    };
    server.Get(R"(/pets/([^/]+)/toys)", refuse("POST"));
    server.Put(R"(/pets/([^/]+)/toys)", refuse("POST"));
    server.Patch(R"(/pets/([^/]+)/toys)", refuse("POST"));
    server.Delete(R"(/pets/([^/]+)/toys)", refuse("POST"));
    server.Post(R"(/toys/([^/]+))", refuse("DELETE, GET"));
    server.Put(R"(/toys/([^/]+))", refuse("DELETE, GET"));
    server.Patch(R"(/toys/([^/]+))", refuse("DELETE, GET"));
    server.Post(one, [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "DELETE, GET"); });
    server.Put(one, [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "DELETE, GET"); });
    server.Patch(one, [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "DELETE, GET"); });
  }
};

PetServer::PetServer(Fault fault) : impl_(std::make_unique<Impl>()) {
  impl_->fault = fault;
  impl_->server.set_tcp_nodelay(true);
  impl_->routes();
  impl_->port = impl_->server.bind_to_any_port("127.0.0.1");
  if (impl_->port <= 0) throw std::runtime_error("cannot bind 127.0.0.1");
  impl_->thread = std::thread([this] {
    impl_->server.listen_after_bind();
    impl_->finished = true;
  });
}

PetServer::~PetServer() {
  // stop() only acts on a running accept loop: wait until it runs (or has ended).
  while (!impl_->server.is_running() && !impl_->finished) std::this_thread::yield();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string PetServer::baseUrl() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
int PetServer::unsafeRequests() const { return impl_->unsafe; }
int PetServer::requests() const { return impl_->total; }
std::size_t PetServer::resources() const {
  std::lock_guard lock(impl_->mutex);
  std::size_t n = 0;
  for (const auto* items : {&impl_->pets, &impl_->toys})
    for (const auto& [id, item] : *items) n += !item.value("_deleted", false);
  return n;
}

}  // namespace tether::conformance::testing
