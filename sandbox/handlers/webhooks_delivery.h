// What the Events and Webhooks handlers share: reading the `events` table (rows written
// by Services::emit), and the background work that turns events into webhook deliveries
// and sends them with Standard Webhooks signatures.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../app/documents.h"
#include "../app/services.h"

namespace tether::sandbox::webhooks {

// An event row as the API returns it. Emitters pass the changed resource itself as `data`
// or the spec's {"object", "previous_attributes"}; the former is wrapped here so that
// every reader (list, get, SSE, deliveries) sees the spec's Event shape.
Json eventBody(const std::string& storedBody);

// The tenant's events, oldest first (created_at, then id), optionally only those after
// `afterId` (the SSE Last-Event-ID) or at or after `since`.
std::vector<Json> events(storage::Connection& c, const Tenant& t, const std::optional<std::string>& afterId = {},
                         const std::optional<std::string>& since = {});
std::optional<Json> event(storage::Connection& c, const Tenant& t, const std::string& id);
// Writes an event row directly (like Services::emit) and returns it: the test ping needs
// the id of the event it creates.
Json insertEvent(storage::Connection& c, const Tenant& t, const std::string& type, const Json& object,
                 const std::string& now);

// An endpoint's signing secrets, sealed in its row: the current one first, then any old
// one still signing until its expiry.
struct SigningSecret {
  std::string secret;                    // "whsec_<base64>"
  std::optional<std::string> expiresAt;  // nullopt: the current one
};
std::vector<SigningSecret> secretsOf(const Services& s, const Document& endpoint);
void sealSecrets(const Services& s, Document& endpoint, const std::vector<SigningSecret>& secrets);
std::string newSecret();

// The `webhook-signature` value: "v1,<sig>" per secret still valid at `now`, space separated.
std::string signatureHeader(const std::vector<SigningSecret>& secrets, const std::string& now, const std::string& id,
                            const std::string& timestamp, const std::string& body);

// A new pending delivery of `event` to `endpoint` (inserted by the caller). `fanOut`
// gives it the event id as unique name, so that a replica racing on the same event
// cannot deliver it twice; redeliveries and pings have none.
Document newDelivery(const std::string& endpointId, const Json& event, const std::string& now, bool fanOut);

// The body of a document as the API returns it: members starting with "_" are the
// sandbox's own bookkeeping.
Json publicBody(const Json& body);

// Registers the jobs (fan-out of new events, sending due deliveries) on the ticker.
void startDeliveries(const Services& s);

}  // namespace tether::sandbox::webhooks
