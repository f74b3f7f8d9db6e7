// API key rows recently looked up by their secret's hash, so that an authenticated request
// does not query api_keys each time (bench/sandbox_load: the lookup ran on every request).
//
// Freshness: an entry lives kTtl at most. Every operation that can change a key (a write
// under /v1/api-keys, /v1/workspaces, /v1/users; see changesCredentials() in
// middleware.h) clears the cache of its process when it has run, so a key revoked,
// rotated, narrowed or deleted through this process stops working here at once. Another
// replica (PostgreSQL deployments) may still accept it for up to kTtl. Only keys that were
// found are cached: a new key works at once, an unknown one is looked up each time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tether::sandbox {

// What verification needs of an api_keys row; the status is derived at use time.
struct KeyRow {
  std::string id, workspace, mode, createdBy;
  std::vector<std::string> scopes, ipAllowlist;
  std::optional<std::string> expiresAt, revokedAt;
  std::vector<std::string> impliedScopes;  // of `scopes`, worked out once per lookup
};

class KeyCache {
 public:
  static constexpr std::chrono::milliseconds kTtl{1000};

  // The row cached for `hash` (a SHA-256 of the secret), unless it is older than kTtl.
  // Shared and immutable: a hit copies no strings (this runs on every request).
  std::shared_ptr<const KeyRow> find(const std::string& hash);
  // Read before the database lookup and handed to put(): a lookup that overlapped a
  // clear() may have read the row as it was before the change, and is not cached.
  std::uint64_t generation() const;
  void put(const std::string& hash, std::shared_ptr<const KeyRow> row, std::uint64_t generationBefore);
  // Forgets every entry (a credential may have changed).
  void clear();

 private:
  struct Entry {
    std::shared_ptr<const KeyRow> row;
    std::chrono::steady_clock::time_point at;
  };
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace tether::sandbox
