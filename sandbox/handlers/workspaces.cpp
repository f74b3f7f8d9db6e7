// Workspaces (tag "Workspaces"): rows of the `workspaces` table. A caller sees the
// workspaces its user is a member of; any other id answers 404.
#include "common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

constexpr const char* kColumns = "id, name, slug, plan, owner_id, created_at, updated_at";

Document workspaceRow(storage::Connection& c, const storage::Statement& q) {
  Document d;
  d.id = q.text(0);
  d.kind = "workspace";
  d.name = q.text(1);
  d.createdAt = q.text(5);
  d.updatedAt = q.text(6);
  // Members who joined; pending and expired invitations are not members yet.
  auto members = c.prepare(
      "SELECT COUNT(*) FROM resources WHERE workspace_id = $1 AND mode = 'live' AND kind = 'member' AND status = 'active'");
  members->bind_text(1, d.id);
  members->step();
  d.body = {{"id", d.id},         {"name", q.text(1)},        {"slug", q.text(2)},
            {"plan", q.text(3)},  {"owner_id", q.text(4)},    {"member_count", members->int64(0)},
            {"created_at", d.createdAt}, {"updated_at", d.updatedAt}};
  return d;
}

// The workspaces the user is a member of.
std::vector<Document> memberships(storage::Connection& c, const std::string& user) {
  auto q = c.prepare(std::string("SELECT ") + kColumns +
                     " FROM workspaces WHERE id IN (SELECT workspace_id FROM resources WHERE kind = 'member'"
                     " AND mode = 'live' AND unique_name = $1)");
  q->bind_text(1, user);
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<Document> out;
  while (q->step()) out.push_back(workspaceRow(c, *q));
  return out;
}

Document visible(storage::Connection& c, const Tenant& t, const std::string& id) {
  for (Document& d : memberships(c, t.userId)) {
    if (d.id == id) return d;
  }
  notFound("workspace \"" + id + "\"");
}

class Workspaces final : public WorkspacesHandler {
 public:
  explicit Workspaces(const Services& services) : s_(services) {}

  ListWorkspacesResponse listWorkspaces(const ListWorkspacesRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "workspace");
    Page page = s_.db.with([&](storage::Connection& c) {
      return documents::paginate(memberships(c, tenantOf(context).userId), query);
    });
    return {reply<ListWorkspacesResponse::Status200>(page.json())};
  }

  CreateWorkspaceResponse createWorkspace(const CreateWorkspaceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText(), id = newId("ws_");
    Document d = s_.db.transact([&](storage::Connection& c) {
      auto q = c.prepare(
          "INSERT INTO workspaces (id, name, slug, plan, owner_id, created_at, updated_at)"
          " VALUES ($1, $2, $3, 'free', $4, $5, $5)");
      q->bind_text(1, id).bind_text(2, request.body.name).bind_text(3, request.body.slug).bind_text(4, t.userId);
      q->bind_text(5, now);
      try {
        q->run();
      } catch (const storage::Error& e) {
        if (e.is_unique_violation()) conflict("The slug \"" + request.body.slug + "\" is taken.");
        throw;
      }
      // The creator is the owner, a member of the new workspace.
      Tenant inside{id, "live", t.keyId, t.userId};
      Document member;
      member.id = newId("mem_");
      member.kind = "member";
      member.parent = id;
      member.uniqueName = t.userId;
      member.status = "active";
      member.createdAt = member.updatedAt = now;
      // The creator's profile gives the membership its email and name.
      auto profile = c.prepare("SELECT body FROM resources WHERE id = $1 AND kind = 'user'");
      profile->bind_text(1, t.userId);
      Json user = profile->step() ? Json::parse(profile->text(0)) : Json::object();
      member.body = {{"id", member.id},
                     {"workspace_id", id},
                     {"user_id", t.userId},
                     {"email", user.value("email", "")},
                     {"name", user.contains("name") ? user["name"] : Json(nullptr)},
                     {"role", "owner"},
                     {"status", "active"},
                     {"invited_by", t.userId},
                     {"joined_at", now},
                     {"created_at", now},
                     {"updated_at", now}};
      documents::insert(c, inside, member);
      return visible(c, t, id);
    });
    return {reply<CreateWorkspaceResponse::Status201>(d.body)};
  }

  GetWorkspaceResponse getWorkspace(const GetWorkspaceRequest& request, http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) { return visible(c, tenantOf(context), request.workspace_id); });
    return {reply<GetWorkspaceResponse::Status200>(d.body)};
  }

  UpdateWorkspaceResponse updateWorkspace(const UpdateWorkspaceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = visible(c, t, request.workspace_id);
      mergePatch(d.body, toJson(request.body));
      auto q = c.prepare("UPDATE workspaces SET name = $1, slug = $2, updated_at = $3 WHERE id = $4");
      q->bind_text(1, d.body["name"].get<std::string>()).bind_text(2, d.body["slug"].get<std::string>());
      q->bind_text(3, s_.clock.nowText()).bind_text(4, d.id);
      try {
        q->run();
      } catch (const storage::Error& e) {
        if (e.is_unique_violation()) conflict("The slug \"" + d.body["slug"].get<std::string>() + "\" is taken.");
        throw;
      }
      s_.audit(c, Tenant{d.id, "live", t.keyId, t.userId}, "workspace.updated", "workspace", d.id, context);
      return visible(c, t, d.id);
    });
    return {reply<UpdateWorkspaceResponse::Status200>(updated.body)};
  }

  DeleteWorkspaceResponse deleteWorkspace(const DeleteWorkspaceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document d = visible(c, t, request.workspace_id);
      if (d.id == t.workspace) conflict("A key cannot delete the workspace it belongs to.");
      if (d.body["owner_id"] != t.userId) fail(403, http::code::kForbidden, "Only the owner can delete a workspace.");
      auto q = c.prepare("DELETE FROM workspaces WHERE id = $1");
      q->bind_text(1, d.id);
      q->run();  // its keys, resources and events go with it (ON DELETE CASCADE)
    });
    return {DeleteWorkspaceResponse::Status204{}};
  }

 private:
  const Services& s_;
};

}  // namespace

std::unique_ptr<WorkspacesHandler> makeWorkspacesHandler(const Services& services) {
  return std::make_unique<Workspaces>(services);
}

}  // namespace tether::sandbox
