// Instances (tag "Instances"): documents of kind "instance" at the top of the workspace
// (names are unique in it). Every action puts the instance in a transitional state that
// this file's ticker job ends on the sandbox clock (provisioning → running, stopping → off,
// starting → running, rebooting → running, resizing → off, deleting → gone); an action
// from any other state answers 409. An image whose slug starts with "fail" never boots:
// its instance ends `errored`, so that clients can exercise that path. SSH keys and user data are not kept: the sandbox
// boots nothing, and user data may hold secrets.
#include "compute_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;
using compute::setStatus;

struct Stage {
  const char* from;
  double seconds;  // sandbox seconds the state lasts
  const char* to;  // "" for gone
  const char* event;
};

constexpr Stage kStages[] = {
    {"provisioning", 5, "running", "instance.created"}, {"stopping", 2, "off", "instance.powered_off"},
    {"starting", 3, "running", "instance.powered_on"},  {"rebooting", 3, "running", ""},
    {"resizing", 5, "off", "instance.resized"},         {"deleting", 2, "", "instance.deleted"},
};

// A size an instance can have: an instance size of the catalogue offered in the region.
Json instanceSize(const std::string& slug, const std::string& region) {
  std::optional<Json> size = compute::findSize(slug);
  if (!size || size->at("kind") != "instance") {
    invalid("/size", "Unknown instance size \"" + slug + "\"; see GET /v1/sizes?kind=instance.");
  }
  if (!compute::sizeOfferedIn(*size, region)) invalid("/size", "The size \"" + slug + "\" is not offered in " + region + ".");
  return *size;
}

std::string address(const std::string& prefix, int octets) {
  Bytes random = randomBytes(static_cast<std::size_t>(octets));
  std::string out = prefix;
  for (int i = 0; i < octets; ++i) out += "." + std::to_string(1 + random[static_cast<std::size_t>(i)] % 254);
  return out;
}

class Instances final : public InstancesHandler {
 public:
  explicit Instances(const Services& services) : s_(services) {
    s_.ticker.add("instances", [this] { advance(); });
  }

