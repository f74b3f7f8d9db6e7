// Identity, billing and metrics: access tokens minted from keys, workspace members and
// their roles, the audit log, usage/plan/invoices, and the metric series. Every case runs
// on SQLite and PostgreSQL.
#include <chrono>
#include <thread>

#include "sandbox_fixture.h"

namespace tether::sandbox::testing {
namespace {

class IdentityTest : public SandboxTest {
 protected:
  std::string workspaceId() { return json(call("GET", "/v1/users/@me"))["default_workspace_id"]; }
  std::string membersPath() { return "/v1/workspaces/" + workspaceId() + "/members"; }
  Json mint(const Json& body, const std::optional<std::string>& key = {}) {
    http::Response r = call("POST", "/v1/access-tokens", body, {}, key);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }
};

// ---- access tokens -------------------------------------------------------------------

TEST_P(IdentityTest, AMintedTokenAuthenticatesWithOnlyItsScopes) {
  Json token = mint({{"description", "ci"}, {"scopes", {"projects:read"}}, {"ttl_seconds", 600}});
  EXPECT_EQ(token["id"].get<std::string>().rfind("atk_", 0), 0u);
  EXPECT_EQ(token["status"], "active");
  EXPECT_EQ(token["scopes"], Json({"projects:read"}));
  const std::string bearer = token["token"];
  EXPECT_EQ(std::count(bearer.begin(), bearer.end(), '.'), 2);

  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, bearer).status, 200);
  http::Response beyond = call("POST", "/v1/projects", Json{{"name", "web"}}, {}, bearer);
  EXPECT_EQ(beyond.status, 403) << beyond.body;
  // A token cannot mint another token (and lacks access_tokens:write anyway).
  EXPECT_EQ(call("POST", "/v1/access-tokens", Json::object(), {}, bearer).status, 403);
}

TEST_P(IdentityTest, ATokenCannotCarryMoreThanItsKey) {
  const std::string reader = keyWith({"projects:read", "access_tokens:write", "access_tokens:read"});
  http::Response denied = call("POST", "/v1/access-tokens", Json{{"scopes", {"projects:write"}}}, {}, reader);
  EXPECT_EQ(denied.status, 403) << denied.body;
  // Without scopes the token gets all of the key's.
  Json token = mint(Json::object(), reader);
  EXPECT_EQ(token["scopes"].size(), 3u);
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, token["token"].get<std::string>()).status, 200);
}

TEST_P(IdentityTest, TokensAreListedAndReadWithoutTheirValue) {
  Json first = mint({{"description", "one"}});
  Json second = mint({{"description", "two"}});
  http::Response list = call("GET", "/v1/access-tokens");
  ASSERT_EQ(list.status, 200) << list.body;
  Json data = json(list)["data"];
  ASSERT_EQ(data.size(), 2u);
  EXPECT_TRUE(data[0]["id"] == second["id"] || data[1]["id"] == second["id"]);
  EXPECT_FALSE(data[0].contains("token"));

  http::Response one = call("GET", "/v1/access-tokens/" + first["id"].get<std::string>());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json(one)["description"], "one");
  EXPECT_FALSE(json(one).contains("token"));
  EXPECT_EQ(call("GET", "/v1/access-tokens/atk_000000000000000000000000").status, 404);

  http::Response filtered = call("GET", "/v1/access-tokens?api_key_id=key_000000000000000000000000");
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_TRUE(json(filtered)["data"].empty());
}

