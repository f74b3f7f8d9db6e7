// Deliveries, as two ticker jobs. The fan-out reads each enabled endpoint's new events
// and inserts a pending `webhook_delivery` per subscribed event (the event id as unique
// name: a replica racing on it cannot make a second). The sender claims due deliveries
// with a conditional UPDATE (status -> `sending`), POSTs the event with Standard Webhooks
// headers, records the attempt and moves the delivery on: `succeeded`, `retrying` after
// 1 m, 5 m, 30 m, 2 h, 12 h (±10 %), or `failed`; a 410 disables the endpoint (`gone`),
// as do 3 days of nothing but failures (`failing`).
#include "webhooks_delivery.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <random>

#include "../app/problems.h"

namespace tether::sandbox::webhooks {

namespace {

using namespace std::chrono_literals;

// The brief's retry schedule: the wait before retry 1, 2, ... after a failed attempt.
constexpr std::chrono::seconds kRetryDelays[] = {1min, 5min, 30min, 2h, 12h};
// An endpoint whose deliveries all failed for this long is disabled (`failing`).
constexpr std::chrono::hours kFailingFor{72};

std::string later(const std::string& from, std::chrono::milliseconds by) {
  Clock::time_point t{};
  Clock::parse(from, t);
  return Clock::format(t + by);
}

// ±10 % of `delay`, so that retries of many deliveries do not arrive together.
std::chrono::milliseconds jittered(std::chrono::seconds delay) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::uniform_real_distribution<double> factor(0.9, 1.1);
  const double ms = static_cast<double>(delay.count()) * 1000.0 * factor(random);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

bool subscribes(const Json& endpointBody, const std::string& type) {
  for (const Json& wanted : endpointBody["events"]) {
    if (wanted == "*" || wanted == type) return true;
  }
  return false;
}

// Loopback receivers (a developer's local server, the tests' receiver) get plain HTTP:
// the spec requires https:// URLs, but nothing local holds a certificate for 127.0.0.1.
// Everything else is sent over TLS as the URL says.
struct Target {
  std::string origin;  // scheme://host:port
  std::string path;
};
Target targetOf(const std::string& url) {
  const std::size_t schemeEnd = url.find("://");
  const std::string rest = schemeEnd == std::string::npos ? url : url.substr(schemeEnd + 3);
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  std::string host = authority;
  if (host.rfind('[', 0) == 0) {
    host = host.substr(0, host.find(']') + 1);
  } else if (std::size_t colon = host.find(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  const bool loopback = host == "127.0.0.1" || host == "localhost" || host == "[::1]";
  return {(loopback ? "http://" : "https://") + authority, slash == std::string::npos ? "/" : rest.substr(slash)};
}

struct Outcome {
  std::optional<int> status;
  std::optional<std::string> error;
  std::int64_t durationMs = 0;
};

Outcome post(const std::string& url, const httplib::Headers& headers, const std::string& body) {
  const Target target = targetOf(url);
  httplib::Client client(target.origin);
  client.set_connection_timeout(3);
  client.set_read_timeout(15);  // the spec's timeout
  client.set_write_timeout(5);
  const auto started = std::chrono::steady_clock::now();
  httplib::Result result = client.Post(target.path.c_str(), headers, body, "application/json");
  Outcome out;
  out.durationMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (result) {
    out.status = result->status;
  } else {
    out.error = httplib::to_string(result.error());
  }
  return out;
}

// Takes a due delivery for this replica: only one of several ticking replicas moves it
// from `status` to `sending`.
// The claim stamps updated_at, so that a claim whose replica died is found and released.
bool claim(const Services& s, const std::string& id, const std::string& status) {
  return s.db.with([&](storage::Connection& c) {
    auto q = c.prepare(
        "UPDATE resources SET status = 'sending', updated_at = $3 WHERE id = $1 AND kind = 'webhook_delivery'"
        " AND status = $2");
    q->bind_text(1, id).bind_text(2, status).bind_text(3, s.clock.nowText());
    return q->run() == 1;
  });
}

// Deliveries claimed longer ago than any attempt takes (timeouts: 3 s connect, 15 s read)
// belong to a replica that stopped mid-send: they go back to their state to be sent again.
void releaseStaleClaims(const Services& s) {
  const auto longest = std::chrono::milliseconds(static_cast<std::int64_t>(60000 * s.clock.speed()));
  const std::string cutoff = later(s.clock.nowText(), -longest);
  auto stale = s.db.with(
      [&](storage::Connection& c) { return documents::byStatus(c, "webhook_delivery", "sending", 100); });
  for (auto& [tenant, delivery] : stale) {
    if (delivery.updatedAt >= cutoff) break;  // oldest first
    s.db.with([&](storage::Connection& c) {
      auto q = c.prepare("UPDATE resources SET status = $1 WHERE id = $2 AND status = 'sending' AND updated_at = $3");
      q->bind_text(1, delivery.body["status"].get<std::string>()).bind_text(2, delivery.id);
      q->bind_text(3, delivery.updatedAt);
      q->run();
    });
  }
}

// Events and finished deliveries are kept 30 days (the spec's retention). Once a
// sandbox hour is enough: the statements scan.
void applyRetention(const Services& s, std::atomic<std::int64_t>& lastRunMs) {
  const std::int64_t nowMs = s.clock.nowMs();
  std::int64_t previous = lastRunMs.load();
  if (nowMs - previous < 3600 * 1000 || !lastRunMs.compare_exchange_strong(previous, nowMs)) return;
  const std::string cutoff = later(s.clock.nowText(), -std::chrono::milliseconds(std::chrono::hours(24 * 30)));
  s.db.with([&](storage::Connection& c) {
    c.prepare("DELETE FROM events WHERE created_at < $1")->bind_text(1, cutoff).run();
    c.prepare(
         "DELETE FROM resources WHERE kind = 'webhook_delivery' AND status IN ('succeeded', 'failed')"
         " AND created_at < $1")
        ->bind_text(1, cutoff)
        .run();
  });
}

void disable(Document& endpoint, const std::string& reason, const std::string& now) {
  endpoint.status = "disabled";
  endpoint.body["status"] = "disabled";
  endpoint.body["disabled_reason"] = reason;
  endpoint.body["updated_at"] = now;
  endpoint.updatedAt = now;
}

// Changes an endpoint's row unless it changed since it was read (then reads it again), so
// that the jobs' bookkeeping never undoes a PATCH or a rotation made meanwhile. `change`
// answers whether there is anything to write.
void changeEndpoint(const Services& s, const Tenant& t, const std::string& id,
                    const std::function<bool(Document&)>& change) {
  for (int tries = 0; tries < 5; ++tries) {
    const bool settled = s.db.with([&](storage::Connection& c) {
      std::optional<Document> current = documents::find(c, t, "webhook_endpoint", id);
      if (!current) return true;
      const std::string before = current->body.dump();
      if (!change(*current)) return true;
      auto q = c.prepare(
          "UPDATE resources SET status = $1, body = $2, updated_at = $3 WHERE id = $4 AND workspace_id = $5"
          " AND mode = $6 AND kind = 'webhook_endpoint' AND body = $7");
      q->bind_text(1, current->status.value_or("enabled")).bind_text(2, current->body.dump());
      q->bind_text(3, current->updatedAt).bind_text(4, id).bind_text(5, t.workspace).bind_text(6, t.mode);
      q->bind_text(7, before);
      return q->run() == 1;
    });
    if (settled) return;
  }
}

void finish(Document& delivery, const std::string& status, const Json& nextAttemptAt) {
  delivery.status = status;
  delivery.body["status"] = status;
  delivery.body["next_attempt_at"] = nextAttemptAt;
}

// One attempt of a claimed delivery, and what it changes: the delivery's state, and the
// endpoint's when it answered 410 or has failed for too long.
void attempt(const Services& s, const Tenant& t, Document delivery) {
  const std::string endpointId = delivery.parent;
  auto [endpoint, event] = s.db.with([&](storage::Connection& c) {
    return std::make_pair(documents::find(c, t, "webhook_endpoint", endpointId),
                          webhooks::event(c, t, delivery.body["event_id"].get<std::string>()));
  });
  if (!endpoint) {  // deleted meanwhile: its pending retries go with it
    s.db.transact([&](storage::Connection& c) { documents::remove(c, t, "webhook_delivery", delivery.id); });
    return;
  }
  if (endpoint->status != "enabled" || !event) {
    // A disabled endpoint misses what was pending; redeliver sends it again once enabled.
    finish(delivery, "failed", nullptr);
    s.db.transact([&](storage::Connection& c) { documents::update(c, t, delivery); });
    return;
  }
  const std::string body = event->dump(), id = (*event)["id"].get<std::string>();
  // Receivers check the timestamp against their own clock (5-minute tolerance), so it is
  // real time even when the sandbox clock runs faster.
  const std::string timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const std::string now = s.clock.nowText();
  httplib::Headers headers = {
      {"webhook-id", id},
      {"webhook-timestamp", timestamp},
      {"webhook-signature", signatureHeader(secretsOf(s, *endpoint), now, id, timestamp, body)},
      {"User-Agent", "tether-sandbox-webhooks/1"}};
  const Outcome outcome = post(endpoint->body["url"].get<std::string>(), headers, body);

  const std::string after = s.clock.nowText();
  delivery.body["attempts"].push_back({{"attempted_at", now},
                                       {"response_status", outcome.status ? Json(*outcome.status) : Json(nullptr)},
                                       {"duration_ms", outcome.durationMs},
                                       {"error", outcome.error ? Json(*outcome.error) : Json(nullptr)}});
  const std::size_t attempts = delivery.body["attempts"].size();
  const bool succeeded = outcome.status && *outcome.status >= 200 && *outcome.status < 300;
  const bool gone = outcome.status == 410;
  const std::size_t retriesDone = attempts - 1;
  if (succeeded) {
    finish(delivery, "succeeded", nullptr);
  } else if (gone || retriesDone >= std::size(kRetryDelays)) {
    finish(delivery, "failed", nullptr);
  } else {
    finish(delivery, "retrying", later(after, jittered(kRetryDelays[retriesDone])));
  }
  try {
    s.db.transact([&](storage::Connection& c) { documents::update(c, t, delivery); });
  } catch (const http::ProblemError&) {
    return;  // the endpoint, and its deliveries with it, was deleted during the attempt
  }
  changeEndpoint(s, t, endpointId, [&](Document& current) {
    const bool wasFailing = current.body.contains("_failing_since");
    if (succeeded) {
      current.body.erase("_failing_since");
      return wasFailing;
    }
    if (gone) {
      disable(current, "gone", after);
      return true;
    }
    if (!wasFailing) current.body["_failing_since"] = now;
    const std::string failingSince = current.body["_failing_since"].get<std::string>();
    if (delivery.status == "failed" && later(failingSince, kFailingFor) <= after && current.status == "enabled") {
      disable(current, "failing", after);
      return true;
    }
    return !wasFailing;
  });
}

// The ticker runs every job on one thread: a tick sends for at most about a second (plus
// the attempt under way), so that slow receivers do not hold up the lifecycles of other
// resources; what is left is sent on the next ticks.
constexpr std::chrono::milliseconds kSendBudget{1000};

void sendDue(const Services& s) {
  const auto started = std::chrono::steady_clock::now();
  for (const std::string status : {"pending", "retrying"}) {
    auto due = s.db.with(
        [&](storage::Connection& c) { return documents::byStatus(c, "webhook_delivery", status, 500); });
    const std::string now = s.clock.nowText();
    for (auto& [tenant, delivery] : due) {
      const Json& next = delivery.body["next_attempt_at"];
      if (next.is_string() && next.get<std::string>() > now) continue;
      if (std::chrono::steady_clock::now() - started > kSendBudget) return;
      if (!claim(s, delivery.id, status)) continue;
      try {
        attempt(s, tenant, delivery);
      } catch (...) {
        // Back to where it was, for the next tick; the ticker logs the error.
        s.db.with([&](storage::Connection& c) {
          auto q = c.prepare("UPDATE resources SET status = $1 WHERE id = $2 AND status = 'sending'");
          q->bind_text(1, status).bind_text(2, delivery.id);
          q->run();
        });
        throw;
      }
    }
  }
}

bool delivered(storage::Connection& c, const Tenant& t, const std::string& endpointId, const std::string& eventId) {
  auto q = c.prepare(
      "SELECT 1 FROM resources WHERE workspace_id = $1 AND mode = $2 AND kind = 'webhook_delivery' AND parent_id = $3"
      " AND unique_name = $4");
  q->bind_text(1, t.workspace).bind_text(2, t.mode).bind_text(3, endpointId).bind_text(4, eventId);
  return q->step();
}

// New events become pending deliveries of every enabled endpoint subscribed to their type.
// Each endpoint remembers how far it has read (`_scanned_to`); it reads again a little
// before that, for events of transactions that committed late, and the unique name of a
// fanned-out delivery (the event id) makes reading an event twice harmless.
void fanOut(const Services& s) {
  auto endpoints =
      s.db.with([&](storage::Connection& c) { return documents::byStatus(c, "webhook_endpoint", "enabled", 1000); });
  const auto lookback = std::chrono::milliseconds(static_cast<std::int64_t>(2000 * s.clock.speed()));
  for (auto& [tenant, endpoint] : endpoints) {
    const std::string scanned = endpoint.body.value("_scanned_to", endpoint.createdAt);
    // Never before the endpoint was (re-)enabled: missed events are not replayed.
    const std::string enabledAt = endpoint.body.value("_enabled_at", endpoint.createdAt);
    const std::string from = std::max(enabledAt, later(scanned, -lookback));
    std::vector<Json> fresh = s.db.with([&](storage::Connection& c) { return events(c, tenant, {}, from); });
    std::string newest = scanned;
    for (const Json& e : fresh) {
      const std::string type = e["type"].get<std::string>(), eventId = e["id"].get<std::string>();
      newest = std::max(newest, e["created_at"].get<std::string>());
      if (type == "ping" || !subscribes(endpoint.body, type)) continue;  // pings go to their endpoint only
      const Tenant& t = tenant;
      const std::string endpointId = endpoint.id;
      try {
        s.db.transact([&](storage::Connection& c) {
          if (delivered(c, t, endpointId, eventId)) return;
          documents::insert(c, t, newDelivery(endpointId, e, s.clock.nowText(), true));
        });
      } catch (const http::ProblemError&) {
        // Another replica inserted it first.
      }
    }
    if (newest == scanned) continue;
    changeEndpoint(s, tenant, endpoint.id, [&](Document& current) {
      if (current.body.value("_scanned_to", std::string()) >= newest) return false;
      current.body["_scanned_to"] = newest;
      return true;
    });
  }
}

}  // namespace

Json eventBody(const std::string& storedBody) {
  Json event = Json::parse(storedBody);
  Json& data = event["data"];
  if (!data.is_object() || !data.contains("object") || !data.contains("previous_attributes")) {
    data = Json{{"object", data}, {"previous_attributes", nullptr}};
  }
  return event;
}

std::vector<Json> events(storage::Connection& c, const Tenant& t, const std::optional<std::string>& afterId,
                         const std::optional<std::string>& since) {
  std::optional<std::string> afterTime;
  if (afterId) {
    auto q = c.prepare("SELECT created_at FROM events WHERE id = $1 AND workspace_id = $2 AND mode = $3");
    q->bind_text(1, *afterId).bind_text(2, t.workspace).bind_text(3, t.mode);
    if (q->step()) afterTime = q->text(0);
  }
  auto q = c.prepare(
      "SELECT body FROM events WHERE workspace_id = $1 AND mode = $2 AND created_at >= $3"
      " AND (created_at > $4 OR (created_at = $4 AND id > $5)) ORDER BY created_at, id");
  q->bind_text(1, t.workspace).bind_text(2, t.mode).bind_text(3, since.value_or(""));
  q->bind_text(4, afterTime.value_or("")).bind_text(5, afterTime ? *afterId : "");
  std::vector<Json> out;
  while (q->step()) out.push_back(eventBody(q->text(0)));
  return out;
}

std::optional<Json> event(storage::Connection& c, const Tenant& t, const std::string& id) {
  auto q = c.prepare("SELECT body FROM events WHERE id = $1 AND workspace_id = $2 AND mode = $3");
  q->bind_text(1, id).bind_text(2, t.workspace).bind_text(3, t.mode);
  if (!q->step()) return std::nullopt;
  return eventBody(q->text(0));
}

Json insertEvent(storage::Connection& c, const Tenant& t, const std::string& type, const Json& object,
                 const std::string& now) {
  const std::string id = newId("evt_");
  Json event = {{"id", id},
                {"type", type},
                {"workspace_id", t.workspace},
                {"created_at", now},
                {"data", {{"object", object}, {"previous_attributes", nullptr}}}};
  auto q = c.prepare(
      "INSERT INTO events (id, workspace_id, mode, type, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)");
  q->bind_text(1, id).bind_text(2, t.workspace).bind_text(3, t.mode).bind_text(4, type).bind_text(5, event.dump());
  q->bind_text(6, now);
  q->run();
  return event;
}

std::vector<SigningSecret> secretsOf(const Services& s, const Document& endpoint) {
  std::vector<SigningSecret> out;
  if (!endpoint.sealed) return out;
  std::optional<std::string> opened = s.sealer.open(*endpoint.sealed, endpoint.id);
  if (!opened) throw std::runtime_error("the signing secrets of " + endpoint.id + " do not open");
  for (const Json& entry : Json::parse(*opened)) {
    SigningSecret secret;
    secret.secret = entry["secret"].get<std::string>();
    if (entry["expires_at"].is_string()) secret.expiresAt = entry["expires_at"].get<std::string>();
    out.push_back(std::move(secret));
  }
  return out;
}

void sealSecrets(const Services& s, Document& endpoint, const std::vector<SigningSecret>& secrets) {
  Json entries = Json::array();
  for (const SigningSecret& secret : secrets) {
    entries.push_back({{"secret", secret.secret},
                       {"expires_at", secret.expiresAt ? Json(*secret.expiresAt) : Json(nullptr)}});
  }
  endpoint.sealed = s.sealer.seal(entries.dump(), endpoint.id);
  endpoint.body["secret_prefix"] = secrets.front().secret.substr(0, 10);
}

std::string newSecret() { return "whsec_" + base64(randomBytes(32)); }

std::string signatureHeader(const std::vector<SigningSecret>& secrets, const std::string& now, const std::string& id,
                            const std::string& timestamp, const std::string& body) {
  const std::string content = id + "." + timestamp + "." + body;
  std::string header;
  for (const SigningSecret& secret : secrets) {
    if (secret.expiresAt && *secret.expiresAt <= now) continue;
    std::optional<Bytes> key = base64Decode(std::string_view(secret.secret).substr(6));
    if (!key) continue;
    if (!header.empty()) header += ' ';
    header += "v1," + base64(hmacSha256(*key, content));
  }
  return header;
}

Document newDelivery(const std::string& endpointId, const Json& event, const std::string& now, bool fanOut) {
  Document d;
  d.id = newId("whd_");
  d.kind = "webhook_delivery";
  d.parent = endpointId;
  d.status = "pending";
  if (fanOut) d.uniqueName = event["id"].get<std::string>();
  d.createdAt = d.updatedAt = now;
  d.body = {{"id", d.id},
            {"webhook_endpoint_id", endpointId},
            {"event_id", event["id"]},
            {"event_type", event["type"]},
            {"status", "pending"},
            {"attempts", Json::array()},
            {"next_attempt_at", nullptr},
            {"created_at", now}};
  return d;
}

Json publicBody(const Json& body) {
  Json out = Json::object();
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key().rfind('_', 0) != 0) out[it.key()] = it.value();
  }
  return out;
}

void startDeliveries(const Services& s) {
  s.ticker.add("webhook fan-out", [&s] { fanOut(s); });
  s.ticker.add("webhook deliveries", [&s] {
    releaseStaleClaims(s);
    sendDue(s);
  });
  auto lastRetentionMs = std::make_shared<std::atomic<std::int64_t>>(0);
  s.ticker.add("event retention", [&s, lastRetentionMs] { applyRetention(s, *lastRetentionMs); });
}

}  // namespace tether::sandbox::webhooks
