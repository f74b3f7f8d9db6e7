// Configuration and secrets: environments, environment variables, service variables,
// project secrets, secret bindings and the resolved view. Every case runs on SQLite and
// PostgreSQL. Services are inserted as documents (kind "service", body with project_id
// and environment_id), so these cases do not depend on the Services handler.
#include "app/documents.h"
#include "app/services.h"
#include "sandbox_fixture.h"

namespace tether::sandbox::testing {
namespace {

// Whether a JSON value is a string ending in `tail` (masked values keep their last four).
bool endsWith(const Json& value, const std::string& tail) {
  if (!value.is_string()) return false;
  const std::string text = value.get<std::string>();
  return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

class ConfigTest : public SandboxTest {
 protected:
  // A new project; returns its body.
  Json project(const std::string& name = "web") {
    http::Response r = call("POST", "/v1/projects", Json{{"name", name}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }
  static std::string productionOf(const Json& project) { return project["environment_ids"][0]; }

  std::string environment(const std::string& projectId, const std::string& name, const std::string& kind,
                          bool isProtected = false) {
    http::Response r = call("POST", "/v1/projects/" + projectId + "/environments",
                            Json{{"name", name}, {"kind", kind}, {"protected", isProtected}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r).value("id", "");
  }

  Tenant tenantOf(const Json& project) const {
    return Tenant{project["workspace_id"].get<std::string>(), "live", "", ""};
  }

  // A service document as the Services handler stores it (the members these handlers read).
  std::string service(const Json& project, const std::string& environmentId, const std::string& name = "api") {
    Document d;
    d.id = newId("svc_");
    d.kind = "service";
    d.parent = project["id"].get<std::string>();
    d.name = d.uniqueName = name;
    d.createdAt = d.updatedAt = "2026-01-01T00:00:00Z";
    d.body = {{"id", d.id},     {"name", name}, {"project_id", project["id"]}, {"environment_id", environmentId},
              {"port", 8080}, {"status", "active"}};
    sandbox_->services().db.transact([&](storage::Connection& c) { documents::insert(c, tenantOf(project), d); });
    return d.id;
  }
  void removeService(const Json& project, const std::string& id) {
    sandbox_->services().db.transact(
        [&](storage::Connection& c) { documents::remove(c, tenantOf(project), "service", id); });
  }

  // The stored document (to see what is at rest).
  Document stored(const Json& project, const std::string& kind, const std::string& id) {
    return sandbox_->services().db.with(
        [&](storage::Connection& c) { return documents::get(c, tenantOf(project), kind, id); });
  }

  // Audit entries of an action in the project's workspace.
  std::size_t audited(const Json& project, const std::string& action) {
    ListQuery query;
    query.kind = "audit_log_entry";
    query.status = action;
    query.limit = 100;
    return sandbox_->services().db.with([&](storage::Connection& c) {
      return documents::list(c, tenantOf(project), query).items.size();
    });
  }
};

// ---------------------------------------------------------------- environments

TEST_P(ConfigTest, EnvironmentsLiveThroughCreateGetUpdateListDelete) {
  Json p = project();
  const std::string pid = p["id"];
  http::Response list = call("GET", "/v1/projects/" + pid + "/environments");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(json(list)["data"].size(), 1u);
  EXPECT_EQ(json(list)["data"][0]["kind"], "production");
  EXPECT_EQ(json(list)["data"][0]["protected"], true);

  http::Response created = call("POST", "/v1/projects/" + pid + "/environments",
                                Json{{"name", "staging"}, {"kind", "staging"}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json staging = json(created);
  const std::string sid = staging["id"];
  EXPECT_EQ(sid.rfind("env_", 0), 0u);
  // Made under the project, it lives at the top: that is where Location points.
  EXPECT_EQ(created.headers.get("Location"), "/v1/environments/" + sid);
  EXPECT_EQ(staging["project_id"], pid);
  EXPECT_EQ(staging["protected"], false);
  EXPECT_EQ(staging["service_count"], 0);
  // The project lists it.
  Json after = json(call("GET", "/v1/projects/" + pid));
  EXPECT_EQ(after["environment_ids"].size(), 2u);
  EXPECT_NE(std::find(after["environment_ids"].begin(), after["environment_ids"].end(), sid),
            after["environment_ids"].end());

  // Names are unique per project, and there is one production.
  EXPECT_EQ(call("POST", "/v1/projects/" + pid + "/environments", Json{{"name", "staging"}, {"kind", "development"}})
                .status,
            409);
  EXPECT_EQ(call("POST", "/v1/projects/" + pid + "/environments", Json{{"name", "prod2"}, {"kind", "production"}})
                .status,
            409);
  // The same name in another project is fine.
  Json other = project("other");
  EXPECT_EQ(call("POST", "/v1/projects/" + std::string(other["id"]) + "/environments",
                 Json{{"name", "staging"}, {"kind", "staging"}})
                .status,
            201);

  EXPECT_EQ(json(call("GET", "/v1/environments/" + sid))["name"], "staging");
  http::Response renamed = call("PATCH", "/v1/environments/" + sid, Json{{"name", "qa"}, {"protected", true}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json(renamed)["name"], "qa");
  EXPECT_EQ(json(renamed)["protected"], true);
  EXPECT_EQ(json(renamed)["kind"], "staging");
  EXPECT_EQ(call("PATCH", "/v1/environments/" + sid, Json{{"name", "production"}}).status, 409);

  environment(pid, "pr-1", "preview");
  http::Response previews = call("GET", "/v1/projects/" + pid + "/environments?kind=preview");
  ASSERT_EQ(previews.status, 200) << previews.body;
  ASSERT_EQ(json(previews)["data"].size(), 1u);
  EXPECT_EQ(json(previews)["data"][0]["name"], "pr-1");
  EXPECT_EQ(json(call("GET", "/v1/projects/" + pid + "/environments"))["data"].size(), 3u);

  EXPECT_EQ(call("DELETE", "/v1/environments/" + productionOf(p)).status, 409);
  EXPECT_EQ(call("DELETE", "/v1/environments/" + sid).status, 204);
  EXPECT_EQ(call("GET", "/v1/environments/" + sid).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/environments/" + sid).status, 404);
  EXPECT_EQ(json(call("GET", "/v1/projects/" + pid))["environment_ids"].size(), 2u);
  EXPECT_EQ(call("GET", "/v1/projects/prj_000000000000000000000000/environments").status, 404);
  EXPECT_EQ(call("POST", "/v1/projects/prj_000000000000000000000000/environments",
                 Json{{"name", "x"}, {"kind", "staging"}})
                .status,
            404);
}

TEST_P(ConfigTest, AnEnvironmentWithServicesCannotBeDeletedAndCountsThem) {
  Json p = project();
  const std::string staging = environment(p["id"], "staging", "staging");
  const std::string svc = service(p, staging);
  EXPECT_EQ(json(call("GET", "/v1/environments/" + staging))["service_count"], 1);
  EXPECT_EQ(json(call("GET", "/v1/environments/" + productionOf(p)))["service_count"], 0);
  http::Response refused = call("DELETE", "/v1/environments/" + staging);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(json(refused)["code"], "CONFLICT");
  removeService(p, svc);
  EXPECT_EQ(json(call("GET", "/v1/environments/" + staging))["service_count"], 0);
  EXPECT_EQ(call("DELETE", "/v1/environments/" + staging).status, 204);
}

// The same through the Services API: what it stores is what these handlers read.
TEST_P(ConfigTest, ServicesCreatedThroughTheApiAreCountedAndResolved) {
  Json p = project();
  const std::string pid = p["id"];
  const std::string staging = environment(pid, "staging", "staging");
  http::Response created = call("POST", "/v1/projects/" + pid + "/services",
                                Json{{"type", "web_service"},
                                     {"name", "api"},
                                     {"environment_id", staging},
                                     {"source", {{"url", "https://github.com/acme/shop"}, {"branch", "main"}}},
                                     {"region", "fra1"},
                                     {"start_command", "./server"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string svc = json(created)["id"];
  EXPECT_EQ(json(call("GET", "/v1/environments/" + staging))["service_count"], 1);
  EXPECT_EQ(call("DELETE", "/v1/environments/" + staging).status, 409);
  ASSERT_EQ(call("POST", "/v1/services/" + svc + "/env-vars", Json{{"key", "A"}, {"value", "1"}, {"secret", false}})
                .status,
            201);
  http::Response resolved = call("GET", "/v1/services/" + svc + "/resolved-env");
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(json(resolved)["environment_id"], staging);
  EXPECT_NE(resolved.body.find("\"A\""), std::string::npos);
}

TEST_P(ConfigTest, DeletingAnEnvironmentTakesItsVariablesAndScopedSecrets) {
  Json p = project();
  const std::string pid = p["id"];
  const std::string staging = environment(pid, "staging", "staging");
  ASSERT_EQ(call("POST", "/v1/environments/" + staging + "/variables", Json{{"key", "A"}, {"value", "1"}}).status, 201);
  http::Response scoped = call("POST", "/v1/projects/" + pid + "/secrets",
                               Json{{"name", "TOKEN"}, {"value", "scoped-value-1234"}, {"environment_id", staging}});
  ASSERT_EQ(scoped.status, 201) << scoped.body;
  http::Response wide =
      call("POST", "/v1/projects/" + pid + "/secrets", Json{{"name", "TOKEN"}, {"value", "project-value-1234"}});
  ASSERT_EQ(wide.status, 201) << wide.body;
  ASSERT_EQ(call("DELETE", "/v1/environments/" + staging).status, 204);
  EXPECT_EQ(call("GET", "/v1/secrets/" + std::string(json(scoped)["id"])).status, 404);
  EXPECT_EQ(call("GET", "/v1/secrets/" + std::string(json(wide)["id"])).status, 200);
  EXPECT_EQ(call("GET", "/v1/environments/" + staging + "/variables/A").status, 404);
}

TEST_P(ConfigTest, OtherWorkspacesAndTestModeDoNotSeeEnvironments) {
  Json p = project();
  const std::string staging = environment(p["id"], "staging", "staging");
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/environments/" + staging, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/environments/" + staging, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("GET", "/v1/environments/" + staging + "/variables", {}, {}, testKey).status, 404);
  std::string reader = keyWith({"environments:read"});
  EXPECT_EQ(call("GET", "/v1/environments/" + staging, {}, {}, reader).status, 200);
  EXPECT_EQ(call("PATCH", "/v1/environments/" + staging, Json{{"protected", true}}, {}, reader).status, 403);
}

// ---------------------------------------------------------------- environment variables

TEST_P(ConfigTest, EnvironmentVariablesLiveThroughCreateGetUpdateListDelete) {
  Json p = project();
  const std::string env = environment(p["id"], "staging", "staging");
  const std::string base = "/v1/environments/" + env + "/variables";
  http::Response created = call("POST", base, Json{{"key", "FEATURE_X"}, {"value", "on"}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json(created)["key"], "FEATURE_X");
  EXPECT_EQ(json(created)["value"], "on");
  EXPECT_EQ(json(created)["environment_id"], env);
  EXPECT_EQ(call("POST", base, Json{{"key", "FEATURE_X"}, {"value", "off"}}).status, 409);
  ASSERT_EQ(call("POST", base, Json{{"key", "FEATURE_Y"}, {"value", "1"}}).status, 201);
  ASSERT_EQ(call("POST", base, Json{{"key", "LOG_LEVEL"}, {"value", "info"}}).status, 201);

  EXPECT_EQ(json(call("GET", base))["data"].size(), 3u);
  http::Response features = call("GET", base + "?key_prefix=FEATURE_");
  ASSERT_EQ(features.status, 200) << features.body;
  EXPECT_EQ(json(features)["data"].size(), 2u);
  Json page = json(call("GET", base + "?limit=2"));
  EXPECT_EQ(page["data"].size(), 2u);
  EXPECT_EQ(page["meta"]["has_more"], true);

  EXPECT_EQ(json(call("GET", base + "/LOG_LEVEL"))["value"], "info");
  http::Response updated = call("PATCH", base + "/LOG_LEVEL", Json{{"value", "debug"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(json(updated)["value"], "debug");
  EXPECT_EQ(json(call("GET", base + "/LOG_LEVEL"))["value"], "debug");

  EXPECT_EQ(call("DELETE", base + "/LOG_LEVEL").status, 204);
  EXPECT_EQ(call("GET", base + "/LOG_LEVEL").status, 404);
  EXPECT_EQ(call("DELETE", base + "/LOG_LEVEL").status, 404);
  EXPECT_EQ(call("PATCH", base + "/LOG_LEVEL", Json{{"value", "x"}}).status, 404);
  EXPECT_EQ(call("GET", "/v1/environments/env_000000000000000000000000/variables").status, 404);
  EXPECT_EQ(call("POST", "/v1/environments/env_000000000000000000000000/variables", Json{{"key", "A"}, {"value", "1"}})
                .status,
            404);
  // Keys are per environment.
  const std::string production = "/v1/environments/" + productionOf(p) + "/variables";
  EXPECT_EQ(call("POST", production, Json{{"key", "FEATURE_X"}, {"value", "off"}}).status, 201);
}

TEST_P(ConfigTest, AProtectedEnvironmentsVariablesChangeOnlyWithAdmin) {
  Json p = project();
  const std::string production = productionOf(p);  // protected by default
  const std::string base = "/v1/environments/" + production + "/variables";
  std::string writer = keyWith({"write"});
  http::Response denied = call("POST", base, Json{{"key", "A"}, {"value", "1"}}, {}, writer);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(json(denied)["code"], "FORBIDDEN");
  ASSERT_EQ(call("POST", base, Json{{"key", "A"}, {"value", "1"}}).status, 201);  // the admin key
  EXPECT_EQ(call("PATCH", base + "/A", Json{{"value", "2"}}, {}, writer).status, 403);
  EXPECT_EQ(call("DELETE", base + "/A", {}, {}, writer).status, 403);
  EXPECT_EQ(call("GET", base + "/A", {}, {}, writer).status, 200);  // reading is not restricted
  // Unprotected, the same key may change them.
  ASSERT_EQ(call("PATCH", "/v1/environments/" + production, Json{{"protected", false}}).status, 200);
  EXPECT_EQ(call("PATCH", base + "/A", Json{{"value", "3"}}, {}, writer).status, 200);
  EXPECT_EQ(call("DELETE", base + "/A", {}, {}, writer).status, 204);
}

// ---------------------------------------------------------------- service variables

TEST_P(ConfigTest, ServiceVariablesAreMaskedSealedAndRevealedWithAudit) {
  Json p = project();
  const std::string svc = service(p, productionOf(p));
  const std::string base = "/v1/services/" + svc + "/env-vars";
  const std::string secretValue = "postgres://user:pw@db/3f9a";
  http::Response created = call("POST", base, Json{{"key", "DATABASE_URL"}, {"value", secretValue}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json v = json(created);
  EXPECT_EQ(v["secret"], true);  // the default
  EXPECT_EQ(v["masked"], true);
  const std::string masked = v["value"];
  EXPECT_EQ(masked.substr(masked.size() - 4), "3f9a");
  EXPECT_EQ(masked.find("postgres"), std::string::npos);
  EXPECT_EQ(masked.rfind("•", 0), 0u);
  // At rest: only sealed, never in the body.
  http::Response short_ = call("POST", base, Json{{"key", "PIN"}, {"value", "1234"}});
  ASSERT_EQ(short_.status, 201);
  EXPECT_EQ(json(short_)["value"].get<std::string>().find("1234"), std::string::npos);  // wholly masked
  ASSERT_EQ(call("POST", base, Json{{"key", "LOG_LEVEL"}, {"value", "info"}, {"secret", false}}).status, 201);
  EXPECT_EQ(call("POST", base, Json{{"key", "LOG_LEVEL"}, {"value", "x"}}).status, 409);

  Json all = json(call("GET", base));
  EXPECT_EQ(all["data"].size(), 3u);
  EXPECT_EQ(all.dump().find(secretValue), std::string::npos);
  Json secrets = json(call("GET", base + "?secret=true"));
  EXPECT_EQ(secrets["data"].size(), 2u);
  Json plain = json(call("GET", base + "?secret=false"));
  ASSERT_EQ(plain["data"].size(), 1u);
  EXPECT_EQ(plain["data"][0]["value"], "info");
  EXPECT_EQ(plain["data"][0]["masked"], false);
  EXPECT_EQ(json(call("GET", base + "/DATABASE_URL"))["value"], masked);

  // Reveal needs secrets:reveal (write does not imply it) and is audited.
  std::string writer = keyWith({"write"});
  EXPECT_EQ(call("POST", base + "/DATABASE_URL/reveal", {}, {}, writer).status, 403);
  EXPECT_EQ(call("POST", base + "/reveal", {}, {}, writer).status, 403);
  const std::size_t before = audited(p, "service_env_var.revealed");
  http::Response one = call("POST", base + "/DATABASE_URL/reveal");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(json(one)["value"], secretValue);
  EXPECT_EQ(json(one)["masked"], false);
  std::string revealer = keyWith({"secrets:reveal"});
  http::Response every = call("POST", base + "/reveal", {}, {}, revealer);
  ASSERT_EQ(every.status, 200) << every.body;
  Json revealed = json(every)["data"];
  ASSERT_EQ(revealed.size(), 3u);
  EXPECT_EQ(revealed[0]["key"], "DATABASE_URL");  // by key
  EXPECT_EQ(revealed[0]["value"], secretValue);
  EXPECT_EQ(revealed[2]["key"], "PIN");
  EXPECT_EQ(revealed[2]["value"], "1234");
  EXPECT_EQ(audited(p, "service_env_var.revealed"), before + 2);
  EXPECT_EQ(call("POST", base + "/NOPE/reveal").status, 404);
  EXPECT_EQ(call("POST", "/v1/services/svc_000000000000000000000000/env-vars/reveal").status, 404);
}

TEST_P(ConfigTest, ServiceVariablesUpdateAndNeverBecomePlainAgain) {
  Json p = project();
  const std::string svc = service(p, productionOf(p));
  const std::string base = "/v1/services/" + svc + "/env-vars";
  ASSERT_EQ(call("POST", base, Json{{"key", "MODE"}, {"value", "fast-and-furious"}, {"secret", false}}).status, 201);
  // Plain → secret keeps the value, now sealed.
  http::Response secret = call("PATCH", base + "/MODE", Json{{"secret", true}});
  ASSERT_EQ(secret.status, 200) << secret.body;
  EXPECT_EQ(json(secret)["masked"], true);
  EXPECT_EQ(json(secret)["value"].get<std::string>().find("fast"), std::string::npos);
  EXPECT_EQ(json(call("POST", base + "/MODE/reveal"))["value"], "fast-and-furious");
  // Secret → plain is refused.
  EXPECT_EQ(call("PATCH", base + "/MODE", Json{{"secret", false}}).status, 409);
  http::Response value = call("PATCH", base + "/MODE", Json{{"value", "slow-and-steady-1"}});
  ASSERT_EQ(value.status, 200);
  EXPECT_EQ(json(value)["secret"], true);
  EXPECT_EQ(json(call("POST", base + "/MODE/reveal"))["value"], "slow-and-steady-1");
  EXPECT_EQ(call("PATCH", base + "/NOPE", Json{{"value", "x"}}).status, 404);
  EXPECT_EQ(call("DELETE", base + "/MODE").status, 204);
  EXPECT_EQ(call("GET", base + "/MODE").status, 404);
  EXPECT_EQ(call("DELETE", base + "/MODE").status, 404);
  EXPECT_EQ(call("GET", "/v1/services/svc_000000000000000000000000/env-vars").status, 404);
  EXPECT_EQ(call("POST", "/v1/services/svc_000000000000000000000000/env-vars", Json{{"key", "A"}, {"value", "1"}})
                .status,
            404);
}

TEST_P(ConfigTest, BulkReplaceCreatesUpdatesAndDeletesAtomically) {
  Json p = project();
  const std::string svc = service(p, productionOf(p));
  const std::string base = "/v1/services/" + svc + "/env-vars";
  ASSERT_EQ(call("POST", base, Json{{"key", "KEEP"}, {"value", "old"}, {"secret", false}}).status, 201);
  ASSERT_EQ(call("POST", base, Json{{"key", "DROP"}, {"value", "gone"}}).status, 201);
  http::Response replaced =
      call("PUT", base,
           Json{{"env_vars",
                 {{{"key", "KEEP"}, {"value", "new"}, {"secret", false}}, {{"key", "ADDED"}, {"value", "abc"}}}}});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  Json set = json(replaced)["data"];
  ASSERT_EQ(set.size(), 2u);
  EXPECT_EQ(set[0]["key"], "ADDED");
  EXPECT_EQ(set[0]["masked"], true);
  EXPECT_EQ(set[1]["key"], "KEEP");
  EXPECT_EQ(set[1]["value"], "new");
  EXPECT_EQ(call("GET", base + "/DROP").status, 404);
  EXPECT_EQ(json(call("POST", base + "/ADDED/reveal"))["value"], "abc");

  // A key listed twice, or a secret made plain: 422 and nothing changes.
  http::Response twice =
      call("PUT", base, Json{{"env_vars", {{{"key", "A"}, {"value", "1"}}, {{"key", "A"}, {"value", "2"}}}}});
  EXPECT_EQ(twice.status, 422);
  EXPECT_EQ(json(twice)["errors"][0]["pointer"], "/env_vars/1/key");
  http::Response plain =
      call("PUT", base,
           Json{{"env_vars", {{{"key", "X"}, {"value", "1"}}, {{"key", "ADDED"}, {"value", "2"}, {"secret", false}}}}});
  EXPECT_EQ(plain.status, 422);
  EXPECT_EQ(call("GET", base + "/X").status, 404);  // rolled back
  EXPECT_EQ(json(call("GET", base))["data"].size(), 2u);
  // The empty set clears them.
  ASSERT_EQ(call("PUT", base, Json{{"env_vars", Json::array()}}).status, 200);
  EXPECT_EQ(json(call("GET", base))["data"].size(), 0u);
}

// ---------------------------------------------------------------- project secrets

TEST_P(ConfigTest, SecretsAreScopedMaskedVersionedAndRevealedWithAudit) {
  Json p = project();
  const std::string pid = p["id"];
  const std::string staging = environment(pid, "staging", "staging");
  const std::string base = "/v1/projects/" + pid + "/secrets";
  http::Response wide = call("POST", base, Json{{"name", "STRIPE_KEY"}, {"value", "sk_project_wide_9a1b"}});
  ASSERT_EQ(wide.status, 201) << wide.body;
  Json secret = json(wide);
  const std::string id = secret["id"];
  EXPECT_EQ(id.rfind("sec_", 0), 0u);
  EXPECT_TRUE(secret["environment_id"].is_null());
  EXPECT_EQ(secret["version"], 1);
  EXPECT_TRUE(secret["description"].is_null());
  const std::string preview = secret["value_preview"];
  EXPECT_EQ(preview.substr(preview.size() - 4), "9a1b");
  EXPECT_EQ(wide.body.find("sk_project_wide"), std::string::npos);
  // Sealed at rest, not in the body.
  Document atRest = stored(p, "secret", id);
  EXPECT_TRUE(atRest.sealed.has_value());
  EXPECT_EQ(atRest.body.dump().find("sk_project_wide"), std::string::npos);

  http::Response scoped = call("POST", base,
                               Json{{"name", "STRIPE_KEY"},
                                    {"value", "sk_staging_value_77"},
                                    {"environment_id", staging},
                                    {"description", "Stripe for staging"}});
  ASSERT_EQ(scoped.status, 201) << scoped.body;
  EXPECT_EQ(json(scoped)["environment_id"], staging);
  EXPECT_EQ(call("POST", base, Json{{"name", "STRIPE_KEY"}, {"value", "again"}}).status, 409);
  EXPECT_EQ(call("POST", base, Json{{"name", "STRIPE_KEY"}, {"value", "again"}, {"environment_id", staging}}).status,
            409);
  http::Response foreignEnv = call("POST", base, Json{{"name", "OTHER"}, {"value", "v"},
                                                      {"environment_id", "env_000000000000000000000000"}});
  EXPECT_EQ(foreignEnv.status, 422);
  EXPECT_EQ(json(foreignEnv)["errors"][0]["pointer"], "/environment_id");
  ASSERT_EQ(call("POST", base, Json{{"name", "OTHER"}, {"value", "other-value"}}).status, 201);

  EXPECT_EQ(json(call("GET", base))["data"].size(), 3u);
  EXPECT_EQ(json(call("GET", base + "?name=STRIPE_KEY"))["data"].size(), 2u);
  EXPECT_EQ(json(call("GET", base + "?environment_id=none"))["data"].size(), 2u);
  Json onlyStaging = json(call("GET", base + "?environment_id=" + staging));
  ASSERT_EQ(onlyStaging["data"].size(), 1u);
  EXPECT_EQ(onlyStaging["data"][0]["description"], "Stripe for staging");

  http::Response updated = call("PATCH", "/v1/secrets/" + id, Json{{"value", "sk_project_rotated_cc02"}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(json(updated)["version"], 2);
  EXPECT_TRUE(endsWith(json(updated)["value_preview"], "cc02"));
  http::Response described = call("PATCH", "/v1/secrets/" + id, Json{{"description", "Stripe"}});
  EXPECT_EQ(json(described)["version"], 2);  // no value change
  EXPECT_EQ(json(described)["description"], "Stripe");
  EXPECT_EQ(json(call("GET", "/v1/secrets/" + id))["description"], "Stripe");

  std::string writer = keyWith({"write"});
  EXPECT_EQ(call("POST", "/v1/secrets/" + id + "/reveal", {}, {}, writer).status, 403);
  EXPECT_EQ(audited(p, "secret.revealed"), 0u);
  http::Response revealed = call("POST", "/v1/secrets/" + id + "/reveal");
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  EXPECT_EQ(json(revealed)["value"], "sk_project_rotated_cc02");
  EXPECT_EQ(json(revealed)["version"], 2);
  EXPECT_EQ(audited(p, "secret.revealed"), 1u);
  // And the audit log shows it, naming the secret.
  http::Response log = call("GET", "/v1/workspaces/" + p["workspace_id"].get<std::string>() +
                                       "/audit-log?action=secret.revealed&resource_id=" + id);
  ASSERT_EQ(log.status, 200) << log.body;
  ASSERT_EQ(json(log)["data"].size(), 1u);
  EXPECT_EQ(json(log)["data"][0]["resource"]["type"], "secret");

  EXPECT_EQ(call("DELETE", "/v1/secrets/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/secrets/" + id).status, 404);
  EXPECT_EQ(call("POST", "/v1/secrets/" + id + "/reveal").status, 404);
  EXPECT_EQ(call("PATCH", "/v1/secrets/" + id, Json{{"value", "x"}}).status, 404);
  EXPECT_EQ(call("GET", "/v1/projects/prj_000000000000000000000000/secrets").status, 404);
  // Test mode does not see live secrets.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/secrets/" + std::string(json(scoped)["id"]), {}, {}, testKey).status, 404);
}

// ---------------------------------------------------------------- bindings and the resolved view

TEST_P(ConfigTest, BindingsExposeSecretsUnderAnAlias) {
  Json p = project();
  const std::string pid = p["id"];
  const std::string svc = service(p, productionOf(p));
  const Json password = {{"name", "DB_PASSWORD"}, {"value", "hunter2-hunter2"}};
  ASSERT_EQ(call("POST", "/v1/projects/" + pid + "/secrets", password).status, 201);
  const std::string base = "/v1/services/" + svc + "/secret-bindings";
  http::Response created = call("POST", base, Json{{"secret_name", "DB_PASSWORD"}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json binding = json(created);
  const std::string id = binding["id"];
  EXPECT_EQ(id.rfind("sbd_", 0), 0u);
  EXPECT_EQ(binding["alias"], "DB_PASSWORD");  // defaults to the name
  EXPECT_EQ(binding["service_id"], svc);
  EXPECT_EQ(call("POST", base, Json{{"secret_name", "DB_PASSWORD"}}).status, 409);  // alias taken
  ASSERT_EQ(call("POST", "/v1/services/" + svc + "/env-vars", Json{{"key", "PGPASS"}, {"value", "x"}}).status, 201);
  EXPECT_EQ(call("POST", base, Json{{"secret_name", "DB_PASSWORD"}, {"alias", "PGPASS"}}).status, 409);
  http::Response unknown = call("POST", base, Json{{"secret_name", "NOPE"}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(json(unknown)["errors"][0]["pointer"], "/secret_name");
  http::Response second = call("POST", base, Json{{"secret_name", "DB_PASSWORD"}, {"alias", "POSTGRES_PASSWORD"}});
  ASSERT_EQ(second.status, 201) << second.body;

  EXPECT_EQ(json(call("GET", base))["data"].size(), 2u);
  EXPECT_EQ(json(call("GET", base + "?secret_name=DB_PASSWORD"))["data"].size(), 2u);
  EXPECT_EQ(json(call("GET", base + "?secret_name=OTHER"))["data"].size(), 0u);
  EXPECT_EQ(json(call("GET", "/v1/secret-bindings/" + id))["secret_name"], "DB_PASSWORD");

  http::Response renamed = call("PATCH", "/v1/secret-bindings/" + id, Json{{"alias", "DATABASE_PASSWORD"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json(renamed)["alias"], "DATABASE_PASSWORD");
  EXPECT_EQ(call("PATCH", "/v1/secret-bindings/" + id, Json{{"alias", "POSTGRES_PASSWORD"}}).status, 409);
  EXPECT_EQ(call("PATCH", "/v1/secret-bindings/" + id, Json{{"alias", "PGPASS"}}).status, 409);

  std::string reader = keyWith({"secrets:read"});
  EXPECT_EQ(call("GET", base, {}, {}, reader).status, 200);
  EXPECT_EQ(call("POST", base, Json{{"secret_name", "DB_PASSWORD"}, {"alias", "B"}}, {}, reader).status, 403);

  EXPECT_EQ(call("DELETE", "/v1/secret-bindings/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/secret-bindings/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/secret-bindings/" + id).status, 404);
  EXPECT_EQ(call("PATCH", "/v1/secret-bindings/" + id, Json{{"alias", "X"}}).status, 404);
  EXPECT_EQ(call("GET", "/v1/services/svc_000000000000000000000000/secret-bindings").status, 404);
}

TEST_P(ConfigTest, TheResolvedViewWalksTheFallbackChainAndShowsOverrides) {
  Json p = project();
  const std::string pid = p["id"];
  const std::string staging = environment(pid, "staging", "staging");
  const std::string preview = environment(pid, "pr-7", "preview");
  const std::string svc = service(p, preview);
  const std::string secrets = "/v1/projects/" + pid + "/secrets";
  // DB_URL: staging and project-wide → a preview service takes staging's.
  http::Response stagingDb =
      call("POST", secrets,
           Json{{"name", "DB_URL"}, {"value", "postgres://staging/db-1111"}, {"environment_id", staging}});
  ASSERT_EQ(stagingDb.status, 201) << stagingDb.body;
  ASSERT_EQ(call("POST", secrets, Json{{"name", "DB_URL"}, {"value", "postgres://wide/db-2222"}}).status, 201);
  // API_TOKEN: only project-wide. PROD_ONLY: only production → unresolved for a preview.
  ASSERT_EQ(call("POST", secrets, Json{{"name", "API_TOKEN"}, {"value", "token-project-3333"}}).status, 201);
  ASSERT_EQ(call("POST", secrets, Json{{"name", "PROD_ONLY"}, {"value", "prod-value-44444"},
                                       {"environment_id", productionOf(p)}})
                .status,
            201);
  const std::string bindings = "/v1/services/" + svc + "/secret-bindings";
  ASSERT_EQ(call("POST", bindings, Json{{"secret_name", "DB_URL"}}).status, 201);
  ASSERT_EQ(call("POST", bindings, Json{{"secret_name", "API_TOKEN"}, {"alias", "TOKEN"}}).status, 201);
  ASSERT_EQ(call("POST", bindings, Json{{"secret_name", "PROD_ONLY"}}).status, 201);
  // LOG_LEVEL in the environment and on the service: the service's wins.
  ASSERT_EQ(call("POST", "/v1/environments/" + preview + "/variables", Json{{"key", "LOG_LEVEL"}, {"value", "info"}})
                .status,
            201);
  ASSERT_EQ(call("POST", "/v1/environments/" + preview + "/variables", Json{{"key", "REGION"}, {"value", "fra1"}})
                .status,
            201);
  ASSERT_EQ(call("POST", "/v1/services/" + svc + "/env-vars",
                 Json{{"key", "LOG_LEVEL"}, {"value", "debug"}, {"secret", false}})
                .status,
            201);
  // A service variable named like a platform variable is hidden by it.
  const Json port = {{"key", "PORT"}, {"value", "9999"}, {"secret", false}};
  ASSERT_EQ(call("POST", "/v1/services/" + svc + "/env-vars", port).status, 201);

  http::Response r = call("GET", "/v1/services/" + svc + "/resolved-env");
  ASSERT_EQ(r.status, 200) << r.body;
  Json view = json(r);
  EXPECT_EQ(view["service_id"], svc) << r.body;
  EXPECT_EQ(view["environment_id"], preview);
  std::map<std::string, Json> byKey;
  std::vector<std::string> order;
  for (const Json& v : view["variables"]) {
    byKey[v["key"].get<std::string>()] = v;
    order.push_back(v["key"].get<std::string>());
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  EXPECT_EQ(r.body.find("postgres://"), std::string::npos);  // secrets masked

  Json db = byKey["DB_URL"];
  EXPECT_EQ(db["status"], "resolved");
  EXPECT_EQ(db["secret"], true);
  EXPECT_EQ(db["source"]["type"], "secret_binding");
  EXPECT_EQ(db["source"]["id"], json(stagingDb)["id"]);
  EXPECT_EQ(db["source"]["environment_id"], staging);
  EXPECT_TRUE(endsWith(db["value"], "1111")) << db.dump();

  Json token = byKey["TOKEN"];
  EXPECT_EQ(token["status"], "resolved");
  EXPECT_TRUE(token["source"]["environment_id"].is_null());

  Json prodOnly = byKey["PROD_ONLY"];
  EXPECT_EQ(prodOnly["status"], "unresolved");
  EXPECT_TRUE(prodOnly["value"].is_null());

  Json log = byKey["LOG_LEVEL"];
  EXPECT_EQ(log["value"], "debug");
  EXPECT_EQ(log["source"]["type"], "service_env_var");
  EXPECT_EQ(log["overrides"], Json::array({"environment_variable"}));
  EXPECT_EQ(byKey["REGION"]["source"]["type"], "environment_variable");
  EXPECT_EQ(byKey["REGION"]["source"]["environment_id"], preview);

  EXPECT_EQ(byKey["PORT"]["source"]["type"], "platform");
  EXPECT_EQ(byKey["PORT"]["value"], "8080");
  EXPECT_EQ(byKey["PORT"]["overrides"], Json::array({"service_env_var"}));
  EXPECT_EQ(byKey["SERVICE_ID"]["value"], svc);

  // A staging value removed: DB_URL falls back to the project-wide one.
  ASSERT_EQ(call("DELETE", "/v1/secrets/" + std::string(json(stagingDb)["id"])).status, 204);
  Json after;
  http::Response again = call("GET", "/v1/services/" + svc + "/resolved-env");
  ASSERT_EQ(again.status, 200) << again.body;
  const Json resolvedAgain = json(again);  // named: a temporary's member would dangle in the loop
  for (const Json& v : resolvedAgain["variables"]) {
    if (v["key"] == "DB_URL") after = v;
  }
  EXPECT_TRUE(after["source"]["environment_id"].is_null());
  EXPECT_TRUE(endsWith(after["value"], "2222")) << after.dump();

  std::string reader = keyWith({"services:read"});
  EXPECT_EQ(call("GET", "/v1/services/" + svc + "/resolved-env", {}, {}, reader).status, 403);
  EXPECT_EQ(call("GET", "/v1/services/svc_000000000000000000000000/resolved-env").status, 404);
}

TEST_P(ConfigTest, DeletingTheLastValueABindingHasIsRefused) {
  Json p = project();
  const std::string pid = p["id"];
  const std::string svc = service(p, productionOf(p));
  http::Response wide =
      call("POST", "/v1/projects/" + pid + "/secrets", Json{{"name", "KEY"}, {"value", "wide-value-0001"}});
  ASSERT_EQ(wide.status, 201);
  http::Response prod = call("POST", "/v1/projects/" + pid + "/secrets",
                             Json{{"name", "KEY"}, {"value", "prod-value-0002"}, {"environment_id", productionOf(p)}});
  ASSERT_EQ(prod.status, 201);
  http::Response binding = call("POST", "/v1/services/" + svc + "/secret-bindings", Json{{"secret_name", "KEY"}});
  ASSERT_EQ(binding.status, 201);
  // The production value can go (the project-wide one remains); then the last one cannot.
  EXPECT_EQ(call("DELETE", "/v1/secrets/" + std::string(json(prod)["id"])).status, 204);
  http::Response refused = call("DELETE", "/v1/secrets/" + std::string(json(wide)["id"]));
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(json(refused)["code"], "CONFLICT");
  ASSERT_EQ(call("DELETE", "/v1/secret-bindings/" + std::string(json(binding)["id"])).status, 204);
  EXPECT_EQ(call("DELETE", "/v1/secrets/" + std::string(json(wide)["id"])).status, 204);
}

TETHER_SANDBOX_BACKENDS(ConfigTest);

}  // namespace
}  // namespace tether::sandbox::testing
