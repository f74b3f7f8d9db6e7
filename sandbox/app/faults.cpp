#include "faults.h"

#include <atomic>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#include "tether/http/problem.h"

namespace tether::sandbox {

namespace {

struct Named {
  const char* name;
  Fault fault;
};

constexpr Named kFaults[] = {
    {"wrong-status", Fault::WrongStatus},
    {"missing-field", Fault::MissingField},
    {"wrong-type", Fault::WrongType},
    {"undocumented-status", Fault::UndocumentedStatus},
    {"wrong-content-type", Fault::WrongContentType},
    {"missing-header", Fault::MissingHeader},
    {"auth-ignored", Fault::AuthIgnored},
    {"foreign-tenant-visible", Fault::ForeignTenantVisible},
    {"page-skipped", Fault::PageSkipped},
    {"idempotency-ignored", Fault::IdempotencyIgnored},
    {"deleted-readable", Fault::DeletedReadable},
    {"server-error", Fault::ServerError},
};

std::atomic<Fault> active{Fault::None};

using Json = nlohmann::json;

// Rewrites a successful JSON body; anything else (problems, empty bodies) passes.
template <typename Edit>
http::Response editBody(http::Response response, Edit edit) {
  if (response.status / 100 != 2) return response;
  Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object()) return response;
  edit(body);
  response.body = body.dump();
  return response;
}

}  // namespace

Fault parseFault(const std::string& name) {
  if (name.empty() || name == "none") return Fault::None;
  for (const Named& f : kFaults) {
    if (name == f.name) return f.fault;
  }
  std::string known;
  for (const std::string& n : faultNames()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown fault \"" + name + "\"; known: " + known);
}

std::vector<std::string> faultNames() {
  std::vector<std::string> names;
  for (const Named& f : kFaults) names.emplace_back(f.name);
  return names;
}

void setFault(Fault fault) { active.store(fault); }

bool faulty(Fault fault) { return fault != Fault::None && active.load() == fault; }

http::Handler withFault(const http::OperationInfo& operation, http::Handler handler) {
  const Fault fault = active.load();
  const std::string& id = operation.operationId;
  const bool getProject = id == "getProject";
  const bool projectBodies = getProject || id == "listProjects" || id == "createProject" || id == "updateProject";
  auto wrap = [&](auto after) -> http::Handler {
    return [inner = std::move(handler), after](const http::Request& request, http::Context& context) {
      return after(inner(request, context));
    };
  };
  switch (fault) {
    case Fault::WrongStatus:
      if (!getProject) break;
      return wrap([](http::Response r) {
        if (r.status != 200) return r;
        return http::problemResponse(http::makeProblem(404, http::code::kNotFound, "Injected fault: wrong status."));
      });
    case Fault::UndocumentedStatus:
      if (!getProject) break;
      return wrap([](http::Response r) {
        if (r.status == 200) r.status = 203;
        return r;
      });
    case Fault::ServerError:
      if (!getProject) break;
      return wrap([](http::Response) {
        return http::problemResponse(http::makeProblem(500, http::code::kInternalError, "Injected fault."));
      });
    case Fault::WrongContentType:
      if (!getProject) break;
      return wrap([](http::Response r) {
        if (r.status == 200) r.contentType = "text/plain";
        return r;
      });
    case Fault::WrongType:
      if (!getProject) break;
      return wrap([](http::Response r) { return editBody(std::move(r), [](Json& b) { b["name"] = 42; }); });
    case Fault::MissingField:
      if (!projectBodies) break;
      return wrap([](http::Response r) {
        return editBody(std::move(r), [](Json& b) {
          if (b.contains("data") && b["data"].is_array()) {
            for (Json& item : b["data"]) item.erase("name");
          } else {
            b.erase("name");
          }
        });
      });
    case Fault::MissingHeader:
      if (operation.method != "POST") break;
      return wrap([](http::Response r) {
        if (r.status == 201) r.headers.remove("Location");
        return r;
      });
    case Fault::IdempotencyIgnored:
      if (operation.method != "POST") break;
      return [inner = std::move(handler)](const http::Request& request, http::Context& context) {
        http::Request forgetful = request;
        forgetful.headers.remove("Idempotency-Key");
        return inner(forgetful, context);
      };
    default:
      break;  // the other faults live where their behaviour is (documents, authentication)
  }
  return handler;
}

}  // namespace tether::sandbox
