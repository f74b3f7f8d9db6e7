// What the identity handlers (access tokens, members, audit log, billing, metrics) share:
// whole-kind reads for lists whose statuses are derived at read time, workspace
// memberships and the roles they carry, and deterministic numbers for generated data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common.h"

namespace tether::sandbox::identity {

// Every document of a kind (under a parent, when given) in the tenant. The identity lists
// are small and some statuses are derived at read time (a token expires without a write),
// so they are read whole, then filtered and paged in memory with documents::paginate.
inline std::vector<Document> allOf(storage::Connection& c, const Tenant& t, const std::string& kind,
                                   const std::optional<std::string>& parent = std::nullopt) {
  ListQuery everything;
  everything.kind = kind;
  everything.parent = parent;
  everything.limit = 1000000;
  return documents::list(c, t, everything).items;
}

// Memberships are workspace-wide, not per mode: they live in the workspace's live tenant
// (as bootstrap() and POST /v1/workspaces write them).
inline Tenant membersTenant(const std::string& workspace, const Tenant& caller) {
  return {workspace, "live", caller.keyId, caller.userId};
}

// The caller's active membership in `workspace`; a workspace the caller is not a member of
// answers 404, as if it did not exist.
inline Document membershipOf(storage::Connection& c, const std::string& workspace, const Tenant& caller) {
  for (Document& m : allOf(c, membersTenant(workspace, caller), "member", workspace)) {
    if (m.body.value("user_id", Json()) == Json(caller.userId) && m.status.value_or("") == "active") return m;
  }
  notFound("workspace \"" + workspace + "\"");
}

// Services::audit with action-specific metadata (e.g. old and new role): it writes the
// entry with empty metadata, so the entry this request just wrote (newest of the action on
// the resource, same request id) gets it added in the same transaction.
inline void auditWith(const Services& services, storage::Connection& c, const Tenant& t, const std::string& action,
                      const std::string& resourceType, const std::string& resourceId, const http::Context& context,
                      const Json& metadata) {
  services.audit(c, t, action, resourceType, resourceId, context);
  ListQuery recent;
  recent.kind = "audit_log_entry";
  recent.status = action;
  recent.limit = 20;
  for (Document& entry : documents::list(c, t, recent).items) {
    if (entry.body["resource"].value("id", "") != resourceId || entry.body.value("request_id", "") != context.requestId ||
        !entry.body.value("metadata", Json::object()).empty()) {
      continue;
    }
    entry.body["metadata"] = metadata;
    documents::update(c, t, entry);
    return;
  }
}

inline std::string roleOf(const Document& member) { return member.body.value("role", "member"); }

// 403 unless the caller's role in the workspace is owner or admin.
inline void requireManager(const Document& callerMembership, const std::string& what) {
  const std::string role = roleOf(callerMembership);
  if (role != "owner" && role != "admin") {
    fail(403, http::code::kForbidden, "Only an owner or admin can " + what + "; your role is " + role + ".");
  }
}

// A deterministic number in [0, 1) from a text: generated data (metrics, invoices) is the
// same on every call and every replica, so clients and tests can rely on it.
inline double unitHash(const std::string& seed) {
  const Bytes digest = sha256(seed);
  std::uint64_t n = 0;
  for (int i = 0; i < 8; ++i) n = (n << 8) | digest[static_cast<std::size_t>(i)];
  return static_cast<double>(n >> 11) / static_cast<double>(std::uint64_t{1} << 53);
}

// An id with the spec's prefix, derived from a seed ("inv_" + 24 hex digits).
inline std::string stableId(const std::string& prefix, const std::string& seed) {
  return prefix + hex(sha256(seed)).substr(0, 24);
}

}  // namespace tether::sandbox::identity
