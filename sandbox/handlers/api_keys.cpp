// API keys (tag "API Keys"): rows of `api_keys`, where only the SHA-256 of a secret is
// kept; the secret is in the response of create and rotate, and nowhere else. A key never
// grants more than its creator holds. Rotation keeps the old key working for the overlap
// window (status `expiring`); revocation is immediate. Every change is audited.
#include <set>

#include "common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

Document asDocument(const Json& key) {
  Document d;
  d.id = key["id"].get<std::string>();
  d.kind = "api_key";
  d.name = key["name"].get<std::string>();
  d.status = key["status"].get<std::string>();
  d.createdAt = key["created_at"].get<std::string>();
  d.updatedAt = key["updated_at"].get<std::string>();
  d.body = key;
  return d;
}

// 403 unless every scope asked for is one the caller holds (after implication).
void checkGrantable(const std::vector<std::string>& asked, const http::Context& context) {
  std::set<std::string> held(context.scopes.begin(), context.scopes.end());
  for (const std::string& scope : asked) {
    if (!held.count(scope)) {
      fail(403, http::code::kForbidden, "A key cannot grant the scope \"" + scope + "\", which its creator lacks.");
    }
  }
}

std::vector<std::string> scopesOf(const std::vector<cloud::Scope>& scopes) {
  std::vector<std::string> out;
  for (const cloud::Scope& s : scopes) out.push_back(text(s));
  return out;
}

class ApiKeys final : public ApiKeysHandler {
 public:
  explicit ApiKeys(const Services& services) : s_(services) {}

  ListApiKeysResponse listApiKeys(const ListApiKeysRequest& request, http::Context& context) override {
    ListQuery query = listQuery(request, "api_key");
    if (request.status) query.status = text(*request.status);
    if (request.mode) query.bodyEquals.emplace_back("mode", text(*request.mode));
    const Tenant t = tenantOf(context);
    Page page = s_.db.with([&](storage::Connection& c) {
      std::vector<Document> all;
      for (const Json& key : keys::all(c, t.workspace, s_.clock.nowText())) all.push_back(asDocument(key));
      return documents::paginate(std::move(all), query);
    });
    return {reply<ListApiKeysResponse::Status200>(page.json())};
  }

  CreateApiKeyResponse createApiKey(const CreateApiKeyRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    NewKey key;
    key.workspace = t.workspace;
    key.mode = request.body.mode ? text(*request.body.mode) : "live";
    // Test data has no side effects: a sk_test_ credential must not mint a way into live data.
    if (t.mode == "test" && key.mode == "live") {
      fail(403, http::code::kForbidden, "A test-mode credential can only create test-mode keys (\"mode\": \"test\").");
    }
    key.name = request.body.name;
    key.scopes = scopesOf(request.body.scopes);
    checkGrantable(key.scopes, context);
    if (request.body.ip_allowlist) key.ipAllowlist = *request.body.ip_allowlist;
    Json in = toJson(request.body);
    if (in.contains("expires_at") && in["expires_at"].is_string()) {
      key.expiresAt = in["expires_at"].get<std::string>();
      if (*key.expiresAt <= s_.clock.nowText()) invalid("/expires_at", "The expiry must be in the future.");
    }
    key.createdBy = t.userId;
    Json result = s_.db.transact([&](storage::Connection& c) {
      Json created = keys::create(c, key, s_.clock.nowText());
      s_.audit(c, t, "api_key.created", "api_key", created["id"], context);
      Json event = created;
      event.erase("secret");
      s_.emit(c, t, "api_key.created", change(event));
      return created;
    });
    return {reply<CreateApiKeyResponse::Status201>(result)};
  }

  GetApiKeyResponse getApiKey(const GetApiKeyRequest& request, http::Context& context) override {
    Json key = s_.db.with([&](storage::Connection& c) { return find(c, tenantOf(context), request.api_key_id); });
    return {reply<GetApiKeyResponse::Status200>(key)};
  }

