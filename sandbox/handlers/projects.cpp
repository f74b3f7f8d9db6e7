// Projects (tag "Projects"): documents of kind "project"; each is created with its
// `production` environment. Names are unique in the workspace; a project that still has
// services cannot be deleted (409).
#include "common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

class Projects final : public ProjectsHandler {
 public:
  explicit Projects(const Services& services) : s_(services) {}

  ListProjectsResponse listProjects(const ListProjectsRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "project");
    if (request.owner) query.bodyEquals.emplace_back("owner_id", *request.owner);
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListProjectsResponse::Status200>(page.json())};
  }

  CreateProjectResponse createProject(const CreateProjectRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Json in = toJson(request.body);
    Document project;
    project.id = newId("prj_");
    project.kind = "project";
    project.name = project.uniqueName = request.body.name;
    project.createdAt = project.updatedAt = now;
    Document production;
    production.id = newId("env_");
    production.kind = "environment";
    production.parent = project.id;
    production.name = production.uniqueName = "production";
    production.createdAt = production.updatedAt = now;
    production.body = {{"id", production.id},  {"project_id", project.id}, {"name", "production"},
                       {"kind", "production"}, {"protected", true},        {"service_count", 0},
                       {"created_at", now},    {"updated_at", now}};
    project.body = {{"id", project.id},
                    {"name", request.body.name},
                    {"description", in.value("description", Json(nullptr))},
                    {"workspace_id", t.workspace},
                    {"owner_id", in.value("owner_id", t.userId)},
                    {"labels", in.value("labels", Json::object())},
                    {"environment_ids", {production.id}},
                    {"created_at", now},
                    {"updated_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      documents::insert(c, t, project);
      documents::insert(c, t, production);
      s_.emit(c, t, "project.created", change(project.body));
    });
    return {reply<CreateProjectResponse::Status201>(project.body)};
  }

  GetProjectResponse getProject(const GetProjectRequest& request, http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "project", request.project_id);
    });
    return {reply<GetProjectResponse::Status200>(d.body)};
  }

  UpdateProjectResponse updateProject(const UpdateProjectRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "project", request.project_id);
      const Json before = d.body;
      mergePatch(d.body, toJson(request.body));
      d.name = d.uniqueName = d.body["name"].get<std::string>();
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      Json previous = Json::object();
      for (auto it = d.body.begin(); it != d.body.end(); ++it) {
        if (it.key() != "updated_at" && before.value(it.key(), Json()) != it.value()) previous[it.key()] = before[it.key()];
      }
      s_.emit(c, t, "project.updated", change(d.body, previous));
      return d;
    });
    return {reply<UpdateProjectResponse::Status200>(updated.body)};
  }

  DeleteProjectResponse deleteProject(const DeleteProjectRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "project", request.project_id);
      if (documents::countChildren(c, t, "service", d.id) > 0) {
        conflict("The project still has services; delete them first.");
      }
      documents::remove(c, t, "project", d.id);
      s_.emit(c, t, "project.deleted", change(d.body));
    });
    return {DeleteProjectResponse::Status204{}};
  }

 private:
  const Services& s_;
};

}  // namespace

std::unique_ptr<ProjectsHandler> makeProjectsHandler(const Services& services) {
  return std::make_unique<Projects>(services);
}

}  // namespace tether::sandbox