  ListInstancesResponse listInstances(const ListInstancesRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "instance");
    if (request.status) query.status = text(*request.status);
    if (request.region) query.bodyEquals.emplace_back("region", *request.region);
    if (request.project_id) query.bodyEquals.emplace_back("project_id", *request.project_id);
    Page page = s_.db.with([&](storage::Connection& c) { return documents::list(c, tenantOf(context), query); });
    return {reply<ListInstancesResponse::Status200>(page.json())};
  }

  CreateInstanceResponse createInstance(const CreateInstanceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json in = toJson(request.body);
    std::optional<Json> region = compute::findRegion(request.body.region);
    if (!region || !compute::regionOffers(*region, "instances")) {
      invalid("/region", "Instances are not offered in the region \"" + request.body.region + "\".");
    }
    const Json size = instanceSize(request.body.size, request.body.region);
    Document created = s_.db.transact([&](storage::Connection& c) {
      if (request.body.project_id) checkProject(c, t, *request.body.project_id);
      compute::requireRoomFor(c, t, "instance");
      const std::string now = s_.clock.nowText();
      Document d;
      d.id = newId("ins_");
      d.kind = "instance";
      d.name = d.uniqueName = request.body.name;
      d.status = "provisioning";
      d.createdAt = d.updatedAt = now;
      d.body = {{"id", d.id},
                {"name", request.body.name},
                {"status", "provisioning"},
                {"project_id", in.value("project_id", Json(nullptr))},
                {"region", request.body.region},
                {"size", request.body.size},
                {"image", request.body.image},
                {"vcpus", size["vcpus"]},
                {"memory_mb", size["memory_mb"]},
                {"disk_gb", size["disk_gb"]},
                {"public_ipv4", nullptr},
                {"private_ipv4", address("10", 3)},
                {"labels", in.value("labels", Json::object())},
                {"created_at", now},
                {"updated_at", now}};
      documents::insert(c, t, d);  // 409 when the name is taken
      return d;
    });
    return {reply<CreateInstanceResponse::Status201>(created.body)};
  }

  GetInstanceResponse getInstance(const GetInstanceRequest& request, http::Context& context) override {
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, tenantOf(context), "instance", request.instance_id);
    });
    return {reply<GetInstanceResponse::Status200>(d.body)};
  }

  UpdateInstanceResponse updateInstance(const UpdateInstanceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const Json patch = toJson(request.body);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "instance", request.instance_id);
      if (d.status == "deleting") conflict("The instance is being deleted.");
      if (patch.contains("project_id") && patch["project_id"].is_string()) checkProject(c, t, patch["project_id"]);
      mergePatch(d.body, patch);
      d.name = d.uniqueName = d.body["name"].get<std::string>();
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateInstanceResponse::Status200>(updated.body)};
  }

  DeleteInstanceResponse deleteInstance(const DeleteInstanceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.transact([&](storage::Connection& c) {
      Document instance = documents::get(c, t, "instance", request.instance_id);
      if (instance.status == "deleting") conflict("The instance is already being deleted.");
      act(c, t, instance, *instance.status, "deleting");
      return instance;
    });
    return {reply<DeleteInstanceResponse::Status202>(d.body)};
  }

  PowerOnInstanceResponse powerOnInstance(const PowerOnInstanceRequest& request, http::Context& context) override {
    return {reply<PowerOnInstanceResponse::Status202>(transition(context, request.instance_id, "off", "starting"))};
  }

  PowerOffInstanceResponse powerOffInstance(const PowerOffInstanceRequest& request,
                                            http::Context& context) override {
    return {
        reply<PowerOffInstanceResponse::Status202>(transition(context, request.instance_id, "running", "stopping"))};
  }

  RebootInstanceResponse rebootInstance(const RebootInstanceRequest& request, http::Context& context) override {
    return {
        reply<RebootInstanceResponse::Status202>(transition(context, request.instance_id, "running", "rebooting"))};
  }

  ResizeInstanceResponse resizeInstance(const ResizeInstanceRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.transact([&](storage::Connection& c) {
      Document instance = documents::get(c, t, "instance", request.instance_id);
      requireStatus(instance, "off", "resized (power it off first)");
      const Json size = instanceSize(request.body.size, instance.body["region"]);
      const std::int64_t disk = instance.body["disk_gb"].get<std::int64_t>();
      // A grown disk cannot shrink back, so a size with a smaller disk cannot take it.
      if (size["disk_gb"].get<std::int64_t>() < disk) {
        invalid("/size", "The instance's disk (" + std::to_string(disk) + " GB) is larger than the size's.");
      }
      instance.body["size"] = request.body.size;
      instance.body["vcpus"] = size["vcpus"];
      instance.body["memory_mb"] = size["memory_mb"];
      if (request.body.resize_disk.value_or(false)) instance.body["disk_gb"] = size["disk_gb"];
      act(c, t, instance, "off", "resizing");
      return instance;
    });
    return {reply<ResizeInstanceResponse::Status202>(d.body)};
  }

 private:
  static void checkProject(storage::Connection& c, const Tenant& t, const std::string& projectId) {
    if (!documents::find(c, t, "project", projectId)) {
      invalid("/project_id", "No project \"" + projectId + "\" in the workspace.");
    }
  }

  static void requireStatus(const Document& instance, const std::string& status, const std::string& action) {
    if (instance.status != status) {
      conflict("Only an instance that is " + status + " can be " + action + "; this one is " + *instance.status +
               ".");
    }
  }

  // Claims the transition (the ticker may be moving the same row) and writes the document.
  void act(storage::Connection& c, const Tenant& t, Document& instance, const std::string& from,
           const std::string& to) const {
    const std::string now = s_.clock.nowText();
    if (!compute::claim(c, t, instance.id, from, to, now)) conflict("The instance changed status meanwhile.");
    setStatus(c, t, instance, to, now);
  }

  Json transition(const http::Context& context, const std::string& id, const std::string& from,
                  const std::string& to) {
    const Tenant t = tenantOf(context);
    return s_.db.transact([&](storage::Connection& c) {
      Document instance = documents::get(c, t, "instance", id);
      requireStatus(instance, from, "moved to " + to);
      act(c, t, instance, from, to);
      return instance.body;
    });
  }

  // The ticker job: ends each transitional state whose time has come.
  void advance() {
    for (const Stage& stage : kStages) {
      auto due = s_.db.with([&](storage::Connection& c) {
        return documents::byStatus(c, "instance", stage.from, 100);
      });
      for (auto& [tenant, row] : due) {
        if (compute::elapsed(s_.clock, row.updatedAt, stage.seconds)) finish(tenant, row, stage);
      }
    }
  }

  void finish(const Tenant& t, const Document& row, const Stage& stage) {
    s_.db.transact([&](storage::Connection& c) {
      const std::string now = s_.clock.nowText();
      if (std::string(stage.to).empty()) {
        if (documents::remove(c, t, "instance", row.id)) s_.emit(c, t, stage.event, change(row.body));
        return;
      }
      if (!compute::claim(c, t, row.id, stage.from, stage.to, now)) return;  // another replica was first
      Document d = documents::get(c, t, "instance", row.id);
      if (std::string(stage.from) == "provisioning" && d.body["image"].get<std::string>().rfind("fail", 0) == 0) {
        setStatus(c, t, d, "errored", now);  // no event: instance.created is sent when one runs
        return;
      }
      if (std::string(stage.to) == "running" && d.body["public_ipv4"].is_null()) {
        d.body["public_ipv4"] = address("203.0.113", 1);
      }
      setStatus(c, t, d, stage.to, now);
      if (*stage.event) s_.emit(c, t, stage.event, compute::statusChange(d.body, stage.from));
    });
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<InstancesHandler> makeInstancesHandler(const Services& services) {
  return std::make_unique<Instances>(services);
}

}  // namespace tether::sandbox
