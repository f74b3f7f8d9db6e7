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
  }
  return "?";
}

struct PetServer::Impl {
  Fault fault;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::map<long long, nlohmann::json> pets;
  long long nextId = 1000;
  std::atomic<int> unsafe{0}, total{0};
  bool limited = false;
  std::atomic<bool> finished{false};

  nlohmann::json render(const nlohmann::json& pet) const {
    nlohmann::json p = pet;
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
    if (req.get_header_value("Authorization") == std::string("Bearer ") + kToken) return true;
    problem(res, 401, "Unauthorized");
    res.set_header("WWW-Authenticate", "Bearer");
    return false;
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
        for (const auto& [id, pet] : pets) list.push_back(render(pet));
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
            body["name"].get<std::string>().empty() || body["name"].get<std::string>().size() > 50 ||
            (body.contains("tag") && !body["tag"].is_string()))
          return problem(res, 400, "Invalid pet");
      }
      if (!body.is_object()) body = nlohmann::json::object();
      nlohmann::json pet;
      {
        std::lock_guard lock(mutex);
        pet = {{"id", nextId}, {"name", body.value("name", std::string("unnamed"))}};
        if (body.contains("tag") && body["tag"].is_string()) pet["tag"] = body["tag"];
        pets[nextId++] = pet;
      }
      res.status = 201;
      res.set_header("Location", "/pets/" + std::to_string(pet["id"].get<long long>()));
      res.set_content(render(pet).dump(), "application/json");
    });
    server.Put("/pets", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET, POST"); });
    server.Patch("/pets", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET, POST"); });
    server.Delete("/pets", [this](const httplib::Request&, httplib::Response& res) { notAllowed(res, "GET, POST"); });

    const std::string one = R"(/pets/([^/]+))";
    server.Get(one, [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      long long id = 0;
      if (!parseId(req.matches[1], id)) return problem(res, 400, "Bad pet id");
      std::lock_guard lock(mutex);
      auto it = pets.find(id);
      if (it == pets.end() || fault == Fault::WrongStatus) return problem(res, 404, "Not Found");
      res.set_content(render(it->second).dump(), "application/json");
    });
    server.Delete(one, [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req, res)) return;
      long long id = 0;
      if (!parseId(req.matches[1], id)) return problem(res, 400, "Bad pet id");
      std::lock_guard lock(mutex);
      if (pets.erase(id) == 0) return problem(res, 404, "Not Found");
      res.status = 204;
    });
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

}  // namespace tether::conformance::testing
