// The shared behaviour of managed databases and Redis instances (see data_managed.h).
#include "data_managed.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <regex>

namespace tether::sandbox::data {

namespace {

constexpr const char* kMask = "********";

// Sandbox seconds each transitional status lasts before the ticker finishes it.
struct Step {
  const char* from;
  const char* to;  // nullptr: the resource is gone
  std::int64_t seconds;
};
constexpr Step kSteps[] = {
    {"provisioning", "active", 120}, {"stopping", "stopped", 15}, {"starting", "active", 30},
    {"resetting", "active", 60},     {"deleting", nullptr, 30},
};

// Event sent when a transition finishes (without the flavour prefix).
std::string eventOf(const std::string& from) {
  if (from == "provisioning") return "created";
  if (from == "stopping") return "stopped";
  if (from == "starting") return "started";
  if (from == "resetting") return "reset";
  return "deleted";
}

std::string lower(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  return value;
}

// The private hostname the resource gets once active.
std::string hostFor(const Document& d, const std::string& prefix) {
  return d.body["name"].get<std::string>() + "-" + lower(d.id.substr(prefix.size(), 6)) + ".internal." +
         d.body["region"].get<std::string>() + ".cloud.example";
}

// "s-2vcpu-4gb" → 4: Redis memory follows its size.
std::int64_t memoryOfSize(const std::string& size) {
  std::smatch m;
  static const std::regex gb("([0-9]+)gb");
  if (std::regex_search(size, m, gb)) return std::max<std::int64_t>(1, std::stoll(m[1]));
  return 1;
}

// "15m", "1h", "7d" → seconds; nullopt outside 1m..30d or malformed.
std::optional<std::int64_t> rangeSeconds(const std::string& range) {
  static const std::regex pattern("^([0-9]{1,5})([mhd])$");
  std::smatch m;
  if (!std::regex_match(range, m, pattern)) return std::nullopt;
  const std::int64_t count = std::stoll(m[1]);
  const std::int64_t unit = m[2] == "m" ? 60 : m[2] == "h" ? 3600 : 86400;
  const std::int64_t seconds = count * unit;
  if (seconds < 60 || seconds > 30 * 86400) return std::nullopt;
  return seconds;
}

// A stable fraction in [0, 1) for (resource, metric, time): the series looks alive but the
// same question always gets the same answer.
double noise(const std::string& id, const std::string& metric, std::int64_t at) {
  Bytes h = sha256(id + "|" + metric + "|" + std::to_string(at));
  std::uint32_t v = (std::uint32_t{h[0]} << 24) | (std::uint32_t{h[1]} << 16) | (std::uint32_t{h[2]} << 8) | h[3];
  return static_cast<double>(v) / 4294967296.0;
}

double metricValue(const std::string& metric, double f, const Json& body) {
  const double storage = static_cast<double>(body["storage_gb"].get<std::int64_t>());
  if (metric == "cpu_percent" || metric == "memory_percent") return std::round((10 + 50 * f) * 10) / 10;
  if (metric == "storage_used_gb") return std::round(storage * (0.2 + 0.05 * f) * 100) / 100;
  if (metric == "connections") return std::floor(5 + 20 * f);
  if (metric == "transactions_per_second" || metric == "ops_per_second") return std::round(50 + 900 * f);
  if (metric == "replication_lag_seconds") return body["high_availability"].get<bool>() ? std::round(f * 50) / 100 : 0;
  if (metric == "memory_used_mb") return std::round(storage * 1024 * (0.2 + 0.3 * f));
  if (metric == "connected_clients") return std::floor(2 + 10 * f);
  if (metric == "keyspace_hits_ratio") return std::round((0.8 + 0.19 * f) * 1000) / 1000;
  return 0;  // evicted_keys: nothing is evicted below the memory limit
}

// The sealed secrets of a resource: the password, and the previous one during its grace.
Json openSecrets(const Services& s, const Document& d) {
  if (!d.sealed) throw std::runtime_error("no sealed credentials on " + d.id);
  std::optional<std::string> plain = s.sealer.open(*d.sealed, d.id);
  if (!plain) throw std::runtime_error("the sealed credentials of " + d.id + " do not open");
  return Json::parse(*plain);
}

}  // namespace

ManagedStore::ManagedStore(const Services& services, Flavor flavor) : s_(services), flavor_(std::move(flavor)) {
  s_.ticker.add(flavor_.kind + " lifecycle", [this] { advance(); });
}

void ManagedStore::emitIfKnown(storage::Connection& c, const Tenant& t, const std::string& type,
                               const Json& data) const {
  // The spec lists no redis.started or redis.reset: those changes are visible by status only.
  if (flavor_.events.count(type)) s_.emit(c, t, type, data);
}

Json ManagedStore::list(ListQuery query, const std::optional<std::string>& region,
                        const std::optional<std::string>& projectId, const http::Context& context) const {
  if (region) query.bodyEquals.emplace_back("region", *region);
  if (projectId) query.bodyEquals.emplace_back("project_id", *projectId);
  Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
  return page.json();
}

Json ManagedStore::create(const Json& in, const http::Context& context) const {
  const Tenant t = tenantOf(context);
  const std::string now = s_.clock.nowText();
  Document d;
  d.id = newId(flavor_.idPrefix);
  d.kind = flavor_.kind;
  d.name = d.uniqueName = in["name"].get<std::string>();
  d.status = "provisioning";
  d.createdAt = d.updatedAt = now;
  const std::string size = in["size"].get<std::string>();
  d.body = {{"id", d.id},
            {"name", *d.name},
            {"status", "provisioning"},
            {"engine_version", in.value("engine_version", flavor_.defaultVersion)},
            {"project_id", in.value("project_id", Json(nullptr))},
            {"region", in["region"]},
            {"size", size},
            {"storage_gb", flavor_.namedDatabase ? in.value("storage_gb", std::int64_t{20}) : memoryOfSize(size)},
            {"high_availability", in.value("high_availability", false)},
            {"host", nullptr},  // assigned when provisioning finishes
            {"port", flavor_.port},
            {"labels", in.value("labels", Json::object())},
            {"created_at", now},
            {"updated_at", now}};
  Json secrets = {{"password", randomToken(32)}, {"previous_password", nullptr},
                  {"previous_valid_until", nullptr}, {"rotated_at", now}};
  d.sealed = s_.sealer.seal(secrets.dump(), d.id);
  s_.db.transact([&](storage::Connection& c) {
    if (d.body["project_id"].is_string() && !documents::find(c, t, "project", d.body["project_id"])) {
      invalid("/project_id", "No project with this id in the workspace.");
    }
    const std::int64_t limit = planNamed(planOf(c, t)).limit(flavor_.kind == "database" ? "databases" : "redis");
    if (limit >= 0 && documents::countChildren(c, t, flavor_.kind, "") >= limit) {
      fail(403, "PLAN_RESTRICTED_FEATURE",
           "The plan allows " + std::to_string(limit) + " of this resource; delete one or upgrade.");
    }
    documents::insert(c, t, d);
  });
  return d.body;
}

Json ManagedStore::get(const std::string& id, const http::Context& context) const {
  return s_.db.with([&](storage::Connection& c) { return documents::get(c, tenantOf(context), flavor_.kind, id); })
      .body;
}

Json ManagedStore::update(const std::string& id, const Json& patch, const http::Context& context) const {
  const Tenant t = tenantOf(context);
  return s_.db.transact([&](storage::Connection& c) {
    Document d = documents::get(c, t, flavor_.kind, id);
    if (*d.status == "deleting") conflict("The " + flavor_.what + " is being deleted; it cannot change.");
    const std::int64_t storageNow = d.body["storage_gb"].get<std::int64_t>();
    if (patch.contains("storage_gb") && patch["storage_gb"].get<std::int64_t>() < storageNow) {
      invalid("/storage_gb", "Storage can only grow; it is " + d.body["storage_gb"].dump() + " GB now.");
    }
    mergePatch(d.body, patch);
    if (!flavor_.namedDatabase) d.body["storage_gb"] = memoryOfSize(d.body["size"].get<std::string>());
    d.name = d.uniqueName = d.body["name"].get<std::string>();
    d.updatedAt = s_.clock.nowText();
    d.body["updated_at"] = d.updatedAt;
    documents::update(c, t, d);
    return d.body;
  });
}

Json ManagedStore::transition(const std::string& id, const std::string& from, const std::string& to,
                              const http::Context& context) const {
  const Tenant t = tenantOf(context);
  return s_.db.transact([&](storage::Connection& c) {
    Document d = documents::get(c, t, flavor_.kind, id);
    if (*d.status != from) {
      conflict("The " + flavor_.what + " is " + *d.status + "; this action needs it " + from + ".");
    }
    d.status = to;
    d.updatedAt = s_.clock.nowText();
    d.body["status"] = to;
    d.body["updated_at"] = d.updatedAt;
    documents::update(c, t, d);
    return d.body;
  });
}

Json ManagedStore::start(const std::string& id, const http::Context& context) const {
  return transition(id, "stopped", "starting", context);
}

Json ManagedStore::stop(const std::string& id, const http::Context& context) const {
  return transition(id, "active", "stopping", context);
}

Json ManagedStore::reset(const std::string& id, const std::string& confirmName, const http::Context& context) const {
  const Json current = get(id, context);
  if (current["name"] != confirmName) {
    invalid("/confirm_name", "The name does not match the " + flavor_.what + "'s name.");
  }
  return transition(id, "active", "resetting", context);
}

Json ManagedStore::remove(const std::string& id, const http::Context& context) const {
  const Tenant t = tenantOf(context);
  return s_.db.transact([&](storage::Connection& c) {
    Document d = documents::get(c, t, flavor_.kind, id);
    if (*d.status == "deleting") conflict("The " + flavor_.what + " is already being deleted.");
    d.status = "deleting";
    d.updatedAt = s_.clock.nowText();
    d.body["status"] = "deleting";
    d.body["updated_at"] = d.updatedAt;
    documents::update(c, t, d);
    return d.body;
  });
}

Json ManagedStore::health(const std::string& id, const http::Context& context) const {
  const Json body = get(id, context);
  const bool up = body["status"] == "active";
  return {{"id", id},
          {"status", body["status"]},
          {"primary_healthy", up},
          {"standby_healthy", body["high_availability"].get<bool>() ? Json(up) : Json(nullptr)},
          {"maintenance_window", "sun 03:00-04:00"},
          {"pending_maintenance", false},
          {"checked_at", s_.clock.nowText()}};
}

Json ManagedStore::credentialsOf(const Document& d, bool masked) const {
  const Json secrets = openSecrets(s_, d);
  const std::string host =
      d.body["host"].is_string() ? d.body["host"].get<std::string>() : hostFor(d, flavor_.idPrefix);
  const std::string password = masked ? kMask : secrets["password"].get<std::string>();
  std::string uri = flavor_.scheme + "://" + flavor_.username + ":" + password + "@" + host + ":" +
                    std::to_string(flavor_.port);
  if (flavor_.namedDatabase) uri += "/" + d.body["name"].get<std::string>() + "?sslmode=require";
  return {{"host", host},
          {"port", flavor_.port},
          {"username", flavor_.username},
          {"password", password},
          {"database", flavor_.namedDatabase ? d.body["name"] : Json(nullptr)},
          {"connection_uri", uri},
          {"masked", masked},
          {"rotated_at", secrets["rotated_at"]}};
}

Json ManagedStore::credentials(const std::string& id, const http::Context& context) const {
  Document d =
      s_.db.with([&](storage::Connection& c) { return documents::get(c, tenantOf(context), flavor_.kind, id); });
  return credentialsOf(d, true);
}

Json ManagedStore::reveal(const std::string& id, const http::Context& context) const {
  const Tenant t = tenantOf(context);
  return s_.db.transact([&](storage::Connection& c) {
    Document d = documents::get(c, t, flavor_.kind, id);
    s_.audit(c, t, flavor_.kind + ".credentials_revealed", flavor_.kind, id, context);
    return credentialsOf(d, false);
  });
}

Json ManagedStore::rotate(const std::string& id, std::int64_t graceSeconds, const http::Context& context) const {
  const Tenant t = tenantOf(context);
  return s_.db.transact([&](storage::Connection& c) {
    Document d = documents::get(c, t, flavor_.kind, id);
    if (*d.status == "deleting" || *d.status == "failed") {
      conflict("The " + flavor_.what + " is " + *d.status + "; its credentials cannot be rotated.");
    }
    Json secrets = openSecrets(s_, d);
    const std::string now = s_.clock.nowText();
    // The old password keeps working for the grace period (none when it is 0).
    secrets["previous_password"] = graceSeconds > 0 ? secrets["password"] : Json(nullptr);
    secrets["previous_valid_until"] =
        graceSeconds > 0 ? Json(Clock::format(s_.clock.now() + std::chrono::seconds(graceSeconds))) : Json(nullptr);
    secrets["password"] = randomToken(32);
    secrets["rotated_at"] = now;
    d.sealed = s_.sealer.seal(secrets.dump(), d.id);
    d.updatedAt = now;
    d.body["updated_at"] = now;
    documents::update(c, t, d);
    s_.audit(c, t, flavor_.kind + ".credentials_rotated", flavor_.kind, id, context);
    emitIfKnown(c, t, flavor_.kind + ".credentials_rotated", change(d.body));
    return credentialsOf(d, true);
  });
}

Json ManagedStore::metrics(const std::string& id, const std::optional<std::string>& range,
                           const std::optional<std::vector<std::string>>& wanted, const http::Context& context) const {
  const std::string window = range.value_or("1h");
  std::optional<std::int64_t> seconds = rangeSeconds(window);
  // Query parameters: a 400 (the operation documents no 422).
  if (!seconds) badRequest("The query parameter range is a number and m, h or d, from 1m to 30d (\"" + window + "\").");
  std::vector<std::pair<std::string, std::string>> chosen;
  if (wanted && !wanted->empty()) {
    for (const std::string& name : *wanted) {
      auto it = std::find_if(flavor_.metrics.begin(), flavor_.metrics.end(),
                             [&](const auto& metric) { return metric.first == name; });
      if (it == flavor_.metrics.end()) badRequest("The query parameter metric has an unknown metric \"" + name + "\".");
      chosen.push_back(*it);
    }
  } else {
    chosen = flavor_.metrics;
  }
  const Json body = get(id, context);
  // Nothing runs before creation, nor since the resource left `active` (stopped, deleting...).
  Clock::time_point created, changed;
  Clock::parse(body["created_at"].get<std::string>(), created);
  Clock::parse(body["updated_at"].get<std::string>(), changed);
  auto idleAt = [&](std::int64_t at) {
    const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(at));
    return when < created || (body["status"] != "active" && when >= changed);
  };
  // About 60 points, at least 10 s apart, on a grid so that repeated calls line up.
  const std::int64_t step = std::max<std::int64_t>(10, *seconds / 60);
  const std::int64_t count = *seconds / step;
  const std::int64_t nowSeconds = s_.clock.nowMs() / 1000;
  const std::int64_t last = nowSeconds - nowSeconds % step;
  Json series = Json::array();
  for (const auto& [metric, unit] : chosen) {
    Json points = Json::array();
    for (std::int64_t i = count - 1; i >= 0; --i) {
      const std::int64_t at = last - i * step;
      const auto when = std::chrono::system_clock::time_point(std::chrono::seconds(at));
      const double value = idleAt(at) ? 0.0 : metricValue(metric, noise(id, metric, at), body);
      points.push_back({{"timestamp", Clock::format(when)}, {"value", value}});
    }
    series.push_back({{"metric", metric}, {"unit", unit}, {"points", std::move(points)}});
  }
  return {{flavor_.idMember, id}, {"range", window}, {"step_seconds", step}, {"series", std::move(series)}};
}

