#include "auth.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

namespace tether::sandbox {

namespace {

constexpr const char* kKeyColumns =
    "id, workspace_id, name, mode, prefix, scopes, ip_allowlist, created_by, last_used_at, expires_at, revoked_at,"
    " rotated_from_id, created_at, updated_at,"
    " (SELECT COUNT(*) FROM api_keys AS r WHERE r.rotated_from_id = api_keys.id) AS successors";

std::vector<std::string> stringsOf(const std::string& jsonText) {
  Json j = Json::parse(jsonText, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const Json& item : j) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

// An address as 16 bytes (IPv4 mapped into IPv6), or nullopt.
std::optional<std::array<std::uint8_t, 16>> parseAddress(const std::string& text, bool& v4) {
  std::array<std::uint8_t, 16> out{};
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, text.c_str(), &a4) == 1) {
    v4 = true;
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &a4, 4);
    return out;
  }
  if (inet_pton(AF_INET6, text.c_str(), &a6) == 1) {
    v4 = false;
    std::memcpy(out.data(), &a6, 16);
    return out;
  }
  return std::nullopt;
}

Json keyJson(const storage::Statement& q, const std::string& now) {
  Json key = {{"id", q.text(0)},
              {"workspace_id", q.text(1)},
              {"name", q.text(2)},
              {"mode", q.text(3)},
              {"prefix", q.text(4)},
              {"scopes", Json::parse(q.text(5))},
              {"ip_allowlist", Json::parse(q.text(6))},
              {"created_by", q.opt_text(7).value_or("")},
              {"last_used_at", q.opt_text(8) ? Json(*q.opt_text(8)) : Json(nullptr)},
              {"expires_at", q.opt_text(9) ? Json(*q.opt_text(9)) : Json(nullptr)},
              {"status", keys::statusAt(q.opt_text(10), q.opt_text(9), q.int64(14) > 0, now)},
              {"rotated_from_id", q.opt_text(11) ? Json(*q.opt_text(11)) : Json(nullptr)},
              {"created_at", q.text(12)},
              {"updated_at", q.text(13)}};
  return key;
}

// The api_keys row whose secret hashes to `hash`, or nullopt.
std::optional<KeyRow> keyByHash(storage::Connection& c, const Bytes& hash) {
  auto q = c.prepare(
      "SELECT id, workspace_id, mode, created_by, scopes, ip_allowlist, expires_at, revoked_at, secret_hash"
      " FROM api_keys WHERE secret_hash = $1");
  q->bind_blob(1, hash);
  if (!q->step()) return std::nullopt;
  // The lookup is by hash, so its timing says nothing about the secret; the comparison
  // is constant-time all the same.
  const Bytes stored = q->blob(8);
  if (!constantTimeEqual(std::string(hash.begin(), hash.end()), std::string(stored.begin(), stored.end()))) {
    return std::nullopt;
  }
  std::vector<std::string> scopes = stringsOf(q->text(4));
  std::vector<std::string> implied = impliedScopes(scopes);
  return KeyRow{q->text(0),          q->text(1),     q->text(2),     q->opt_text(3).value_or(""), std::move(scopes),
                stringsOf(q->text(5)), q->opt_text(6), q->opt_text(7), std::move(implied)};
}

}  // namespace

std::vector<std::string> impliedScopes(const std::vector<std::string>& scopes) {
  static const char* kResources[] = {"users",     "api_keys",  "access_tokens", "workspaces", "members",
                                     "audit_log", "projects",  "environments",  "services",   "deployments",
                                     "secrets",   "instances", "databases",     "redis",      "storage",
                                     "email",     "dns",       "metrics",       "webhooks",   "events",
                                     "billing"};
  std::set<std::string> out(scopes.begin(), scopes.end());
  if (out.count("admin")) {
    out.insert("write");
    out.insert("secrets:reveal");
    out.insert("email:send");
  }
  if (out.count("write")) {
    out.insert("read");
    for (const char* r : kResources) out.insert(std::string(r) + ":write");
  }
  if (out.count("read")) {
    for (const char* r : kResources) out.insert(std::string(r) + ":read");
  }
  return {out.begin(), out.end()};
}

