// Compute: services, deployments, instances, regions and sizes, through the whole HTTP
// pipeline on SQLite and PostgreSQL. Lifecycle cases run the clock 1000 times faster and
// drive the ticker themselves; the others keep real time, so that a transitional state
// they check (a queued deployment, a stopping service) stays put while they look.
#include <chrono>
#include <functional>
#include <thread>

#include "sandbox_fixture.h"

namespace tether::sandbox::testing {
namespace {

class ComputeTest : public SandboxTest {
 protected:
  Json createProject(const std::string& name) {
    http::Response r = call("POST", "/v1/projects", Json{{"name", name}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }

  // A web service (or `type`) in the project's production environment.
  http::Response postService(const Json& project, const std::string& name, const std::string& type = "web_service",
                             const std::string& branch = "main") {
    Json body = {{"type", type},
                 {"name", name},
                 {"environment_id", project["environment_ids"][0]},
                 {"source", {{"url", "https://github.com/acme/shop"}, {"branch", branch}}},
                 {"region", "fra1"}};
    if (type == "static_site") {
      body["publish_path"] = "dist";
    } else {
      body["start_command"] = "./server";
    }
    return call("POST", "/v1/projects/" + project["id"].get<std::string>() + "/services", body);
  }

  Json createService(const Json& project, const std::string& name, const std::string& type = "web_service") {
    http::Response r = postService(project, name, type);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }

  Json get(const std::string& target) {
    http::Response r = call("GET", target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return json(r);
  }

  // Ticks the background jobs until `done` holds (or 10 s of real time have passed).
  bool waitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      sandbox_->tick();
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    return false;
  }

  bool waitForStatus(const std::string& target, const std::string& status) {
    return waitFor([&] { return get(target)["status"] == status; });
  }

  // The events of a type about a resource, newest first.
  Json events(const std::string& type, const std::string& resourceId) {
    return get("/v1/events?type=" + type + "&resource_id=" + resourceId)["data"];
  }
};

// Real time: transitional states last seconds.
class ComputeStatesTest : public ComputeTest {};
// 1000 sandbox seconds per real second: a deployment goes live in milliseconds.
class ComputeLifecycleTest : public ComputeTest {
  double clockSpeed() const override { return 1000.0; }
};

// --- regions and sizes -------------------------------------------------------------------

TEST_P(ComputeStatesTest, RegionsAndSizesAreAFixedCatalogue) {
  Json regions = get("/v1/regions");
  ASSERT_GE(regions["data"].size(), 3u);
  EXPECT_FALSE(regions["meta"]["has_more"].get<bool>());
  Json fra1 = get("/v1/regions/fra1");
  EXPECT_EQ(fra1["country"], "DE");
  EXPECT_TRUE(fra1["available"].get<bool>());
  EXPECT_EQ(call("GET", "/v1/regions/zzz9").status, 404);
  // The page is held in a variable: a range-for over a member of a temporary reads freed memory.
  const Json redisRegions = get("/v1/regions?feature=redis");
  for (const Json& r : redisRegions["data"]) {
    EXPECT_NE(std::find(r["features"].begin(), r["features"].end(), Json("redis")), r["features"].end());
  }

  Json instanceSizes = get("/v1/sizes?kind=instance");
  ASSERT_FALSE(instanceSizes["data"].empty());
  for (const Json& s : instanceSizes["data"]) EXPECT_EQ(s["kind"], "instance");
  const Json sgp1Sizes = get("/v1/sizes?region=sgp1");
  for (const Json& s : sgp1Sizes["data"]) {
    EXPECT_NE(std::find(s["regions"].begin(), s["regions"].end(), Json("sgp1")), s["regions"].end());
  }
  Json size = get("/v1/sizes/s-2vcpu-4gb");
  EXPECT_EQ(size["vcpus"], 2);
  EXPECT_EQ(size["memory_mb"], 4096);
  EXPECT_EQ(call("GET", "/v1/sizes/s-99vcpu-1tb").status, 404);

  // Paged like every list.
  Json first = get("/v1/sizes?limit=2");
  ASSERT_EQ(first["data"].size(), 2u);
  ASSERT_TRUE(first["meta"]["has_more"].get<bool>());
  Json second = get("/v1/sizes?limit=2&cursor=" + first["meta"]["next_cursor"].get<std::string>());
  ASSERT_EQ(second["data"].size(), 2u);
  EXPECT_NE(second["data"][0]["slug"], first["data"][0]["slug"]);
}

// --- services ------------------------------------------------------------------------------

TEST_P(ComputeStatesTest, ServicesAreCreatedPendingWithAFirstDeploymentAndCrudWorks) {
  Json project = createProject("shop");
  const std::string projectId = project["id"];
  Json service = createService(project, "api");
  const std::string id = service["id"];
  EXPECT_EQ(id.rfind("svc_", 0), 0u);
  EXPECT_EQ(service["status"], "pending");
  EXPECT_EQ(service["project_id"], projectId);
  EXPECT_EQ(service["port"], 8080);
  EXPECT_EQ(service["instance_size"], "s-1vcpu-1gb");
  EXPECT_TRUE(service["current_deployment_id"].is_null());
  EXPECT_EQ(service["url"].get<std::string>().rfind("https://api-", 0), 0u);

  // The first deployment is queued from source.branch.
  Json deployments = get("/v1/services/" + id + "/deployments");
  ASSERT_EQ(deployments["data"].size(), 1u);
  EXPECT_EQ(deployments["data"][0]["status"], "queued");
  EXPECT_EQ(deployments["data"][0]["branch"], "main");

  EXPECT_EQ(get("/v1/services/" + id)["name"], "api");
  EXPECT_EQ(postService(project, "api").status, 409);  // names are unique in the project
  Json worker = createService(project, "jobs", "background_worker");
  EXPECT_TRUE(worker["url"].is_null());
  EXPECT_TRUE(worker["port"].is_null());
  Json site = createService(project, "docs", "static_site");
  EXPECT_TRUE(site["instance_size"].is_null());
  EXPECT_EQ(site["publish_path"], "dist");

  EXPECT_EQ(get("/v1/projects/" + projectId + "/services")["data"].size(), 3u);
  Json workers = get("/v1/projects/" + projectId + "/services?type=background_worker");
  ASSERT_EQ(workers["data"].size(), 1u);
  EXPECT_EQ(workers["data"][0]["id"], worker["id"]);
  EXPECT_EQ(call("GET", "/v1/projects/prj_000000000000000000000000/services").status, 404);

  // An environment of another project is not one the service can run in.
  Json other = createProject("other");
  Json foreignEnv = {{"type", "web_service"},
                     {"name", "x"},
                     {"environment_id", other["environment_ids"][0]},
                     {"source", {{"url", "https://github.com/acme/x"}, {"branch", "main"}}},
                     {"start_command", "./x"},
                     {"region", "fra1"}};
  EXPECT_EQ(call("POST", "/v1/projects/" + projectId + "/services", foreignEnv).status, 422);
  foreignEnv["environment_id"] = project["environment_ids"][0];
  foreignEnv["instance_size"] = "no-such-size";
  EXPECT_EQ(call("POST", "/v1/projects/" + projectId + "/services", foreignEnv).status, 422);

  http::Response renamed = call("PATCH", "/v1/services/" + id, Json{{"name", "api-v2"}, {"build_command", "make"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json(renamed)["name"], "api-v2");
  EXPECT_EQ(get("/v1/services/" + id)["build_command"], "make");
  EXPECT_EQ(call("PATCH", "/v1/services/" + id, Json{{"name", "jobs"}}).status, 409);  // the worker's name
  // Fields of another service type: 422.
  EXPECT_EQ(call("PATCH", "/v1/services/" + id, Json{{"publish_path", "out"}}).status, 422);
  EXPECT_EQ(call("PATCH", "/v1/services/" + site["id"].get<std::string>(), Json{{"port", 3000}}).status, 422);
  EXPECT_EQ(call("PATCH", "/v1/services/svc_000000000000000000000000", Json{{"name", "x"}}).status, 404);
  EXPECT_EQ(call("GET", "/v1/services/svc_000000000000000000000000").status, 404);

  // Actions that the state does not allow: 409.
  EXPECT_EQ(call("POST", "/v1/services/" + id + "/start").status, 409);    // not stopped
  EXPECT_EQ(call("POST", "/v1/services/" + id + "/stop").status, 409);     // not live
  EXPECT_EQ(call("POST", "/v1/services/" + id + "/restart").status, 409);  // not live
  const std::string siteId = site["id"];
  EXPECT_EQ(call("GET", "/v1/services/" + siteId + "/scaling").status, 409);
  EXPECT_EQ(call("POST", "/v1/services/" + siteId + "/start").status, 409);

  // The project cannot go while it has services; deleting one starts its teardown.
  EXPECT_EQ(call("DELETE", "/v1/projects/" + projectId).status, 409);
  http::Response deleting = call("DELETE", "/v1/services/" + id);
  ASSERT_EQ(deleting.status, 202) << deleting.body;
  EXPECT_EQ(json(deleting)["status"], "deleting");
  EXPECT_EQ(call("DELETE", "/v1/services/" + id).status, 409);
  EXPECT_EQ(call("PATCH", "/v1/services/" + id, Json{{"name", "y"}}).status, 409);
  EXPECT_EQ(call("POST", "/v1/services/" + id + "/deployments", Json::object()).status, 409);
  // Its running deployment was canceled with it.
  EXPECT_EQ(get("/v1/services/" + id + "/deployments")["data"][0]["status"], "canceled");
}

TEST_P(ComputeStatesTest, TenantsAndScopesAreEnforced) {
  Json project = createProject("shop");
  Json service = createService(project, "api");
  const std::string id = service["id"];
  // Another mode of the workspace is another tenant: the service is not found.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/services/" + id, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("POST", "/v1/services/" + id + "/deployments", Json::object(), {}, testKey).status, 404);

  std::string reader = keyWith({"services:read"});
  EXPECT_EQ(call("GET", "/v1/services/" + id, {}, {}, reader).status, 200);
  EXPECT_EQ(call("POST", "/v1/services/" + id + "/restart", {}, {}, reader).status, 403);
  EXPECT_EQ(call("GET", "/v1/instances", {}, {}, reader).status, 403);
}

TEST_P(ComputeLifecycleTest, AServiceGoesLiveStopsStartsRestartsScalesAndIsDeleted) {
  Json project = createProject("shop");
  Json service = createService(project, "api");
  const std::string id = service["id"];
  const std::string target = "/v1/services/" + id;
  ASSERT_TRUE(waitForStatus(target, "live"));
  Json live = get(target);
  const std::string firstDeployment = get(target + "/deployments")["data"][0]["id"];
  EXPECT_EQ(live["current_deployment_id"], firstDeployment);
  EXPECT_EQ(get("/v1/deployments/" + firstDeployment)["status"], "live");
  EXPECT_EQ(events("service.created", id).size(), 1u);
  for (const char* type : {"deployment.queued", "deployment.started", "deployment.succeeded"}) {
    EXPECT_EQ(events(type, firstDeployment).size(), 1u) << type;
  }
  Json succeeded = events("deployment.succeeded", firstDeployment)[0]["data"];
  EXPECT_EQ(succeeded["object"]["status"], "live");
  EXPECT_EQ(succeeded["previous_attributes"]["status"], "deploying");

  Json report = get(target + "/status");
  EXPECT_EQ(report["status"], "live");
  EXPECT_EQ(report["current_deployment_id"], firstDeployment);
  EXPECT_EQ(report["desired_instances"], 1);
  ASSERT_EQ(report["instances"].size(), 1u);
  EXPECT_EQ(report["instances"][0]["deployment_id"], firstDeployment);

  // Scaling.
  Json scaling = get(target + "/scaling");
  EXPECT_EQ(scaling["min_instances"], 1);
  EXPECT_EQ(scaling["current_instances"], 1);
  http::Response scaled = call("PUT", target + "/scaling", Json{{"min_instances", 2}, {"max_instances", 3}});
  ASSERT_EQ(scaled.status, 200) << scaled.body;
  EXPECT_EQ(json(scaled)["current_instances"], 2);
  EXPECT_EQ(get(target + "/scaling")["max_instances"], 3);
  EXPECT_EQ(get(target + "/status")["healthy_instances"], 2);
  EXPECT_EQ(events("service.scaled", id).size(), 1u);
  EXPECT_EQ(call("PUT", target + "/scaling", Json{{"min_instances", 3}, {"max_instances", 2}}).status, 422);

  // Stop → stopped; a stopped service takes no deployment and cannot stop again.
  http::Response stopping = call("POST", target + "/stop");
  ASSERT_EQ(stopping.status, 202) << stopping.body;
  EXPECT_EQ(json(stopping)["status"], "stopping");
  ASSERT_TRUE(waitForStatus(target, "stopped"));
  EXPECT_EQ(call("POST", target + "/stop").status, 409);
  EXPECT_EQ(call("POST", target + "/restart").status, 409);
  EXPECT_EQ(call("POST", target + "/deployments", Json::object()).status, 409);
  EXPECT_EQ(get(target + "/status")["desired_instances"], 0);
  EXPECT_EQ(get(target + "/scaling")["current_instances"], 0);
  EXPECT_EQ(events("service.stopped", id).size(), 1u);

  // Start → live; start again → 409; restart → live.
  http::Response starting = call("POST", target + "/start");
  ASSERT_EQ(starting.status, 202) << starting.body;
  EXPECT_EQ(json(starting)["status"], "starting");
  ASSERT_TRUE(waitForStatus(target, "live"));
  EXPECT_EQ(call("POST", target + "/start").status, 409);
  http::Response restarting = call("POST", target + "/restart");
  ASSERT_EQ(restarting.status, 202);
  EXPECT_EQ(json(restarting)["status"], "restarting");
  ASSERT_TRUE(waitForStatus(target, "live"));
  // A runtime change rolls out by a restart.
  EXPECT_EQ(json(call("PATCH", target, Json{{"start_command", "./server --fast"}}))["status"], "restarting");
  ASSERT_TRUE(waitForStatus(target, "live"));

  // Deleting: gone with its deployments.
  ASSERT_EQ(call("DELETE", target).status, 202);
  ASSERT_TRUE(waitFor([&] { return call("GET", target).status == 404; }));
  EXPECT_EQ(call("GET", "/v1/deployments/" + firstDeployment).status, 404);
  EXPECT_EQ(events("service.started", id).size(), 1u);
  EXPECT_EQ(events("service.restarted", id).size(), 2u);
  EXPECT_EQ(events("service.deleted", id).size(), 1u);
  EXPECT_EQ(call("DELETE", "/v1/projects/" + project["id"].get<std::string>()).status, 204);
}

TEST_P(ComputeLifecycleTest, ServiceLogsArePagedNewestFirstAndFiltered) {
  Json project = createProject("shop");
  Json service = createService(project, "api");
  const std::string target = "/v1/services/" + service["id"].get<std::string>();
  // No runtime log line dates from before the service was created. (Whether the first
  // deployment is live already when this reads depends on the sandbox clock's pace against a
  // busy machine, so the lines themselves may or may not be there yet.)
  const Json early = get(target + "/logs");
  for (const Json& line : early["data"])
    EXPECT_GT(line["timestamp"].get<std::string>(), service["created_at"].get<std::string>());
  ASSERT_TRUE(waitForStatus(target, "live"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // 100 sandbox seconds of log

  Json page = get(target + "/logs?tail=5");
  ASSERT_EQ(page["data"].size(), 5u);
  ASSERT_TRUE(page["meta"]["has_more"].get<bool>());
  for (std::size_t i = 1; i < 5; ++i) EXPECT_GT(page["data"][i - 1]["timestamp"], page["data"][i]["timestamp"]);
  Json older = get(target + "/logs?tail=5&cursor=" + page["meta"]["next_cursor"].get<std::string>());
  ASSERT_EQ(older["data"].size(), 5u);
  EXPECT_LT(older["data"][0]["timestamp"], page["data"][4]["timestamp"]);
  // The same line reads the same every time.
  Json again = get(target + "/logs?tail=5&until=" + page["data"][0]["timestamp"].get<std::string>());
  EXPECT_EQ(again["data"][0], page["data"][0]);

  Json errors = get(target + "/logs?level=error&tail=3");
  ASSERT_FALSE(errors["data"].empty());
  for (const Json& line : errors["data"]) EXPECT_EQ(line["level"], "error");
  const std::string since = page["data"][2]["timestamp"];
  Json recent = get(target + "/logs?since=" + since + "&until=" + page["data"][0]["timestamp"].get<std::string>());
  EXPECT_EQ(recent["data"].size(), 3u);
  EXPECT_EQ(call("GET", target + "/logs?cursor=garbage").status, 400);
  EXPECT_EQ(call("GET", "/v1/services/svc_000000000000000000000000/logs").status, 404);
}

// --- deployments -----------------------------------------------------------------------------

TEST_P(ComputeLifecycleTest, DeploymentsGoLiveSupersedeFailAndRollBack) {
  Json project = createProject("shop");
  Json service = createService(project, "api");
  const std::string id = service["id"];
  const std::string target = "/v1/services/" + id;
  ASSERT_TRUE(waitForStatus(target, "live"));
  const std::string first = get(target)["current_deployment_id"];

  // A commit.
  const std::string sha = "0123456789abcdef0123456789abcdef01234567";
  http::Response triggered = call("POST", target + "/deployments", Json{{"commit_sha", sha}});
  ASSERT_EQ(triggered.status, 202) << triggered.body;
  Json second = json(triggered);
  EXPECT_EQ(second["status"], "queued");
  EXPECT_EQ(second["commit"]["sha"], sha);
  EXPECT_EQ(second["trigger"], "api");
  const std::string secondId = second["id"];
  ASSERT_TRUE(waitForStatus("/v1/deployments/" + secondId, "live"));
  Json secondLive = get("/v1/deployments/" + secondId);
  EXPECT_FALSE(secondLive["started_at"].is_null());
  EXPECT_FALSE(secondLive["finished_at"].is_null());
  EXPECT_EQ(get("/v1/deployments/" + first)["status"], "superseded");
  EXPECT_EQ(get(target)["current_deployment_id"], secondId);

  // A failing build ("fail*" branches fail on purpose): the service stays live on the last.
  http::Response failing = call("POST", target + "/deployments", Json{{"branch", "fail-build"}});
  ASSERT_EQ(failing.status, 202) << failing.body;
  const std::string failedId = json(failing)["id"];
  ASSERT_TRUE(waitForStatus("/v1/deployments/" + failedId, "failed"));
  EXPECT_FALSE(get("/v1/deployments/" + failedId)["failure_reason"].is_null());
  EXPECT_EQ(events("deployment.failed", failedId).size(), 1u);
  ASSERT_TRUE(waitForStatus(target, "live"));
  EXPECT_EQ(get(target)["current_deployment_id"], secondId);
  EXPECT_EQ(call("POST", "/v1/deployments/" + failedId + "/cancel").status, 409);
  EXPECT_EQ(call("POST", "/v1/deployments/" + failedId + "/rollback", Json::object()).status, 409);

  // Filters.
  Json failedOnes = get(target + "/deployments?status=failed");
  ASSERT_EQ(failedOnes["data"].size(), 1u);
  EXPECT_EQ(failedOnes["data"][0]["id"], failedId);
  EXPECT_EQ(get(target + "/deployments?branch=fail-build")["data"].size(), 1u);
  EXPECT_EQ(get(target + "/deployments")["data"].size(), 3u);

  // A rollback to the superseded first deployment re-releases its build.
  http::Response rollback = call("POST", "/v1/deployments/" + first + "/rollback", Json{{"reason", "bad release"}});
  ASSERT_EQ(rollback.status, 202) << rollback.body;
  Json back = json(rollback);
  EXPECT_EQ(back["trigger"], "rollback");
  EXPECT_EQ(back["rollback_of"], first);
  EXPECT_EQ(back["commit"], get("/v1/deployments/" + first)["commit"]);
  ASSERT_TRUE(waitForStatus("/v1/deployments/" + back["id"].get<std::string>(), "live"));
  EXPECT_EQ(get(target)["current_deployment_id"], back["id"]);
  EXPECT_EQ(get("/v1/deployments/" + secondId)["status"], "superseded");
  EXPECT_EQ(call("POST", "/v1/deployments/" + secondId + "/cancel").status, 409);
  EXPECT_EQ(call("GET", "/v1/deployments/dep_000000000000000000000000").status, 404);
  EXPECT_EQ(call("POST", "/v1/deployments/dep_000000000000000000000000/rollback", Json::object()).status, 404);
}

TEST_P(ComputeLifecycleTest, DeploymentLogsArePagedAndStreamedWithResume) {
  Json project = createProject("shop");
  Json service = createService(project, "api");
  const std::string target = "/v1/services/" + service["id"].get<std::string>();
  ASSERT_TRUE(waitForStatus(target, "live"));
  const std::string deployment = get(target)["current_deployment_id"];
  const std::string logs = "/v1/deployments/" + deployment + "/logs";

  Json all = get(logs + "?limit=100");
  ASSERT_GE(all["data"].size(), 6u);
  for (std::size_t i = 1; i < all["data"].size(); ++i) {
    EXPECT_GE(all["data"][i - 1]["timestamp"], all["data"][i]["timestamp"]);  // newest first
  }
  EXPECT_EQ(all["data"][0]["message"], "Deployment is live");
  Json oldest = get(logs + "?sort=created_at&limit=2");
  ASSERT_EQ(oldest["data"].size(), 2u);
  EXPECT_TRUE(oldest["meta"]["has_more"].get<bool>());
  EXPECT_EQ(oldest["data"][0]["id"], all["data"].back()["id"]);
  const Json deployLines = get(logs + "?phase=deploy");
  for (const Json& line : deployLines["data"]) EXPECT_EQ(line["phase"], "deploy");

  // The stream: every line with its id, then `end` with the deployment.
  http::Response stream = call("GET", logs, {}, {{"Accept", "text/event-stream"}});
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_EQ(stream.headers.get("Content-Type").value_or("").rfind("text/event-stream", 0), 0u);
  const std::string firstId = oldest["data"][0]["id"];
  EXPECT_NE(stream.body.find("id: " + firstId + "\nevent: log\ndata: {"), std::string::npos);
  EXPECT_NE(stream.body.find("event: end\ndata: {"), std::string::npos);
  // Resuming after the first line replays the rest only.
  http::Response resumed =
      call("GET", logs, {}, {{"Accept", "text/event-stream"}, {"Last-Event-ID", firstId}});
  ASSERT_EQ(resumed.status, 200);
  EXPECT_EQ(resumed.body.find("id: " + firstId), std::string::npos);
  EXPECT_NE(resumed.body.find("id: " + oldest["data"][1]["id"].get<std::string>()), std::string::npos);
  EXPECT_NE(resumed.body.find("event: end"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/deployments/dep_000000000000000000000000/logs").status, 404);
}

TEST_P(ComputeStatesTest, DeploymentsAreCanceledByANewerOneOrThroughTheApi) {
  Json project = createProject("shop");
  Json service = createService(project, "api");
  const std::string target = "/v1/services/" + service["id"].get<std::string>();
  const std::string first = get(target + "/deployments")["data"][0]["id"];
  http::Response triggered = call("POST", target + "/deployments", Json{{"branch", "feature"}, {"clear_cache", true}});
  ASSERT_EQ(triggered.status, 202) << triggered.body;
  Json second = json(triggered);
  EXPECT_EQ(second["branch"], "feature");
  EXPECT_TRUE(second["clear_cache"].get<bool>());
  // The first was still queued: the newer one replaced it.
  EXPECT_EQ(get("/v1/deployments/" + first)["status"], "canceled");
  EXPECT_FALSE(get("/v1/deployments/" + first)["finished_at"].is_null());
  EXPECT_EQ(events("deployment.canceled", first).size(), 1u);

  // An unfinished deployment's stream ends with its status; the client reconnects.
  const std::string secondId = second["id"];
  http::Response stream = call("GET", "/v1/deployments/" + secondId + "/logs", {}, {{"Accept", "text/event-stream"}});
  ASSERT_EQ(stream.status, 200);
  EXPECT_NE(stream.body.find("event: status"), std::string::npos);
  EXPECT_EQ(stream.body.find("event: end"), std::string::npos);

  http::Response canceled = call("POST", "/v1/deployments/" + secondId + "/cancel");
  ASSERT_EQ(canceled.status, 202) << canceled.body;
  EXPECT_EQ(json(canceled)["status"], "canceled");
  EXPECT_EQ(call("POST", "/v1/deployments/" + secondId + "/cancel").status, 409);
  EXPECT_EQ(call("POST", "/v1/deployments/" + secondId + "/rollback", Json::object()).status, 409);
  EXPECT_EQ(get(target)["status"], "pending");
  EXPECT_EQ(call("POST", "/v1/deployments/dep_000000000000000000000000/cancel").status, 404);
  EXPECT_EQ(call("POST", "/v1/services/svc_000000000000000000000000/deployments", Json::object()).status, 404);
  EXPECT_EQ(call("GET", "/v1/services/svc_000000000000000000000000/deployments").status, 404);
}

// --- instances -------------------------------------------------------------------------------

TEST_P(ComputeLifecycleTest, InstancesProvisionPowerRebootResizeAndDelete) {
  Json project = createProject("infra");
  Json body = {{"name", "box"},
               {"region", "fra1"},
               {"size", "s-1vcpu-1gb"},
               {"image", "ubuntu-24-04-x64"},
               {"project_id", project["id"]},
               {"labels", {{"team", "ops"}}}};
  http::Response created = call("POST", "/v1/instances", body);
  ASSERT_EQ(created.status, 201) << created.body;
  Json instance = json(created);
  const std::string id = instance["id"];
  const std::string target = "/v1/instances/" + id;
  EXPECT_EQ(id.rfind("ins_", 0), 0u);
  EXPECT_EQ(instance["status"], "provisioning");
  EXPECT_TRUE(instance["public_ipv4"].is_null());
  EXPECT_EQ(instance["vcpus"], 1);
  EXPECT_EQ(instance["disk_gb"], 25);

  EXPECT_EQ(call("POST", "/v1/instances", body).status, 409);  // names are unique
  Json bad = body;
  bad["name"] = "other";
  bad["size"] = "svc-starter";
  EXPECT_EQ(call("POST", "/v1/instances", bad).status, 422);  // not an instance size
  bad["size"] = "s-4vcpu-8gb";
  bad["region"] = "sgp1";
  EXPECT_EQ(call("POST", "/v1/instances", bad).status, 422);  // not offered there
  bad["region"] = "fra1";
  bad["project_id"] = "prj_000000000000000000000000";
  EXPECT_EQ(call("POST", "/v1/instances", bad).status, 422);

  ASSERT_TRUE(waitForStatus(target, "running"));
  EXPECT_TRUE(get(target)["public_ipv4"].is_string());
  EXPECT_EQ(events("instance.created", id).size(), 1u);  // sent once it runs
  EXPECT_EQ(call("POST", target + "/power-on").status, 409);
  EXPECT_EQ(call("POST", target + "/resize", Json{{"size", "s-2vcpu-4gb"}}).status, 409);  // running

  http::Response rebooting = call("POST", target + "/reboot");
  ASSERT_EQ(rebooting.status, 202) << rebooting.body;
  EXPECT_EQ(json(rebooting)["status"], "rebooting");
  EXPECT_EQ(call("POST", target + "/reboot").status, 409);
  ASSERT_TRUE(waitForStatus(target, "running"));

  http::Response stopping = call("POST", target + "/power-off", Json{{"force", true}});
  ASSERT_EQ(stopping.status, 202) << stopping.body;
  EXPECT_EQ(json(stopping)["status"], "stopping");
  ASSERT_TRUE(waitForStatus(target, "off"));
  EXPECT_EQ(call("POST", target + "/power-off", Json::object()).status, 409);

  http::Response resizing = call("POST", target + "/resize", Json{{"size", "s-2vcpu-4gb"}});
  ASSERT_EQ(resizing.status, 202) << resizing.body;
  EXPECT_EQ(json(resizing)["status"], "resizing");
  ASSERT_TRUE(waitForStatus(target, "off"));
  Json resized = get(target);
  EXPECT_EQ(resized["size"], "s-2vcpu-4gb");
  EXPECT_EQ(resized["vcpus"], 2);
  EXPECT_EQ(resized["disk_gb"], 25);  // the disk grows only when asked
  ASSERT_EQ(call("POST", target + "/resize", Json{{"size", "s-4vcpu-8gb"}, {"resize_disk", true}}).status, 202);
  ASSERT_TRUE(waitForStatus(target, "off"));
  EXPECT_EQ(get(target)["disk_gb"], 160);
  // A grown disk cannot shrink back.
  EXPECT_EQ(call("POST", target + "/resize", Json{{"size", "s-1vcpu-1gb"}}).status, 422);

  ASSERT_EQ(call("POST", target + "/power-on").status, 202);
  ASSERT_TRUE(waitForStatus(target, "running"));

  http::Response renamed = call("PATCH", target, Json{{"name", "box-2"}, {"labels", {{"tier", "web"}}}, {"project_id", nullptr}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json(renamed)["name"], "box-2");
  EXPECT_EQ(json(renamed)["labels"], Json({{"tier", "web"}}));
  EXPECT_TRUE(json(renamed)["project_id"].is_null());

  Json second = {{"name", "box-3"}, {"region", "fra1"}, {"size", "s-1vcpu-1gb"}, {"image", "debian-12"}};
  ASSERT_EQ(call("POST", "/v1/instances", second).status, 201);
  EXPECT_EQ(call("PATCH", target, Json{{"name", "box-3"}}).status, 409);  // names are unique
  EXPECT_EQ(call("PATCH", target, Json{{"project_id", "prj_000000000000000000000000"}}).status, 422);
  Json running = get("/v1/instances?status=running&name=box-2");
  ASSERT_EQ(running["data"].size(), 1u);
  EXPECT_EQ(running["data"][0]["id"], id);
  EXPECT_TRUE(get("/v1/instances?region=nyc1")["data"].empty());
  EXPECT_EQ(get("/v1/instances?name=box")["data"].size(), 2u);  // box-2 and box-3 by prefix

  // Another tenant does not see it.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", target, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("POST", target + "/reboot", {}, {}, testKey).status, 404);

  http::Response deleting = call("DELETE", target);
  ASSERT_EQ(deleting.status, 202) << deleting.body;
  EXPECT_EQ(json(deleting)["status"], "deleting");
  EXPECT_EQ(call("DELETE", target).status, 409);
  ASSERT_TRUE(waitFor([&] { return call("GET", target).status == 404; }));
  EXPECT_EQ(call("POST", target + "/power-on").status, 404);
  EXPECT_EQ(call("PATCH", target, Json{{"name", "x"}}).status, 404);
  for (const char* type : {"instance.powered_off", "instance.powered_on", "instance.resized", "instance.deleted"}) {
    EXPECT_FALSE(events(type, id).empty()) << type;
  }
}

TEST_P(ComputeLifecycleTest, AnInstanceThatFailsToProvisionIsErroredAndCanBeDeleted) {
  http::Response created = call(
      "POST", "/v1/instances", Json{{"name", "broken"}, {"region", "nyc1"}, {"size", "s-1vcpu-1gb"}, {"image", "fail-image"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = json(created)["id"];
  const std::string target = "/v1/instances/" + id;
  ASSERT_TRUE(waitForStatus(target, "errored"));
  EXPECT_TRUE(events("instance.created", id).empty());
  EXPECT_EQ(call("POST", target + "/power-on").status, 409);
  EXPECT_EQ(call("POST", target + "/reboot").status, 409);
  ASSERT_EQ(call("DELETE", target).status, 202);
  ASSERT_TRUE(waitFor([&] { return call("GET", target).status == 404; }));
}

TEST_P(ComputeLifecycleTest, ThePlanLimitsHowManyInstancesAWorkspaceHas) {
  // The sandbox workspace is on Pro: 20 instances.
  for (int i = 0; i < 20; ++i) {
    Json body = {{"name", "box-" + std::to_string(i)}, {"region", "ams3"}, {"size", "s-1vcpu-1gb"}, {"image", "debian-12"}};
    ASSERT_EQ(call("POST", "/v1/instances", body).status, 201) << i;
  }
  http::Response refused =
      call("POST", "/v1/instances", Json{{"name", "one-more"}, {"region", "ams3"}, {"size", "s-1vcpu-1gb"}, {"image", "debian-12"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(json(refused)["code"], "PLAN_RESTRICTED_FEATURE");
  // Pro allows autoscaling past 3 instances.
  Json service = createService(createProject("shop"), "api");
  EXPECT_EQ(call("PUT", "/v1/services/" + service["id"].get<std::string>() + "/scaling",
                 Json{{"min_instances", 1}, {"max_instances", 10}, {"target_cpu_percent", 60}})
                .status,
            200);
}

TETHER_SANDBOX_BACKENDS(ComputeStatesTest);
TETHER_SANDBOX_BACKENDS(ComputeLifecycleTest);

}  // namespace
}  // namespace tether::sandbox::testing
