// Managed Redis instances (tag "Redis"): documents of kind "redis" whose
// lifecycle, credentials and metrics are the shared managed-store behaviour of
// data_managed.h; this file adapts the generated types to it.
#include "data_managed.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

data::Flavor redisFlavor() {
  data::Flavor f;
  f.kind = "redis";
  f.idPrefix = "red_";
  f.idMember = "redis_id";
  f.what = "managed Redis instance";
  f.defaultVersion = "7.4";
  f.port = 6380;  // TLS
  f.username = "default";
  f.scheme = "rediss";
  f.namedDatabase = false;
  f.metrics = {{"cpu_percent", "percent"}, {"memory_used_mb", "MB"},       {"connected_clients", "count"},
               {"ops_per_second", "1/s"},  {"keyspace_hits_ratio", "ratio"}, {"evicted_keys", "count"}};
  f.events = {"redis.created", "redis.stopped", "redis.credentials_rotated", "redis.deleted"};
  return f;
}

class RedisInstances final : public RedisHandler {
 public:
  explicit RedisInstances(const Services& services) : store_(services, redisFlavor()) {}

  ListRedisInstancesResponse listRedisInstances(const ListRedisInstancesRequest& request,
                                                http::Context& context) override {
    ListQuery query = listQuery(request, "redis");
    if (request.status) query.status = text(*request.status);
    std::optional<std::string> region, project;
    if (request.region) region = text(*request.region);
    if (request.project_id) project = text(*request.project_id);
    return {reply<ListRedisInstancesResponse::Status200>(store_.list(query, region, project, context))};
  }

  CreateRedisResponse createRedis(const CreateRedisRequest& request, http::Context& context) override {
    return {reply<CreateRedisResponse::Status201>(store_.create(toJson(request.body), context))};
  }

  GetRedisResponse getRedis(const GetRedisRequest& request, http::Context& context) override {
    return {reply<GetRedisResponse::Status200>(store_.get(text(request.redis_id), context))};
  }

  UpdateRedisResponse updateRedis(const UpdateRedisRequest& request, http::Context& context) override {
    return {reply<UpdateRedisResponse::Status200>(
        store_.update(text(request.redis_id), toJson(request.body), context))};
  }

  DeleteRedisResponse deleteRedis(const DeleteRedisRequest& request, http::Context& context) override {
    return {reply<DeleteRedisResponse::Status202>(store_.remove(text(request.redis_id), context))};
  }

  StartRedisResponse startRedis(const StartRedisRequest& request, http::Context& context) override {
    return {reply<StartRedisResponse::Status202>(store_.start(text(request.redis_id), context))};
  }

  StopRedisResponse stopRedis(const StopRedisRequest& request, http::Context& context) override {
    return {reply<StopRedisResponse::Status202>(store_.stop(text(request.redis_id), context))};
  }

  GetRedisStatusResponse getRedisStatus(const GetRedisStatusRequest& request,
                                              http::Context& context) override {
    return {reply<GetRedisStatusResponse::Status200>(store_.health(text(request.redis_id), context))};
  }

  ResetRedisResponse resetRedis(const ResetRedisRequest& request, http::Context& context) override {
    return {reply<ResetRedisResponse::Status202>(
        store_.reset(text(request.redis_id), request.body.confirm_name, context))};
  }

  GetRedisCredentialsResponse getRedisCredentials(const GetRedisCredentialsRequest& request,
                                                        http::Context& context) override {
    return {reply<GetRedisCredentialsResponse::Status200>(store_.credentials(text(request.redis_id), context))};
  }

  RevealRedisCredentialsResponse revealRedisCredentials(const RevealRedisCredentialsRequest& request,
                                                              http::Context& context) override {
    return {reply<RevealRedisCredentialsResponse::Status200>(store_.reveal(text(request.redis_id), context))};
  }

  RotateRedisCredentialsResponse rotateRedisCredentials(const RotateRedisCredentialsRequest& request,
                                                              http::Context& context) override {
    const std::int64_t grace = request.body.grace_period_seconds.value_or(300);
    return {reply<RotateRedisCredentialsResponse::Status202>(
        store_.rotate(text(request.redis_id), grace, context))};
  }

  GetRedisMetricsResponse getRedisMetrics(const GetRedisMetricsRequest& request,
                                                http::Context& context) override {
    return {reply<GetRedisMetricsResponse::Status200>(
        store_.metrics(text(request.redis_id), request.range, request.metric, context))};
  }

 private:
  data::ManagedStore store_;
};

}  // namespace

std::unique_ptr<RedisHandler> makeRedisHandler(const Services& services) {
  return std::make_unique<RedisInstances>(services);
}

}  // namespace tether::sandbox