TEST_P(IdentityTest, ARevokedTokenAnswers401) {
  Json token = mint({{"scopes", {"projects:read"}}});
  const std::string bearer = token["token"], id = token["id"];
  ASSERT_EQ(call("GET", "/v1/projects", {}, {}, bearer).status, 200);
  EXPECT_EQ(call("DELETE", "/v1/access-tokens/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, bearer).status, 401);
  EXPECT_EQ(json(call("GET", "/v1/access-tokens/" + id))["status"], "revoked");
  EXPECT_EQ(call("DELETE", "/v1/access-tokens/" + id).status, 204);  // idempotent
  EXPECT_EQ(json(call("GET", "/v1/access-tokens?status=revoked"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/access-tokens?status=active"))["data"].size(), 0u);
  EXPECT_EQ(call("DELETE", "/v1/access-tokens/atk_000000000000000000000000").status, 404);
}

TEST_P(IdentityTest, TokensOfAnotherModeOrKeyScopeAreNotFound) {
  Json token = mint(Json::object());
  const std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/access-tokens/" + token["id"].get<std::string>(), {}, {}, testKey).status, 404);
  const std::string noScope = keyWith({"projects:read"});
  EXPECT_EQ(call("GET", "/v1/access-tokens", {}, {}, noScope).status, 403);
}

class FastClockIdentityTest : public IdentityTest {
  double clockSpeed() const override { return 1000.0; }
};

TEST_P(FastClockIdentityTest, AnExpiredTokenAnswers401) {
  Json token = mint({{"ttl_seconds", 60}, {"scopes", {"projects:read"}}});
  // 60 sandbox seconds are 60 ms here.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, token["token"].get<std::string>()).status, 401);
  EXPECT_EQ(json(call("GET", "/v1/access-tokens/" + token["id"].get<std::string>()))["status"], "expired");
}

// ---- members -------------------------------------------------------------------------

TEST_P(IdentityTest, TheBootstrapOwnerIsAMember) {
  http::Response list = call("GET", membersPath());
  ASSERT_EQ(list.status, 200) << list.body;
  Json data = json(list)["data"];
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data[0]["role"], "owner");
  EXPECT_EQ(data[0]["status"], "active");
  EXPECT_EQ(data[0]["email"], "admin@sandbox.example");
  http::Response one = call("GET", membersPath() + "/" + data[0]["id"].get<std::string>());
  EXPECT_EQ(one.status, 200) << one.body;
}

TEST_P(IdentityTest, InviteChangeRoleAndRemove) {
  http::Response invited = call("POST", membersPath(), Json{{"email", "Dev@Example.com"}, {"role", "member"}});
  ASSERT_EQ(invited.status, 201) << invited.body;
  Json member = json(invited);
  const std::string id = member["id"];
  EXPECT_EQ(id.rfind("mem_", 0), 0u);
  EXPECT_EQ(member["status"], "invited");
  EXPECT_EQ(member["email"], "dev@example.com");
  EXPECT_TRUE(member["user_id"].is_null());
  // The same address twice is a conflict, whatever its case.
  EXPECT_EQ(call("POST", membersPath(), Json{{"email", "dev@example.com"}}).status, 409);

  http::Response promoted = call("PATCH", membersPath() + "/" + id, Json{{"role", "admin"}});
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(json(promoted)["role"], "admin");
  EXPECT_EQ(json(call("GET", membersPath() + "/" + id))["role"], "admin");
  EXPECT_EQ(json(call("GET", membersPath() + "?role=admin"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", membersPath() + "?status=invited"))["data"].size(), 1u);

  EXPECT_EQ(call("DELETE", membersPath() + "/" + id).status, 204);
  EXPECT_EQ(call("GET", membersPath() + "/" + id).status, 404);
  EXPECT_EQ(call("DELETE", membersPath() + "/" + id).status, 404);
  EXPECT_EQ(json(call("GET", membersPath()))["data"].size(), 1u);
}

TEST_P(IdentityTest, TheLastOwnerCannotBeDemotedOrRemoved) {
  const std::string owner = json(call("GET", membersPath()))["data"][0]["id"];
  http::Response demoted = call("PATCH", membersPath() + "/" + owner, Json{{"role", "admin"}});
  EXPECT_EQ(demoted.status, 409) << demoted.body;
  EXPECT_EQ(call("DELETE", membersPath() + "/" + owner).status, 409);
  EXPECT_EQ(json(call("GET", membersPath() + "/" + owner))["role"], "owner");
  // An invited owner has not joined yet: it does not count.
  ASSERT_EQ(call("POST", membersPath(), Json{{"email", "co@example.com"}, {"role", "owner"}}).status, 201);
  EXPECT_EQ(call("PATCH", membersPath() + "/" + owner, Json{{"role", "member"}}).status, 409);
}

TEST_P(IdentityTest, MembersOfAnotherWorkspaceAreNotFound) {
  EXPECT_EQ(call("GET", "/v1/workspaces/ws_000000000000000000000000/members").status, 404);
  EXPECT_EQ(call("POST", "/v1/workspaces/ws_000000000000000000000000/members", Json{{"email", "a@example.com"}})
                .status,
            404);
  // A workspace the user also belongs to has its own members; ids do not cross.
  http::Response made = call("POST", "/v1/workspaces", Json{{"name", "Acme"}, {"slug", "acme"}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string other = "/v1/workspaces/" + json(made)["id"].get<std::string>() + "/members";
  http::Response theirs = call("GET", other);
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  ASSERT_EQ(json(theirs)["data"].size(), 1u);
  const std::string foreignMember = json(theirs)["data"][0]["id"];
  EXPECT_EQ(call("GET", membersPath() + "/" + foreignMember).status, 404);
  EXPECT_EQ(call("PATCH", membersPath() + "/" + foreignMember, Json{{"role", "admin"}}).status, 404);
}

TEST_P(IdentityTest, MemberChangesNeedTheMembersWriteScope) {
  const std::string reader = keyWith({"members:read"});
  EXPECT_EQ(call("GET", membersPath(), {}, {}, reader).status, 200);
  EXPECT_EQ(call("POST", membersPath(), Json{{"email", "x@example.com"}}, {}, reader).status, 403);
}

TEST_P(IdentityTest, RemovingAMemberRevokesTheirKeysInTheWorkspace) {
  // Only the bootstrap user can hold keys here, so the effect is seen through an invitation
  // that is removed: the owner's keys must stay valid.
  const std::string key = keyWith({"projects:read"});
  Json member = json(call("POST", membersPath(), Json{{"email", "gone@example.com"}}));
  EXPECT_EQ(call("DELETE", membersPath() + "/" + member["id"].get<std::string>()).status, 204);
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, key).status, 200);
}

// ---- audit log -----------------------------------------------------------------------

TEST_P(IdentityTest, MemberAndTokenChangesAreAudited) {
  const std::string before = json(call("GET", "/v1/users/@me"))["created_at"];
  Json member = json(call("POST", membersPath(), Json{{"email", "audit@example.com"}}));
  const std::string memberId = member["id"];
  ASSERT_EQ(call("PATCH", membersPath() + "/" + memberId, Json{{"role", "admin"}}).status, 200);
  ASSERT_EQ(call("DELETE", membersPath() + "/" + memberId).status, 204);
  Json token = mint(Json::object());
  ASSERT_EQ(call("DELETE", "/v1/access-tokens/" + token["id"].get<std::string>()).status, 204);

  const std::string log = "/v1/workspaces/" + workspaceId() + "/audit-log";
  http::Response all = call("GET", log);
  ASSERT_EQ(all.status, 200) << all.body;
  Json data = json(all)["data"];
  std::vector<std::string> actions;
  for (const Json& e : data) actions.push_back(e["action"]);
  // Entries of the same millisecond may come in either order: compare them sorted.
  std::sort(actions.begin(), actions.end());
  EXPECT_EQ(actions, (std::vector<std::string>{"access_token.created", "access_token.revoked", "member.invited",
                                               "member.removed", "member.role_changed"}));

  Json invited = json(call("GET", log + "?action=member.invited"))["data"];
  ASSERT_EQ(invited.size(), 1u);
  EXPECT_EQ(invited[0]["resource"]["id"], memberId);
  EXPECT_EQ(invited[0]["resource"]["type"], "member");
  EXPECT_EQ(json(call("GET", log + "?resource_id=" + memberId))["data"].size(), 3u);
  EXPECT_EQ(json(call("GET", log + "?since=" + before))["data"].size(), 5u);
  EXPECT_EQ(json(call("GET", log + "?until=" + before))["data"].size(), 0u);
  EXPECT_EQ(json(call("GET", log + "?limit=2"))["meta"]["has_more"], true);

  http::Response one = call("GET", log + "/" + invited[0]["id"].get<std::string>());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json(one)["action"], "member.invited");
  EXPECT_EQ(call("GET", log + "/aud_000000000000000000000000").status, 404);
  EXPECT_EQ(call("GET", "/v1/workspaces/ws_000000000000000000000000/audit-log").status, 404);
  EXPECT_EQ(call("GET", log, {}, {}, keyWith({"projects:read"})).status, 403);
}

TETHER_SANDBOX_BACKENDS(IdentityTest);
TETHER_SANDBOX_BACKENDS(FastClockIdentityTest);

}  // namespace
}  // namespace tether::sandbox::testing
