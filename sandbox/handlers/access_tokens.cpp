// Access tokens (tag "Access Tokens"): documents of kind "access_token", parent = the API
// key they were minted from. The signed token itself is returned once and never stored;
// the verifier in auth.cpp accepts a token only while its document is `active`, so revoking
// is a status change. `expired` (expires_at passed) and `revoked` by the key's revocation
// are derived when a token is read, since nothing writes at the moment they happen.
#include <set>

#include "identity_common.h"

namespace tether::sandbox {

namespace {

using namespace cloud::server;

constexpr std::int64_t kDefaultTtlSeconds = 3600;

// The status a token has now: its stored one, unless time or its key ended it.
std::string derivedStatus(storage::Connection& c, const Tenant& t, const Document& token, const std::string& now) {
  const std::string stored = token.status.value_or("active");
  if (stored != "active") return stored;
  if (token.body.value("expires_at", "") <= now) return "expired";
  Json key = keys::read(c, t.workspace, token.parent, now);
  if (!key.is_object() || key["status"] == "revoked" || key["status"] == "expired") return "revoked";
  return stored;
}

Document withDerivedStatus(storage::Connection& c, const Tenant& t, Document token, const std::string& now) {
  token.status = derivedStatus(c, t, token, now);
  token.body["status"] = *token.status;
  return token;
}

class AccessTokens final : public AccessTokensHandler {
 public:
  explicit AccessTokens(const Services& services) : s_(services) {}

  ListAccessTokensResponse listAccessTokens(const ListAccessTokensRequest& request,
                                            http::Context& context) override {
    ListQuery query = listQuery(request, "access_token");
    if (request.status) query.status = text(*request.status);
    if (request.api_key_id) query.bodyEquals.emplace_back("api_key_id", *request.api_key_id);
    const Tenant t = tenantOf(context);
    Page page = s_.db.with([&](storage::Connection& c) {
      const std::string now = s_.clock.nowText();
      std::vector<Document> tokens;
      for (Document& d : identity::allOf(c, t, "access_token")) tokens.push_back(withDerivedStatus(c, t, d, now));
      return documents::paginate(std::move(tokens), query);
    });
    return {reply<ListAccessTokensResponse::Status200>(page.json())};
  }

  CreateAccessTokenResponse createAccessToken(const CreateAccessTokenRequest& request,
                                              http::Context& context) override {
    auto kind = context.attributes.find("credential_kind");
    if (kind != context.attributes.end() && kind->second == "access_token") {
      fail(403, http::code::kForbidden, "Access tokens are minted from an API key, not from another token.");
    }
    const Tenant t = tenantOf(context);
    const std::vector<std::string> scopes = requestedScopes(request, context, t);
    const std::int64_t ttl = request.body.ttl_seconds.value_or(kDefaultTtlSeconds);
    const std::int64_t expiresAtMs = s_.clock.nowMs() + ttl * 1000;
    const std::string now = s_.clock.nowText();
    Document token;
    token.id = newId("atk_");
    token.kind = "access_token";
    token.parent = t.keyId;
    token.status = "active";
    token.createdAt = token.updatedAt = now;
    token.body = {{"id", token.id},
                  {"api_key_id", t.keyId},
                  {"description", request.body.description ? Json(*request.body.description) : Json(nullptr)},
                  {"scopes", scopes},
                  {"status", "active"},
                  {"expires_at", Clock::format(Clock::time_point(std::chrono::milliseconds(expiresAtMs)))},
                  {"created_at", now}};
    Credential minter{t, scopes, "api_key", t.keyId};
    Json result = token.body;
    result["token"] = s_.auth.mint(minter, token.id, scopes, expiresAtMs);
    s_.db.transact([&](storage::Connection& c) {
      documents::insert(c, t, token);
      identity::auditWith(s_, c, t, "access_token.created", "access_token", token.id, context,
                          {{"api_key_id", t.keyId}, {"scopes", scopes}, {"expires_at", token.body["expires_at"]}});
    });
    return {reply<CreateAccessTokenResponse::Status201>(result)};
  }

  GetAccessTokenResponse getAccessToken(const GetAccessTokenRequest& request, http::Context& context) override {
    const Tenant t = tenantOf(context);
    Document token = s_.db.with([&](storage::Connection& c) {
      return withDerivedStatus(c, t, documents::get(c, t, "access_token", request.access_token_id),
                               s_.clock.nowText());
    });
    return {reply<GetAccessTokenResponse::Status200>(token.body)};
  }

  RevokeAccessTokenResponse revokeAccessToken(const RevokeAccessTokenRequest& request,
                                              http::Context& context) override {
    const Tenant t = tenantOf(context);
    s_.db.transact([&](storage::Connection& c) {
      Document token = documents::get(c, t, "access_token", request.access_token_id);
      if (token.status.value_or("") == "revoked") return;  // DELETE is idempotent
      const std::string now = s_.clock.nowText();
      token.status = "revoked";
      token.body["status"] = "revoked";
      token.updatedAt = now;
      documents::update(c, t, token);
      identity::auditWith(s_, c, t, "access_token.revoked", "access_token", token.id, context,
                          {{"api_key_id", token.parent}});
    });
    return {RevokeAccessTokenResponse::Status204{}};
  }

 private:
  // The scopes asked for (default: all of the key's), each one the calling key holds after
  // implication; anything beyond is a 403, as a key cannot grant more than it has.
  std::vector<std::string> requestedScopes(const CreateAccessTokenRequest& request, const http::Context& context,
                                           const Tenant& t) const {
    std::vector<std::string> asked;
    if (request.body.scopes) {
      for (const cloud::Scope& scope : *request.body.scopes) asked.push_back(text(scope));
      std::set<std::string> held(context.scopes.begin(), context.scopes.end());
      for (const std::string& scope : asked) {
        if (!held.count(scope)) {
          fail(403, http::code::kForbidden, "The token cannot carry the scope \"" + scope + "\", which the key lacks.");
        }
      }
      return asked;
    }
    Json key = s_.db.with([&](storage::Connection& c) { return keys::read(c, t.workspace, t.keyId, s_.clock.nowText()); });
    for (const Json& scope : key.value("scopes", Json::array())) asked.push_back(scope.get<std::string>());
    return asked;
  }

  const Services& s_;
};

}  // namespace

std::unique_ptr<AccessTokensHandler> makeAccessTokensHandler(const Services& services) {
  return std::make_unique<AccessTokens>(services);
}

}  // namespace tether::sandbox
