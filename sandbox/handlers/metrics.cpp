// Metrics (tag "Metrics"): request rate, latency, error rate and the ad-hoc query. The
// sandbox runs no traffic, so the series are generated, but deterministically: a point's
// value is a function of the tenant, the scope (project, service), the metric, the group
// and the point's time bucket, so repeated calls and every replica agree and a client can
// test its charts. The scope is real: a missing or foreign project, service or environment
// is refused (400 for a query parameter, 422 in the query body: no 404 is documented), and
// grouping by environment or service lists the tenant's own.
#include <algorithm>
#include <cmath>

#include "identity_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

constexpr std::int64_t kMinStep = 10;
constexpr std::int64_t kMaxRange = 30 * 86400;
constexpr std::int64_t kMaxPoints = 1440;
const std::vector<std::string> kRoutes = {"/", "/api/items", "/api/items/{id}", "/healthz"};
const std::vector<std::string> kStatusClasses = {"2xx", "3xx", "4xx", "5xx"};

// "15m", "24h", "7d" in seconds; nullopt when it is not one or is beyond 30 days.
std::optional<std::int64_t> rangeSeconds(const std::string& range) {
  if (range.size() < 2) return std::nullopt;
  const std::string digits = range.substr(0, range.size() - 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) ||
      digits.size() > 5) {
    return std::nullopt;
  }
  const std::int64_t n = std::stoll(digits);
  const char unit = range.back();
  const std::int64_t seconds = unit == 'm' ? n * 60 : unit == 'h' ? n * 3600 : unit == 'd' ? n * 86400 : -1;
  if (seconds < 60 || seconds > kMaxRange) return std::nullopt;
  return seconds;
}

// What a series is about: the tenant's resources the values are generated for.
struct Scope {
  std::string seed;                       // workspace/mode/project/service
  std::optional<std::string> project;     // the project the environments come from
  std::optional<std::string> service;
  std::optional<std::string> environment; // a filter on one environment (its name)
  std::optional<std::string> route;
  std::optional<std::string> statusClass;
};

// Where a scope's ids came from, for the error a missing one gets: the operations document
// no 404, so an unknown id is a 400 naming the query parameter, or a 422 pointing into the
// query body.
enum class IdsFrom { Query, Body };

Scope scopeOf(storage::Connection& c, const Tenant& t, const std::optional<std::string>& project,
              const std::optional<std::string>& service, const std::optional<std::string>& environment,
              IdsFrom from = IdsFrom::Query) {
  auto lookup = [&](const std::string& kind, const std::string& id, const std::string& name) {
    std::optional<Document> d = documents::find(c, t, kind, id);
    if (d) return std::move(*d);
    const std::string message = "No " + kind + " \"" + id + "\" in the workspace.";
    if (from == IdsFrom::Body) invalid("/filters/" + name, message);
    badRequest("The query parameter \"" + name + "\" names no " + kind + " of the workspace.");
  };
  Scope scope;
  scope.project = project;
  if (project) lookup("project", *project, "project_id");
  if (service) {
    Document s = lookup("service", *service, "service_id");
    if (project && s.parent != *project) {
      if (from == IdsFrom::Body) invalid("/filters/service_id", "The service is not in the project.");
      badRequest("The query parameter \"service_id\" names a service of another project.");
    }
    scope.service = service;
    scope.project = s.parent;
  }
  if (environment) {
    Document e = lookup("environment", *environment, "environment_id");
    scope.environment = e.name.value_or(e.body.value("name", ""));
    if (!scope.project) scope.project = e.parent;
  }
  scope.seed = t.workspace + "/" + t.mode + "/" + scope.project.value_or("*") + "/" + service.value_or("*");
  return scope;
}

