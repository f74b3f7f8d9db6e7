// The sandbox's implementations of the generated handler interfaces, one file per tag of
// the spec (sandbox/handlers/<tag>.cpp). makeHandlers() builds them all; a tag whose
// handler is null stays unrouted (404).
#pragma once

#include <memory>
#include <vector>

#include "../app/services.h"
#include "server.h"

namespace tether::sandbox {

struct HandlerSet {
  cloud::server::Handlers handlers;
  std::vector<std::shared_ptr<void>> owned;  // keeps the implementations alive

  template <class T>
  T* own(std::unique_ptr<T> handler) {
    T* raw = handler.get();
    if (raw != nullptr) owned.push_back(std::shared_ptr<T>(std::move(handler)));
    return raw;
  }
};

HandlerSet makeHandlers(const Services& services);

// One factory per tag, each defined in handlers/<tag>.cpp. registry.cpp holds weak
// definitions returning null, so a tag not implemented yet stays unrouted (404) and the
// sandbox still links; the tag's file overrides it (the app is an OBJECT library, so
// every object file is linked).
std::unique_ptr<cloud::server::UsersHandler> makeUsersHandler(const Services& services);
std::unique_ptr<cloud::server::ApiKeysHandler> makeApiKeysHandler(const Services& services);
std::unique_ptr<cloud::server::AccessTokensHandler> makeAccessTokensHandler(const Services& services);
std::unique_ptr<cloud::server::WorkspacesHandler> makeWorkspacesHandler(const Services& services);
std::unique_ptr<cloud::server::MembersHandler> makeMembersHandler(const Services& services);
std::unique_ptr<cloud::server::AuditLogHandler> makeAuditLogHandler(const Services& services);
std::unique_ptr<cloud::server::ProjectsHandler> makeProjectsHandler(const Services& services);
std::unique_ptr<cloud::server::EnvironmentsHandler> makeEnvironmentsHandler(const Services& services);
std::unique_ptr<cloud::server::EnvironmentVariablesHandler> makeEnvironmentVariablesHandler(const Services& services);
std::unique_ptr<cloud::server::ServicesHandler> makeServicesHandler(const Services& services);
std::unique_ptr<cloud::server::DeploymentsHandler> makeDeploymentsHandler(const Services& services);
std::unique_ptr<cloud::server::ServiceEnvVarsHandler> makeServiceEnvVarsHandler(const Services& services);
std::unique_ptr<cloud::server::SecretsHandler> makeSecretsHandler(const Services& services);
std::unique_ptr<cloud::server::InstancesHandler> makeInstancesHandler(const Services& services);
std::unique_ptr<cloud::server::RegionsSizesHandler> makeRegionsSizesHandler(const Services& services);
std::unique_ptr<cloud::server::DatabasesHandler> makeDatabasesHandler(const Services& services);
std::unique_ptr<cloud::server::RedisHandler> makeRedisHandler(const Services& services);
std::unique_ptr<cloud::server::StorageHandler> makeStorageHandler(const Services& services);
std::unique_ptr<cloud::server::EmailHandler> makeEmailHandler(const Services& services);
std::unique_ptr<cloud::server::EmailDomainsHandler> makeEmailDomainsHandler(const Services& services);
std::unique_ptr<cloud::server::EmailWebhooksHandler> makeEmailWebhooksHandler(const Services& services);
std::unique_ptr<cloud::server::DnsHandler> makeDnsHandler(const Services& services);
std::unique_ptr<cloud::server::MetricsHandler> makeMetricsHandler(const Services& services);
std::unique_ptr<cloud::server::WebhooksHandler> makeWebhooksHandler(const Services& services);
std::unique_ptr<cloud::server::BillingHandler> makeBillingHandler(const Services& services);
std::unique_ptr<cloud::server::EventsHandler> makeEventsHandler(const Services& services);

}  // namespace tether::sandbox