bool ipAllowed(const std::vector<std::string>& allowlist, const std::string& address) {
  if (allowlist.empty()) return true;
  bool v4 = false;
  auto addr = parseAddress(address, v4);
  if (!addr) return false;
  for (const std::string& entry : allowlist) {
    std::string base = entry;
    int bits = -1;
    if (auto slash = entry.find('/'); slash != std::string::npos) {
      base = entry.substr(0, slash);
      try {
        bits = std::stoi(entry.substr(slash + 1));
      } catch (const std::exception&) {
        continue;
      }
    }
    bool netV4 = false;
    auto net = parseAddress(base, netV4);
    if (!net) continue;
    int total = bits < 0 ? 128 : (netV4 ? 96 + bits : bits);
    if (total < 0 || total > 128) continue;
    bool match = true;
    for (int bit = 0; bit < total && match; ++bit) {
      int byte = bit / 8, shift = 7 - bit % 8;
      match = ((((*addr)[byte] >> shift) ^ ((*net)[byte] >> shift)) & 1) == 0;
    }
    if (match) return true;
  }
  return false;
}

namespace keys {

std::string statusAt(const std::optional<std::string>& revokedAt, const std::optional<std::string>& expiresAt,
                     bool rotated, const std::string& now) {
  if (revokedAt) return "revoked";
  if (expiresAt && *expiresAt <= now) return "expired";
  return rotated && expiresAt ? "expiring" : "active";
}

Json create(storage::Connection& c, const NewKey& key, const std::string& now) {
  const std::string secret = key.secret.value_or("sk_" + key.mode + "_" + randomToken(32));
  const std::string id = newId("key_");
  Json scopes = key.scopes, allow = key.ipAllowlist;
  auto q = c.prepare(
      "INSERT INTO api_keys (id, workspace_id, name, mode, prefix, secret_hash, scopes, ip_allowlist, created_by,"
      " expires_at, rotated_from_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
      " $12, $12)");
  q->bind_text(1, id).bind_text(2, key.workspace).bind_text(3, key.name).bind_text(4, key.mode);
  q->bind_text(5, secret.substr(0, 12)).bind_blob(6, sha256(secret)).bind_text(7, scopes.dump());
  q->bind_text(8, allow.dump()).bind_text(9, key.createdBy);
  if (key.expiresAt) q->bind_text(10, *key.expiresAt);
  else q->bind_null(10);
  if (key.rotatedFrom) q->bind_text(11, *key.rotatedFrom);
  else q->bind_null(11);
  q->bind_text(12, now);
  q->run();
  Json out = read(c, key.workspace, id, now);
  out["secret"] = secret;
  return out;
}

Json read(storage::Connection& c, const std::string& workspace, const std::string& id, const std::string& now) {
  auto q = c.prepare(std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE id = $1 AND workspace_id = $2");
  q->bind_text(1, id).bind_text(2, workspace);
  if (!q->step()) return nullptr;
  return keyJson(*q, now);
}

std::vector<Json> all(storage::Connection& c, const std::string& workspace, const std::string& now) {
  auto q = c.prepare(std::string("SELECT ") + kKeyColumns + " FROM api_keys WHERE workspace_id = $1");
  q->bind_text(1, workspace);
  std::vector<Json> out;
  while (q->step()) out.push_back(keyJson(*q, now));
  return out;
}

}  // namespace keys

std::optional<Verified> Authenticator::verify(Database& db, const std::string& bearer,
                                                const std::string& remoteAddr, std::string& why) const {
  if (bearer.rfind("sk_live_", 0) == 0 || bearer.rfind("sk_test_", 0) == 0) {
    return verifyKey(db, bearer, remoteAddr, why);
  }
  if (std::count(bearer.begin(), bearer.end(), '.') == 2) {
    return db.with([&](storage::Connection& c) { return verifyToken(c, bearer, remoteAddr, why); });
  }
  why = "The credential is neither an API key (sk_live_..., sk_test_...) nor an access token.";
  return std::nullopt;
}

std::optional<Verified> Authenticator::verifyKey(Database& db, const std::string& secret,
                                                   const std::string& remoteAddr, std::string& why) const {
  const Bytes hash = sha256(secret);
  const std::string hashText(hash.begin(), hash.end());
  std::shared_ptr<const KeyRow> row = keyCache_.find(hashText);
  if (!row) {
    const std::uint64_t generation = keyCache_.generation();
    std::optional<KeyRow> stored = db.with([&](storage::Connection& c) { return keyByHash(c, hash); });
    if (stored) {
      row = std::make_shared<const KeyRow>(std::move(*stored));
      keyCache_.put(hashText, row, generation);
    }
  }
  if (!row) {
    why = "Unknown API key.";
    return std::nullopt;
  }
  // Most keys neither expire nor are revoked: no clock text to format for those.
  const std::string status =
      row->revokedAt || row->expiresAt ? keys::statusAt(row->revokedAt, row->expiresAt, false, clock_.nowText()) : "active";
  if (status != "active") {
    why = "The API key is " + status + ".";
    return std::nullopt;
  }
  if (!ipAllowed(row->ipAllowlist, remoteAddr)) {
    why = "The API key is not allowed from " + remoteAddr + ".";
    return std::nullopt;
  }
  Credential credential;
  credential.kind = "api_key";
  credential.id = row->id;
  credential.tenant = {row->workspace, row->mode, row->id, row->createdBy};
  credential.scopes = row->scopes;
  return Verified{std::move(credential), row->impliedScopes};
}

std::string Authenticator::mint(const Credential& credential, const std::string& tokenId,
                                const std::vector<std::string>& scopes, std::int64_t expiresAtMs) const {
  Json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  Json claims = {{"jti", tokenId},
                 {"sub", credential.tenant.keyId},
                 {"ws", credential.tenant.workspace},
                 {"mode", credential.tenant.mode},
                 {"usr", credential.tenant.userId},
                 {"scope", scopes},
                 {"exp", expiresAtMs / 1000}};
  std::string signingInput = base64Url(header.dump()) + "." + base64Url(claims.dump());
  Bytes mac = hmacSha256(tokenKey_, signingInput);
  return signingInput + "." + base64Url(std::string(mac.begin(), mac.end()));
}

std::optional<Verified> Authenticator::verifyToken(storage::Connection& c, const std::string& token,
                                                     const std::string& remoteAddr, std::string& why) const {
  const std::size_t dot = token.rfind('.');
  const std::string signingInput = token.substr(0, dot);
  Bytes mac = hmacSha256(tokenKey_, signingInput);
  std::optional<std::string> signature = base64UrlDecode(token.substr(dot + 1));
  if (!signature || !constantTimeEqual(*signature, std::string(mac.begin(), mac.end()))) {
    why = "The access token's signature does not verify.";
    return std::nullopt;
  }
  std::optional<std::string> claimsText = base64UrlDecode(signingInput.substr(signingInput.find('.') + 1));
  Json claims = claimsText ? Json::parse(*claimsText, nullptr, false) : Json();
  if (!claims.is_object() || !claims["exp"].is_number_integer() || !claims["sub"].is_string()) {
    why = "The access token is malformed.";
    return std::nullopt;
  }
  if (claims["exp"].get<std::int64_t>() * 1000 <= clock_.nowMs()) {
    why = "The access token has expired.";
    return std::nullopt;
  }
  // The key it was minted from must still be valid, and the token not revoked.
  Tenant tenant{claims.value("ws", ""), claims.value("mode", ""), claims["sub"].get<std::string>(),
                claims.value("usr", "")};
  std::optional<Document> record = documents::find(c, tenant, "access_token", claims.value("jti", ""));
  if (!record || record->status.value_or("") != "active") {
    why = "The access token has been revoked.";
    return std::nullopt;
  }
  Json key = keys::read(c, tenant.workspace, tenant.keyId, clock_.nowText());
  if (!key.is_object() || (key["status"] != "active" && key["status"] != "expiring")) {
    why = "The API key this token was minted from is no longer active.";
    return std::nullopt;
  }
  std::vector<std::string> allow;
  for (const Json& a : key["ip_allowlist"]) allow.push_back(a.get<std::string>());
  if (!ipAllowed(allow, remoteAddr)) {
    why = "The API key is not allowed from " + remoteAddr + ".";
    return std::nullopt;
  }
  Credential credential;
  credential.kind = "access_token";
  credential.id = claims.value("jti", "");
  credential.tenant = tenant;
  for (const Json& s : claims["scope"]) credential.scopes.push_back(s.get<std::string>());
  std::vector<std::string> implied = impliedScopes(credential.scopes);
  return Verified{std::move(credential), std::move(implied)};
}

Tenant tenantOf(const http::Context& context) {
  auto at = [&](const char* name) {
    auto it = context.attributes.find(name);
    return it == context.attributes.end() ? std::string() : it->second;
  };
  return {at("workspace_id"), at("mode"), at("key_id"), at("user_id")};
}

void setTenant(http::Context& context, const Credential& credential) {
  context.principal = credential.id;
  context.attributes["workspace_id"] = credential.tenant.workspace;
  context.attributes["mode"] = credential.tenant.mode;
  context.attributes["key_id"] = credential.tenant.keyId;
  context.attributes["user_id"] = credential.tenant.userId;
  context.attributes["credential_kind"] = credential.kind;
}

}  // namespace tether::sandbox
