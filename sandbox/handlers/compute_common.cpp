#include "compute_common.h"

#include <algorithm>
#include <cmath>

namespace tether::sandbox::compute {

namespace {

// Hourly prices are the monthly price over 672 hours (4 weeks), as billing caps them.
Json size(const std::string& slug, const std::string& kind, int vcpus, int memoryMb, int diskGb, double transferTb,
          int monthlyCents, std::vector<std::string> regionSlugs) {
  const double hourly = std::round(monthlyCents / 672.0 * 1000.0) / 1000.0;
  return {{"slug", slug},
          {"kind", kind},
          {"vcpus", vcpus},
          {"memory_mb", memoryMb},
          {"disk_gb", diskGb},
          {"transfer_tb", transferTb},
          {"price_monthly_cents", monthlyCents},
          {"price_hourly_cents", hourly},
          {"regions", std::move(regionSlugs)}};
}

const std::vector<std::string> kEverywhere = {"ams3", "fra1", "nyc1", "sfo3", "sgp1"};
const std::vector<std::string> kNoSingapore = {"ams3", "fra1", "nyc1", "sfo3"};

}  // namespace

const std::vector<Json>& sizes() {
  static const std::vector<Json> all = {
      size("s-1vcpu-1gb", "instance", 1, 1024, 25, 1.0, 600, kEverywhere),
      size("s-1vcpu-2gb", "instance", 1, 2048, 50, 2.0, 1200, kEverywhere),
      size("s-2vcpu-4gb", "instance", 2, 4096, 80, 4.0, 2400, kEverywhere),
      size("s-4vcpu-8gb", "instance", 4, 8192, 160, 5.0, 4800, kNoSingapore),
      size("svc-starter", "service", 1, 512, 0, 0.1, 700, kEverywhere),
      size("svc-standard", "service", 1, 2048, 0, 0.5, 2500, kEverywhere),
      size("svc-pro", "service", 2, 4096, 0, 1.0, 8500, kEverywhere),
      size("db-s-1vcpu-1gb", "database", 1, 1024, 10, 0.0, 1500, kEverywhere),
      size("db-s-2vcpu-4gb", "database", 2, 4096, 38, 0.0, 6000, kEverywhere),
      size("redis-1gb", "redis", 1, 1024, 0, 0.0, 1500, kEverywhere),
      size("redis-4gb", "redis", 2, 4096, 0, 0.0, 6000, kNoSingapore),
  };
  return all;
}

const std::vector<Json>& regions() {
  static const std::vector<Json> all = [] {
    struct Spec {
      const char* slug;
      const char* name;
      const char* country;
      std::vector<std::string> features;
    };
    const std::vector<std::string> every = {"services", "instances", "databases", "redis", "storage"};
    const std::vector<Spec> specs = {
        {"ams3", "Amsterdam 3", "NL", every},
        {"fra1", "Frankfurt 1", "DE", every},
        {"nyc1", "New York 1", "US", every},
        {"sfo3", "San Francisco 3", "US", every},
        {"sgp1", "Singapore 1", "SG", {"services", "instances", "databases", "storage"}},
    };
    std::vector<Json> out;
    for (const Spec& spec : specs) {
      Json instanceSizes = Json::array();
      for (const Json& s : sizes()) {
        if (s["kind"] == "instance" && sizeOfferedIn(s, spec.slug)) instanceSizes.push_back(s["slug"]);
      }
      out.push_back({{"slug", spec.slug},
                     {"name", spec.name},
                     {"country", spec.country},
                     {"available", true},
                     {"features", spec.features},
                     {"size_slugs", instanceSizes}});
    }
    return out;
  }();
  return all;
}

std::optional<Json> findRegion(const std::string& slug) {
  for (const Json& r : regions()) {
    if (r["slug"] == slug) return r;
  }
  return std::nullopt;
}

std::optional<Json> findSize(const std::string& slug) {
  for (const Json& s : sizes()) {
    if (s["slug"] == slug) return s;
  }
  return std::nullopt;
}

bool sizeOfferedIn(const Json& size, const std::string& region) {
  const Json& offered = size["regions"];
  return std::find(offered.begin(), offered.end(), Json(region)) != offered.end();
}

bool regionOffers(const Json& region, const std::string& feature) {
  const Json& features = region["features"];
  return std::find(features.begin(), features.end(), Json(feature)) != features.end();
}

std::int64_t toMs(const std::string& text) {
  Clock::time_point t{};
  if (!Clock::parse(text, t)) return 0;
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string fromMs(std::int64_t ms) { return Clock::format(Clock::time_point(std::chrono::milliseconds(ms))); }

std::string plusMs(const std::string& text, std::int64_t ms) { return fromMs(toMs(text) + ms); }

bool elapsed(const Clock& clock, const std::string& since, double seconds) {
  return clock.nowMs() - toMs(since) >= static_cast<std::int64_t>(seconds * 1000.0);
}

bool claim(storage::Connection& c, const Tenant& t, const std::string& id, const std::string& from,
           const std::string& to, const std::string& now) {
  auto q = c.prepare(
      "UPDATE resources SET status = $1, updated_at = $2 WHERE id = $3 AND workspace_id = $4 AND mode = $5 AND"
      " status = $6");
  q->bind_text(1, to).bind_text(2, now).bind_text(3, id).bind_text(4, t.workspace).bind_text(5, t.mode);
  q->bind_text(6, from);
  return q->run() == 1;
}

std::vector<Document> children(storage::Connection& c, const Tenant& t, const std::string& kind,
                               const std::string& parent, const std::optional<std::string>& status) {
  ListQuery query;
  query.kind = kind;
  query.parent = parent;
  query.limit = 100;
  query.descending = false;
  query.status = status;
  std::vector<Document> out;
  for (;;) {
    Page page = documents::list(c, t, query);
    for (Document& d : page.items) out.push_back(std::move(d));
    if (!page.hasMore || !page.nextCursor) break;
    query.cursor = page.nextCursor;
  }
  return out;
}

void setStatus(storage::Connection& c, const Tenant& t, Document& d, const std::string& status,
               const std::string& now) {
  d.status = status;
  d.body["status"] = status;
  d.updatedAt = now;
  d.body["updated_at"] = now;
  documents::update(c, t, d);
}

Json statusChange(const Json& object, const std::string& previousStatus) {
  return change(object, {{"status", previousStatus}});
}

void requireRoomFor(storage::Connection& c, const Tenant& t, const std::string& kind) {
  const std::string plan = planOf(c, t);
  const std::int64_t allowed = planNamed(plan).limit(kind == "service" ? "services" : "instances");
  if (allowed < 0) return;
  auto q = c.prepare("SELECT COUNT(*) FROM resources WHERE workspace_id = $1 AND mode = $2 AND kind = $3");
  q->bind_text(1, t.workspace).bind_text(2, t.mode).bind_text(3, kind);
  const std::int64_t used = q->step() ? q->int64(0) : 0;
  if (used >= allowed) {
    fail(403, "PLAN_RESTRICTED_FEATURE", "The " + plan + " plan allows " + std::to_string(allowed) + " " + kind +
                                             "s; delete one or upgrade.");
  }
}

std::string actorOf(const Tenant& t) {
  if (!t.userId.empty()) return t.userId;
  return t.keyId.empty() ? "api" : t.keyId;
}

void appendLog(storage::Connection& c, const Tenant& t, const std::string& deploymentId, const std::string& phase,
               const std::vector<std::pair<std::string, std::string>>& streamAndMessage, const std::string& now) {
  std::int64_t offset = 0;
  for (const auto& [stream, message] : streamAndMessage) {
    Document line;
    line.id = newId("log_");
    line.kind = "deployment_log";
    line.parent = deploymentId;
    line.createdAt = line.updatedAt = plusMs(now, offset++);
    line.body = {{"id", line.id},         {"timestamp", line.createdAt}, {"phase", phase},
                 {"stream", stream},      {"message", message}};
    documents::insert(c, t, line);
  }
}

void cancelDeployment(const Services& s, storage::Connection& c, const Tenant& t, Document& deployment,
                      const std::string& why) {
  const std::string now = s.clock.nowText();
  const std::string previous = deployment.body["status"];
  deployment.body["finished_at"] = now;
  setStatus(c, t, deployment, "canceled", now);
  appendLog(c, t, deployment.id, deployment.body["started_at"].is_null() ? "build" : "deploy",
            {{"system", "Deployment canceled: " + why}}, now);
  s.emit(c, t, "deployment.canceled", statusChange(deployment.body, previous));
}

Document queueDeployment(const Services& s, storage::Connection& c, const Tenant& t, const Document& service,
                         const NewDeployment& what) {
  const std::string now = s.clock.nowText();
  for (Document& queued : children(c, t, "deployment", service.id, std::string("queued"))) {
    cancelDeployment(s, c, t, queued, "a newer deployment was queued");
  }
  Json commit;
  if (what.rollbackOf) {
    commit = (*what.rollbackOf)["commit"];
  } else if (what.commitSha) {
    commit = {{"sha", *what.commitSha}, {"message", "Deploy " + what.commitSha->substr(0, 7)}, {"author", "sandbox"}};
  } else {
    // The branch head: the sandbox has no Git, so a head is made up, stable per branch and time.
    commit = {{"sha", hex(sha256(service.id + what.branch + now)).substr(0, 40)},
              {"message", "Latest commit on " + what.branch},
              {"author", "sandbox"}};
  }
  Document d;
  d.id = newId("dep_");
  d.kind = "deployment";
  d.parent = service.id;
  d.name = what.branch;
  d.status = "queued";
  d.createdAt = d.updatedAt = now;
  d.body = {{"id", d.id},
            {"service_id", service.id},
            {"status", "queued"},
            {"trigger", what.trigger},
            {"branch", what.branch},
            {"commit", commit},
            {"rollback_of", what.rollbackOf ? (*what.rollbackOf)["id"] : Json(nullptr)},
            {"created_by", what.createdBy},
            {"clear_cache", what.clearCache},
            {"started_at", nullptr},
            {"finished_at", nullptr},
            {"failure_reason", nullptr},
            {"created_at", now},
            {"updated_at", now}};
  documents::insert(c, t, d);
  appendLog(c, t, d.id, "build",
            {{"system", "Deployment queued (" + what.trigger + ") of " + what.branch + " at " +
                            commit["sha"].get<std::string>().substr(0, 7)}},
            now);
  s.emit(c, t, "deployment.queued", change(d.body));
  return d;
}

}  // namespace tether::sandbox::compute
