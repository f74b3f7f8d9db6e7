// What the compute handlers (services, deployments, instances, regions and sizes) share:
// the fixed catalogue of regions and sizes, the timing of lifecycles on the sandbox clock,
// the claim that lets several replicas tick the same rows safely, and queueing a
// deployment (a new service, a trigger and a rollback all do it).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common.h"
#include "plans.h"

namespace tether::sandbox::compute {

// --- catalogue -------------------------------------------------------------------------

// Regions and sizes as the API shows them (Region and Size schemas). Fixed: the sandbox
// has no capacity, so every region is available.
const std::vector<Json>& regions();
const std::vector<Json>& sizes();
std::optional<Json> findRegion(const std::string& slug);
std::optional<Json> findSize(const std::string& slug);
bool sizeOfferedIn(const Json& size, const std::string& region);
bool regionOffers(const Json& region, const std::string& feature);

// --- time ------------------------------------------------------------------------------

// Whether `seconds` of sandbox time have passed since the timestamp `since`.
bool elapsed(const Clock& clock, const std::string& since, double seconds);
// The timestamp `ms` milliseconds after `text`.
std::string plusMs(const std::string& text, std::int64_t ms);
std::int64_t toMs(const std::string& text);
std::string fromMs(std::int64_t ms);

// --- rows ------------------------------------------------------------------------------

// Moves a row from `from` to `to` only if it still is in `from`: the conditional UPDATE
// that makes a transition happen once when several replicas (or a request and the ticker)
// race for it. Call it first in the transaction that then writes the whole document.
bool claim(storage::Connection& c, const Tenant& t, const std::string& id, const std::string& from,
           const std::string& to, const std::string& now);
// Every child of a kind (optionally in a status), oldest first, across pages.
std::vector<Document> children(storage::Connection& c, const Tenant& t, const std::string& kind,
                               const std::string& parent, const std::optional<std::string>& status = {});
// Sets status in the body and the row, stamps updated_at, writes it back.
void setStatus(storage::Connection& c, const Tenant& t, Document& d, const std::string& status,
               const std::string& now);

// --- plans -----------------------------------------------------------------------------

// 403 PLAN_RESTRICTED_FEATURE when the workspace already has as many documents of `kind`
// as its plan allows (the limits GET /v1/billing/plan shows: services and instances).
void requireRoomFor(storage::Connection& c, const Tenant& t, const std::string& kind);

// --- deployments -----------------------------------------------------------------------

struct NewDeployment {
  std::string branch;
  std::optional<std::string> commitSha;   // exactly this commit; else the branch head
  std::string trigger = "api";            // git_push, api, rollback, config_change
  std::optional<Json> rollbackOf;         // the earlier deployment whose build is reused
  bool clearCache = false;
  std::string createdBy;
};

// Inserts a `queued` deployment of the service, cancels the ones still queued for it (the
// spec: a newer deployment replaces them), writes its first log line and emits
// deployment.queued. Returns the new deployment.
Document queueDeployment(const Services& s, storage::Connection& c, const Tenant& t, const Document& service,
                         const NewDeployment& what);
// Marks a deployment canceled (from queued, building or deploying) with its events.
void cancelDeployment(const Services& s, storage::Connection& c, const Tenant& t, Document& deployment,
                      const std::string& why);
// Appends log lines of a phase ("build" or "deploy"), each a millisecond after the last so
// that their order is their timestamps'.
void appendLog(storage::Connection& c, const Tenant& t, const std::string& deploymentId, const std::string& phase,
               const std::vector<std::pair<std::string, std::string>>& streamAndMessage, const std::string& now);

// --- events ----------------------------------------------------------------------------

// The payload of a lifecycle step's event: change() (common.h) with the previous status.
Json statusChange(const Json& object, const std::string& previousStatus);

// Who a change is attributed to: the user of the credential, else its key.
std::string actorOf(const Tenant& t);

}  // namespace tether::sandbox::compute
