// Service variables (tag "Service Env Vars"): documents of kind "env_var" under the
// service, named by their key. A secret variable's value is kept only sealed (AES-GCM with
// the document id as associated data); its body holds the masked preview, which is what
// every read returns. Reveals (one or all, `secrets:reveal`) open the sealed values and are
// audited as `service_env_var.revealed`. A secret variable never becomes plain again.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "config_store.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

class ServiceEnvVars final : public ServiceEnvVarsHandler {
 public:
  explicit ServiceEnvVars(const Services& services) : s_(services) {}

  ListServiceEnvVarsResponse listServiceEnvVars(const ListServiceEnvVarsRequest& request,
                                                http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "env_var");
    query.parent = request.service_id;
    if (request.secret) query.status = *request.secret ? "secret" : "plain";
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "service", request.service_id);
      return documents::list(c, t, query);
    });
    return {reply<ListServiceEnvVarsResponse::Status200>(page.json())};
  }

  CreateServiceEnvVarResponse createServiceEnvVar(const CreateServiceEnvVarRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document variable = s_.db.transact([&](storage::Connection& c) {
      documents::get(c, t, "service", request.service_id);
      Document d = make(request.service_id, request.body.key);
      assign(d, request.body.value, request.body.secret.value_or(true));
      documents::insert(c, t, d);  // an existing key answers 409
      return d;
    });
    return {reply<CreateServiceEnvVarResponse::Status201>(variable.body)};
  }

  ReplaceServiceEnvVarsResponse replaceServiceEnvVars(const ReplaceServiceEnvVarsRequest& request,
                                                      http::Context& context) override {
    const Tenant t = tenantOf(context);
    const auto& wanted = request.body.env_vars;
    std::set<std::string> keys;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      if (!keys.insert(wanted[i].key).second) {
        invalid("/env_vars/" + std::to_string(i) + "/key", "The key \"" + wanted[i].key + "\" is listed twice.");
      }
    }
    Json set = s_.db.transact([&](storage::Connection& c) {
      documents::get(c, t, "service", request.service_id);
      for (const Document& existing : config::allChildren(c, t, "env_var", request.service_id)) {
        if (!keys.count(existing.body["key"].get<std::string>())) documents::remove(c, t, "env_var", existing.id);
      }
      for (std::size_t i = 0; i < wanted.size(); ++i) {
        const bool secret = wanted[i].secret.value_or(true);
        std::optional<Document> d = config::findNamed(c, t, "env_var", request.service_id, wanted[i].key);
        if (!d) {
          Document created = make(request.service_id, wanted[i].key);
          assign(created, wanted[i].value, secret);
          documents::insert(c, t, created);
          continue;
        }
        if (d->body["secret"] == true && !secret) {
          invalid("/env_vars/" + std::to_string(i) + "/secret",
                  "\"" + wanted[i].key + "\" is secret and cannot be made plain; leave it out and add it again.");
        }
        assign(*d, wanted[i].value, secret);
        touch(*d);
        documents::update(c, t, *d);
      }
      return sortedByKey(config::allChildren(c, t, "env_var", request.service_id));
    });
    return {reply<ReplaceServiceEnvVarsResponse::Status200>(set)};
  }

  RevealServiceEnvVarsResponse revealServiceEnvVars(const RevealServiceEnvVarsRequest& request,
                                                    http::Context& context) override {
    const Tenant t = tenantOf(context);
    Json set = s_.db.transact([&](storage::Connection& c) {
      documents::get(c, t, "service", request.service_id);
      std::vector<Document> variables = config::allChildren(c, t, "env_var", request.service_id);
      for (Document& d : variables) reveal(d);
      s_.audit(c, t, "service_env_var.revealed", "service", request.service_id, context);
      return sortedByKey(std::move(variables));
    });
    return {reply<RevealServiceEnvVarsResponse::Status200>(set)};
  }

  GetServiceEnvVarResponse getServiceEnvVar(const GetServiceEnvVarRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.with([&](storage::Connection& c) { return find(c, t, request.service_id, request.key); });
    return {reply<GetServiceEnvVarResponse::Status200>(d.body)};
  }

  UpdateServiceEnvVarResponse updateServiceEnvVar(const UpdateServiceEnvVarRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document d = find(c, t, request.service_id, request.key);
      const bool wasSecret = d.body["secret"] == true;
      const bool secret = request.body.secret.value_or(wasSecret);
      if (wasSecret && !secret) {
        conflict("A secret variable cannot be made plain; delete it and create it again.");
      }
      // Keeping the value while only the secrecy changes: a plain value is in the body.
      std::string value = request.body.value ? *request.body.value : currentValue(d);
      assign(d, value, secret);
      touch(d);
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateServiceEnvVarResponse::Status200>(updated.body)};
  }

  DeleteServiceEnvVarResponse deleteServiceEnvVar(const DeleteServiceEnvVarRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      documents::remove(c, t, "env_var", find(c, t, request.service_id, request.key).id);
    });
    return {DeleteServiceEnvVarResponse::Status204{}};
  }

  RevealServiceEnvVarResponse revealServiceEnvVar(const RevealServiceEnvVarRequest& request,
                                                  http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document d = s_.db.transact([&](storage::Connection& c) {
      Document found = find(c, t, request.service_id, request.key);
      reveal(found);
      s_.audit(c, t, "service_env_var.revealed", "service", request.service_id, context);
      return found;
    });
    return {reply<RevealServiceEnvVarResponse::Status200>(d.body)};
  }

 private:
  Document make(const std::string& serviceId, const std::string& key) const {
    const std::string now = s_.clock.nowText();
    Document d;
    d.id = newId("var_");
    d.kind = "env_var";
    d.parent = serviceId;
    d.name = d.uniqueName = key;
    d.createdAt = d.updatedAt = now;
    d.body = {{"key", key}, {"created_at", now}, {"updated_at", now}};
    return d;
  }

  // Sets the value: a secret one sealed to this document, with only its mask in the body.
  void assign(Document& d, const std::string& value, bool secret) const {
    d.status = secret ? "secret" : "plain";
    d.body["secret"] = secret;
    d.body["masked"] = secret;
    if (secret) {
      d.sealed = s_.sealer.seal(value, d.id);
      d.body["value"] = config::mask(value);
    } else {
      d.sealed.reset();
      d.body["value"] = value;
    }
  }

  std::string currentValue(const Document& d) const {
    if (!d.sealed) return d.body["value"].get<std::string>();
    std::optional<std::string> value = s_.sealer.open(*d.sealed, d.id);
    if (!value) throw std::runtime_error("the sealed value of variable " + d.id + " does not open");
    return *value;
  }

  void reveal(Document& d) const {
    d.body["value"] = currentValue(d);
    d.body["masked"] = false;
  }

  void touch(Document& d) const {
    d.updatedAt = s_.clock.nowText();
    d.body["updated_at"] = d.updatedAt;
  }

  // The whole set as one list page, by key (bulk replace and reveal-all return it).
  static Json sortedByKey(std::vector<Document> variables) {
    std::sort(variables.begin(), variables.end(),
              [](const Document& a, const Document& b) { return a.name < b.name; });
    Page page;
    page.items = std::move(variables);
    return page.json();
  }

  // The variable `key` of the service; 404 when the service or the key is missing.
  static Document find(storage::Connection& c, const Tenant& t, const std::string& serviceId, const std::string& key) {
    documents::get(c, t, "service", serviceId);
    std::optional<Document> variable = config::findNamed(c, t, "env_var", serviceId, key);
    if (!variable) fail(404, http::code::kNotFound, "The service has no variable \"" + key + "\".");
    return std::move(*variable);
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<ServiceEnvVarsHandler> makeServiceEnvVarsHandler(const Services& services) {
  return std::make_unique<ServiceEnvVars>(services);
}

}  // namespace tether::sandbox
