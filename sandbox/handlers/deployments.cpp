// Deployments (tag "Deployments"): documents of kind "deployment" under their service, with
// their log lines as documents of kind "deployment_log" under the deployment. A ticker job
// moves them queued → building → deploying → live on the sandbox clock (a rollback skips
// the build); a deployment of a branch whose name starts with "fail" fails at the end of
// its build, so that clients can exercise the failure path. Going live supersedes the
// previous live deployment and makes the service follow (current_deployment_id, status).
#include "compute_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using compute::appendLog;
using compute::children;
using compute::setStatus;

// Sandbox seconds a deployment stays in each transitional state.
constexpr double kQueuedSeconds = 2;
constexpr double kBuildingSeconds = 5;
constexpr double kDeployingSeconds = 3;

bool finished(const std::string& status) {
  return status == "live" || status == "superseded" || status == "failed" || status == "canceled";
}

bool failsOnPurpose(const Document& deployment) {
  return deployment.body["branch"].get<std::string>().rfind("fail", 0) == 0;
}

// A service that was deploying goes back to what it was once a deployment ends without
// going live: `live` on its current deployment, else `whenNone` (failed or pending).
void settleService(storage::Connection& c, const Tenant& t, const std::string& serviceId, const std::string& whenNone,
                   const std::string& now) {
  std::optional<Document> service = documents::find(c, t, "service", serviceId);
  if (!service || service->status != "deploying") return;
  setStatus(c, t, *service, service->body["current_deployment_id"].is_null() ? whenNone : "live", now);
}

class Deployments final : public DeploymentsHandler {
 public:
  explicit Deployments(const Services& services) : s_(services) {
    s_.ticker.add("deployments", [this] { advance(); });
  }