void ManagedStore::advance() const {
  const auto now = s_.clock.now();
  for (const Step& step : kSteps) {
    auto due = s_.db.with([&](storage::Connection& c) { return documents::byStatus(c, flavor_.kind, step.from, 100); });
    for (auto& [tenant, d] : due) {
      Clock::time_point since;
      if (!Clock::parse(d.updatedAt, since)) continue;
      if (since + std::chrono::seconds(step.seconds) > now) break;  // oldest first: the rest are not due
      s_.db.transact([&](storage::Connection& c) {
        // Claim the row with a conditional statement: another replica may be finishing it.
        const std::string stamp = s_.clock.nowText();
        std::int64_t claimed = 0;
        if (step.to) {
          d.body["status"] = step.to;
          d.body["updated_at"] = stamp;
          if (step.from == std::string("provisioning")) d.body["host"] = hostFor(d, flavor_.idPrefix);
          // updated_at too: a change made since the read (a rename) must not be overwritten.
          auto q = c.prepare(
              "UPDATE resources SET status = $1, body = $2, updated_at = $3 WHERE id = $4 AND status = $5"
              " AND updated_at = $6");
          q->bind_text(1, step.to).bind_text(2, d.body.dump()).bind_text(3, stamp).bind_text(4, d.id);
          q->bind_text(5, step.from).bind_text(6, d.updatedAt);
          claimed = q->run();
        } else {
          auto q = c.prepare("DELETE FROM resources WHERE id = $1 AND status = $2");
          q->bind_text(1, d.id).bind_text(2, step.from);
          claimed = q->run();
        }
        if (claimed == 1) {
          // A new resource has no previous attributes; a status change names the old status.
          const bool statusChange = step.to && step.from != std::string("provisioning");
          emitIfKnown(c, tenant, flavor_.kind + "." + eventOf(step.from),
                      change(d.body, statusChange ? Json{{"status", step.from}} : Json(nullptr)));
        }
      });
    }
  }
}

}  // namespace tether::sandbox::data