  UpdateApiKeyResponse updateApiKey(const UpdateApiKeyRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    if (request.body.scopes) checkGrantable(scopesOf(*request.body.scopes), context);
    Json updated = s_.db.transact([&](storage::Connection& c) {
      Json key = find(c, t, request.api_key_id);
      if (key["status"] == "revoked" || key["status"] == "expired") {
        conflict("The key is " + key["status"].get<std::string>() + "; it cannot change.");
      }
      mergePatch(key, toJson(request.body));
      auto q = c.prepare(
          "UPDATE api_keys SET name = $1, scopes = $2, ip_allowlist = $3, updated_at = $4 WHERE id = $5 AND"
          " workspace_id = $6");
      q->bind_text(1, key["name"].get<std::string>()).bind_text(2, key["scopes"].dump());
      q->bind_text(3, key["ip_allowlist"].dump()).bind_text(4, s_.clock.nowText()).bind_text(5, request.api_key_id);
      q->bind_text(6, t.workspace);
      q->run();
      s_.audit(c, t, "api_key.updated", "api_key", request.api_key_id, context);
      return find(c, t, request.api_key_id);
    });
    return {reply<UpdateApiKeyResponse::Status200>(updated)};
  }

  RevokeApiKeyResponse revokeApiKey(const RevokeApiKeyRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Json key = find(c, t, request.api_key_id);
      if (key["status"] == "revoked") return;  // DELETE is idempotent
      const std::string now = s_.clock.nowText();
      auto q = c.prepare("UPDATE api_keys SET revoked_at = $1, updated_at = $1 WHERE id = $2 AND workspace_id = $3");
      q->bind_text(1, now).bind_text(2, request.api_key_id).bind_text(3, t.workspace);
      q->run();
      s_.audit(c, t, "api_key.revoked", "api_key", request.api_key_id, context);
      s_.emit(c, t, "api_key.revoked",
              {{"object", find(c, t, request.api_key_id)}, {"previous_attributes", {{"status", key["status"]}}}});
    });
    return {RevokeApiKeyResponse::Status204{}};
  }

  RotateApiKeyResponse rotateApiKey(const RotateApiKeyRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    const std::int64_t overlap = request.body.overlap_seconds.value_or(86400);
    Json result = s_.db.transact([&](storage::Connection& c) {
      Json old = find(c, t, request.api_key_id);
      if (old["status"] != "active") {
        conflict("Only an active key can be rotated; this one is " + old["status"].get<std::string>() + ".");
      }
      const std::string now = s_.clock.nowText();
      NewKey key;
      key.workspace = t.workspace;
      key.mode = old["mode"].get<std::string>();
      key.name = old["name"].get<std::string>();
      for (const Json& scope : old["scopes"]) key.scopes.push_back(scope.get<std::string>());
      for (const Json& cidr : old["ip_allowlist"]) key.ipAllowlist.push_back(cidr.get<std::string>());
      key.createdBy = t.userId;
      key.rotatedFrom = request.api_key_id;
      if (old["expires_at"].is_string()) key.expiresAt = old["expires_at"].get<std::string>();
      Json created = keys::create(c, key, now);
      // The old key: valid for the overlap, or revoked now when there is none.
      auto q = c.prepare(overlap == 0
                             ? "UPDATE api_keys SET revoked_at = $1, updated_at = $1 WHERE id = $2"
                             : "UPDATE api_keys SET expires_at = $3, updated_at = $1 WHERE id = $2");
      q->bind_text(1, now).bind_text(2, request.api_key_id);
      if (overlap != 0) {
        Clock::time_point until{};
        Clock::parse(now, until);
        q->bind_text(3, Clock::format(until + std::chrono::seconds(overlap)));
      }
      q->run();
      s_.audit(c, t, "api_key.rotated", "api_key", request.api_key_id, context);
      Json event = created;
      event.erase("secret");
      s_.emit(c, t, "api_key.rotated", change(event));
      return created;
    });
    return {reply<RotateApiKeyResponse::Status201>(result)};
  }

 private:
  static Json find(storage::Connection& c, const Tenant& t, const std::string& id, const std::string& now) {
    Json key = keys::read(c, t.workspace, id, now);
    if (!key.is_object()) notFound("API key \"" + id + "\"");
    return key;
  }
  Json find(storage::Connection& c, const Tenant& t, const std::string& id) const {
    return find(c, t, id, s_.clock.nowText());
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<ApiKeysHandler> makeApiKeysHandler(const Services& services) {
  return std::make_unique<ApiKeys>(services);
}

}  // namespace tether::sandbox
