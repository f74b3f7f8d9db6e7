// Data stores: managed databases and Redis (lifecycle on the sandbox clock, masked
// credentials, audited reveal and rotation, health, metrics), object storage (quota,
// buckets, presigned URLs, access keys) and DNS (zones and records). Every case runs on
// SQLite and PostgreSQL.
#include <chrono>
#include <thread>

#include "sandbox_fixture.h"

namespace tether::sandbox::testing {
namespace {

class DataTest : public SandboxTest {
 protected:
  // Lifecycles take minutes of sandbox time: 10000× makes the longest one 12 ms.
  double clockSpeed() const override { return 10000.0; }

  // Lets every pending transition come due, then runs the background jobs once.
  void settle() {
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    sandbox_->tick();
  }

  // Audit entries of an action, in any workspace (the tests have one).
  std::int64_t audited(const std::string& action) {
    return sandbox_->services().db.with([&](storage::Connection& c) {
      auto q = c.prepare("SELECT COUNT(*) FROM resources WHERE kind = 'audit_log_entry' AND status = $1");
      q->bind_text(1, action);
      q->step();
      return q->int64(0);
    });
  }

  std::int64_t events(const std::string& type) {
    return sandbox_->services().db.with([&](storage::Connection& c) {
      auto q = c.prepare("SELECT COUNT(*) FROM events WHERE type = $1");
      q->bind_text(1, type);
      q->step();
      return q->int64(0);
    });
  }

  // The stored row of a resource (to see what is at rest).
  std::string storedBody(const std::string& id) {
    return sandbox_->services().db.with([&](storage::Connection& c) {
      auto q = c.prepare("SELECT body FROM resources WHERE id = $1");
      q->bind_text(1, id);
      return q->step() ? q->text(0) : std::string();
    });
  }

