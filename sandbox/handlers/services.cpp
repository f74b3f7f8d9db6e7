// Services (tag "Services"): documents of kind "service" under their project, each with its
// scaling settings (a "service_scaling" document under the service). A new service is
// `pending` and queues its first deployment; the deployments ticker makes it `live`.
// Stop, start, restart and delete go through transitional states that this file's ticker
// job ends on the sandbox clock. Runtime logs and instances are made up from the service's
// state (the sandbox runs no processes), deterministically so that paging is stable.
#include <algorithm>
#include <cctype>

#include "compute_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using compute::setStatus;

// Sandbox seconds each transitional state of a service lasts.
constexpr double kStoppingSeconds = 2;
constexpr double kStartingSeconds = 3;
constexpr double kRestartingSeconds = 3;
constexpr double kDeletingSeconds = 2;
// One made-up runtime log line per sandbox second once the service has run.
constexpr std::int64_t kLogIntervalMs = 1000;
constexpr std::int64_t kLogRetentionMs = 7LL * 24 * 3600 * 1000;  // the spec: logs are kept 7 days
// Instances of a service on the free plan (the spec: more needs Pro).
constexpr std::int64_t kFreeMaxInstances = 3;
constexpr std::int64_t kMaxLogSteps = 100000;  // bounds a filtered walk through the log

std::string scalingId(const std::string& serviceId) { return "scl_" + serviceId.substr(4); }

bool isStatic(const Document& service) { return service.body["type"] == "static_site"; }

// Start, stop, restart and scaling do not apply to static sites (no instances): 409.
void requireInstances(const Document& service, const std::string& what) {
  if (isStatic(service)) conflict("A static site has no instances; it cannot be " + what + ".");
}

void requireStatus(const Document& service, const std::string& status, const std::string& action) {
  if (service.status != status) {
    conflict("Only a " + status + " service can be " + action + "; this one is " + *service.status + ".");
  }
}

// A size a service can run on: the catalogue's service sizes and instance sizes, offered
// in the service's region.
void checkSize(const std::string& slug, const std::string& region) {
  std::optional<Json> size = compute::findSize(slug);
  if (!size || (size->at("kind") != "service" && size->at("kind") != "instance")) {
    invalid("/instance_size", "Unknown service size \"" + slug + "\"; see GET /v1/sizes?kind=service.");
  }
  if (!compute::sizeOfferedIn(*size, region)) {
    invalid("/instance_size", "The size \"" + slug + "\" is not offered in " + region + ".");
  }
}

// Fields of an update that do not apply to the service's type (422 per the spec).
void checkApplies(const Json& patch, const std::string& type) {
  auto reject = [&](const char* field, const std::string& why) {
    if (patch.contains(field)) invalid(std::string("/") + field, std::string(field) + " " + why);
  };
  if (type == "static_site") {
    for (const char* field : {"start_command", "port", "health_check_path", "instance_size"}) {
      reject(field, "does not apply to static sites.");
    }
  } else {
    reject("publish_path", "applies to static sites only.");
  }
  if (type == "background_worker") {
    reject("port", "applies to web services only.");
    reject("health_check_path", "applies to web services only.");
  }
}

