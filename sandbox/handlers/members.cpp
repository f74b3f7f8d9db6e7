// Members (tag "Members"): documents of kind "member" in the workspace's live tenant,
// parent = the workspace. A joined member's unique name is its user id (the workspaces
// handler finds a user's workspaces by it); an invitation's is its lowercased email, so
// one address has one pending invitation. The caller must be a member of the workspace
// (else 404) and an owner or admin to change anything; a workspace always keeps an owner.
// Invitations not accepted within 7 days expire (a ticker job).
#include <algorithm>
#include <cctype>

#include "identity_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

constexpr auto kInvitationLifetime = std::chrono::hours(24 * 7);

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return text;
}

// Memberships written before this handler (bootstrap, POST /v1/workspaces) lack the
// invitation fields; they are founders: they invited themselves and joined at creation.
Document normalized(storage::Connection& c, const Tenant& inside, Document member) {
  Json& body = member.body;
  const Json user = body.value("user_id", Json());
  if (!body.contains("email") || !body.contains("name")) {
    std::optional<Document> profile;
    if (user.is_string()) profile = documents::find(c, inside, "user", user.get<std::string>());
    if (!body.contains("email")) {
      const std::string fallback = (user.is_string() ? user.get<std::string>() : member.id) + "@sandbox.example";
      body["email"] = profile ? profile->body.value("email", fallback) : fallback;
    }
    if (!body.contains("name")) body["name"] = profile ? profile->body.value("name", Json()) : Json();
  }
  if (!body.contains("invited_by")) body["invited_by"] = user;
  if (!body.contains("joined_at")) body["joined_at"] = body.value("created_at", Json());
  return member;
}

std::vector<Document> membersOf(storage::Connection& c, const Tenant& inside) {
  std::vector<Document> out;
  for (Document& m : identity::allOf(c, inside, "member", inside.workspace)) out.push_back(normalized(c, inside, m));
  return out;
}

Document memberOf(storage::Connection& c, const Tenant& inside, const std::string& id) {
  Document m = documents::get(c, inside, "member", id);
  if (m.parent != inside.workspace) notFound("member \"" + id + "\"");
  return normalized(c, inside, m);
}

std::int64_t activeOwners(storage::Connection& c, const Tenant& inside) {
  std::int64_t owners = 0;
  for (const Document& m : identity::allOf(c, inside, "member", inside.workspace)) {
    if (identity::roleOf(m) == "owner" && m.status.value_or("") == "active") ++owners;
  }
  return owners;
}

// Whatever touches an owner (inviting one, promoting to or demoting from owner, removing
// one) is for owners only.
void requireOwnerFor(const Document& caller, const std::string& what) {
  if (identity::roleOf(caller) != "owner") {
    fail(403, http::code::kForbidden, "Only an owner can " + what + ".");
  }
}

// The last active owner can be neither demoted nor removed.
void keepAnOwner(storage::Connection& c, const Tenant& inside, const Document& target, const std::string& what) {
  if (identity::roleOf(target) == "owner" && target.status.value_or("") == "active" && activeOwners(c, inside) <= 1) {
    conflict("The member is the workspace's last owner; it cannot be " + what + ". Make someone else an owner first.");
  }
}

class Members final : public MembersHandler {
 public:
  explicit Members(const Services& services) : s_(services) {
    s_.ticker.add("members.expire_invitations", [this] { expireInvitations(); });
  }

