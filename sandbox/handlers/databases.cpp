// Managed PostgreSQL databases (tag "Databases"): documents of kind "database" whose
// lifecycle, credentials and metrics are the shared managed-store behaviour of
// data_managed.h; this file adapts the generated types to it.
#include "data_managed.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

data::Flavor postgresFlavor() {
  data::Flavor f;
  f.kind = "database";
  f.idPrefix = "db_";
  f.idMember = "database_id";
  f.what = "managed PostgreSQL database";
  f.defaultVersion = "17";
  f.port = 5432;
  f.username = "app";
  f.scheme = "postgresql";
  f.namedDatabase = true;
  f.metrics = {{"cpu_percent", "percent"},          {"memory_percent", "percent"},
               {"storage_used_gb", "GB"},           {"connections", "count"},
               {"transactions_per_second", "1/s"}, {"replication_lag_seconds", "s"}};
  f.events = {"database.created", "database.started", "database.stopped",
              "database.reset",   "database.credentials_rotated", "database.deleted"};
  return f;
}

class Databases final : public DatabasesHandler {
 public:
  explicit Databases(const Services& services) : store_(services, postgresFlavor()) {}

  ListDatabasesResponse listDatabases(const ListDatabasesRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "database");
    if (request.status) query.status = text(*request.status);
    std::optional<std::string> region, project;
    if (request.region) region = text(*request.region);
    if (request.project_id) project = text(*request.project_id);
    return {reply<ListDatabasesResponse::Status200>(store_.list(query, region, project, context))};
  }

  CreateDatabaseResponse createDatabase(const CreateDatabaseRequest& request, http::Context& context) override {
    return {reply<CreateDatabaseResponse::Status201>(store_.create(toJson(request.body), context))};
  }

  GetDatabaseResponse getDatabase(const GetDatabaseRequest& request, http::Context& context) override {
    return {reply<GetDatabaseResponse::Status200>(store_.get(text(request.database_id), context))};
  }

  UpdateDatabaseResponse updateDatabase(const UpdateDatabaseRequest& request, http::Context& context) override {
    return {reply<UpdateDatabaseResponse::Status200>(
        store_.update(text(request.database_id), toJson(request.body), context))};
  }

  DeleteDatabaseResponse deleteDatabase(const DeleteDatabaseRequest& request, http::Context& context) override {
    return {reply<DeleteDatabaseResponse::Status202>(store_.remove(text(request.database_id), context))};
  }

  StartDatabaseResponse startDatabase(const StartDatabaseRequest& request, http::Context& context) override {
    return {reply<StartDatabaseResponse::Status202>(store_.start(text(request.database_id), context))};
  }

  StopDatabaseResponse stopDatabase(const StopDatabaseRequest& request, http::Context& context) override {
    return {reply<StopDatabaseResponse::Status202>(store_.stop(text(request.database_id), context))};
  }

  GetDatabaseStatusResponse getDatabaseStatus(const GetDatabaseStatusRequest& request,
                                              http::Context& context) override {
    return {reply<GetDatabaseStatusResponse::Status200>(store_.health(text(request.database_id), context))};
  }

  ResetDatabaseResponse resetDatabase(const ResetDatabaseRequest& request, http::Context& context) override {
    return {reply<ResetDatabaseResponse::Status202>(
        store_.reset(text(request.database_id), request.body.confirm_name, context))};
  }

  GetDatabaseCredentialsResponse getDatabaseCredentials(const GetDatabaseCredentialsRequest& request,
                                                        http::Context& context) override {
    return {reply<GetDatabaseCredentialsResponse::Status200>(store_.credentials(text(request.database_id), context))};
  }

  RevealDatabaseCredentialsResponse revealDatabaseCredentials(const RevealDatabaseCredentialsRequest& request,
                                                              http::Context& context) override {
    return {reply<RevealDatabaseCredentialsResponse::Status200>(store_.reveal(text(request.database_id), context))};
  }

  RotateDatabaseCredentialsResponse rotateDatabaseCredentials(const RotateDatabaseCredentialsRequest& request,
                                                              http::Context& context) override {
    const std::int64_t grace = request.body.grace_period_seconds.value_or(300);
    return {reply<RotateDatabaseCredentialsResponse::Status202>(
        store_.rotate(text(request.database_id), grace, context))};
  }

  GetDatabaseMetricsResponse getDatabaseMetrics(const GetDatabaseMetricsRequest& request,
                                                http::Context& context) override {
    return {reply<GetDatabaseMetricsResponse::Status200>(
        store_.metrics(text(request.database_id), request.range, request.metric, context))};
  }

 private:
  data::ManagedStore store_;
};

}  // namespace

std::unique_ptr<DatabasesHandler> makeDatabasesHandler(const Services& services) {
  return std::make_unique<Databases>(services);
}

}  // namespace tether::sandbox
