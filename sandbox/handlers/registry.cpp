#include "registry.h"

namespace tether::sandbox {

__attribute__((weak)) std::unique_ptr<cloud::server::UsersHandler> makeUsersHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::ApiKeysHandler> makeApiKeysHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::AccessTokensHandler> makeAccessTokensHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::WorkspacesHandler> makeWorkspacesHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::MembersHandler> makeMembersHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::AuditLogHandler> makeAuditLogHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::ProjectsHandler> makeProjectsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::EnvironmentsHandler> makeEnvironmentsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::EnvironmentVariablesHandler> makeEnvironmentVariablesHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::ServicesHandler> makeServicesHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::DeploymentsHandler> makeDeploymentsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::ServiceEnvVarsHandler> makeServiceEnvVarsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::SecretsHandler> makeSecretsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::InstancesHandler> makeInstancesHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::RegionsSizesHandler> makeRegionsSizesHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::DatabasesHandler> makeDatabasesHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::RedisHandler> makeRedisHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::StorageHandler> makeStorageHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::EmailHandler> makeEmailHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::EmailDomainsHandler> makeEmailDomainsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::EmailWebhooksHandler> makeEmailWebhooksHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::DnsHandler> makeDnsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::MetricsHandler> makeMetricsHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::WebhooksHandler> makeWebhooksHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::BillingHandler> makeBillingHandler(const Services&) {
  return nullptr;
}
__attribute__((weak)) std::unique_ptr<cloud::server::EventsHandler> makeEventsHandler(const Services&) {
  return nullptr;
}

HandlerSet makeHandlers(const Services& services) {
  HandlerSet set;
  set.handlers.users = set.own(makeUsersHandler(services));
  set.handlers.api_keys = set.own(makeApiKeysHandler(services));
  set.handlers.access_tokens = set.own(makeAccessTokensHandler(services));
  set.handlers.workspaces = set.own(makeWorkspacesHandler(services));
  set.handlers.members = set.own(makeMembersHandler(services));
  set.handlers.audit_log = set.own(makeAuditLogHandler(services));
  set.handlers.projects = set.own(makeProjectsHandler(services));
  set.handlers.environments = set.own(makeEnvironmentsHandler(services));
  set.handlers.environment_variables = set.own(makeEnvironmentVariablesHandler(services));
  set.handlers.services = set.own(makeServicesHandler(services));
  set.handlers.deployments = set.own(makeDeploymentsHandler(services));
  set.handlers.service_env_vars = set.own(makeServiceEnvVarsHandler(services));
  set.handlers.secrets = set.own(makeSecretsHandler(services));
  set.handlers.instances = set.own(makeInstancesHandler(services));
  set.handlers.regions_sizes = set.own(makeRegionsSizesHandler(services));
  set.handlers.databases = set.own(makeDatabasesHandler(services));
  set.handlers.redis = set.own(makeRedisHandler(services));
  set.handlers.storage = set.own(makeStorageHandler(services));
  set.handlers.email = set.own(makeEmailHandler(services));
  set.handlers.email_domains = set.own(makeEmailDomainsHandler(services));
  set.handlers.email_webhooks = set.own(makeEmailWebhooksHandler(services));
  set.handlers.dns = set.own(makeDnsHandler(services));
  set.handlers.metrics = set.own(makeMetricsHandler(services));
  set.handlers.webhooks = set.own(makeWebhooksHandler(services));
  set.handlers.billing = set.own(makeBillingHandler(services));
  set.handlers.events = set.own(makeEventsHandler(services));
  return set;
}

}  // namespace tether::sandbox
