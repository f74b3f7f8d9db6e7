// Environment variables (tag "Environment Variables"): plain configuration shared by every
// service of an environment, documents of kind "env_var" under the environment, named by
// their key (unique there). Values are in clear by design (credentials belong in project
// secrets). A protected environment's variables change only with the admin scope.
#include "config_store.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

class EnvironmentVariables final : public EnvironmentVariablesHandler {
 public:
  explicit EnvironmentVariables(const Services& services) : s_(services) {}

  ListEnvironmentVariablesResponse listEnvironmentVariables(const ListEnvironmentVariablesRequest& request,
                                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    ListQuery query = listQuery(request, "env_var");
    query.parent = request.environment_id;
    if (request.key_prefix) query.namePrefix = *request.key_prefix;
    Page page = s_.db.with([&](storage::Connection& c) {
      documents::get(c, t, "environment", request.environment_id);
      return documents::list(c, t, query);
    });
    return {reply<ListEnvironmentVariablesResponse::Status200>(page.json())};
  }

  CreateEnvironmentVariableResponse createEnvironmentVariable(const CreateEnvironmentVariableRequest& request,
                                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::string now = s_.clock.nowText();
    Document variable;
    variable.id = newId("var_");
    variable.kind = "env_var";
    variable.parent = request.environment_id;
    variable.name = variable.uniqueName = request.body.key;
    variable.createdAt = variable.updatedAt = now;
    variable.body = {{"key", request.body.key},
                     {"value", request.body.value},
                     {"environment_id", request.environment_id},
                     {"created_at", now},
                     {"updated_at", now}};
    s_.db.transact([&](storage::Connection& c) {
      Document environment = documents::get(c, t, "environment", request.environment_id);
      config::requireAdminFor(environment, context);
      documents::insert(c, t, variable);  // an existing key answers 409
    });
    return {reply<CreateEnvironmentVariableResponse::Status201>(variable.body)};
  }

  GetEnvironmentVariableResponse getEnvironmentVariable(const GetEnvironmentVariableRequest& request,
                                                        http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document variable =
        s_.db.with([&](storage::Connection& c) { return find(c, t, request.environment_id, request.key); });
    return {reply<GetEnvironmentVariableResponse::Status200>(variable.body)};
  }

  UpdateEnvironmentVariableResponse updateEnvironmentVariable(const UpdateEnvironmentVariableRequest& request,
                                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document updated = s_.db.transact([&](storage::Connection& c) {
      Document environment = documents::get(c, t, "environment", request.environment_id);
      config::requireAdminFor(environment, context);
      Document d = find(c, t, request.environment_id, request.key);
      d.body["value"] = request.body.value;
      d.updatedAt = s_.clock.nowText();
      d.body["updated_at"] = d.updatedAt;
      documents::update(c, t, d);
      return d;
    });
    return {reply<UpdateEnvironmentVariableResponse::Status200>(updated.body)};
  }

  DeleteEnvironmentVariableResponse deleteEnvironmentVariable(const DeleteEnvironmentVariableRequest& request,
                                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document environment = documents::get(c, t, "environment", request.environment_id);
      config::requireAdminFor(environment, context);
      documents::remove(c, t, "env_var", find(c, t, request.environment_id, request.key).id);
    });
    return {DeleteEnvironmentVariableResponse::Status204{}};
  }

 private:
  // The variable `key` of the environment; 404 when the environment or the key is missing.
  static Document find(storage::Connection& c, const Tenant& t, const std::string& environmentId,
                       const std::string& key) {
    documents::get(c, t, "environment", environmentId);
    std::optional<Document> variable = config::findNamed(c, t, "env_var", environmentId, key);
    if (!variable) fail(404, http::code::kNotFound, "The environment has no variable \"" + key + "\".");
    return std::move(*variable);
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<EnvironmentVariablesHandler> makeEnvironmentVariablesHandler(const Services& services) {
  return std::make_unique<EnvironmentVariables>(services);
}

}  // namespace tether::sandbox
