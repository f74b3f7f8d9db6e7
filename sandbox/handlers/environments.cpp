// Environments (tag "Environments"): documents of kind "environment" under their project.
// Names are unique in the project; each project has exactly one `production` environment
// (made with the project, never deleted). The project's `environment_ids` follows creations
// and deletions; `service_count` is counted when an environment is read. Deleting one that
// still runs services answers 409; its variables and environment-scoped secrets go with it.
#include "config_store.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

class Environments final : public EnvironmentsHandler {
 public:
  explicit Environments(const Services& services) : s_(services) {}

  ListEnvironmentsResponse listEnvironments(const ListEnvironmentsRequest& request,
                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "environment");
    query.parent = request.project_id;
    if (request.kind) query.bodyEquals.emplace_back("kind", text(*request.kind));
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "project", request.project_id);  // 404 for a missing or foreign project
      Page found = documents::list(c, t, query);
      for (Document& environment : found.items) withServiceCount(c, t, environment);
      return found;
    });
    return {reply<ListEnvironmentsResponse::Status200>(page.json())};
  }

  CreateEnvironmentResponse createEnvironment(const CreateEnvironmentRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string kind = text(request.body.kind);
    const std::string now = s_.clock.nowText();
    Document environment;
    environment.id = newId("env_");
    environment.kind = "environment";
    environment.parent = request.project_id;
    environment.name = environment.uniqueName = request.body.name;
    environment.createdAt = environment.updatedAt = now;
    environment.body = {{"id", environment.id},
                        {"project_id", request.project_id},
                        {"name", request.body.name},
                        {"kind", kind},
                        {"protected", request.body.protected_.value_or(false)},
                        {"service_count", 0},
                        {"created_at", now},
                        {"updated_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      Document project = documents::get(c, t, "project", request.project_id);
      if (kind == "production" && hasProduction(c, t, project.id)) {
        conflict("The project already has its production environment; a project has exactly one.");
      }
      documents::insert(c, t, environment);
      project.body["environment_ids"].push_back(environment.id);
      touch(project, now);
      documents::update(c, t, project);
      s_.emit(c, t, "environment.created", environment.body);
    });
    return {reply<CreateEnvironmentResponse::Status201>(environment.body)};
  }

  GetEnvironmentResponse getEnvironment(const GetEnvironmentRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document environment = s_.db.with([&](storage::Connection& c) {
      Document d = documents::get(c, t, "environment", request.environment_id);
      withServiceCount(c, t, d);
      return d;
    });
    return {reply<GetEnvironmentResponse::Status200>(environment.body)};
  }

  UpdateEnvironmentResponse updateEnvironment(const UpdateEnvironmentRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "environment", request.environment_id);
      if (request.body.name) d.body["name"] = *request.body.name;
      if (request.body.protected_) d.body["protected"] = *request.body.protected_;
      d.name = d.uniqueName = d.body["name"].get<std::string>();
      touch(d, s_.clock.nowText());
      documents::update(c, t, d);  // a name taken in the project answers 409
      withServiceCount(c, t, d);
      return d;
    });
    return {reply<UpdateEnvironmentResponse::Status200>(updated.body)};
  }

  DeleteEnvironmentResponse deleteEnvironment(const DeleteEnvironmentRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "environment", request.environment_id);
      if (d.body.value("kind", "") == "production") {
        conflict("The production environment cannot be deleted.");
      }
      if (std::int64_t services = config::servicesIn(c, t, d); services > 0) {
        conflict("The environment still has " + std::to_string(services) + " service(s); delete them first.");
      }
      // Secrets are children of the project, scoped to the environment by their status.
      for (const Document& secret : config::allChildren(c, t, "secret", d.parent, d.id)) {
        documents::remove(c, t, "secret", secret.id);
      }
      documents::remove(c, t, "environment", d.id);  // and its variables, its children
      if (std::optional<Document> project = documents::find(c, t, "project", d.parent)) {
        Json& ids = project->body["environment_ids"];
        Json kept = Json::array();
        for (const Json& id : ids) {
          if (id != d.id) kept.push_back(id);
        }
        ids = kept;
        touch(*project, s_.clock.nowText());
        documents::update(c, t, *project);
      }
      s_.emit(c, t, "environment.deleted", {{"id", d.id}, {"project_id", d.parent}, {"name", d.body["name"]}});
    });
    return {DeleteEnvironmentResponse::Status204{}};
  }

 private:
  static void withServiceCount(storage::Connection& c, const Tenant& t, Document& environment) {
    environment.body["service_count"] = config::servicesIn(c, t, environment);
  }
  static void touch(Document& d, const std::string& now) {
    d.updatedAt = now;
    d.body["updated_at"] = now;
  }
  static bool hasProduction(storage::Connection& c, const Tenant& t, const std::string& projectId) {
    for (const Document& environment : config::allChildren(c, t, "environment", projectId)) {
      if (environment.body.value("kind", "") == "production") return true;
    }
    return false;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<EnvironmentsHandler> makeEnvironmentsHandler(const Services& services) {
  return std::make_unique<Environments>(services);
}

}  // namespace tether::sandbox