// The values of the group-by dimension, each as the series' label.
std::vector<std::string> groupValues(storage::Connection& c, const Tenant& t, const Scope& scope,
                                     const std::optional<std::string>& groupBy) {
  std::vector<std::string> values;
  if (!groupBy) return {""};
  if (*groupBy == "route") values = scope.route ? std::vector<std::string>{*scope.route} : kRoutes;
  if (*groupBy == "status_class") {
    values = scope.statusClass ? std::vector<std::string>{*scope.statusClass} : kStatusClasses;
  }
  if (*groupBy == "environment") {
    if (scope.environment) return {*scope.environment};
    for (const Document& e : identity::allOf(c, t, "environment", scope.project)) {
      const std::string name = e.body.value("name", e.name.value_or(""));
      if (std::find(values.begin(), values.end(), name) == values.end()) values.push_back(name);
    }
    if (values.empty()) values.push_back("production");
  }
  if (*groupBy == "service") {
    for (const Document& s : identity::allOf(c, t, "service", scope.project)) {
      if (!scope.service || s.id == *scope.service) values.push_back(s.body.value("name", s.id));
    }
  }
  std::sort(values.begin(), values.end());
  return values;
}

// The share of traffic a status class has (requests grouped or filtered by class).
double classShare(const std::string& statusClass) {
  if (statusClass == "2xx") return 0.90;
  if (statusClass == "3xx") return 0.04;
  if (statusClass == "4xx") return 0.05;
  if (statusClass == "5xx") return 0.01;
  return 1.0;
}

struct SeriesSpec {
  std::string metric;  // requests, latency, errors, cpu_percent, memory_mb, instances
  double base = 1.0;   // typical value
  bool integral = false;
};

// One series per group value: `points` values at `step` intervals ending at the last
// whole step before now, oldest first, each base × (0.75 … 1.25) by a hash of its bucket.
Json series(const SeriesSpec& spec, const Scope& scope, const std::optional<std::string>& groupBy,
            const std::vector<std::string>& groups, std::int64_t rangeS, std::int64_t step, const Clock& clock) {
  const std::int64_t nowS = clock.nowMs() / 1000;
  const std::int64_t last = nowS - nowS % step;
  const std::int64_t points = std::max<std::int64_t>(1, rangeS / step);
  Json out = Json::array();
  for (const std::string& group : groups) {
    double base = spec.base;
    if (spec.metric == "requests" && groupBy == std::optional<std::string>("status_class")) base *= classShare(group);
    if (spec.metric == "requests" && scope.statusClass) base *= classShare(*scope.statusClass);
    Json labels = Json::object();
    if (groupBy) labels[*groupBy] = group;
    Json values = Json::array();
    for (std::int64_t i = points - 1; i >= 0; --i) {
      const std::int64_t at = last - i * step;
      const std::string bucket = scope.seed + "/" + spec.metric + "/" + group + "/" + std::to_string(at);
      double value = base * (0.75 + 0.5 * identity::unitHash(bucket));
      value = spec.integral ? std::round(value) : std::round(value * 1000.0) / 1000.0;
      values.push_back({{"timestamp", Clock::format(Clock::time_point(std::chrono::seconds(at)))}, {"value", value}});
    }
    out.push_back({{"labels", labels}, {"points", values}});
  }
  return out;
}

std::int64_t defaultStep(std::int64_t rangeS) { return std::max(kMinStep, rangeS / 60); }

class Metrics final : public MetricsHandler {
 public:
  explicit Metrics(const Services& services) : s_(services) {}

  GetRequestMetricsResponse getRequestMetrics(const GetRequestMetricsRequest& request,
                                              http::Context& context) override {
    return {reply<GetRequestMetricsResponse::Status200>(
        seriesFor(request, context, {"requests", 20.0, false}, "requests_per_second"))};
  }

  GetLatencyMetricsResponse getLatencyMetrics(const GetLatencyMetricsRequest& request,
                                              http::Context& context) override {
    const std::string percentile = request.percentile ? text(*request.percentile) : "p95";
    const double base = percentile == "p50" ? 40.0 : percentile == "p90" ? 90.0 : percentile == "p95" ? 120.0 : 250.0;
    return {reply<GetLatencyMetricsResponse::Status200>(
        seriesFor(request, context, {"latency", base, false}, "milliseconds"))};
  }

  GetErrorMetricsResponse getErrorMetrics(const GetErrorMetricsRequest& request, http::Context& context) override {
    const bool rate = request.as && text(*request.as) == "rate";
    return {reply<GetErrorMetricsResponse::Status200>(seriesFor(
        request, context, {"errors", rate ? 0.2 : 0.01, false}, rate ? "errors_per_second" : "ratio"))};
  }

