// The calling user (tag "Users"): the user a credential belongs to, a document of kind
// "user" in the workspace the user was created in.
#include "common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

// Users live in their home workspace's live data, whatever the mode of the key.
Document loadUser(storage::Connection& c, const Tenant& caller) {
  auto q = c.prepare("SELECT workspace_id FROM resources WHERE id = $1 AND kind = 'user'");
  q->bind_text(1, caller.userId);
  if (!q->step()) notFound("user \"" + caller.userId + "\"");
  Tenant home{q->text(0), "live", caller.keyId, caller.userId};
  return documents::get(c, home, "user", caller.userId);
}

// auth_method says how this request authenticated.
Json shown(Document user, const http::Context& context) {
  auto kind = context.attributes.find("credential_kind");
  user.body["auth_method"] = kind != context.attributes.end() ? kind->second : "api_key";
  return user.body;
}

class Users final : public UsersHandler {
 public:
  explicit Users(const Services& services) : s_(services) {}

  GetCurrentUserResponse getCurrentUser(const GetCurrentUserRequest&, http::Context& context) override {
    Document user = s_.db.with([&](storage::Connection& c) { return loadUser(c, tenantOf(context)); });
    return {reply<GetCurrentUserResponse::Status200>(shown(user, context))};
  }

  UpdateCurrentUserResponse updateCurrentUser(const UpdateCurrentUserRequest& request,
                                              http::Context& context) override {
    const Tenant caller = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document user = loadUser(c, caller);
      if (request.body.default_workspace_id && *request.body.default_workspace_id != caller.workspace) {
        // Only a workspace the user belongs to; the caller's own always qualifies.
        auto q = c.prepare(
            "SELECT COUNT(*) FROM resources WHERE kind = 'member' AND workspace_id = $1 AND unique_name = $2");
        q->bind_text(1, *request.body.default_workspace_id).bind_text(2, caller.userId);
        q->step();
        if (q->int64(0) == 0) {
          invalid("/default_workspace_id", "The user is not a member of this workspace.");
        }
      }
      mergePatch(user.body, toJson(request.body));
      user.name = user.body["name"].get<std::string>();
      user.updatedAt = s_.clock.nowText();
      user.body["updated_at"] = user.updatedAt;
      auto q = c.prepare("SELECT workspace_id FROM resources WHERE id = $1 AND kind = 'user'");
      q->bind_text(1, caller.userId);
      q->step();
      documents::update(c, Tenant{q->text(0), "live", caller.keyId, caller.userId}, user);
      return user;
    });
    return {reply<UpdateCurrentUserResponse::Status200>(shown(updated, context))};
  }

  GetAccountResponse getAccount(const GetAccountRequest&, http::Context& context) override {
    // The deprecated alias of GET /v1/users/@me, with its Deprecation, Sunset and Link.
    Document user = s_.db.with([&](storage::Connection& c) { return loadUser(c, tenantOf(context)); });
    auto ok = reply<GetAccountResponse::Status200>(shown(user, context));
    ok.headers.deprecation = "@1762128000";
    ok.headers.sunset = "Wed, 30 Jun 2027 00:00:00 GMT";
    ok.headers.link =
        "</v1/users/@me>; rel=\"successor-version\", <https://docs.cloud.example/changelog#account-endpoint>; "
        "rel=\"deprecation\"";
    return {std::move(ok)};
  }

 private:
  const Services& s_;
};

}  // namespace

std::unique_ptr<UsersHandler> makeUsersHandler(const Services& services) { return std::make_unique<Users>(services); }

}  // namespace tether::sandbox