  ListDeploymentsResponse listDeployments(const ListDeploymentsRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "deployment");
    query.parent = request.service_id;
    if (request.status) query.status = text(*request.status);
    if (request.branch) query.bodyEquals.emplace_back("branch", *request.branch);
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "service", request.service_id);  // 404 for a missing or foreign service
      return documents::list(c, t, query);
    });
    return {reply<ListDeploymentsResponse::Status200>(page.json())};
  }

  CreateDeploymentResponse createDeployment(const CreateDeploymentRequest& request,
                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document created = s_.db.transact([&](storage::Connection& c) {
      Document service = documents::get(c, t, "service", request.service_id);
      requireDeployable(service);
      compute::NewDeployment what;
      what.branch = request.body.branch.value_or(service.body["source"]["branch"].get<std::string>());
      what.commitSha = request.body.commit_sha;
      what.clearCache = request.body.clear_cache.value_or(false);
      what.createdBy = compute::actorOf(t);
      return compute::queueDeployment(s_, c, t, service, what);
    });
    return {reply<CreateDeploymentResponse::Status202>(created.body)};
  }

  GetDeploymentResponse getDeployment(const GetDeploymentRequest& request, http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "deployment", request.deployment_id);
    });
    return {reply<GetDeploymentResponse::Status200>(d.body)};
  }

  CancelDeploymentResponse cancelDeployment(const CancelDeploymentRequest& request,
                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document canceled = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "deployment", request.deployment_id);
      const std::string from = *d.status;
      if (finished(from)) conflict("The deployment is " + from + "; only a running one can be canceled.");
      // The claim: the ticker may be moving the same deployment on right now.
      if (!compute::claim(c, t, d.id, from, "canceled", s_.clock.nowText())) {
        conflict("The deployment changed status meanwhile; read it again.");
      }
      compute::cancelDeployment(s_, c, t, d, "canceled through the API");
      settleService(c, t, d.parent, "pending", s_.clock.nowText());
      return d;
    });
    return {reply<CancelDeploymentResponse::Status202>(canceled.body)};
  }

  RollbackDeploymentResponse rollbackDeployment(const RollbackDeploymentRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document created = s_.db.transact([&](storage::Connection& c) {
      Document earlier = documents::get(c, t, "deployment", request.deployment_id);
      if (earlier.status != "live" && earlier.status != "superseded") {
        conflict("Only a deployment that was live can be rolled back to; this one is " + *earlier.status + ".");
      }
      Document service = documents::get(c, t, "service", earlier.parent);
      requireDeployable(service);
      compute::NewDeployment what;
      what.branch = earlier.body["branch"].get<std::string>();
      what.trigger = "rollback";
      what.rollbackOf = earlier.body;
      what.createdBy = compute::actorOf(t);
      Document d = compute::queueDeployment(s_, c, t, service, what);
      if (request.body.reason) {
        appendLog(c, t, d.id, "build", {{"system", "Rollback to " + earlier.id + ": " + *request.body.reason}},
                  compute::plusMs(d.createdAt, 1));
      }
      return d;
    });
    return {reply<RollbackDeploymentResponse::Status202>(created.body)};
  }

  ListDeploymentLogsResponse listDeploymentLogs(const ListDeploymentLogsRequest& request,
                                                http::Context& context) override {
    const std::optional<std::string> since = timestampParam(request.since, "since");
    const Tenant t = tenantOf(context);
    auto [deployment, lines] = s_.db.with([&](storage::Connection& c) {
      Document d = documents::get(c, t, "deployment", request.deployment_id);
      return std::make_pair(d, children(c, t, "deployment_log", d.id));
    });
    if (context.responseMediaType == "text/event-stream") {
      ListDeploymentLogsResponse::Status200 out{};
      out.body_raw = eventStream(deployment, lines, request.last_event_id);
      return {out};
    }
    std::vector<Document> selected;
    for (Document& line : lines) {
      if (request.phase && line.body["phase"] != text(*request.phase)) continue;
      if (since && line.createdAt < *since) continue;
      selected.push_back(std::move(line));
    }
    ListQuery query = listQuery(request, "deployment_log");
    ListDeploymentLogsResponse::Status200 out{};
    out.body_json = as<cloud::DeploymentLogLineList>(documents::paginate(std::move(selected), query).json());
    return {out};
  }

 private:
  // 409 for a service that cannot take a deployment now (the spec: a stopped service).
  static void requireDeployable(const Document& service) {
    const std::string& status = *service.status;
    if (status == "stopped" || status == "stopping" || status == "deleting") {
      conflict("The service is " + status + "; start it before deploying.");
    }
  }

  // The SSE replay of a log: every line after `lastEventId` (all when absent or unknown),
  // then `end` with the deployment when it is finished, else its current `status`; the
  // stream then closes and the client reconnects with Last-Event-ID to follow it.
  static std::string eventStream(const Document& deployment, const std::vector<Document>& lines,
                                 const std::optional<std::string>& lastEventId) {
    std::size_t from = 0;
    if (lastEventId) {
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].id == *lastEventId) from = i + 1;
      }
    }
    std::string out = "retry: 1000\n\n";
    for (std::size_t i = from; i < lines.size(); ++i) {
      out += "id: " + lines[i].id + "\nevent: log\ndata: " + lines[i].body.dump() + "\n\n";
    }
    out += std::string("event: ") + (finished(*deployment.status) ? "end" : "status") +
           "\ndata: " + deployment.body.dump() + "\n\n";
    return out;
  }

  // The ticker job: every deployment whose stage has lasted long enough moves on.
  void advance() {
    advanceFrom("queued", kQueuedSeconds);
    advanceFrom("building", kBuildingSeconds);
    advanceFrom("deploying", kDeployingSeconds);
  }

  void advanceFrom(const std::string& from, double seconds) {
    auto due = s_.db.with([&](storage::Connection& c) { return documents::byStatus(c, "deployment", from, 100); });
    for (auto& [tenant, row] : due) {
      if (!compute::elapsed(s_.clock, row.updatedAt, seconds)) continue;
      const std::string to = next(row);
      s_.db.transact([&](storage::Connection& c) {
        const std::string now = s_.clock.nowText();
        if (!compute::claim(c, tenant, row.id, from, to, now)) return;  // another replica moved it
        Document d = documents::get(c, tenant, "deployment", row.id);
        enter(c, tenant, d, from, to, now);
      });
    }
  }

  static std::string next(const Document& d) {
    if (d.status == "queued") return d.body["rollback_of"].is_null() ? "building" : "deploying";
    if (d.status == "building") return failsOnPurpose(d) ? "failed" : "deploying";
    return "live";
  }

  void enter(storage::Connection& c, const Tenant& t, Document& d, const std::string& from, const std::string& to,
             const std::string& now) {
    d.status = to;  // the events below carry the new status
    d.body["status"] = to;
    if (from == "queued") {
      d.body["started_at"] = now;
      s_.emit(c, t, "deployment.started", compute::statusChange(d.body, from));
      std::optional<Document> service = documents::find(c, t, "service", d.parent);
      if (service && (service->status == "pending" || service->status == "live" || service->status == "failed")) {
        setStatus(c, t, *service, "deploying", now);
      }
    }
    if (to == "building") {
      appendLog(c, t, d.id, "build",
                {{"system", "Cloning " + d.body["branch"].get<std::string>() + " at " +
                                d.body["commit"]["sha"].get<std::string>().substr(0, 7)},
                 {"stdout", d.body["clear_cache"].get<bool>() ? "Build cache cleared" : "Restoring build cache"},
                 {"stdout", "Running build command"}},
                now);
    } else if (to == "deploying") {
      appendLog(c, t, d.id, "deploy",
                {{"system", from == "queued" ? "Reusing the build of " + d.body["rollback_of"].get<std::string>()
                                             : "Build succeeded"},
                 {"system", "Starting new instances"},
                 {"stdout", "Health check passed"}},
                now);
    } else if (to == "failed") {
      d.body["failure_reason"] = "The build command exited with status 1.";
      d.body["finished_at"] = now;
      appendLog(c, t, d.id, "build", {{"stderr", "error: build failed"}, {"system", "Build failed"}}, now);
      s_.emit(c, t, "deployment.failed", compute::statusChange(d.body, from));
      settleService(c, t, d.parent, "failed", now);
    } else if (to == "live") {
      d.body["finished_at"] = now;
      appendLog(c, t, d.id, "deploy", {{"system", "Deployment is live"}}, now);
      goLive(c, t, d, now);
    }
    setStatus(c, t, d, to, now);
  }

  // The service now runs `d`: the previous live deployment is superseded.
  void goLive(storage::Connection& c, const Tenant& t, const Document& d, const std::string& now) {
    for (Document& previous : children(c, t, "deployment", d.parent, std::string("live"))) {
      if (previous.id != d.id) setStatus(c, t, previous, "superseded", now);
    }
    std::optional<Document> service = documents::find(c, t, "service", d.parent);
    if (service) {
      service->body["current_deployment_id"] = d.id;
      const std::string status = *service->status;
      const bool follows = status == "pending" || status == "deploying" || status == "failed" || status == "live";
      setStatus(c, t, *service, follows ? "live" : status, now);
    }
    s_.emit(c, t, "deployment.succeeded", compute::statusChange(d.body, "deploying"));
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<DeploymentsHandler> makeDeploymentsHandler(const Services& services) {
  return std::make_unique<Deployments>(services);
}

}  // namespace tether::sandbox
