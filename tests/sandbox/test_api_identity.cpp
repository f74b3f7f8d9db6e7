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

TEST_P(IdentityTest, RevokingTheKeyRevokesItsTokens) {
  http::Response made = call("POST", "/v1/api-keys",
                             Json{{"name", "minter"}, {"scopes", {"projects:read", "access_tokens:write"}}});
  ASSERT_EQ(made.status, 201) << made.body;
  Json token = mint(Json{{"scopes", {"projects:read"}}}, json(made)["secret"].get<std::string>());
  const std::string bearer = token["token"];
  ASSERT_EQ(call("GET", "/v1/projects", {}, {}, bearer).status, 200);
  ASSERT_EQ(call("DELETE", "/v1/api-keys/" + json(made)["id"].get<std::string>()).status, 204);
  EXPECT_EQ(call("GET", "/v1/projects", {}, {}, bearer).status, 401);
  EXPECT_EQ(json(call("GET", "/v1/access-tokens/" + token["id"].get<std::string>()))["status"], "revoked");
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
  // The same address twice is a conflict, whatever its case; so is a member's own.
  EXPECT_EQ(call("POST", membersPath(), Json{{"email", "dev@example.com"}}).status, 409);
  EXPECT_EQ(call("POST", membersPath(), Json{{"email", "admin@sandbox.example"}}).status, 409);

  http::Response promoted = call("PATCH", membersPath() + "/" + id, Json{{"role", "admin"}});
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(json(promoted)["role"], "admin");
  EXPECT_EQ(json(call("GET", membersPath() + "/" + id))["role"], "admin");
  EXPECT_EQ(json(call("GET", membersPath() + "?role=admin"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", membersPath() + "?status=invited"))["data"].size(), 1u);

  EXPECT_EQ(call("DELETE", membersPath() + "/" + id).status, 204);
  EXPECT_EQ(call("GET", membersPath() + "/" + id).status, 404);
  for (const char* type : {"member.invited", "member.role_changed", "member.removed"}) {
    Json events = json(call("GET", std::string("/v1/events?type=") + type))["data"];
    ASSERT_EQ(events.size(), 1u) << type;
    EXPECT_EQ(events[0]["data"]["object"]["id"], id) << type;
  }
  EXPECT_EQ(json(call("GET", "/v1/events?type=member.role_changed"))["data"][0]["data"]["previous_attributes"]["role"],
            "member");
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

// ---- formats (issue 19) ----------------------------------------------------------------
// The spec declares `format: email` with the maxLength it implies (254): the generated glue
// refuses a request that breaks either before the handler runs, as a 422 naming the member.

TEST_P(IdentityTest, AnInvitationToWhatIsNotAnEmailAddressIsRefused) {
  http::Response bad = call("POST", membersPath(), Json{{"email", "not-an-email"}});
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(bad.contentType, "application/problem+json");
  EXPECT_EQ(json(bad)["errors"][0]["pointer"], "/email") << bad.body;
  EXPECT_EQ(json(bad)["errors"][0]["message"], "string is not a valid \"email\"") << bad.body;
  // A megabyte that ends like an address (the body stays under the 1 MiB body limit).
  http::Response huge = call("POST", membersPath(), Json{{"email", std::string(1'000'000, 'a') + "@example.com"}});
  ASSERT_EQ(huge.status, 422) << huge.body.substr(0, 300);
  EXPECT_EQ(json(huge)["errors"][0]["pointer"], "/email");
  EXPECT_EQ(json(call("GET", membersPath()))["data"].size(), 1u);  // only the owner
}

TEST_P(IdentityTest, AParameterThatBreaksItsFormatIsA400NamingIt) {
  // Idempotency-Key is `format: uuid`.
  http::Response bad = call("POST", "/v1/projects", Json{{"name", "web"}}, {{"Idempotency-Key", "not-a-uuid"}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.contentType, "application/problem+json");
  const std::string detail = json(bad)["detail"];
  EXPECT_NE(detail.find("header parameter \"Idempotency-Key\""), std::string::npos) << detail;
  EXPECT_NE(detail.find("\"uuid\""), std::string::npos) << detail;
  EXPECT_EQ(call("POST", "/v1/projects", Json{{"name", "web"}}, {{"Idempotency-Key", "5f0c8a4e-3b7d-4f7e-9a51-2c6d8e1b7f03"}})
                .status,
            201);
}

// A sandbox configured not to assert formats (Config::assertFormats, --no-format-assertion)
// takes any string where a format is declared; the other keywords still hold.
class AnyFormatIdentityTest : public IdentityTest {
  void configure(Config& config) override { config.assertFormats = false; }
};

TEST_P(AnyFormatIdentityTest, AcceptsWhatIsNotAnEmailAddressButNotWhatIsTooLong) {
  http::Response accepted = call("POST", membersPath(), Json{{"email", "not-an-email"}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(json(accepted)["email"], "not-an-email");
  http::Response huge = call("POST", membersPath(), Json{{"email", std::string(255, 'a')}});
  EXPECT_EQ(huge.status, 422) << huge.body;
}

class WeekPerSecondIdentityTest : public IdentityTest {
  double clockSpeed() const override { return 2'000'000.0; }  // a week in about 0.3 s
};

TEST_P(WeekPerSecondIdentityTest, AnUnansweredInvitationExpiresAndCanBeRenewed) {
  Json member = json(call("POST", membersPath(), Json{{"email", "late@example.com"}}));
  const std::string id = member["id"];
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  sandbox_->tick();
  http::Response expired = call("GET", membersPath() + "/" + id);
  ASSERT_EQ(expired.status, 200) << expired.body;
  EXPECT_EQ(json(expired)["status"], "expired");
  // Re-inviting replaces the expired invitation.
  http::Response renewed = call("POST", membersPath(), Json{{"email", "late@example.com"}});
  ASSERT_EQ(renewed.status, 201) << renewed.body;
  EXPECT_EQ(json(renewed)["status"], "invited");
  EXPECT_EQ(call("GET", membersPath() + "/" + id).status, 404);
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
  EXPECT_EQ(call("GET", log + "?until=tomorrow").status, 400);
  EXPECT_EQ(json(call("GET", log + "?limit=2"))["meta"]["has_more"], true);

  Json changed = json(call("GET", log + "?action=member.role_changed"))["data"];
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0]["metadata"], Json({{"email", "audit@example.com"}, {"old_role", "member"}, {"new_role", "admin"}}));
  EXPECT_EQ(invited[0]["metadata"]["role"], "member");

  http::Response one = call("GET", log + "/" + invited[0]["id"].get<std::string>());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json(one)["action"], "member.invited");
  EXPECT_EQ(call("GET", log + "/aud_000000000000000000000000").status, 404);
  EXPECT_EQ(call("GET", "/v1/workspaces/ws_000000000000000000000000/audit-log").status, 404);
  EXPECT_EQ(call("GET", log, {}, {}, keyWith({"projects:read"})).status, 403);
}

// ---- billing -------------------------------------------------------------------------

TEST_P(IdentityTest, ThePlanShowsLimitsAndCurrentCounts) {
  ASSERT_EQ(call("POST", "/v1/projects", Json{{"name", "web"}}).status, 201);
  ASSERT_EQ(call("POST", "/v1/projects", Json{{"name", "api"}}).status, 201);
  ASSERT_EQ(call("POST", membersPath(), Json{{"email", "seat@example.com"}}).status, 201);
  http::Response r = call("GET", "/v1/billing/plan");
  ASSERT_EQ(r.status, 200) << r.body;
  Json plan = json(r);
  EXPECT_EQ(plan["plan"], "pro");  // the bootstrap workspace's plan
  EXPECT_EQ(plan["rate_limit"]["requests"], 100);
  EXPECT_EQ(plan["rate_limit"]["window_seconds"], 60);
  EXPECT_EQ(plan["rate_limit"]["policy"], "\"default\";q=100;w=60");
  EXPECT_EQ(plan["limits"]["projects"], 20);
  EXPECT_EQ(plan["usage"]["projects"], 2);
  EXPECT_EQ(plan["usage"]["members"], 2);  // the owner and the pending invitation
  EXPECT_EQ(plan["usage"]["services"], 0);
  EXPECT_FALSE(plan["features"].empty());
  // Counts are per mode: a test key sees its own (empty) world.
  EXPECT_EQ(json(call("GET", "/v1/billing/plan", {}, {}, keyWith({"admin"}, "test")))["usage"]["projects"], 0);
  EXPECT_EQ(call("GET", "/v1/billing/plan", {}, {}, keyWith({"projects:read"})).status, 403);
}

TEST_P(IdentityTest, UsageCoversTheCurrentPeriodByResource) {
  http::Response r = call("GET", "/v1/usage");
  ASSERT_EQ(r.status, 200) << r.body;
  Json usage = json(r);
  EXPECT_EQ(usage["currency"], "USD");
  EXPECT_LT(usage["period_start"].get<std::string>(), usage["period_end"].get<std::string>());
  EXPECT_EQ(usage["period_start"].get<std::string>().substr(8, 2), "01");  // a calendar month
  EXPECT_TRUE(usage["items"].empty());
  EXPECT_EQ(usage["total_cents"], 0);

  EXPECT_EQ(call("GET", "/v1/usage?project_id=prj_000000000000000000000000").status, 400);  // no 404 is documented

  // Billable resources appear as items (when the services handler is there to make one).
  Json project = json(call("POST", "/v1/projects", Json{{"name", "shop"}}));
  Json body = {{"type", "web_service"},
               {"name", "web"},
               {"environment_id", project["environment_ids"][0]},
               {"source", {{"url", "https://github.com/acme/shop"}, {"branch", "main"}}},
               {"region", "fra1"},
               {"start_command", "./server"}};
  http::Response service = call("POST", "/v1/projects/" + project["id"].get<std::string>() + "/services", body);
  if (service.status != 201) GTEST_SKIP() << "services cannot be created here: " << service.body;
  {
    Json items = json(call("GET", "/v1/usage?resource_type=services"))["items"];
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0]["resource_id"], json(service)["id"]);
    EXPECT_EQ(items[0]["resource_name"], "web");
    EXPECT_EQ(items[0]["unit"], "service_hours");
    EXPECT_TRUE(json(call("GET", "/v1/usage?resource_type=databases"))["items"].empty());
    Json byProject = json(call("GET", "/v1/usage?project_id=" + project["id"].get<std::string>()));
    EXPECT_EQ(byProject["items"].size(), 1u);
  }
}

TEST_P(IdentityTest, InvoicesAreAStableHistoryAndACurrentDraft) {
  http::Response r = call("GET", "/v1/billing/invoices");
  ASSERT_EQ(r.status, 200) << r.body;
  Json invoices = json(r)["data"];
  ASSERT_EQ(invoices.size(), 4u);
  EXPECT_EQ(invoices[0]["status"], "draft");  // newest first
  EXPECT_TRUE(invoices[0]["pdf_url"].is_null());
  EXPECT_EQ(invoices[1]["status"], "open");
  EXPECT_EQ(invoices[2]["status"], "paid");
  for (const Json& invoice : invoices) {
    EXPECT_EQ(invoice["id"].get<std::string>().rfind("inv_", 0), 0u);
    EXPECT_EQ(invoice["total_cents"], invoice["subtotal_cents"].get<std::int64_t>() + invoice["tax_cents"].get<std::int64_t>());
    std::int64_t lines = 0;
    for (const Json& line : invoice["lines"]) lines += line["amount_cents"].get<std::int64_t>();
    EXPECT_EQ(lines, invoice["subtotal_cents"]);
  }
  // The same history on every call.
  EXPECT_EQ(json(call("GET", "/v1/billing/invoices"))["data"][2], invoices[2]);
  EXPECT_EQ(json(call("GET", "/v1/billing/invoices?status=paid"))["data"].size(), 2u);
  Json page = json(call("GET", "/v1/billing/invoices?limit=3"));
  EXPECT_EQ(page["data"].size(), 3u);
  EXPECT_EQ(page["meta"]["has_more"], true);

  http::Response one = call("GET", "/v1/billing/invoices/" + invoices[1]["id"].get<std::string>());
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json(one), invoices[1]);
  EXPECT_EQ(call("GET", "/v1/billing/invoices/inv_000000000000000000000000").status, 404);
  // Another mode has its own invoices.
  EXPECT_EQ(call("GET", "/v1/billing/invoices/" + invoices[1]["id"].get<std::string>(), {}, {},
                 keyWith({"admin"}, "test"))
                .status,
            404);
}

// ---- metrics -------------------------------------------------------------------------

TEST_P(IdentityTest, RequestLatencyAndErrorSeriesFollowRangeAndGroupBy) {
  http::Response r = call("GET", "/v1/metrics/requests?range=1h");
  ASSERT_EQ(r.status, 200) << r.body;
  Json requests = json(r);
  EXPECT_EQ(requests["metric"], "requests");
  EXPECT_EQ(requests["unit"], "requests_per_second");
  EXPECT_EQ(requests["range"], "1h");
  EXPECT_EQ(requests["step_seconds"], 60);
  EXPECT_TRUE(requests["group_by"].is_null());
  ASSERT_EQ(requests["series"].size(), 1u);
  EXPECT_TRUE(requests["series"][0]["labels"].empty());
  Json points = requests["series"][0]["points"];
  ASSERT_EQ(points.size(), 60u);
  EXPECT_LT(points[0]["timestamp"].get<std::string>(), points[59]["timestamp"].get<std::string>());  // oldest first
  EXPECT_GT(points[0]["value"].get<double>(), 0.0);

  Json project = json(call("POST", "/v1/projects", Json{{"name", "web"}}));
  const std::string projectId = project["id"];
  Json byEnvironment = json(call("GET", "/v1/metrics/latency?range=24h&group_by=environment&project_id=" + projectId));
  EXPECT_EQ(byEnvironment["unit"], "milliseconds");
  EXPECT_EQ(byEnvironment["step_seconds"], 1440);
  ASSERT_EQ(byEnvironment["series"].size(), 1u);
  EXPECT_EQ(byEnvironment["series"][0]["labels"]["environment"], "production");
  Json byRoute = json(call("GET", "/v1/metrics/errors?as=rate&group_by=route"));
  EXPECT_EQ(byRoute["unit"], "errors_per_second");
  EXPECT_EQ(byRoute["series"].size(), 4u);
  EXPECT_EQ(json(call("GET", "/v1/metrics/errors"))["unit"], "ratio");

  // Deterministic: the same window answers the same values (within one step).
  Json again = json(call("GET", "/v1/metrics/requests?range=1h"));
  EXPECT_EQ(again["series"][0]["points"][0]["value"], points[0]["value"].get<double>()) << "unless a step boundary passed";

  EXPECT_EQ(call("GET", "/v1/metrics/requests?project_id=prj_000000000000000000000000").status, 400);  // no 404 is documented
  EXPECT_EQ(call("GET", "/v1/metrics/requests?range=45d").status, 400);
  EXPECT_EQ(call("GET", "/v1/metrics/requests", {}, {}, keyWith({"projects:read"})).status, 403);
}

TEST_P(IdentityTest, AMetricQueryEchoesItsQueryAndGroups) {
  http::Response r = call("POST", "/v1/metrics/query",
                          Json{{"metric", "requests"}, {"range", "30m"}, {"group_by", "status_class"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json result = json(r);
  EXPECT_EQ(result["query"]["aggregation"], "avg");
  EXPECT_EQ(result["query"]["step_seconds"], 30);
  EXPECT_EQ(result["step_seconds"], 30);
  EXPECT_EQ(result["unit"], "requests_per_second");
  ASSERT_EQ(result["series"].size(), 4u);
  EXPECT_EQ(result["series"][0]["labels"]["status_class"], "2xx");
  EXPECT_EQ(result["series"][0]["points"].size(), 60u);
  // 2xx carries most of the traffic.
  EXPECT_GT(result["series"][0]["points"][0]["value"].get<double>(), result["series"][3]["points"][0]["value"].get<double>());

  Json cpu = json(call("POST", "/v1/metrics/query",
                       Json{{"metric", "cpu_percent"}, {"range", "1h"}, {"step_seconds", 600}, {"aggregation", "max"}}));
  EXPECT_EQ(cpu["unit"], "percent");
  EXPECT_EQ(cpu["series"][0]["points"].size(), 6u);

  EXPECT_EQ(call("POST", "/v1/metrics/query", Json{{"metric", "requests"}, {"range", "7d"}, {"step_seconds", 10}}).status,
            422);
  http::Response unknown = call("POST", "/v1/metrics/query",
                                Json{{"metric", "latency"}, {"range", "1h"},
                                     {"filters", {{"project_id", "prj_000000000000000000000000"}}}});
  EXPECT_EQ(unknown.status, 422);  // no 404 is documented: the body names nothing of the workspace
  EXPECT_EQ(json(unknown)["errors"][0]["pointer"], "/filters/project_id");
}

TETHER_SANDBOX_BACKENDS(IdentityTest);
TETHER_SANDBOX_BACKENDS(FastClockIdentityTest);
TETHER_SANDBOX_BACKENDS(WeekPerSecondIdentityTest);
TETHER_SANDBOX_BACKENDS(AnyFormatIdentityTest);

}  // namespace
}  // namespace tether::sandbox::testing
