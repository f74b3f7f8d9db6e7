// Project secrets (tag "Secrets"): documents of kind "secret" under the project, one value
// per scope (an environment of the project, or project-wide as the fallback), sealed at
// rest and shown only as a masked preview; `reveal` (scope `secrets:reveal`, audited as
// `secret.revealed`) is the one way out in clear. Secret bindings expose a secret name to a
// service under an alias; the resolved view computes what a service will receive, walking
// each binding through the fallback chain (environment → `staging` for `preview` →
// project-wide). Deleting the value a binding depends on, with nothing left to fall back
// to, answers 409.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "config_store.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

// One candidate value for a key in the resolved view; lower `rank` wins.
struct Candidate {
  int rank = 0;
  std::string sourceType;
  Json value;
  bool secret = false;
  Json sourceId;
  Json sourceEnvironment;
  bool resolved = true;
};

// Precedence of the resolved view, highest first (ResolvedEnvironment's description).
enum Rank { kPlatform = 0, kServiceVariable = 1, kBinding = 2, kEnvironmentVariable = 3 };

Json nullable(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

class Secrets final : public SecretsHandler {
 public:
  explicit Secrets(const Services& services) : s_(services) {}

  ListSecretsResponse listSecrets(const ListSecretsRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "secret");
    query.parent = request.project_id;
    query.namePrefix.reset();  // `name` is an exact match here
    if (request.name) query.bodyEquals.emplace_back("name", *request.name);
    if (request.environment_id) query.status = *request.environment_id;  // "none": the project-wide ones
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "project", request.project_id);
      return documents::list(c, t, query);
    });
    return {reply<ListSecretsResponse::Status200>(page.json())};
  }

  CreateSecretResponse createSecret(const CreateSecretRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json in = toJson(request.body);
    // Omitted or null: the project-wide value.
    const std::string scope = in.contains("environment_id") && in["environment_id"].is_string()
                                  ? in["environment_id"].get<std::string>()
                                  : "";
    const std::string now = s_.clock.nowText();
    Document secret;
    secret.id = newId("sec_");
    secret.kind = "secret";
    secret.parent = request.project_id;
    secret.name = request.body.name;
    secret.status = scope.empty() ? config::kProjectWide : scope;
    secret.uniqueName = config::secretUniqueName(request.body.name, *secret.status);
    secret.createdAt = secret.updatedAt = now;
    secret.body = {{"id", secret.id},
                   {"name", request.body.name},
                   {"project_id", request.project_id},
                   {"environment_id", nullable(scope)},
                   {"description", request.body.description ? Json(*request.body.description) : Json(nullptr)},
                   {"version", 1},
                   {"created_at", now},
                   {"updated_at", now}};
    setValue(secret, request.body.value, t);
    s_.db.transact([&](storage::Connection& c) {
      documents::get(c, t, "project", request.project_id);
      if (!scope.empty()) {
        std::optional<Document> environment = documents::find(c, t, "environment", scope);
        if (!environment || environment->parent != request.project_id) {
          invalid("/environment_id", "\"" + scope + "\" is not an environment of this project.");
        }
      }
      documents::insert(c, t, secret);  // the same name in the same scope answers 409
    });
    return {reply<CreateSecretResponse::Status201>(secret.body)};
  }

  GetSecretResponse getSecret(const GetSecretRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.with([&](storage::Connection& c) { return documents::get(c, t, "secret", request.secret_id); });
    return {reply<GetSecretResponse::Status200>(d.body)};
  }

  UpdateSecretResponse updateSecret(const UpdateSecretRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "secret", request.secret_id);
      if (request.body.description) d.body["description"] = *request.body.description;
      if (request.body.value) {
        d.body["version"] = d.body["version"].get<std::int64_t>() + 1;
        setValue(d, *request.body.value, t);
      }
      touch(d);
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateSecretResponse::Status200>(updated.body)};
  }

  DeleteSecretResponse deleteSecret(const DeleteSecretRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document secret = documents::get(c, t, "secret", request.secret_id);
      refuseIfABindingWouldBeLeftEmpty(c, t, secret);
      documents::remove(c, t, "secret", secret.id);
    });
    return {DeleteSecretResponse::Status204{}};
  }

  RevealSecretResponse revealSecret(const RevealSecretRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json revealed = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "secret", request.secret_id);
      s_.audit(c, t, "secret.revealed", "secret", d.id, context);
      return Json{{"id", d.id},
                  {"name", d.body["name"]},
                  {"environment_id", d.body["environment_id"]},
                  {"version", d.body["version"]},
                  {"value", open(d)}};
    });
    return {reply<RevealSecretResponse::Status200>(revealed)};
  }

  ListSecretBindingsResponse listSecretBindings(const ListSecretBindingsRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "secret_binding");
    query.parent = request.service_id;
    if (request.secret_name) query.status = *request.secret_name;
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "service", request.service_id);
      return documents::list(c, t, query);
    });
    return {reply<ListSecretBindingsResponse::Status200>(page.json())};
  }

  CreateSecretBindingResponse createSecretBinding(const CreateSecretBindingRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string alias = request.body.alias.value_or(request.body.secret_name);
    const std::string now = s_.clock.nowText();
    Document binding;
    binding.id = newId("sbd_");
    binding.kind = "secret_binding";
    binding.parent = request.service_id;
    binding.name = binding.uniqueName = alias;
    binding.status = request.body.secret_name;
    binding.createdAt = binding.updatedAt = now;
    binding.body = {{"id", binding.id},
                    {"service_id", request.service_id},
                    {"secret_name", request.body.secret_name},
                    {"alias", alias},
                    {"created_at", now},
                    {"updated_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      Document service = documents::get(c, t, "service", request.service_id);
      if (!projectHasSecret(c, t, config::projectOf(service), request.body.secret_name)) {
        invalid("/secret_name", "The project has no secret named \"" + request.body.secret_name + "\" in any scope.");
      }
      refuseAliasOfAVariable(c, t, request.service_id, alias);
      documents::insert(c, t, binding);  // an alias taken by another binding answers 409
    });
    return {reply<CreateSecretBindingResponse::Status201>(binding.body)};
  }

  GetSecretBindingResponse getSecretBinding(const GetSecretBindingRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.with([&](storage::Connection& c) {
      return documents::get(c, t, "secret_binding", request.secret_binding_id);
    });
    return {reply<GetSecretBindingResponse::Status200>(d.body)};
  }

  UpdateSecretBindingResponse updateSecretBinding(const UpdateSecretBindingRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = documents::get(c, t, "secret_binding", request.secret_binding_id);
      refuseAliasOfAVariable(c, t, d.parent, request.body.alias);
      d.body["alias"] = request.body.alias;
      d.name = d.uniqueName = request.body.alias;
      touch(d);
      documents::update(c, t, d);  // an alias taken by another binding answers 409
      return d;
    });
    return {reply<UpdateSecretBindingResponse::Status200>(updated.body)};
  }

  DeleteSecretBindingResponse deleteSecretBinding(const DeleteSecretBindingRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      if (!documents::remove(c, t, "secret_binding", request.secret_binding_id)) {
        notFound("secret_binding \"" + request.secret_binding_id + "\"");
      }
    });
    return {DeleteSecretBindingResponse::Status204{}};
  }

  GetResolvedEnvironmentResponse getResolvedEnvironment(const GetResolvedEnvironmentRequest& request,
                                                        http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json view = s_.db.with([&](storage::Connection& c) { return resolve(c, t, request.service_id); });
    return {reply<GetResolvedEnvironmentResponse::Status200>(view)};
  }

 private:
  // The resolved view: every candidate of every key, the best one shown, the others named
  // in `overrides`.
  Json resolve(storage::Connection& c, const Tenant& t, const std::string& serviceId) const {
    Document service = documents::get(c, t, "service", serviceId);
    const std::string environmentId = config::environmentOf(service), projectId = config::projectOf(service);
    std::optional<Document> environment =
        environmentId.empty() ? std::nullopt : documents::find(c, t, "environment", environmentId);
    std::map<std::string, std::vector<Candidate>> byKey;
    for (auto& [key, value] : platformVariables(service)) {
      byKey[key].push_back({kPlatform, "platform", value, false, nullptr, nullptr, true});
    }
    for (const Document& variable : config::allChildren(c, t, "env_var", serviceId)) {
      const bool secret = variable.body["secret"] == true;
      byKey[variable.name.value_or("")].push_back(
          {kServiceVariable, "service_env_var", variable.body["value"], secret, nullptr, nullptr, true});
    }
    for (const Document& binding : config::allChildren(c, t, "secret_binding", serviceId)) {
      const std::string name = binding.body["secret_name"].get<std::string>();
      Candidate candidate{kBinding, "secret_binding", nullptr, true, nullptr, nullptr, false};
      if (std::optional<Document> secret = config::resolveSecret(c, t, projectId, environment, name)) {
        candidate.value = secret->body["value_preview"];
        candidate.sourceId = secret->id;
        candidate.sourceEnvironment = secret->body["environment_id"];
        candidate.resolved = true;
      }
      byKey[binding.name.value_or("")].push_back(std::move(candidate));
    }
    if (environment) {
      for (const Document& variable : config::allChildren(c, t, "env_var", environment->id)) {
        byKey[variable.name.value_or("")].push_back({kEnvironmentVariable, "environment_variable",
                                                     variable.body["value"], false, nullptr, environment->id, true});
      }
    }
    Json variables = Json::array();
    for (auto& [key, candidates] : byKey) {  // std::map: sorted by key
      std::stable_sort(candidates.begin(), candidates.end(),
                       [](const Candidate& a, const Candidate& b) { return a.rank < b.rank; });
      const Candidate& best = candidates.front();
      Json overrides = Json::array();
      for (std::size_t i = 1; i < candidates.size(); ++i) {
        if (std::find(overrides.begin(), overrides.end(), candidates[i].sourceType) == overrides.end()) {
          overrides.push_back(candidates[i].sourceType);
        }
      }
      Json source = {{"type", best.sourceType}, {"id", best.sourceId}, {"environment_id", best.sourceEnvironment}};
      variables.push_back({{"key", key},
                           {"value", best.value},
                           {"secret", best.secret},
                           {"source", source},
                           {"status", best.resolved ? "resolved" : "unresolved"},
                           {"overrides", overrides}});
    }
    return {{"service_id", serviceId},
            {"environment_id", environmentId},
            {"variables", variables},
            {"resolved_at", s_.clock.nowText()}};
  }

  // What the platform sets for every service; these cannot be overridden.
  static std::vector<std::pair<std::string, Json>> platformVariables(const Document& service) {
    std::vector<std::pair<std::string, Json>> out = {{"SERVICE_ID", service.id},
                                                     {"PROJECT_ID", config::projectOf(service)},
                                                     {"ENVIRONMENT_ID", config::environmentOf(service)}};
    auto port = service.body.find("port");
    if (port != service.body.end() && port->is_number_integer()) {
      out.emplace_back("PORT", std::to_string(port->get<int>()));
    }
    return out;
  }

  // deleteSecret's 409: a binding that takes its value from this secret now and would find
  // none anywhere along its chain once it is gone.
  void refuseIfABindingWouldBeLeftEmpty(storage::Connection& c, const Tenant& t, const Document& secret) const {
    const std::string name = secret.body["name"].get<std::string>();
    for (const Document& service : config::allChildren(c, t, "service", secret.parent)) {
      if (config::allChildren(c, t, "secret_binding", service.id, name).empty()) continue;
      const std::string environmentId = config::environmentOf(service);
      std::optional<Document> environment =
          environmentId.empty() ? std::nullopt : documents::find(c, t, "environment", environmentId);
      std::optional<Document> now = config::resolveSecret(c, t, secret.parent, environment, name);
      if (now && now->id == secret.id && !config::resolveSecret(c, t, secret.parent, environment, name, secret.id)) {
        conflict("The service \"" + service.body.value("name", service.id) + "\" binds \"" + name +
                 "\" and would have no value left in any scope; delete the binding first.");
      }
    }
  }

  static bool projectHasSecret(storage::Connection& c, const Tenant& t, const std::string& projectId,
                               const std::string& name) {
    for (const Document& secret : config::allChildren(c, t, "secret", projectId)) {
      if (secret.name == name) return true;
    }
    return false;
  }

  // An alias may not shadow one of the service's own variables (SecretBindingCreate: 409).
  static void refuseAliasOfAVariable(storage::Connection& c, const Tenant& t, const std::string& serviceId,
                                     const std::string& alias) {
    if (config::findNamed(c, t, "env_var", serviceId, alias)) {
      conflict("The service already has a variable \"" + alias + "\"; choose another alias.");
    }
  }

  // Seals the value to the secret's id; the body keeps the preview and who set it.
  void setValue(Document& secret, const std::string& value, const Tenant& t) const {
    secret.sealed = s_.sealer.seal(value, secret.id);
    secret.body["value_preview"] = config::mask(value);
    secret.body["updated_by"] = t.keyId.empty() ? t.userId : t.keyId;
  }

  std::string open(const Document& secret) const {
    std::optional<std::string> value = secret.sealed ? s_.sealer.open(*secret.sealed, secret.id) : std::nullopt;
    if (!value) throw std::runtime_error("the sealed value of secret " + secret.id + " does not open");
    return *value;
  }

  void touch(Document& d) const {
    d.updatedAt = s_.clock.nowText();
    d.body["updated_at"] = d.updatedAt;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<SecretsHandler> makeSecretsHandler(const Services& services) {
  return std::make_unique<Secrets>(services);
}

}  // namespace tether::sandbox
