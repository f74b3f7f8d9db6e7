// Audit log (tag "Audit Log"): the `audit_log_entry` documents that Services::audit writes
// in the caller's tenant (its workspace and mode), with the action as the row's status so
// the `action` filter is an indexed column. Reading needs the owner or admin role in the
// workspace; a workspace the caller is not a member of answers 404.
#include "identity_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

// The log of a workspace as the caller sees it: same workspace, the caller's mode.
Tenant logTenant(const std::string& workspace, const Tenant& caller) {
  return {workspace, caller.mode, caller.keyId, caller.userId};
}

bool matches(const Document& entry, const ListAuditLogEntriesRequest& request) {
  const Json& body = entry.body;
  if (request.actor_id && body["actor"].value("id", Json()) != Json(*request.actor_id)) return false;
  if (request.resource_id && body["resource"].value("id", "") != *request.resource_id) return false;
  // Timestamps are fixed-width RFC 3339 UTC, so text order is time order.
  const std::optional<std::string> since = timestampParam(request.since, "since");
  const std::optional<std::string> until = timestampParam(request.until, "until");
  if (since && entry.createdAt < *since) return false;
  if (until && entry.createdAt >= *until) return false;
  return true;
}

class AuditLog final : public AuditLogHandler {
 public:
  explicit AuditLog(const Services& services) : s_(services) {}

  ListAuditLogEntriesResponse listAuditLogEntries(const ListAuditLogEntriesRequest& request,
                                                  http::Context& context) override {
    ListQuery query = listQuery(request, "audit_log_entry");
    if (request.action) query.status = text(*request.action);
    const Tenant t = tenantOf(context);
    Page page = s_.db.with([&](storage::Connection& c) {
      identity::requireManager(identity::membershipOf(c, request.workspace_id, t), "read the audit log");
      std::vector<Document> entries;
      for (Document& d : identity::allOf(c, logTenant(request.workspace_id, t), "audit_log_entry")) {
        if (matches(d, request)) entries.push_back(std::move(d));
      }
      return documents::paginate(std::move(entries), query);
    });
    return {reply<ListAuditLogEntriesResponse::Status200>(page.json())};
  }

  GetAuditLogEntryResponse getAuditLogEntry(const GetAuditLogEntryRequest& request,
                                            http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document entry = s_.db.with([&](storage::Connection& c) {
      identity::requireManager(identity::membershipOf(c, request.workspace_id, t), "read the audit log");
      return documents::get(c, logTenant(request.workspace_id, t), "audit_log_entry", request.audit_log_entry_id);
    });
    return {reply<GetAuditLogEntryResponse::Status200>(entry.body)};
  }

 private:
  const Services& s_;
};

}  // namespace

std::unique_ptr<AuditLogHandler> makeAuditLogHandler(const Services& services) {
  return std::make_unique<AuditLog>(services);
}

}  // namespace tether::sandbox
