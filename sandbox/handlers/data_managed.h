// Managed data services (tags "Databases" and "Redis"): the two resources share one
// lifecycle (provisioning → active ⇄ stopped, reset, deleting → gone), masked credentials
// with an audited reveal and rotation, a health report and metrics. Only the flavour
// differs (kind, id prefix, port, user, metric names), so the behaviour lives here once and
// databases.cpp / redis.cpp adapt the generated types to it through JSON.
//
// The password is never in the document body: it is in `sealed` (AES-GCM with the resource
// id as associated data), together with the previous password during its grace period.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "data_common.h"

namespace tether::sandbox::data {

struct Flavor {
  std::string kind;            // document kind and event/audit prefix: "database", "redis"
  std::string idPrefix;        // "db_", "red_"
  std::string idMember;        // the id member of the metrics body: "database_id", "redis_id"
  std::string what;            // for messages: "managed PostgreSQL database"
  std::string defaultVersion;  // engine_version when the create body has none
  int port = 0;
  std::string username;
  std::string scheme;          // of the connection URI
  bool namedDatabase = false;  // credentials.database: the resource's name, or null (Redis)
  std::vector<std::pair<std::string, std::string>> metrics;  // metric name, unit
  std::set<std::string> events;  // the spec's EventType values of this flavour
};

class ManagedStore {
 public:
  // Registers the lifecycle job with the ticker.
  ManagedStore(const Services& services, Flavor flavor);

  Json list(ListQuery query, const std::optional<std::string>& region, const std::optional<std::string>& projectId,
            const http::Context& context) const;
  Json create(const Json& in, const http::Context& context) const;
  Json get(const std::string& id, const http::Context& context) const;
  Json update(const std::string& id, const Json& patch, const http::Context& context) const;
  Json remove(const std::string& id, const http::Context& context) const;
  Json start(const std::string& id, const http::Context& context) const;
  Json stop(const std::string& id, const http::Context& context) const;
  Json reset(const std::string& id, const std::string& confirmName, const http::Context& context) const;
  Json health(const std::string& id, const http::Context& context) const;
  Json credentials(const std::string& id, const http::Context& context) const;
  Json reveal(const std::string& id, const http::Context& context) const;
  Json rotate(const std::string& id, std::int64_t graceSeconds, const http::Context& context) const;
  Json metrics(const std::string& id, const std::optional<std::string>& range,
               const std::optional<std::vector<std::string>>& wanted, const http::Context& context) const;

  // The ticker job: finishes transitions whose sandbox time has come.
  void advance() const;

 private:
  // Moves an action's resource from `from` to `to` (409 from any other status).
  Json transition(const std::string& id, const std::string& from, const std::string& to,
                  const http::Context& context) const;
  void emitIfKnown(storage::Connection& c, const Tenant& t, const std::string& type, const Json& data) const;
  Json credentialsOf(const Document& d, bool masked) const;

  const Services& s_;
  Flavor flavor_;
};

}  // namespace tether::sandbox::data