  QueryMetricsResponse queryMetrics(const QueryMetricsRequest& request, http::Context& context) override {
    const cloud::MetricQuery& q = request.body;
    const std::optional<std::int64_t> rangeS = rangeSeconds(q.range);
    if (!rangeS) invalid("/range", "The range must be from 1m to 30d.");
    const std::int64_t step = q.step_seconds.value_or(defaultStep(*rangeS));
    if (*rangeS / step > kMaxPoints) {
      invalid("/step_seconds", "At most " + std::to_string(kMaxPoints) + " points per series; use a larger step.");
    }
    const std::string metric = text(q.metric), aggregation = q.aggregation ? text(*q.aggregation) : "avg";
    const std::optional<std::string> groupBy = q.group_by ? std::optional<std::string>(text(*q.group_by)) : std::nullopt;
    const Tenant t = tenantOf(context);
    Json result = s_.db.with([&](storage::Connection& c) {
      Scope scope;
      if (q.filters) {
        scope = scopeOf(c, t, q.filters->project_id, q.filters->service_id, q.filters->environment_id, IdsFrom::Body);
        scope.route = q.filters->route;
        if (q.filters->status_class) scope.statusClass = text(*q.filters->status_class);
      } else {
        scope = scopeOf(c, t, std::nullopt, std::nullopt, std::nullopt);
      }
      Json echoed = toJson(q);
      echoed["aggregation"] = aggregation;
      echoed["step_seconds"] = step;
      SeriesSpec spec = specOf(metric, aggregation);
      return Json{{"query", echoed},
                  {"unit", unitOf(metric)},
                  {"step_seconds", step},
                  {"series", series(spec, scope, groupBy, groupValues(c, t, scope, groupBy), *rangeS, step, s_.clock)}};
    });
    return {reply<QueryMetricsResponse::Status200>(result)};
  }

 private:
  // The three GET endpoints differ only in their metric, unit and typical value.
  template <class Request>
  Json seriesFor(const Request& request, http::Context& context, const SeriesSpec& spec, const std::string& unit) {
    const std::string range = request.range.value_or("1h");
    const std::optional<std::int64_t> rangeS = rangeSeconds(range);
    if (!rangeS) badRequest("The range \"" + range + "\" must be from 1m to 30d.");
    const std::int64_t step = defaultStep(*rangeS);
    const std::optional<std::string> groupBy =
        request.group_by ? std::optional<std::string>(text(*request.group_by)) : std::nullopt;
    const Tenant t = tenantOf(context);
    return s_.db.with([&](storage::Connection& c) {
      const Scope scope = scopeOf(c, t, request.project_id, request.service_id, std::nullopt);
      return Json{{"metric", spec.metric},
                  {"unit", unit},
                  {"range", range},
                  {"step_seconds", step},
                  {"group_by", groupBy ? Json(*groupBy) : Json(nullptr)},
                  {"series", series(spec, scope, groupBy, groupValues(c, t, scope, groupBy), *rangeS, step, s_.clock)}};
    });
  }

  static std::string unitOf(const std::string& metric) {
    if (metric == "requests") return "requests_per_second";
    if (metric == "latency") return "milliseconds";
    if (metric == "errors") return "ratio";
    if (metric == "cpu_percent") return "percent";
    if (metric == "memory_mb") return "megabytes";
    return "count";
  }

  // A metric's typical value, shifted by how points within a step combine.
  static SeriesSpec specOf(const std::string& metric, const std::string& aggregation) {
    SeriesSpec spec{metric, 1.0, metric == "instances"};
    if (metric == "requests") spec.base = 20.0;
    if (metric == "latency") spec.base = 80.0;
    if (metric == "errors") spec.base = 0.01;
    if (metric == "cpu_percent") spec.base = 35.0;
    if (metric == "memory_mb") spec.base = 256.0;
    if (metric == "instances") spec.base = 2.0;
    const double factor = aggregation == "max" ? 1.5 : aggregation == "min" ? 0.5 : aggregation == "p50" ? 0.9
                          : aggregation == "p95" ? 1.6 : aggregation == "p99" ? 2.5 : aggregation == "sum" ? 4.0 : 1.0;
    spec.base *= factor;
    return spec;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<MetricsHandler> makeMetricsHandler(const Services& services) {
  return std::make_unique<Metrics>(services);
}

}  // namespace tether::sandbox