  Json created(const std::string& path, const Json& body) {
    http::Response r = call("POST", path, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }
};

// At real speed nothing finishes during a test: what transitions in progress refuse is
// seen without racing the background jobs (a zone stays `pending_delegation` too).
class RealTimeDataTest : public DataTest {
 protected:
  double clockSpeed() const override { return 1.0; }
};

// ---------------------------------------------------------------- databases

TEST_P(RealTimeDataTest, TransitionsInProgressRefuseOtherActions) {
  Json db = created("/v1/databases", Json{{"name", "slow"}, {"region", "fra1"}, {"size", "s-1"}});
  const std::string id = db["id"];
  Json health = json(call("GET", "/v1/databases/" + id + "/status"));
  EXPECT_EQ(health["status"], "provisioning");
  EXPECT_EQ(health["primary_healthy"], false);
  EXPECT_EQ(json(call("GET", "/v1/databases?status=provisioning"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/databases?status=active"))["data"].size(), 0u);
  // Stopping and resetting need it active, starting needs it stopped.
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/stop").status, 409);
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/start").status, 409);
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/reset", Json{{"confirm_name", "slow"}}).status, 409);
  EXPECT_EQ(json(call("PATCH", "/v1/databases/" + id, Json{{"name", "slower"}}))["name"], "slower");
  // Deleting is final: nothing else is accepted meanwhile.
  EXPECT_EQ(json(call("DELETE", "/v1/databases/" + id))["status"], "deleting");
  EXPECT_EQ(call("DELETE", "/v1/databases/" + id).status, 409);
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/start").status, 409);
  EXPECT_EQ(call("PATCH", "/v1/databases/" + id, Json{{"name", "renamed"}}).status, 409);
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/credentials/rotate", Json::object()).status, 409);
  EXPECT_EQ(json(call("GET", "/v1/databases/" + id))["status"], "deleting");

  Json redis = created("/v1/redis", Json{{"name", "slow"}, {"region", "fra1"}, {"size", "s-1"}});
  EXPECT_EQ(call("POST", "/v1/redis/" + redis["id"].get<std::string>() + "/stop").status, 409);
  EXPECT_EQ(call("DELETE", "/v1/redis/" + redis["id"].get<std::string>()).status, 202);
  EXPECT_EQ(call("DELETE", "/v1/redis/" + redis["id"].get<std::string>()).status, 409);
}

TEST_P(DataTest, DatabaseProvisionsThenStopsStartsResetsAndDeletes) {
  Json db = created("/v1/databases", Json{{"name", "shop-db"}, {"region", "fra1"}, {"size", "s-2vcpu-4gb"}});
  const std::string id = db["id"];
  EXPECT_EQ(id.rfind("db_", 0), 0u);
  EXPECT_EQ(db["status"], "provisioning");
  EXPECT_EQ(db["engine_version"], "17");
  EXPECT_EQ(db["storage_gb"], 20);
  EXPECT_TRUE(db["host"].is_null());
  EXPECT_EQ(call("POST", "/v1/databases", Json{{"name", "shop-db"}, {"region", "fra1"}, {"size", "s-1"}}).status,
            409);  // names are unique in the workspace

  settle();
  Json active = json(call("GET", "/v1/databases/" + id));
  EXPECT_EQ(active["status"], "active");
  EXPECT_TRUE(active["host"].is_string());
  EXPECT_EQ(events("database.created"), 1);

  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/start").status, 409);  // already running
  http::Response stop = call("POST", "/v1/databases/" + id + "/stop");
  ASSERT_EQ(stop.status, 202) << stop.body;
  EXPECT_EQ(json(stop)["status"], "stopping");
  settle();
  EXPECT_EQ(json(call("GET", "/v1/databases/" + id))["status"], "stopped");
  EXPECT_EQ(events("database.stopped"), 1);
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/reset", Json{{"confirm_name", "shop-db"}}).status, 409);

  http::Response start = call("POST", "/v1/databases/" + id + "/start");
  ASSERT_EQ(start.status, 202) << start.body;
  EXPECT_EQ(json(start)["status"], "starting");
  settle();
  EXPECT_EQ(json(call("GET", "/v1/databases/" + id))["status"], "active");

  http::Response wrongName = call("POST", "/v1/databases/" + id + "/reset", Json{{"confirm_name", "other"}});
  EXPECT_EQ(wrongName.status, 422);
  EXPECT_EQ(json(wrongName)["errors"][0]["pointer"], "/confirm_name");
  http::Response reset = call("POST", "/v1/databases/" + id + "/reset", Json{{"confirm_name", "shop-db"}});
  ASSERT_EQ(reset.status, 202) << reset.body;
  EXPECT_EQ(json(reset)["status"], "resetting");
  settle();
  EXPECT_EQ(json(call("GET", "/v1/databases/" + id))["status"], "active");
  EXPECT_EQ(events("database.reset"), 1);

  http::Response del = call("DELETE", "/v1/databases/" + id);
  ASSERT_EQ(del.status, 202) << del.body;
  EXPECT_EQ(json(del)["status"], "deleting");
  settle();
  EXPECT_EQ(call("GET", "/v1/databases/" + id).status, 404);
  EXPECT_EQ(events("database.deleted"), 1);

  // The events carry the resource as GET shows it, and the previous status of a change.
  http::Response feed = call("GET", "/v1/events?limit=100");
  ASSERT_EQ(feed.status, 200) << feed.body;
  bool sawStop = false;
  const Json page = json(feed);
  for (const Json& event : page["data"]) {
    if (event["type"] != "database.stopped") continue;
    sawStop = true;
    EXPECT_EQ(event["data"]["object"]["id"], id);
    EXPECT_EQ(event["data"]["object"]["status"], "stopped");
    EXPECT_EQ(event["data"]["previous_attributes"]["status"], "stopping");
  }
  EXPECT_TRUE(sawStop);
}

TEST_P(RealTimeDataTest, DatabasesListFilterUpdateAndStayInTheirTenant) {
  Json project = created("/v1/projects", Json{{"name", "shop"}});
  Json a = created("/v1/databases", Json{{"name", "orders"}, {"region", "fra1"}, {"size", "s-1"},
                                          {"project_id", project["id"]}, {"storage_gb", 50}});
  Json b = created("/v1/databases", Json{{"name", "users"}, {"region", "ams3"}, {"size", "s-1"}});
  http::Response badProject = call("POST", "/v1/databases", Json{{"name", "x"}, {"region", "fra1"}, {"size", "s-1"},
                                                                  {"project_id", "prj_000000000000000000000000"}});
  EXPECT_EQ(badProject.status, 422);

  Json all = json(call("GET", "/v1/databases"));
  ASSERT_EQ(all["data"].size(), 2u);
  // Newest first: by created_at, and by id within one millisecond (a fast machine makes
  // both in the same one).
  auto key = [](const Json& d) { return std::pair{d["created_at"].get<std::string>(), d["id"].get<std::string>()}; };
  EXPECT_EQ(all["data"][0]["id"], key(b) > key(a) ? b["id"] : a["id"]);
  Json inFra = json(call("GET", "/v1/databases?region=fra1"));
  ASSERT_EQ(inFra["data"].size(), 1u);
  EXPECT_EQ(inFra["data"][0]["id"], a["id"]);
  EXPECT_EQ(json(call("GET", "/v1/databases?project_id=" + project["id"].get<std::string>()))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/databases?name=us"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/databases?status=provisioning"))["data"].size(), 2u);

  const std::string id = a["id"];
  http::Response grow = call("PATCH", "/v1/databases/" + id, Json{{"storage_gb", 100}, {"high_availability", true}});
  ASSERT_EQ(grow.status, 200) << grow.body;
  EXPECT_EQ(json(grow)["storage_gb"], 100);
  EXPECT_EQ(json(grow)["high_availability"], true);
  http::Response shrink = call("PATCH", "/v1/databases/" + id, Json{{"storage_gb", 50}});
  EXPECT_EQ(shrink.status, 422);
  EXPECT_EQ(json(shrink)["errors"][0]["pointer"], "/storage_gb");
  EXPECT_EQ(call("PATCH", "/v1/databases/" + id, Json{{"name", "users"}}).status, 409);
  EXPECT_EQ(json(call("PATCH", "/v1/databases/" + id, Json{{"name", "orders-2"}}))["name"], "orders-2");

  // A test-mode key is another namespace: the live database is not there.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/databases/" + id, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/databases/" + id, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("GET", "/v1/databases/" + id + "/credentials", {}, {}, testKey).status, 404);
  EXPECT_EQ(json(call("GET", "/v1/databases", {}, {}, testKey))["data"].size(), 0u);
  EXPECT_EQ(call("GET", "/v1/databases/db_000000000000000000000000").status, 404);
}

TEST_P(DataTest, DatabaseCredentialsAreMaskedRevealedWithScopeAndRotated) {
  Json db = created("/v1/databases", Json{{"name", "vault"}, {"region", "fra1"}, {"size", "s-1"}});
  const std::string id = db["id"];
  settle();
  http::Response masked = call("GET", "/v1/databases/" + id + "/credentials");
  ASSERT_EQ(masked.status, 200) << masked.body;
  Json credentials = json(masked);
  EXPECT_EQ(credentials["masked"], true);
  EXPECT_EQ(credentials["password"], "********");
  EXPECT_EQ(credentials["port"], 5432);
  EXPECT_EQ(credentials["database"], "vault");
  EXPECT_EQ(credentials["host"], json(call("GET", "/v1/databases/" + id))["host"]);
  EXPECT_EQ(credentials["connection_uri"].get<std::string>().rfind("postgresql://app:********@", 0), 0u);

  // Reveal needs secrets:reveal; write is not enough.
  std::string writer = keyWith({"databases:read", "databases:write"});
  EXPECT_EQ(call("POST", "/v1/databases/" + id + "/credentials/reveal", {}, {}, writer).status, 403);
  http::Response revealed = call("POST", "/v1/databases/" + id + "/credentials/reveal");
  ASSERT_EQ(revealed.status, 200) << revealed.body;
  const std::string password = json(revealed)["password"];
  EXPECT_EQ(json(revealed)["masked"], false);
  EXPECT_EQ(password.size(), 32u);
  EXPECT_NE(json(revealed)["connection_uri"].get<std::string>().find(password), std::string::npos);
  EXPECT_EQ(audited("database.credentials_revealed"), 1);
  EXPECT_EQ(storedBody(id).find(password), std::string::npos);  // only sealed at rest

  http::Response rotated =
      call("POST", "/v1/databases/" + id + "/credentials/rotate", Json{{"grace_period_seconds", 0}});
  ASSERT_EQ(rotated.status, 202) << rotated.body;
  EXPECT_EQ(json(rotated)["masked"], true);
  EXPECT_NE(json(rotated)["rotated_at"], credentials["rotated_at"]);
  EXPECT_EQ(audited("database.credentials_rotated"), 1);
  EXPECT_EQ(events("database.credentials_rotated"), 1);
  const std::string fresh = json(call("POST", "/v1/databases/" + id + "/credentials/reveal"))["password"];
  EXPECT_NE(fresh, password);
  EXPECT_EQ(audited("database.credentials_revealed"), 2);
  // The audit log shows both reveals on this database.
  const Json workspaces = json(call("GET", "/v1/workspaces"));
  const std::string workspace = workspaces["data"][0]["id"];
  http::Response log = call("GET", "/v1/workspaces/" + workspace +
                                       "/audit-log?action=database.credentials_revealed&resource_id=" + id);
  ASSERT_EQ(log.status, 200) << log.body;
  const Json entries = json(log);
  ASSERT_EQ(entries["data"].size(), 2u);
  EXPECT_EQ(entries["data"][0]["resource"]["type"], "database");
  EXPECT_EQ(entries["data"][0]["resource"]["id"], id);
  EXPECT_EQ(call("POST", "/v1/databases/db_000000000000000000000000/credentials/rotate", Json::object()).status, 404);
}

TEST_P(DataTest, DatabaseStatusAndMetricsAreShapedAndDeterministic) {
  Json db = created("/v1/databases", Json{{"name", "metrics"}, {"region", "fra1"}, {"size", "s-1"},
                                          {"high_availability", true}});
  const std::string id = db["id"];
  settle();
  Json health = json(call("GET", "/v1/databases/" + id + "/status"));
  EXPECT_EQ(health["id"], id);
  EXPECT_EQ(health["primary_healthy"], true);
  EXPECT_EQ(health["standby_healthy"], true);

  http::Response r = call("GET", "/v1/databases/" + id + "/metrics?range=1h&metric=cpu_percent&metric=connections");
  ASSERT_EQ(r.status, 200) << r.body;
  Json metrics = json(r);
  EXPECT_EQ(metrics["database_id"], id);
  EXPECT_EQ(metrics["range"], "1h");
  EXPECT_EQ(metrics["step_seconds"], 60);
  ASSERT_EQ(metrics["series"].size(), 2u);
  EXPECT_EQ(metrics["series"][0]["metric"], "cpu_percent");
  const Json& points = metrics["series"][0]["points"];
  ASSERT_EQ(points.size(), 60u);
  EXPECT_LT(points[0]["timestamp"].get<std::string>(), points[59]["timestamp"].get<std::string>());  // oldest first
  for (const Json& point : points) {
    EXPECT_GE(point["value"].get<double>(), 0.0);
    EXPECT_LE(point["value"].get<double>(), 100.0);
  }
  // An hour ago it did not exist; now it runs.
  EXPECT_EQ(points[0]["value"], 0.0);
  EXPECT_GT(points[59]["value"].get<double>(), 0.0);
  // Deterministic: the same instant has the same value in a later call.
  Json again = json(call("GET", "/v1/databases/" + id + "/metrics?range=1h&metric=cpu_percent"));
  std::map<std::string, double> first;
  for (const Json& point : points) first[point["timestamp"]] = point["value"];
  std::size_t compared = 0;
  for (const Json& point : again["series"][0]["points"]) {
    auto it = first.find(point["timestamp"]);
    if (it == first.end()) continue;
    EXPECT_EQ(it->second, point["value"].get<double>());
    ++compared;
  }
  EXPECT_GT(compared, 0u);
  EXPECT_EQ(json(call("GET", "/v1/databases/" + id + "/metrics"))["series"].size(), 6u);
  // The spec's pattern rejects 90d; 999h fits the pattern but is over 30 days; both are
  // 400s, as is an unknown metric: the operation documents no 422.
  EXPECT_EQ(call("GET", "/v1/databases/" + id + "/metrics?range=90d").status, 400);
  http::Response tooLong = call("GET", "/v1/databases/" + id + "/metrics?range=999h");
  EXPECT_EQ(tooLong.status, 400);
  EXPECT_NE(json(tooLong)["detail"].get<std::string>().find("range"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/databases/" + id + "/metrics?metric=bogus").status, 400);
}

TEST_P(DataTest, DatabasesAndRedisAreCappedByThePlan) {
  // The bootstrap workspace is on `pro`: ten of each.
  for (int i = 0; i < 10; ++i) {
    const std::string name = "db-" + std::to_string(i);
    ASSERT_EQ(call("POST", "/v1/databases", Json{{"name", name}, {"region", "fra1"}, {"size", "s-1"}}).status, 201);
    ASSERT_EQ(call("POST", "/v1/redis", Json{{"name", name}, {"region", "fra1"}, {"size", "s-1"}}).status, 201);
  }
  http::Response db = call("POST", "/v1/databases", Json{{"name", "one-more"}, {"region", "fra1"}, {"size", "s-1"}});
  EXPECT_EQ(db.status, 403);
  EXPECT_EQ(json(db)["code"], "PLAN_RESTRICTED_FEATURE");
  EXPECT_EQ(call("POST", "/v1/redis", Json{{"name", "one-more"}, {"region", "fra1"}, {"size", "s-1"}}).status, 403);
}

// ---------------------------------------------------------------- redis

TEST_P(DataTest, RedisLivesThroughItsLifecycleWithCredentials) {
  Json redis = created("/v1/redis", Json{{"name", "cache"}, {"region", "fra1"}, {"size", "s-1vcpu-2gb"}});
  const std::string id = redis["id"];
  EXPECT_EQ(id.rfind("red_", 0), 0u);
  EXPECT_EQ(redis["engine_version"], "7.4");
  EXPECT_EQ(redis["storage_gb"], 2);
  EXPECT_EQ(redis["port"], 6380);
  EXPECT_EQ(call("POST", "/v1/redis/" + id + "/start").status, 409);
  settle();
  EXPECT_EQ(json(call("GET", "/v1/redis/" + id))["status"], "active");
  EXPECT_EQ(events("redis.created"), 1);
  EXPECT_EQ(json(call("GET", "/v1/redis?status=active"))["data"].size(), 1u);
  EXPECT_EQ(json(call("PATCH", "/v1/redis/" + id, Json{{"size", "s-2vcpu-8gb"}}))["storage_gb"], 8);

  Json credentials = json(call("GET", "/v1/redis/" + id + "/credentials"));
  EXPECT_EQ(credentials["password"], "********");
  EXPECT_TRUE(credentials["database"].is_null());
  EXPECT_EQ(credentials["connection_uri"].get<std::string>().rfind("rediss://default:********@", 0), 0u);
  std::string reader = keyWith({"redis:read", "redis:write"});
  EXPECT_EQ(call("POST", "/v1/redis/" + id + "/credentials/reveal", {}, {}, reader).status, 403);
  const std::string password = json(call("POST", "/v1/redis/" + id + "/credentials/reveal"))["password"];
  EXPECT_EQ(audited("redis.credentials_revealed"), 1);
  EXPECT_EQ(call("POST", "/v1/redis/" + id + "/credentials/rotate", Json::object()).status, 202);
  EXPECT_EQ(audited("redis.credentials_rotated"), 1);
  EXPECT_NE(json(call("POST", "/v1/redis/" + id + "/credentials/reveal"))["password"], password);

  Json health = json(call("GET", "/v1/redis/" + id + "/status"));
  EXPECT_TRUE(health["standby_healthy"].is_null());  // no high availability
  Json metrics = json(call("GET", "/v1/redis/" + id + "/metrics?range=15m"));
  EXPECT_EQ(metrics["redis_id"], id);
  EXPECT_EQ(metrics["series"].size(), 6u);
  EXPECT_EQ(metrics["step_seconds"], 15);

  EXPECT_EQ(json(call("POST", "/v1/redis/" + id + "/stop"))["status"], "stopping");
  settle();
  EXPECT_EQ(json(call("GET", "/v1/redis/" + id))["status"], "stopped");
  EXPECT_EQ(call("POST", "/v1/redis/" + id + "/stop").status, 409);
  EXPECT_EQ(json(call("POST", "/v1/redis/" + id + "/start"))["status"], "starting");
  settle();
  EXPECT_EQ(json(call("POST", "/v1/redis/" + id + "/reset", Json{{"confirm_name", "cache"}}))["status"], "resetting");
  settle();
  EXPECT_EQ(call("DELETE", "/v1/redis/" + id).status, 202);
  settle();
  EXPECT_EQ(call("GET", "/v1/redis/" + id).status, 404);
  EXPECT_EQ(events("redis.deleted"), 1);
  EXPECT_EQ(call("GET", "/v1/redis/red_000000000000000000000000/credentials").status, 404);
}

// ---------------------------------------------------------------- storage

TEST_P(DataTest, BucketsAreUniqueCountedInTheQuotaAndCappedByThePlan) {
  Json quota = json(call("GET", "/v1/storage/quota"));
  EXPECT_EQ(quota["bucket_count"], 0);
  EXPECT_EQ(quota["used_bytes"], 0);
  EXPECT_EQ(quota["bucket_limit"], 20);  // the bootstrap workspace is on `pro`

  Json bucket = created("/v1/storage/buckets", Json{{"name", "assets"}, {"region", "fra1"}, {"versioning", true}});
  const std::string id = bucket["id"];
  EXPECT_EQ(id.rfind("bkt_", 0), 0u);
  EXPECT_EQ(bucket["public_read"], false);
  EXPECT_EQ(bucket["endpoint"], "https://assets.fra1.storage.cloud.example");
  EXPECT_EQ(call("POST", "/v1/storage/buckets", Json{{"name", "assets"}, {"region", "ams3"}}).status, 409);
  // Names are global: another namespace cannot take it either.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/storage/buckets/" + id, {}, {}, testKey).status, 404);
  EXPECT_EQ(json(call("GET", "/v1/storage/quota"))["bucket_count"], 1);
  EXPECT_EQ(events("bucket.created"), 1);

  EXPECT_EQ(json(call("GET", "/v1/storage/buckets/" + id))["name"], "assets");
  http::Response publicRead = call("PATCH", "/v1/storage/buckets/" + id, Json{{"public_read", true}});
  ASSERT_EQ(publicRead.status, 200) << publicRead.body;
  EXPECT_EQ(json(publicRead)["public_read"], true);
  EXPECT_EQ(call("PATCH", "/v1/storage/buckets/" + id, Json{{"versioning", false}}).status, 409);

  for (int i = 1; i < 20; ++i) {
    ASSERT_EQ(call("POST", "/v1/storage/buckets", Json{{"name", "b-" + std::to_string(i)}, {"region", "fra1"}}).status,
              201);
  }
  http::Response over = call("POST", "/v1/storage/buckets", Json{{"name", "one-too-many"}, {"region", "fra1"}});
  EXPECT_EQ(over.status, 403);
  EXPECT_EQ(json(over)["code"], "PLAN_RESTRICTED_FEATURE");
  Json page = json(call("GET", "/v1/storage/buckets?limit=4"));
  EXPECT_EQ(page["data"].size(), 4u);
  EXPECT_EQ(page["meta"]["has_more"], true);

  EXPECT_EQ(call("DELETE", "/v1/storage/buckets/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/storage/buckets/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/storage/buckets/" + id).status, 404);
  EXPECT_EQ(json(call("GET", "/v1/storage/quota"))["bucket_count"], 19);
  EXPECT_EQ(events("bucket.deleted"), 1);
}

TEST_P(DataTest, PresignedUrlsAreSignedPerMethodKeyAndExpiry) {
  Json bucket = created("/v1/storage/buckets", Json{{"name", "uploads"}, {"region", "fra1"}});
  const std::string path = "/v1/storage/buckets/" + bucket["id"].get<std::string>() + "/presigned-urls";
  http::Response r = call("POST", path, Json{{"method", "PUT"}, {"object_key", "photos/a b.png"},
                                             {"expires_in", 600}, {"content_type", "image/png"}});
  ASSERT_EQ(r.status, 201) << r.body;
  Json signedUrl = json(r);
  const std::string url = signedUrl["url"];
  EXPECT_EQ(url.rfind("https://uploads.fra1.storage.cloud.example/photos/a%20b.png?", 0), 0u) << url;
  EXPECT_NE(url.find("X-Tether-Signature="), std::string::npos);
  EXPECT_EQ(signedUrl["method"], "PUT");
  EXPECT_EQ(signedUrl["headers"]["Content-Type"], "image/png");
  EXPECT_GT(signedUrl["expires_at"].get<std::string>(), bucket["created_at"].get<std::string>());

  Json get = json(call("POST", path, Json{{"method", "GET"}, {"object_key", "photos/a b.png"}}));
  EXPECT_NE(get["url"], url);  // another method, another signature
  EXPECT_TRUE(get["headers"].empty());
  EXPECT_EQ(call("POST", "/v1/storage/buckets/bkt_000000000000000000000000/presigned-urls",
                 Json{{"method", "GET"}, {"object_key", "x"}})
                .status,
            404);
}

TEST_P(DataTest, StorageAccessKeysShowTheirSecretOnceAndAreRevoked) {
  Json bucket = created("/v1/storage/buckets", Json{{"name", "logs"}, {"region", "fra1"}});
  Json key = created("/v1/storage/access-keys", Json{{"name", "ci"}, {"permission", "read"},
                                                     {"bucket_ids", {bucket["id"]}}});
  const std::string id = key["id"];
  EXPECT_EQ(id.rfind("sak_", 0), 0u);
  const std::string secret = key["secret_access_key"];
  EXPECT_EQ(secret.size(), 40u);
  EXPECT_EQ(key["access_key_id"].get<std::string>().size(), 20u);
  EXPECT_EQ(key["status"], "active");
  EXPECT_EQ(audited("storage_access_key.created"), 1);
  EXPECT_EQ(storedBody(id).find(secret), std::string::npos);

  Json fetched = json(call("GET", "/v1/storage/access-keys/" + id));
  EXPECT_FALSE(fetched.contains("secret_access_key"));
  EXPECT_EQ(fetched["permission"], "read");
  Json listed = json(call("GET", "/v1/storage/access-keys"));
  ASSERT_EQ(listed["data"].size(), 1u);
  EXPECT_FALSE(listed["data"][0].contains("secret_access_key"));

  http::Response badBucket = call("POST", "/v1/storage/access-keys",
                                  Json{{"name", "x"}, {"bucket_ids", {"bkt_000000000000000000000000"}}});
  EXPECT_EQ(badBucket.status, 422);
  EXPECT_EQ(json(badBucket)["errors"][0]["pointer"], "/bucket_ids/0");

  EXPECT_EQ(call("DELETE", "/v1/storage/access-keys/" + id).status, 204);
  EXPECT_EQ(json(call("GET", "/v1/storage/access-keys/" + id))["status"], "revoked");
  EXPECT_EQ(call("DELETE", "/v1/storage/access-keys/" + id).status, 204);  // idempotent
  EXPECT_EQ(audited("storage_access_key.revoked"), 1);
  EXPECT_EQ(json(call("GET", "/v1/storage/access-keys?status=revoked"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", "/v1/storage/access-keys?status=active"))["data"].size(), 0u);
  EXPECT_EQ(call("DELETE", "/v1/storage/access-keys/sak_000000000000000000000000").status, 404);
  std::string reader = keyWith({"storage:read"});
  EXPECT_EQ(call("POST", "/v1/storage/access-keys", Json{{"name", "x"}}, {}, reader).status, 403);
}

// ---------------------------------------------------------------- dns


TEST_P(DataTest, DnsZonesBecomeActiveAtTheDelegationCheck) {
  Json zone = created("/v1/dns/zones", Json{{"name", "delegated.example"}});
  EXPECT_EQ(zone["status"], "pending_delegation");
  settle();  // 400 sandbox seconds: not yet
  settle();  // 800: checked
  Json after = json(call("GET", "/v1/dns/zones/" + zone["id"].get<std::string>()));
  EXPECT_EQ(after["status"], "active");
  EXPECT_EQ(json(call("GET", "/v1/dns/zones?status=active"))["data"].size(), 1u);
}

TEST_P(RealTimeDataTest, DnsZonesAreUniqueAndDeletingOneDeletesItsRecords) {
  Json zone = created("/v1/dns/zones", Json{{"name", "example.com"}});
  const std::string id = zone["id"];
  EXPECT_EQ(id.rfind("dnz_", 0), 0u);
  EXPECT_EQ(zone["status"], "pending_delegation");
  EXPECT_EQ(zone["default_ttl"], 3600);
  EXPECT_EQ(zone["name_servers"].size(), 2u);
  EXPECT_EQ(zone["record_count"], 2);  // the apex NS records
  EXPECT_EQ(call("POST", "/v1/dns/zones", Json{{"name", "example.com"}}).status, 409);

  http::Response ttl = call("PATCH", "/v1/dns/zones/" + id, Json{{"default_ttl", 300}});
  ASSERT_EQ(ttl.status, 200) << ttl.body;
  EXPECT_EQ(json(ttl)["default_ttl"], 300);
  Json record =
      created("/v1/dns/zones/" + id + "/records", Json{{"type", "A"}, {"name", "www"}, {"value", "192.0.2.1"}});
  EXPECT_EQ(json(call("GET", "/v1/dns/zones/" + id))["record_count"], 3);
  EXPECT_EQ(json(call("GET", "/v1/dns/zones?status=pending_delegation"))["data"][0]["record_count"], 3);
  EXPECT_EQ(json(call("GET", "/v1/dns/zones?status=active"))["data"].size(), 0u);

  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/dns/zones/" + id, {}, {}, testKey).status, 404);
  EXPECT_EQ(call("GET", "/v1/dns/zones/" + id + "/records", {}, {}, testKey).status, 404);

  EXPECT_EQ(call("DELETE", "/v1/dns/zones/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/dns/zones/" + id).status, 404);
  EXPECT_EQ(call("GET", "/v1/dns/records/" + record["id"].get<std::string>()).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/dns/zones/" + id).status, 404);
  // The name is free again.
  EXPECT_EQ(call("POST", "/v1/dns/zones", Json{{"name", "example.com"}}).status, 201);
}

TEST_P(RealTimeDataTest, DnsRecordsAreValidatedPerTypeAndLiveThroughCrud) {
  const std::string zone = created("/v1/dns/zones", Json{{"name", "shop.example"}})["id"];
  const std::string records = "/v1/dns/zones/" + zone + "/records";
  auto rejected = [&](const Json& body, const std::string& pointer) {
    http::Response r = call("POST", records, body);
    EXPECT_EQ(r.status, 422) << body.dump() << r.body;
    EXPECT_EQ(json(r)["errors"][0]["pointer"], pointer) << body.dump();
  };
  rejected(Json{{"type", "A"}, {"name", "www"}, {"value", "2001:db8::1"}}, "/value");
  rejected(Json{{"type", "A"}, {"name", "www"}, {"value", "300.1.1.1"}}, "/value");
  rejected(Json{{"type", "AAAA"}, {"name", "www"}, {"value", "192.0.2.1"}}, "/value");
  rejected(Json{{"type", "MX"}, {"name", "@"}, {"value", "mail.shop.example"}}, "/priority");
  rejected(Json{{"type", "A"}, {"name", "www"}, {"value", "192.0.2.1"}, {"priority", 10}}, "/priority");
  rejected(Json{{"type", "CNAME"}, {"name", "blog"}, {"value", "not a host"}}, "/value");
  rejected(Json{{"type", "SRV"}, {"name", "_sip._tcp"}, {"value", "5 sip.example"}, {"priority", 1}}, "/value");
  rejected(Json{{"type", "CAA"}, {"name", "@"}, {"value", "0 issue letsencrypt.org"}}, "/value");

  Json a = created(records, Json{{"type", "A"}, {"name", "www"}, {"value", "192.0.2.1"}, {"ttl", 60}});
  const std::string id = a["id"];
  EXPECT_EQ(id.rfind("dnr_", 0), 0u);
  EXPECT_EQ(a["zone_id"], zone);
  EXPECT_TRUE(a["managed_by"].is_null());
  created(records, Json{{"type", "AAAA"}, {"name", "www"}, {"value", "2001:db8::1"}});
  created(records, Json{{"type", "MX"}, {"name", "@"}, {"value", "mail.shop.example"}, {"priority", 10}});
  created(records, Json{{"type", "SRV"}, {"name", "_sip._tcp"}, {"value", "5 5060 sip.shop.example"}, {"priority", 1}});
  created(records, Json{{"type", "CAA"}, {"name", "@"}, {"value", "0 issue \"letsencrypt.org\""}});
  created(records, Json{{"type", "TXT"}, {"name", "@"}, {"value", "v=spf1 -all"}});
  created(records, Json{{"type", "CNAME"}, {"name", "blog"}, {"value", "hosting.example.net"}});
  // A CNAME is alone at its name, both ways.
  EXPECT_EQ(call("POST", records, Json{{"type", "CNAME"}, {"name", "www"}, {"value", "x.example"}}).status, 409);
  EXPECT_EQ(call("POST", records, Json{{"type", "TXT"}, {"name", "blog"}, {"value", "hi"}}).status, 409);

  Json all = json(call("GET", records + "?limit=100"));
  EXPECT_EQ(all["data"].size(), 9u);  // 2 NS + 7
  EXPECT_EQ(json(call("GET", records + "?type=AAAA"))["data"].size(), 1u);
  EXPECT_EQ(json(call("GET", records + "?type=NS"))["data"].size(), 2u);

  EXPECT_EQ(json(call("GET", "/v1/dns/records/" + id))["value"], "192.0.2.1");
  http::Response changed = call("PATCH", "/v1/dns/records/" + id, Json{{"value", "192.0.2.7"}, {"ttl", nullptr}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(json(changed)["value"], "192.0.2.7");
  EXPECT_TRUE(json(changed)["ttl"].is_null());
  EXPECT_EQ(call("PATCH", "/v1/dns/records/" + id, Json{{"value", "::1"}}).status, 422);
  EXPECT_EQ(json(call("GET", "/v1/dns/records/" + id))["value"], "192.0.2.7");

  EXPECT_EQ(call("DELETE", "/v1/dns/records/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/dns/records/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/dns/records/" + id).status, 404);
  EXPECT_EQ(call("PATCH", "/v1/dns/records/dnr_000000000000000000000000", Json{{"ttl", 60}}).status, 404);
  EXPECT_EQ(call("POST", "/v1/dns/zones/dnz_000000000000000000000000/records",
                 Json{{"type", "A"}, {"name", "www"}, {"value", "192.0.2.1"}})
                .status,
            404);
}

TEST_P(RealTimeDataTest, PlatformManagedRecordsCannotChangeAndKeepTheirZone) {
  const std::string zone = created("/v1/dns/zones", Json{{"name", "mail.example"}})["id"];
  // A record as the email domains publish it (managed_by email_domain), put in the store.
  const std::string recordId = "dnr_managedrecord0000000000";
  sandbox_->services().db.transact([&](storage::Connection& c) {
    auto q = c.prepare("SELECT workspace_id, mode FROM resources WHERE id = $1");
    q->bind_text(1, zone);
    ASSERT_TRUE(q->step());
    Tenant t{q->text(0), q->text(1), "", ""};
    Document d;
    d.id = recordId;
    d.kind = "dns_record";
    d.parent = zone;
    d.name = "dkim._domainkey";
    d.createdAt = d.updatedAt = "2026-01-01T00:00:00.000Z";
    d.body = {{"id", d.id},      {"zone_id", zone},   {"type", "TXT"},          {"name", "dkim._domainkey"},
              {"value", "v=DKIM1; p=abc"}, {"ttl", nullptr}, {"priority", nullptr}, {"managed_by", "email_domain"},
              {"created_at", d.createdAt}, {"updated_at", d.updatedAt}};
    documents::insert(c, t, d);
  });
  EXPECT_EQ(json(call("GET", "/v1/dns/records/" + recordId))["managed_by"], "email_domain");
  EXPECT_EQ(call("PATCH", "/v1/dns/records/" + recordId, Json{{"value", "changed"}}).status, 409);
  EXPECT_EQ(call("DELETE", "/v1/dns/records/" + recordId).status, 409);
  EXPECT_EQ(call("DELETE", "/v1/dns/zones/" + zone).status, 409);
  EXPECT_EQ(json(call("GET", "/v1/dns/zones/" + zone))["record_count"], 3);
}

TETHER_SANDBOX_BACKENDS(DataTest);
TETHER_SANDBOX_BACKENDS(RealTimeDataTest);

}  // namespace
}  // namespace tether::sandbox::testing
