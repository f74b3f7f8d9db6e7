// What every resource handler of the sandbox works with: the database, the clock, the
// credentials, the sealer for secrets, and the event log. One instance per sandbox
// process; everything here is thread-safe.
#pragma once

#include <functional>
#include <string>

#include "auth.h"
#include "clock.h"
#include "config.h"
#include "crypto.h"
#include "database.h"
#include "documents.h"
#include "tether/http/router.h"
#include "ticker.h"

namespace tether::sandbox {

struct Services {
  const Config& config;
  Database& db;
  const Clock& clock;
  const Authenticator& auth;
  const Sealer& sealer;
  // Background jobs (lifecycles, deliveries): handlers add theirs when they are made.
  Ticker& ticker;

  // Appends an event (GET /v1/events, the SSE stream, webhook deliveries) in the caller's
  // transaction, so an event exists exactly when the change it reports was committed.
  void emit(storage::Connection& c, const Tenant& t, const std::string& type, const Json& data) const;
  // An audit-log entry (reveals, key and role changes), in the caller's transaction.
  void audit(storage::Connection& c, const Tenant& t, const std::string& action, const std::string& resourceType,
             const std::string& resourceId, const http::Context& context) const;
};

}  // namespace tether::sandbox