  ListMembersResponse listMembers(const ListMembersRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "member");
    if (request.status) query.status = text(*request.status);
    if (request.role) query.bodyEquals.emplace_back("role", text(*request.role));
    const Tenant t = tenantOf(context);
    Page page = s_.db.with([&](storage::Connection& c) {
      identity::membershipOf(c, request.workspace_id, t);
      return documents::paginate(membersOf(c, identity::membersTenant(request.workspace_id, t)), query);
    });
    return {reply<ListMembersResponse::Status200>(page.json())};
  }

  InviteMemberResponse inviteMember(const InviteMemberRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string role = request.body.role ? text(*request.body.role) : "member";
    const std::string email = lowercase(request.body.email);
    Document invitation = s_.db.transact([&](storage::Connection& c) {
      const Document caller = identity::membershipOf(c, request.workspace_id, t);
      identity::requireManager(caller, "invite members");
      if (role == "owner") requireOwnerFor(caller, "invite an owner");
      const Tenant inside = identity::membersTenant(request.workspace_id, t);
      for (const Document& m : membersOf(c, inside)) {
        if (lowercase(m.body.value("email", "")) != email) continue;
        if (m.status.value_or("") != "expired") {
          conflict("\"" + email + "\" is already " + (m.status == "active" ? "a member" : "invited") + ".");
        }
        documents::remove(c, inside, "member", m.id);  // re-inviting replaces an expired invitation
      }
      Document d = newInvitation(inside, email, role, t.userId);
      documents::insert(c, inside, d);
      const Tenant auditTenant{request.workspace_id, t.mode, t.keyId, t.userId};
      identity::auditWith(s_, c, auditTenant, "member.invited", "member", d.id, context,
                          {{"email", email}, {"role", role}});
      s_.emit(c, auditTenant, "member.invited", {{"object", d.body}, {"previous_attributes", nullptr}});
      return d;
    });
    return {reply<InviteMemberResponse::Status201>(invitation.body)};
  }

  GetMemberResponse getMember(const GetMemberRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document member = s_.db.with([&](storage::Connection& c) {
      identity::membershipOf(c, request.workspace_id, t);
      return memberOf(c, identity::membersTenant(request.workspace_id, t), request.member_id);
    });
    return {reply<GetMemberResponse::Status200>(member.body)};
  }

  UpdateMemberRoleResponse updateMemberRole(const UpdateMemberRoleRequest& request,
                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string role = text(request.body.role);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      const Document caller = identity::membershipOf(c, request.workspace_id, t);
      identity::requireManager(caller, "change roles");
      const Tenant inside = identity::membersTenant(request.workspace_id, t);
      Document target = memberOf(c, inside, request.member_id);
      const std::string previous = identity::roleOf(target);
      if (previous == role) return target;
      if (previous == "owner" || role == "owner") requireOwnerFor(caller, "change an owner's role or make an owner");
      keepAnOwner(c, inside, target, "demoted");
      target.body["role"] = role;
      target.updatedAt = s_.clock.nowText();
      target.body["updated_at"] = target.updatedAt;
      documents::update(c, inside, target);
      const Tenant auditTenant{request.workspace_id, t.mode, t.keyId, t.userId};
      identity::auditWith(s_, c, auditTenant, "member.role_changed", "member", target.id, context,
                          {{"email", target.body["email"]}, {"old_role", previous}, {"new_role", role}});
      s_.emit(c, auditTenant, "member.role_changed",
              {{"object", target.body}, {"previous_attributes", {{"role", previous}}}});
      return target;
    });
    return {reply<UpdateMemberRoleResponse::Status200>(updated.body)};
  }

  RemoveMemberResponse removeMember(const RemoveMemberRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      const Document caller = identity::membershipOf(c, request.workspace_id, t);
      identity::requireManager(caller, "remove members");
      const Tenant inside = identity::membersTenant(request.workspace_id, t);
      Document target = memberOf(c, inside, request.member_id);
      if (identity::roleOf(target) == "owner") requireOwnerFor(caller, "remove an owner");
      keepAnOwner(c, inside, target, "removed");
      documents::remove(c, inside, "member", target.id);
      if (target.body["user_id"].is_string()) revokeKeysOf(c, request.workspace_id, target.body["user_id"]);
      const Tenant auditTenant{request.workspace_id, t.mode, t.keyId, t.userId};
      identity::auditWith(s_, c, auditTenant, "member.removed", "member", target.id, context,
                          {{"email", target.body["email"]}, {"role", identity::roleOf(target)},
                           {"status", target.body["status"]}});
      s_.emit(c, auditTenant, "member.removed", {{"object", target.body}, {"previous_attributes", nullptr}});
    });
    return {RemoveMemberResponse::Status204{}};
  }

 private:
  Document newInvitation(const Tenant& inside, const std::string& email, const std::string& role,
                         const std::string& invitedBy) const {
    const std::string now = s_.clock.nowText();
    Document d;
    d.id = newId("mem_");
    d.kind = "member";
    d.parent = inside.workspace;
    d.name = email;
    d.uniqueName = email;
    d.status = "invited";
    d.createdAt = d.updatedAt = now;
    d.body = {{"id", d.id},         {"workspace_id", inside.workspace}, {"user_id", nullptr},
              {"email", email},     {"name", nullptr},                  {"role", role},
              {"status", "invited"}, {"invited_by", invitedBy},          {"joined_at", nullptr},
              {"created_at", now},  {"updated_at", now}};
    return d;
  }

  // A removed member's keys in the workspace stop working at once.
  void revokeKeysOf(storage::Connection& c, const std::string& workspace, const std::string& user) const {
    auto q = c.prepare(
        "UPDATE api_keys SET revoked_at = $1, updated_at = $1 WHERE workspace_id = $2 AND created_by = $3 AND"
        " revoked_at IS NULL");
    q->bind_text(1, s_.clock.nowText()).bind_text(2, workspace).bind_text(3, user);
    q->run();
  }

  // invited → expired after 7 days. Idempotent: a replica that loses the race re-reads an
  // `expired` row and the conditional status check skips it.
  void expireInvitations() const {
    s_.db.transact([&](storage::Connection& c) {
      Clock::time_point cutoffTime = s_.clock.now() - kInvitationLifetime;
      const std::string cutoff = Clock::format(cutoffTime);
      for (auto& [tenant, invitation] : documents::byStatus(c, "member", "invited", 100)) {
        if (invitation.createdAt > cutoff) continue;
        std::optional<Document> current = documents::find(c, tenant, "member", invitation.id);
        if (!current || current->status != "invited") continue;
        current->status = "expired";
        current->body["status"] = "expired";
        current->updatedAt = s_.clock.nowText();
        current->body["updated_at"] = current->updatedAt;
        documents::update(c, tenant, *current);
      }
    });
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<MembersHandler> makeMembersHandler(const Services& services) {
  return std::make_unique<Members>(services);
}

}  // namespace tether::sandbox
