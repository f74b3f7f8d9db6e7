// Events and webhooks: the event log as a page and as an SSE stream, webhook endpoints,
// and deliveries to a real HTTP receiver on 127.0.0.1, verified the way a customer
// verifies Standard Webhooks signatures. Every case runs on SQLite and PostgreSQL.
#include <httplib.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/clock.h"
#include "app/crypto.h"
#include "sandbox_fixture.h"
#include "tether/http/percent.h"

namespace tether::sandbox::testing {
namespace {

using namespace std::chrono_literals;

// What the receiver got in one request.
struct Received {
  std::string id, timestamp, signature, body;
};

// A webhook receiver on an ephemeral port that answers `answers` in turn (the last one
// from then on).
class Receiver {
 public:
  explicit Receiver(std::vector<int> answers = {200}) : answers_(std::move(answers)) {
    server_.Post("/hook", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      got_.push_back({request.get_header_value("webhook-id"), request.get_header_value("webhook-timestamp"),
                      request.get_header_value("webhook-signature"), request.body});
      response.status = answers_[std::min(got_.size(), answers_.size()) - 1];
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  // The spec wants https:// URLs; the sandbox sends to loopback hosts over plain HTTP.
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::size_t count() {
    std::lock_guard lock(mutex_);
    return got_.size();
  }
  Received at(std::size_t i) {
    std::lock_guard lock(mutex_);
    return got_.at(i);
  }

 private:
  std::vector<int> answers_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<Received> got_;
};

// The check a customer's receiver makes: one of the space-separated `v1,` signatures is
// the HMAC-SHA256 of "id.timestamp.body" keyed by the secret's base64 part, and the
// timestamp is within 5 minutes.
bool verifies(const std::string& secret, const Received& r) {
  std::optional<Bytes> key = base64Decode(secret.substr(std::string("whsec_").size()));
  if (!key) return false;
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (std::llabs(now - std::stoll(r.timestamp)) > 300) return false;
  const std::string expected = "v1," + base64(hmacSha256(*key, r.id + "." + r.timestamp + "." + r.body));
  std::istringstream signatures(r.signature);
  for (std::string one; signatures >> one;) {
    if (constantTimeEqual(one, expected)) return true;
  }
  return false;
}

std::size_t signatureCount(const Received& r) {
  std::istringstream signatures(r.signature);
  std::size_t n = 0;
  for (std::string one; signatures >> one;) ++n;
  return n;
}

class WebhooksTest : public SandboxTest {
 protected:
  // Retries wait 1 minute of sandbox time: 100 ms here.
  double clockSpeed() const override { return 600.0; }

  // Runs the background jobs until `done` holds (false after 10 s).
  bool waitFor(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
      sandbox_->tick();
      if (done()) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  Json createEndpoint(const std::string& url, const Json& events = Json::array({"*"})) {
    http::Response r = call("POST", "/v1/webhook-endpoints", Json{{"url", url}, {"events", events}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }

  Json delivery(const std::string& id) { return json(call("GET", "/v1/webhook-deliveries/" + id)); }
};

TEST_P(WebhooksTest, EndpointsLiveThroughCreateGetUpdateListDelete) {
  http::Response created = call("POST", "/v1/webhook-endpoints",
                                Json{{"url", "https://hooks.example.com/in"},
                                     {"description", "SIEM"},
                                     {"events", {"project.created", "deployment.failed"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  Json endpoint = json(created);
  const std::string id = endpoint["id"], secret = endpoint["secret"];
  EXPECT_EQ(id.rfind("whe_", 0), 0u);
  EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
  EXPECT_EQ(secret.size(), 6u + 44u);
  EXPECT_EQ(endpoint["secret_prefix"], secret.substr(0, 10));
  EXPECT_EQ(endpoint["status"], "enabled");
  EXPECT_TRUE(endpoint["disabled_reason"].is_null());

  // The secret is shown once; bookkeeping never shows.
  http::Response got = call("GET", "/v1/webhook-endpoints/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_FALSE(json(got).contains("secret"));
  EXPECT_EQ(got.body.find("whsec_", got.body.find("secret_prefix") + 30), std::string::npos);
  EXPECT_EQ(got.body.find("\"_"), std::string::npos);
  EXPECT_EQ(json(got)["description"], "SIEM");

  http::Response patched =
      call("PATCH", "/v1/webhook-endpoints/" + id, Json{{"events", {"*"}}, {"status", "disabled"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(json(patched)["events"], Json::array({"*"}));
  EXPECT_EQ(json(patched)["status"], "disabled");
  EXPECT_EQ(json(patched)["disabled_reason"], "manual");

  createEndpoint("https://other.example.com/hook");
  Json disabled = json(call("GET", "/v1/webhook-endpoints?status=disabled"));
  ASSERT_EQ(disabled["data"].size(), 1u);
  EXPECT_EQ(disabled["data"][0]["id"], id);
  Json page = json(call("GET", "/v1/webhook-endpoints?limit=1"));
  EXPECT_EQ(page["data"].size(), 1u);
  EXPECT_TRUE(page["meta"]["has_more"]);

  http::Response enabled = call("PATCH", "/v1/webhook-endpoints/" + id, Json{{"status", "enabled"}});
  EXPECT_EQ(json(enabled)["status"], "enabled");
  EXPECT_TRUE(json(enabled)["disabled_reason"].is_null());

  // Plain http:// is refused by the spec's pattern.
  EXPECT_EQ(call("POST", "/v1/webhook-endpoints", Json{{"url", "http://x.example.com"}, {"events", {"*"}}}).status,
            422);
  // Scopes: reading does not allow writing.
  std::string reader = keyWith({"webhooks:read"});
  EXPECT_EQ(call("GET", "/v1/webhook-endpoints/" + id, {}, {}, reader).status, 200);
  EXPECT_EQ(call("POST", "/v1/webhook-endpoints", Json{{"url", "https://a.example.com"}, {"events", {"*"}}}, {}, reader)
                .status,
            403);
  // Another mode's credential does not see the endpoint.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/webhook-endpoints/" + id, {}, {}, testKey).status, 404);

  EXPECT_EQ(call("DELETE", "/v1/webhook-endpoints/" + id).status, 204);
  EXPECT_EQ(call("GET", "/v1/webhook-endpoints/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/v1/webhook-endpoints/" + id).status, 404);
  EXPECT_EQ(call("PATCH", "/v1/webhook-endpoints/" + id, Json{{"status", "enabled"}}).status, 404);
  EXPECT_EQ(call("GET", "/v1/webhook-endpoints/whe_000000000000000000000000/deliveries").status, 404);
}

TEST_P(WebhooksTest, DeliveriesCarryStandardWebhooksSignatures) {
  Receiver receiver;
  Json endpoint = createEndpoint(receiver.url(), {"project.created"});
  const std::string secret = endpoint["secret"];
  http::Response project = call("POST", "/v1/projects", Json{{"name", "web"}});
  ASSERT_EQ(project.status, 201);
  const std::string projectId = json(project)["id"];

  ASSERT_TRUE(waitFor([&] { return receiver.count() >= 1; }));
  Received got = receiver.at(0);
  EXPECT_TRUE(verifies(secret, got)) << got.signature;
  EXPECT_EQ(signatureCount(got), 1u);
  Json event = Json::parse(got.body);
  EXPECT_EQ(event["id"], got.id);
  EXPECT_EQ(event["type"], "project.created");
  EXPECT_EQ(event["data"]["object"]["id"], projectId);
  // Tampering breaks the signature.
  Received tampered = got;
  tampered.body += " ";
  EXPECT_FALSE(verifies(secret, tampered));

  // The delivery log: one succeeded delivery with its attempt.
  const std::string endpointId = endpoint["id"];
  Json deliveries;
  ASSERT_TRUE(waitFor([&] {
    deliveries = json(call("GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries"));
    return deliveries["data"].size() == 1 && deliveries["data"][0]["status"] == "succeeded";
  })) << deliveries.dump();
  Json d = deliveries["data"][0];
  EXPECT_EQ(d["event_id"], got.id);
  EXPECT_EQ(d["event_type"], "project.created");
  ASSERT_EQ(d["attempts"].size(), 1u);
  EXPECT_EQ(d["attempts"][0]["response_status"], 200);
  EXPECT_EQ(delivery(d["id"]), d);
  EXPECT_EQ(json(call("GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries?status=failed"))["data"].size(), 0u);
  EXPECT_EQ(json(call("GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries?event_type=project.created"))["data"]
                .size(),
            1u);
  EXPECT_EQ(call("GET", "/v1/webhook-deliveries/whd_000000000000000000000000").status, 404);

  // Unsubscribed types are not sent.
  call("PATCH", "/v1/projects/" + projectId, Json{{"description", "changed"}});
  for (int i = 0; i < 5; ++i) sandbox_->tick();
  EXPECT_EQ(receiver.count(), 1u);
}

TEST_P(WebhooksTest, AFailedAttemptIsRetriedWithTheSameWebhookId) {
  Receiver receiver({500, 200});
  Json endpoint = createEndpoint(receiver.url());
  http::Response ping = call("POST", "/v1/webhook-endpoints/" + endpoint["id"].get<std::string>() + "/test");
  ASSERT_EQ(ping.status, 202) << ping.body;
  const std::string id = json(ping)["id"];
  EXPECT_EQ(json(ping)["status"], "pending");
  EXPECT_EQ(json(ping)["event_type"], "ping");

  ASSERT_TRUE(waitFor([&] { return delivery(id)["attempts"].size() >= 1; }));
  Json retrying = delivery(id);
  if (retrying["status"] == "retrying") {
    EXPECT_TRUE(retrying["next_attempt_at"].is_string());
  }
  EXPECT_EQ(retrying["attempts"][0]["response_status"], 500);

  ASSERT_TRUE(waitFor([&] { return delivery(id)["status"] == "succeeded"; })) << delivery(id).dump();
  Json done = delivery(id);
  ASSERT_EQ(done["attempts"].size(), 2u);
  EXPECT_EQ(done["attempts"][1]["response_status"], 200);
  EXPECT_TRUE(done["next_attempt_at"].is_null());
  ASSERT_EQ(receiver.count(), 2u);
  EXPECT_EQ(receiver.at(0).id, receiver.at(1).id);
  EXPECT_EQ(receiver.at(0).id, done["event_id"]);
  EXPECT_EQ(Json::parse(receiver.at(1).body)["data"]["object"]["message"], "pong");
  EXPECT_TRUE(verifies(endpoint["secret"], receiver.at(1)));
}

TEST_P(WebhooksTest, AnEndpointAnswering410IsDisabled) {
  Receiver receiver({410});
  Json endpoint = createEndpoint(receiver.url());
  const std::string endpointId = endpoint["id"];
  const std::string id = json(call("POST", "/v1/webhook-endpoints/" + endpointId + "/test"))["id"];
  ASSERT_TRUE(waitFor([&] { return delivery(id)["status"] == "failed"; })) << delivery(id).dump();
  EXPECT_EQ(delivery(id)["attempts"].size(), 1u);
  Json disabled = json(call("GET", "/v1/webhook-endpoints/" + endpointId));
  EXPECT_EQ(disabled["status"], "disabled");
  EXPECT_EQ(disabled["disabled_reason"], "gone");
  // Nothing is sent to a disabled endpoint.
  EXPECT_EQ(call("POST", "/v1/webhook-endpoints/" + endpointId + "/test").status, 409);
  EXPECT_EQ(call("POST", "/v1/webhook-deliveries/" + id + "/redeliver").status, 409);
  call("POST", "/v1/projects", Json{{"name", "quiet"}});
  for (int i = 0; i < 5; ++i) sandbox_->tick();
  EXPECT_EQ(receiver.count(), 1u);
  EXPECT_EQ(call("POST", "/v1/webhook-endpoints/whe_000000000000000000000000/test").status, 404);
  // Enabled again, it gets new events only: what it missed is not replayed.
  ASSERT_EQ(call("PATCH", "/v1/webhook-endpoints/" + endpointId, Json{{"status", "enabled"}}).status, 200);
  for (int i = 0; i < 5; ++i) sandbox_->tick();
  EXPECT_EQ(receiver.count(), 1u);
  call("POST", "/v1/projects", Json{{"name", "loud"}});
  ASSERT_TRUE(waitFor([&] { return receiver.count() == 2; }));
  EXPECT_EQ(Json::parse(receiver.at(1).body)["data"]["object"]["name"], "loud");
}

TEST_P(WebhooksTest, RedeliverSendsTheEventAgainUnderItsWebhookId) {
  Receiver receiver;
  Json endpoint = createEndpoint(receiver.url());
  const std::string endpointId = endpoint["id"];
  const std::string first = json(call("POST", "/v1/webhook-endpoints/" + endpointId + "/test"))["id"];
  ASSERT_TRUE(waitFor([&] { return delivery(first)["status"] == "succeeded"; }));

  http::Response again = call("POST", "/v1/webhook-deliveries/" + first + "/redeliver");
  ASSERT_EQ(again.status, 202) << again.body;
  const std::string second = json(again)["id"];
  EXPECT_NE(second, first);
  EXPECT_EQ(json(again)["status"], "pending");
  EXPECT_EQ(json(again)["event_id"], delivery(first)["event_id"]);
  ASSERT_TRUE(waitFor([&] { return delivery(second)["status"] == "succeeded"; }));
  ASSERT_EQ(receiver.count(), 2u);
  EXPECT_EQ(receiver.at(0).id, receiver.at(1).id);
  EXPECT_EQ(json(call("GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries"))["data"].size(), 2u);
  EXPECT_EQ(call("POST", "/v1/webhook-deliveries/whd_000000000000000000000000/redeliver").status, 404);
}

TEST_P(WebhooksTest, DuringARotationDeliveriesAreSignedWithBothSecrets) {
  Receiver receiver;
  Json endpoint = createEndpoint(receiver.url());
  const std::string endpointId = endpoint["id"], oldSecret = endpoint["secret"];
  http::Response rotated = call("POST", "/v1/webhook-endpoints/" + endpointId + "/rotate-secret",
                                Json{{"overlap_seconds", 86400}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  const std::string newSecret = json(rotated)["secret"];
  EXPECT_NE(newSecret, oldSecret);
  EXPECT_TRUE(json(rotated)["previous_secret_expires_at"].is_string());
  EXPECT_EQ(json(call("GET", "/v1/webhook-endpoints/" + endpointId))["secret_prefix"], newSecret.substr(0, 10));

  call("POST", "/v1/webhook-endpoints/" + endpointId + "/test");
  ASSERT_TRUE(waitFor([&] { return receiver.count() >= 1; }));
  Received got = receiver.at(0);
  EXPECT_EQ(signatureCount(got), 2u);
  EXPECT_TRUE(verifies(oldSecret, got));
  EXPECT_TRUE(verifies(newSecret, got));

  // Without overlap the old secret stops at once.
  http::Response now =
      call("POST", "/v1/webhook-endpoints/" + endpointId + "/rotate-secret", Json{{"overlap_seconds", 0}});
  ASSERT_EQ(now.status, 200);
  EXPECT_TRUE(json(now)["previous_secret_expires_at"].is_null());
  const std::string latest = json(now)["secret"];
  call("POST", "/v1/webhook-endpoints/" + endpointId + "/test");
  ASSERT_TRUE(waitFor([&] { return receiver.count() >= 2; }));
  EXPECT_EQ(signatureCount(receiver.at(1)), 1u);
  EXPECT_TRUE(verifies(latest, receiver.at(1)));
  EXPECT_FALSE(verifies(newSecret, receiver.at(1)));
  EXPECT_EQ(call("POST", "/v1/webhook-endpoints/whe_000000000000000000000000/rotate-secret", Json::object()).status,
            404);
  // Rotations are audited.
  const std::string workspace = json(call("GET", "/v1/users/@me"))["default_workspace_id"];
  Json audited = json(call("GET", "/v1/workspaces/" + workspace + "/audit-log?action=webhook_endpoint.secret_rotated"));
  ASSERT_EQ(audited["data"].size(), 2u) << audited.dump();
  EXPECT_EQ(audited["data"][0]["resource"]["id"], endpointId);
}

// Days of retries in seconds: 12 h of sandbox time pass in 0.4 s.
class FastWebhooksTest : public WebhooksTest {
 protected:
  double clockSpeed() const override { return 100000.0; }
};

TEST_P(FastWebhooksTest, RetriesBackOffThenFailAndThreeDaysOfFailuresDisableTheEndpoint) {
  Receiver receiver({500});
  Json endpoint = createEndpoint(receiver.url());
  const std::string endpointId = endpoint["id"];
  const std::string first = json(call("POST", "/v1/webhook-endpoints/" + endpointId + "/test"))["id"];
  ASSERT_TRUE(waitFor([&] { return delivery(first)["status"] == "failed"; })) << delivery(first).dump();
  // The first attempt and 5 retries (1 m, 5 m, 30 m, 2 h, 12 h, ±10 %).
  Json attempts = delivery(first)["attempts"];
  ASSERT_EQ(attempts.size(), 6u);
  EXPECT_EQ(receiver.count(), 6u);
  auto at = [&](std::size_t i) {
    Clock::time_point t{};
    Clock::parse(attempts[i]["attempted_at"].get<std::string>(), t);
    return t;
  };
  EXPECT_GE(at(1) - at(0), std::chrono::seconds(54));
  EXPECT_GE(at(5) - at(4), std::chrono::hours(10));
  // 13.2 h at most, plus the time until a tick sees it due (20 ms real is 33 min here).
  EXPECT_LE(at(5) - at(4), std::chrono::hours(16));
  // Failing for less than 3 days: still enabled.
  EXPECT_EQ(json(call("GET", "/v1/webhook-endpoints/" + endpointId))["status"], "enabled");

  std::this_thread::sleep_for(2700ms);  // 3 days and a little more of sandbox time
  const std::string second = json(call("POST", "/v1/webhook-endpoints/" + endpointId + "/test"))["id"];
  ASSERT_TRUE(waitFor([&] { return delivery(second)["status"] == "failed"; })) << delivery(second).dump();
  Json disabled = json(call("GET", "/v1/webhook-endpoints/" + endpointId));
  EXPECT_EQ(disabled["status"], "disabled");
  EXPECT_EQ(disabled["disabled_reason"], "failing");
}

class EventsTest : public SandboxTest {};

TEST_P(EventsTest, EventsAreListedNewestFirstFilteredAndFetched) {
  std::vector<std::string> projects;
  for (const char* name : {"a", "b", "c"}) {
    projects.push_back(json(call("POST", "/v1/projects", Json{{"name", name}}))["id"]);
    std::this_thread::sleep_for(3ms);  // distinct timestamps, so the order is the creation order
  }
  Json page = json(call("GET", "/v1/events?type=project.created&limit=2"));
  ASSERT_EQ(page["data"].size(), 2u) << page.dump();
  EXPECT_EQ(page["data"][0]["data"]["object"]["id"], projects[2]);
  EXPECT_EQ(page["data"][1]["data"]["object"]["id"], projects[1]);
  EXPECT_TRUE(page["meta"]["has_more"]);
  Json rest = json(call("GET", "/v1/events?type=project.created&limit=2&cursor=" +
                                   page["meta"]["next_cursor"].get<std::string>()));
  ASSERT_EQ(rest["data"].size(), 1u);
  EXPECT_EQ(rest["data"][0]["data"]["object"]["id"], projects[0]);
  EXPECT_FALSE(rest["meta"]["has_more"]);

  Json oldest = json(call("GET", "/v1/events?type=project.created&sort=created_at"));
  EXPECT_EQ(oldest["data"][0]["data"]["object"]["id"], projects[0]);
  Json one = json(call("GET", "/v1/events?resource_id=" + projects[1]));
  ASSERT_EQ(one["data"].size(), 1u);
  EXPECT_EQ(one["data"][0]["type"], "project.created");
  EXPECT_TRUE(one["data"][0]["data"].contains("previous_attributes"));

  // `since` keeps what happened at or after an instant.
  const std::string secondAt = one["data"][0]["created_at"];
  Json recent = json(call("GET", "/v1/events?type=project.created&since=" + secondAt));
  ASSERT_EQ(recent["data"].size(), 2u) << recent.dump();
  EXPECT_EQ(recent["data"][1]["data"]["object"]["id"], projects[1]);
  // Any RFC 3339 form of the same instant (an offset, another fraction) means the same.
  const std::string shifted = "+01:00";
  Clock::time_point at{};
  ASSERT_TRUE(Clock::parse(secondAt, at));
  std::string local = Clock::format(at + std::chrono::hours(1));
  local = local.substr(0, local.size() - 1) + "0000" + shifted;  // "...T01:02:03.4560000+01:00"
  EXPECT_EQ(json(call("GET", "/v1/events?type=project.created&since=" + http::percentEncode(local)))["data"].size(), 2u);
  // Not a date-time: the client's error, named.
  for (const char* bad : {"yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01T00:00:00"}) {
    http::Response refused = call("GET", std::string("/v1/events?since=") + bad);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_NE(json(refused)["detail"].get<std::string>().find("since"), std::string::npos);
  }

  const std::string eventId = one["data"][0]["id"];
  http::Response got = call("GET", "/v1/events/" + eventId);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json(got), one["data"][0]);
  EXPECT_EQ(call("GET", "/v1/events/evt_000000000000000000000000").status, 404);
  // Another mode is another namespace.
  std::string testKey = keyWith({"admin"}, "test");
  EXPECT_EQ(call("GET", "/v1/events/" + eventId, {}, {}, testKey).status, 404);
  EXPECT_EQ(json(call("GET", "/v1/events?type=project.created", {}, {}, testKey))["data"].size(), 0u);
  std::string noEvents = keyWith({"projects:read"});
  EXPECT_EQ(call("GET", "/v1/events", {}, {}, noEvents).status, 403);
}

TEST_P(EventsTest, TheStreamResumesAfterLastEventId) {
  std::vector<std::string> projects;
  for (const char* name : {"a", "b", "c"}) {
    projects.push_back(json(call("POST", "/v1/projects", Json{{"name", name}}))["id"]);
    std::this_thread::sleep_for(3ms);
  }
  auto stream = [&](std::map<std::string, std::string> headers) {
    headers["Accept"] = "text/event-stream";
    return call("GET", "/v1/events?type=project.created", {}, headers);
  };
  // The frames, oldest first, as (id, event, data).
  auto frames = [](const std::string& body) {
    std::vector<std::array<std::string, 3>> out;
    std::istringstream lines(body);
    std::array<std::string, 3> current;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("id: ", 0) == 0) current[0] = line.substr(4);
      if (line.rfind("event: ", 0) == 0) current[1] = line.substr(7);
      if (line.rfind("data: ", 0) == 0) current[2] = line.substr(6);
      if (line.empty() && !current[0].empty()) out.push_back(std::exchange(current, {}));
    }
    return out;
  };
  http::Response all = stream({});
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.headers.get("Content-Type").value_or("").rfind("text/event-stream", 0), 0u);
  auto got = frames(all.body);
  ASSERT_EQ(got.size(), 3u) << all.body;
  for (std::size_t i = 0; i < 3; ++i) {
    Json event = Json::parse(got[i][2]);
    EXPECT_EQ(got[i][1], "project.created");
    EXPECT_EQ(event["id"], got[i][0]);
    EXPECT_EQ(event["data"]["object"]["id"], projects[i]);
  }
  auto resumed = frames(stream({{"Last-Event-ID", got[0][0]}}).body);
  ASSERT_EQ(resumed.size(), 2u);
  EXPECT_EQ(resumed[0][0], got[1][0]);
  EXPECT_EQ(resumed[1][0], got[2][0]);
  EXPECT_TRUE(frames(stream({{"Last-Event-ID", got[2][0]}}).body).empty());
  // A new event after reconnecting is there.
  call("POST", "/v1/projects", Json{{"name", "d"}});
  auto next = frames(stream({{"Last-Event-ID", got[2][0]}}).body);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(Json::parse(next[0][2])["data"]["object"]["name"], "d");
}

TETHER_SANDBOX_BACKENDS(WebhooksTest);
TETHER_SANDBOX_BACKENDS(EventsTest);
TETHER_SANDBOX_BACKENDS(FastWebhooksTest);

}  // namespace
}  // namespace tether::sandbox::testing
