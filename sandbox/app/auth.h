// Credentials: API keys (stored only as the SHA-256 of the secret, shown once), access
// tokens (HS256 JWTs minted from a key), scopes with their implications, IP allowlists,
// and the authenticate hook that the dispatcher runs before every operation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth_cache.h"
#include "clock.h"
#include "crypto.h"
#include "database.h"
#include "documents.h"
#include "tether/http/router.h"
#include "tether/sandbox/storage.h"

namespace tether::sandbox {

struct Credential {
  Tenant tenant;
  std::vector<std::string> scopes;  // as granted, before implication
  std::string kind;                 // "api_key" or "access_token"
  std::string id;                   // the key's or the token's id
};

// A credential that verified, with every scope it implies (what the context carries).
struct Verified {
  Credential credential;
  std::vector<std::string> impliedScopes;
};

// Every scope a credential's scopes imply: admin → write + secrets:reveal; write → read and
// every <resource>:write; read → every <resource>:read (the spec's `Scope` schema).
std::vector<std::string> impliedScopes(const std::vector<std::string>& scopes);

// Whether `address` (IPv4 or IPv6 text) is inside one of the CIDR blocks or addresses.
// An empty list allows every address.
bool ipAllowed(const std::vector<std::string>& allowlist, const std::string& address);

struct NewKey {
  std::string workspace;
  std::string mode = "live";
  std::string name;
  std::vector<std::string> scopes;
  std::vector<std::string> ipAllowlist;
  std::string createdBy;
  std::optional<std::string> expiresAt;
  std::optional<std::string> rotatedFrom;
  // A given secret (the scripted admin key from the environment); else a random one.
  std::optional<std::string> secret;
};

namespace keys {

// Inserts the key; returns its row as the API shows it plus "secret" (the only time).
Json create(storage::Connection& c, const NewKey& key, const std::string& now);
// The API's view of an api_keys row (no secret), with its status derived at `now`.
Json read(storage::Connection& c, const std::string& workspace, const std::string& id, const std::string& now);
// revoked, expired, expiring (rotated, inside its overlap window) or active.
std::string statusAt(const std::optional<std::string>& revokedAt, const std::optional<std::string>& expiresAt,
                     bool rotated, const std::string& now);
// Every key of a workspace, as the API shows them.
std::vector<Json> all(storage::Connection& c, const std::string& workspace, const std::string& now);

}  // namespace keys

class Authenticator {
 public:
  Authenticator(const Clock& clock, Bytes tokenKey) : clock_(clock), tokenKey_(std::move(tokenKey)) {}

  // The credential a bearer secret stands for, or nullopt with the reason (for the 401's
  // detail: unknown, revoked, expired, address not allowed). API keys are looked up
  // through a short-lived cache (auth_cache.h); access tokens are checked in the database.
  std::optional<Verified> verify(Database& db, const std::string& bearer, const std::string& remoteAddr,
                                   std::string& why) const;

  // Forgets the cached key lookups: called when a request that may have changed a key has
  // run, so that the change holds in this process at once.
  void forgetKeys() const { keyCache_.clear(); }

  // A signed access token for `credential`, valid `ttlSeconds`, with `scopes` (a subset).
  std::string mint(const Credential& credential, const std::string& tokenId, const std::vector<std::string>& scopes,
                   std::int64_t expiresAtMs) const;

 private:
  std::optional<Verified> verifyKey(Database& db, const std::string& secret, const std::string& remoteAddr,
                                      std::string& why) const;
  std::optional<Verified> verifyToken(storage::Connection& c, const std::string& token,
                                        const std::string& remoteAddr, std::string& why) const;
  const Clock& clock_;
  Bytes tokenKey_;
  mutable KeyCache keyCache_;  // a cache: verification stays logically const
};

// Context attributes the authenticate hook sets and handlers read.
Tenant tenantOf(const http::Context& context);
void setTenant(http::Context& context, const Credential& credential);

}  // namespace tether::sandbox