std::string lowerAlnum(const std::string& in) {
  std::string out;
  for (char ch : in) {
    if (std::isalnum(static_cast<unsigned char>(ch))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

class ServicesImpl final : public ServicesHandler {
 public:
  explicit ServicesImpl(const Services& services) : s_(services) {
    s_.ticker.add("services", [this] { advance(); });
  }

  ListServicesResponse listServices(const ListServicesRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "service");
    query.parent = request.project_id;
    if (request.status) query.status = text(*request.status);
    if (request.type) query.bodyEquals.emplace_back("type", text(*request.type));
    if (request.environment_id) query.bodyEquals.emplace_back("environment_id", *request.environment_id);
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "project", request.project_id);  // 404 for a missing or foreign project
      return documents::list(c, t, query);
    });
    return {reply<ListServicesResponse::Status200>(page.json())};
  }

  CreateServiceResponse createService(const CreateServiceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    const std::string type = in["type"];
    const std::string region = in["region"];
    std::optional<Json> regionInfo = compute::findRegion(region);
    if (!regionInfo || !compute::regionOffers(*regionInfo, "services")) {
      invalid("/region", "Services are not offered in the region \"" + region + "\".");
    }
    const bool isSite = type == "static_site";
    const std::string size = in.value("instance_size", std::string("s-1vcpu-1gb"));
    if (!isSite) checkSize(size, region);
    Document created = s_.db.transact([&](storage::Connection& c) {
      const std::string now = s_.clock.nowText();
      Document project = documents::get(c, t, "project", request.project_id);
      const std::string environmentId = in["environment_id"];
      std::optional<Document> env = documents::find(c, t, "environment", environmentId);
      if (!env || env->parent != project.id) {
        invalid("/environment_id", "No environment \"" + environmentId + "\" in the project.");
      }
      compute::requireRoomFor(c, t, "service");
      Document service;
      service.id = newId("svc_");
      service.kind = "service";
      service.parent = project.id;
      service.name = service.uniqueName = in["name"].get<std::string>();
      service.status = "pending";
      service.createdAt = service.updatedAt = now;
      Json source = in["source"];
      if (!source.contains("root_directory")) source["root_directory"] = ".";
      const std::string host = *service.name + "-" + lowerAlnum(service.id.substr(4, 6));
      service.body = {
          {"id", service.id},
          {"name", *service.name},
          {"type", type},
          {"project_id", project.id},
          {"environment_id", environmentId},
          {"status", "pending"},
          {"source", source},
          {"auto_deploy", in.value("auto_deploy", true)},
          {"build_command", in.value("build_command", Json(nullptr))},
          {"start_command", isSite ? Json(nullptr) : in["start_command"]},
          {"publish_path", isSite ? in["publish_path"] : Json(nullptr)},
          {"port", type == "web_service" ? in.value("port", Json(8080)) : Json(nullptr)},
          {"health_check_path", type == "web_service" ? in.value("health_check_path", Json(nullptr)) : Json(nullptr)},
          {"instance_size", isSite ? Json(nullptr) : Json(size)},
          {"region", region},
          {"url", type == "background_worker" ? Json(nullptr) : Json("https://" + host + ".cloudplatform.app")},
          {"current_deployment_id", nullptr},
          {"created_at", now},
          {"updated_at", now}};
      documents::insert(c, t, service);
      if (!isSite) documents::insert(c, t, scalingDocument(service.id, now));
      s_.emit(c, t, "service.created", change(service.body));
      compute::NewDeployment first;
      first.branch = source["branch"].get<std::string>();
      first.createdBy = compute::actorOf(t);
      compute::queueDeployment(s_, c, t, service, first);
      return service;
    });
    return {reply<CreateServiceResponse::Status201>(created.body)};
  }

  GetServiceResponse getService(const GetServiceRequest& request, http::Context& context) override {
    return {reply<GetServiceResponse::Status200>(read(context, request.service_id).body)};
  }

  UpdateServiceResponse updateService(const UpdateServiceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json patch = toJson(request.body);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      const std::string now = s_.clock.nowText();
      Document d = documents::get(c, t, "service", request.service_id);
      if (d.status == "deleting") conflict("The service is being deleted.");
      checkApplies(patch, d.body["type"]);
      if (patch.contains("instance_size")) checkSize(patch["instance_size"], d.body["region"]);
      const Json before = d.body;
      mergePatch(d.body, patch);
      if (patch.contains("source") && !d.body["source"].contains("root_directory")) {
        d.body["source"]["root_directory"] = ".";
      }
      d.name = d.uniqueName = d.body["name"].get<std::string>();
      d.updatedAt = now;
      d.body["updated_at"] = now;
      // Runtime settings roll out by a rolling restart of a live service.
      bool runtimeChanged = false;
      for (const char* field : {"start_command", "port", "health_check_path", "instance_size"}) {
        if (before[field] != d.body[field]) runtimeChanged = true;
      }
      if (runtimeChanged && d.status == "live") {
        d.status = "restarting";
        d.body["status"] = "restarting";
      }
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateServiceResponse::Status200>(updated.body)};
  }

  DeleteServiceResponse deleteService(const DeleteServiceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document deleting = s_.db.transact([&](storage::Connection& c) {
      const std::string now = s_.clock.nowText();
      Document d = documents::get(c, t, "service", request.service_id);
      if (d.status == "deleting") conflict("The service is already being deleted.");
      for (const char* running : {"queued", "building", "deploying"}) {
        for (Document& dep : compute::children(c, t, "deployment", d.id, std::string(running))) {
          compute::cancelDeployment(s_, c, t, dep, "the service is being deleted");
        }
      }
      setStatus(c, t, d, "deleting", now);
      return d;
    });
    return {reply<DeleteServiceResponse::Status202>(deleting.body)};
  }

  StartServiceResponse startService(const StartServiceRequest& request, http::Context& context) override {
    Document d = transition(context, request.service_id, "stopped", "starting", "started");
    return {reply<StartServiceResponse::Status202>(d.body)};
  }

  StopServiceResponse stopService(const StopServiceRequest& request, http::Context& context) override {
    Document d = transition(context, request.service_id, "live", "stopping", "stopped");
    return {reply<StopServiceResponse::Status202>(d.body)};
  }

  RestartServiceResponse restartService(const RestartServiceRequest& request, http::Context& context) override {
    Document d = transition(context, request.service_id, "live", "restarting", "restarted");
    return {reply<RestartServiceResponse::Status202>(d.body)};
  }

  GetServiceScalingResponse getServiceScaling(const GetServiceScalingRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json scaling = s_.db.with([&](storage::Connection& c) {
      Document service = documents::get(c, t, "service", request.service_id);
      requireInstances(service, "scaled");
      return scalingView(service, scalingOf(c, t, service.id));
    });
    return {reply<GetServiceScalingResponse::Status200>(scaling)};
  }

  UpdateServiceScalingResponse updateServiceScaling(const UpdateServiceScalingRequest& request,
                                                    http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    if (request.body.max_instances < request.body.min_instances) {
      invalid("/max_instances", "max_instances must be at least min_instances.");
    }
    Json scaling = s_.db.transact([&](storage::Connection& c) {
      const std::string now = s_.clock.nowText();
      Document service = documents::get(c, t, "service", request.service_id);
      requireInstances(service, "scaled");
      if (service.status == "deleting") conflict("The service is being deleted.");
      if (request.body.max_instances > kFreeMaxInstances && planOf(c, t) == "free") {
        fail(403, "PLAN_RESTRICTED_FEATURE",
             "More than " + std::to_string(kFreeMaxInstances) + " instances needs the Pro plan.");
      }
      Document settings = scalingOf(c, t, service.id);
      const Json previous = {{"min_instances", settings.body["min_instances"]},
                             {"max_instances", settings.body["max_instances"]}};
      settings.body["min_instances"] = request.body.min_instances;
      settings.body["max_instances"] = request.body.max_instances;
      settings.body["target_cpu_percent"] = in.value("target_cpu_percent", Json(nullptr));
      settings.body["updated_at"] = now;
      settings.updatedAt = now;
      documents::update(c, t, settings);
      Json view = scalingView(service, settings);
      s_.emit(c, t, "service.scaled", change(service.body, previous));
      return view;
    });
    return {reply<UpdateServiceScalingResponse::Status200>(scaling)};
  }

  GetServiceLogsResponse getServiceLogs(const GetServiceLogsRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    auto [service, settings] = s_.db.with([&](storage::Connection& c) {
      Document d = documents::get(c, t, "service", request.service_id);
      std::optional<Document> scaling = documents::find(c, t, "service_scaling", scalingId(d.id));
      return std::make_pair(d, scaling);
    });
    return {reply<GetServiceLogsResponse::Status200>(runtimeLog(service, settings, request))};
  }

  GetServiceStatusResponse getServiceStatus(const GetServiceStatusRequest& request,
                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json report = s_.db.with([&](storage::Connection& c) {
      Document service = documents::get(c, t, "service", request.service_id);
      std::optional<Document> scaling = documents::find(c, t, "service_scaling", scalingId(service.id));
      return statusReport(service, scaling);
    });
    return {reply<GetServiceStatusResponse::Status200>(report)};
  }

 private:
  Document read(const http::Context& context, const std::string& id) const {
    return s_.db.with([&](storage::Connection& c) { return documents::get(c, tenantOf(context), "service", id); });
  }

  // A service action: 409 unless the service is in `from` (and has instances), then the
  // transitional `to` that the ticker ends.
  Document transition(const http::Context& context, const std::string& id, const std::string& from,
                      const std::string& to, const std::string& verb) {
    const Tenant t = tenantOf(context);
    return s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "service", id);
      requireInstances(d, verb);
      requireStatus(d, from, verb);
      const std::string now = s_.clock.nowText();
      if (!compute::claim(c, t, d.id, from, to, now)) conflict("The service changed status meanwhile.");
      setStatus(c, t, d, to, now);
      return d;
    });
  }

  static Document scalingDocument(const std::string& serviceId, const std::string& now) {
    Document d;
    d.id = scalingId(serviceId);
    d.kind = "service_scaling";
    d.parent = serviceId;
    d.createdAt = d.updatedAt = now;
    d.body = {{"min_instances", 1}, {"max_instances", 1}, {"target_cpu_percent", nullptr}, {"updated_at", now}};
    return d;
  }

  static Document scalingOf(storage::Connection& c, const Tenant& t, const std::string& serviceId) {
    return documents::get(c, t, "service_scaling", scalingId(serviceId));
  }

  // Instances the scheduler wants: the minimum while the service runs, none otherwise.
  static std::int64_t desiredInstances(const Document& service, const std::optional<Document>& scaling) {
    if (isStatic(service) || !scaling || service.body["current_deployment_id"].is_null()) return 0;
    const std::string& status = *service.status;
    const bool runs = status == "live" || status == "restarting" || status == "deploying" || status == "starting";
    return runs ? scaling->body["min_instances"].get<std::int64_t>() : 0;
  }

  static Json scalingView(const Document& service, const Document& settings) {
    Json view = settings.body;
    view["current_instances"] = desiredInstances(service, settings);
    return view;
  }

  static std::string instanceName(const Document& service, std::int64_t index) {
    std::string deployment = service.body["current_deployment_id"].is_string()
                                 ? service.body["current_deployment_id"].get<std::string>()
                                 : "dep_000000";
    return service.body["name"].get<std::string>() + "-" + lowerAlnum(deployment.substr(4, 6)) + "-" +
           std::to_string(index);
  }

  Json statusReport(const Document& service, const std::optional<Document>& scaling) const {
    const std::int64_t desired = desiredInstances(service, scaling);
    const std::string& status = *service.status;
    // While starting or restarting the first instance is still coming up.
    const std::string firstState = status == "starting" || status == "restarting" ? "starting" : "healthy";
    Json instances = Json::array();
    std::int64_t healthy = 0;
    for (std::int64_t i = 0; i < desired; ++i) {
      const std::string state = i == 0 ? firstState : "healthy";
      if (state == "healthy") ++healthy;
      instances.push_back({{"id", instanceName(service, i)},
                           {"state", state},
                           {"region", service.body["region"]},
                           {"deployment_id", service.body["current_deployment_id"]},
                           {"started_at", service.updatedAt},
                           {"restart_count", 0},
                           {"cpu_percent", 12.5 + static_cast<double>(i)},
                           {"memory_mb", 180 + 10 * i}});
    }
    return {{"service_id", service.id},
            {"status", status},
            {"current_deployment_id", service.body["current_deployment_id"]},
            {"desired_instances", desired},
            {"healthy_instances", healthy},
            {"instances", instances},
            {"checked_at", s_.clock.nowText()}};
  }

  // The made-up runtime log: a line per kLogIntervalMs since the service was created (once it
  // has a deployment), its level and text a function of its index, so that every read and
  // every page agree. Cursors are "b<index>" (older than) or "a<index>" (newer than).
  Json runtimeLog(const Document& service, const std::optional<Document>& scaling,
                  const GetServiceLogsRequest& request) const {
    const std::optional<std::string> since = timestampParam(request.since, "since");
    const std::optional<std::string> until = timestampParam(request.until, "until");
    Json page = {{"data", Json::array()}, {"meta", {{"next_cursor", nullptr}, {"has_more", false}}}};
    if (isStatic(service) || service.body["current_deployment_id"].is_null()) return page;
    const bool ascending = request.sort && text(*request.sort) == "created_at";
    const std::int64_t base = compute::toMs(service.createdAt);
    std::int64_t upper = s_.clock.nowMs();
    if (until) upper = std::min(upper, compute::toMs(*until));
    std::int64_t lower = std::max(base + kLogIntervalMs, s_.clock.nowMs() - kLogRetentionMs);
    if (since) lower = std::max(lower, compute::toMs(*since));
    // Indexes k of the lines inside [lower, upper]: base + k * interval.
    std::int64_t first = (lower - base + kLogIntervalMs - 1) / kLogIntervalMs;
    std::int64_t last = upper < base ? 0 : (upper - base) / kLogIntervalMs;
    if (request.cursor) {
      const std::string& cursor = *request.cursor;
      std::int64_t at = 0;
      try {
        at = std::stoll(cursor.substr(1));
      } catch (const std::exception&) {
        badRequest("The cursor is not one this endpoint issued.");
      }
      if (cursor[0] != (ascending ? 'a' : 'b')) badRequest("The cursor was issued for another sort order.");
      if (ascending) {
        first = std::max(first, at + 1);
      } else {
        last = std::min(last, at - 1);
      }
    }
    const std::int64_t tail = request.tail.value_or(100);
    const std::int64_t instanceCount =
        std::max<std::int64_t>(1, scaling ? scaling->body["min_instances"].get<std::int64_t>() : 1);
    std::int64_t k = ascending ? first : last;
    std::int64_t steps = 0;
    std::int64_t lastTaken = k;
    for (; first <= k && k <= last && steps < kMaxLogSteps; k += ascending ? 1 : -1, ++steps) {
      if (static_cast<std::int64_t>(page["data"].size()) == tail) break;
      Json line = logLine(service, k, base, instanceCount);
      if (request.level && line["level"] != text(*request.level)) continue;
      if (request.instance_id && line["instance_id"] != *request.instance_id) continue;
      page["data"].push_back(std::move(line));
      lastTaken = k;
    }
    if (first <= k && k <= last && static_cast<std::int64_t>(page["data"].size()) == tail) {
      page["meta"] = {{"next_cursor", std::string(ascending ? "a" : "b") + std::to_string(lastTaken)},
                      {"has_more", true}};
    }
    return page;
  }

  static Json logLine(const Document& service, std::int64_t k, std::int64_t base, std::int64_t instanceCount) {
    std::string level = "info";
    std::string message = "GET /api/items 200 in " + std::to_string(3 + k % 40) + "ms";
    if (k % 20 == 0) {
      level = "error";
      message = "upstream request failed: connection reset by peer";
    } else if (k % 7 == 0) {
      level = "warn";
      message = "slow request: GET /api/search took " + std::to_string(900 + k % 500) + "ms";
    } else if (k % 5 == 0) {
      level = "debug";
      message = "cache hit ratio 0." + std::to_string(80 + k % 19);
    }
    return {{"id", "log_" + hex(sha256(service.id + ":" + std::to_string(k))).substr(0, 24)},
            {"timestamp", compute::fromMs(base + k * kLogIntervalMs)},
            {"instance_id", instanceName(service, k % instanceCount)},
            {"level", level},
            {"message", message}};
  }

  // The ticker job: ends the transitional states whose time has come.
  void advance() {
    finish("stopping", kStoppingSeconds, "stopped", "service.stopped");
    finish("starting", kStartingSeconds, "live", "service.started");
    finish("restarting", kRestartingSeconds, "live", "service.restarted");
    removeDeleted();
  }

  void finish(const std::string& from, double seconds, const std::string& to, const std::string& event) {
    auto due = s_.db.with([&](storage::Connection& c) { return documents::byStatus(c, "service", from, 100); });
    for (auto& [tenant, row] : due) {
      if (!compute::elapsed(s_.clock, row.updatedAt, seconds)) continue;
      s_.db.transact([&](storage::Connection& c) {
        const std::string now = s_.clock.nowText();
        if (!compute::claim(c, tenant, row.id, from, to, now)) return;
        Document d = documents::get(c, tenant, "service", row.id);
        setStatus(c, tenant, d, to, now);
        s_.emit(c, tenant, event, compute::statusChange(d.body, from));
      });
    }
  }

  // A deleting service disappears with its deployments (and their logs) and settings.
  void removeDeleted() {
    auto due = s_.db.with([&](storage::Connection& c) { return documents::byStatus(c, "service", "deleting", 100); });
    for (auto& [tenant, row] : due) {
      if (!compute::elapsed(s_.clock, row.updatedAt, kDeletingSeconds)) continue;
      s_.db.transact([&](storage::Connection& c) {
        for (const Document& dep : compute::children(c, tenant, "deployment", row.id)) {
          documents::remove(c, tenant, "deployment", dep.id);
        }
        if (!documents::remove(c, tenant, "service", row.id)) return;  // another replica was first
        s_.emit(c, tenant, "service.deleted", change(row.body));
      });
    }
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<ServicesHandler> makeServicesHandler(const Services& services) {
  return std::make_unique<ServicesImpl>(services);
}

}  // namespace tether::sandbox
