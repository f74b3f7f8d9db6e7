// What the configuration handlers (environments, their variables, service variables,
// project secrets and bindings) share: lookups by key or name rather than by id, whole
// child sets, masking, and the secret fallback chain that both the resolved view and the
// "would leave a binding without a value" check of deleteSecret walk.
//
// How the documents are laid out (the status column doubles as an indexed filter):
//   environment     parent project, unique name = name
//   env_var         parent environment or service, name = unique name = key;
//                   on a service, status "secret" or "plain" (the `secret` list filter)
//   secret          parent project, name = secret name, unique name = name@scope,
//                   status = scope (environment id, or "none" for the project-wide value)
//   secret_binding  parent service, name = unique name = alias, status = secret name
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common.h"

namespace tether::sandbox::config {

// The scope of a project-wide secret, in its status column and unique name.
inline constexpr const char* kProjectWide = "none";

// The document of `kind` under `parent` whose unique name is `uniqueName`, if any.
inline std::optional<Document> findNamed(storage::Connection& c, const Tenant& t, const std::string& kind,
                                         const std::string& parent, const std::string& uniqueName) {
  auto q = c.prepare(
      "SELECT id FROM resources WHERE workspace_id = $1 AND mode = $2 AND kind = $3 AND parent_id = $4 AND"
      " unique_name = $5");
  q->bind_text(1, t.workspace).bind_text(2, t.mode).bind_text(3, kind).bind_text(4, parent).bind_text(5, uniqueName);
  if (!q->step()) return std::nullopt;
  const std::string id = q->text(0);
  return documents::find(c, t, kind, id);
}

// Every child of a kind (oldest first), read page by page: the sets are small, but a
// service may hold up to 500 variables.
inline std::vector<Document> allChildren(storage::Connection& c, const Tenant& t, const std::string& kind,
                                         const std::string& parent, std::optional<std::string> status = {}) {
  ListQuery query;
  query.kind = kind;
  query.parent = parent;
  query.limit = 100;
  query.descending = false;
  query.status = std::move(status);
  std::vector<Document> out;
  for (;;) {
    Page page = documents::list(c, t, query);
    for (Document& d : page.items) out.push_back(std::move(d));
    if (!page.hasMore || !page.nextCursor) return out;
    query.cursor = page.nextCursor;
  }
}

// The spec's MaskedValue: all but the last four characters replaced by `•`, or entirely
// masked (a fixed eight `•`, so the length does not leak) below twelve characters.
// Characters are UTF-8 code points, so a multi-byte tail is never cut in half.
inline std::string mask(const std::string& value) {
  std::vector<std::string> points;
  for (char byte : value) {
    const bool continuation = (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
    if (continuation && !points.empty()) points.back() += byte;
    else points.emplace_back(1, byte);
  }
  std::string out;
  if (points.size() < 12) {
    for (int i = 0; i < 8; ++i) out += "•";
    return out;
  }
  for (std::size_t i = 0; i + 4 < points.size(); ++i) out += "•";
  for (std::size_t i = points.size() - 4; i < points.size(); ++i) out += points[i];
  return out;
}

// The service's environment, as its body names it (written by the Services handler).
inline std::string environmentOf(const Document& service) {
  auto it = service.body.find("environment_id");
  return it != service.body.end() && it->is_string() ? it->get<std::string>() : std::string();
}
inline std::string projectOf(const Document& service) {
  auto it = service.body.find("project_id");
  return it != service.body.end() && it->is_string() ? it->get<std::string>() : service.parent;
}

// Number of services that run in an environment: computed when an environment is read, so
// it stays true however services come and go.
inline std::int64_t servicesIn(storage::Connection& c, const Tenant& t, const Document& environment) {
  std::int64_t count = 0;
  for (const Document& service : allChildren(c, t, "service", environment.parent)) {
    if (environmentOf(service) == environment.id) ++count;
  }
  return count;
}

// The scopes a secret name is looked up in for a service of `environment`, in order: the
// environment itself, `staging` for a `preview` environment, then the project-wide value.
inline std::vector<std::string> fallbackChain(storage::Connection& c, const Tenant& t,
                                              const std::optional<Document>& environment) {
  std::vector<std::string> scopes;
  if (environment) {
    scopes.push_back(environment->id);
    if (environment->body.value("kind", "") == "preview") {
      // The project's oldest `staging` environment is the one previews fall back to.
      for (const Document& candidate : allChildren(c, t, "environment", environment->parent)) {
        if (candidate.body.value("kind", "") == "staging") {
          scopes.push_back(candidate.id);
          break;
        }
      }
    }
  }
  scopes.push_back(kProjectWide);
  return scopes;
}

inline std::string secretUniqueName(const std::string& name, const std::string& scope) { return name + "@" + scope; }

// The secret a binding of `name` resolves to for a service in `environment`, skipping the
// secret `excluded` (to ask what a deletion would leave).
inline std::optional<Document> resolveSecret(storage::Connection& c, const Tenant& t, const std::string& projectId,
                                             const std::optional<Document>& environment, const std::string& name,
                                             const std::string& excluded = "") {
  for (const std::string& scope : fallbackChain(c, t, environment)) {
    std::optional<Document> secret = findNamed(c, t, "secret", projectId, secretUniqueName(name, scope));
    if (secret && secret->id != excluded) return secret;
  }
  return std::nullopt;
}

// 403 unless the caller holds `admin`: protected environments' variables are changed by
// owners and admins only.
inline void requireAdminFor(const Document& environment, const http::Context& context) {
  if (!environment.body.value("protected", false)) return;
  for (const std::string& scope : context.scopes) {
    if (scope == "admin") return;
  }
  fail(403, http::code::kForbidden,
       "The environment \"" + environment.body.value("name", environment.id) +
           "\" is protected; changing its variables needs the admin scope.");
}

}  // namespace tether::sandbox::config
