// The sandbox's schema as migrations. Append new migrations; never edit one that has
// shipped (a database records only the version, so an edit would never reach it).
//
// Conventions, so that one text runs on SQLite and PostgreSQL:
//  - ids are TEXT with the spec's prefixes (ws_, key_, prj_, ...), made by the sandbox;
//  - timestamps are TEXT from storage::utc_now() (fixed-width RFC 3339 UTC), so they
//    compare as time;
//  - arrays and maps of the spec (scopes, ip_allowlist, labels) are TEXT holding JSON:
//    they are read and written whole, never queried inside;
//  - every tenant table carries workspace_id and mode ('live' or 'test'): data of
//    sk_live_ and sk_test_ keys is kept apart by the key of every query.
#include "tether/sandbox/migrations.h"

namespace tether::sandbox::storage {

namespace {

constexpr std::string_view initial_schema = R"sql(
CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  plan TEXT NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'business', 'enterprise')),
  owner_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- API keys: only the SHA-256 of the secret is kept (looked up by it, so it is unique);
-- prefix is the shown part (sk_live_abcd). status is derived: revoked_at set -> revoked,
-- expires_at passed -> expired, expires_at set (a rotation overlap) -> expiring.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  prefix TEXT NOT NULL,
  secret_hash BYTEA NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  ip_allowlist TEXT NOT NULL DEFAULT '[]',
  created_by TEXT,
  last_used_at TEXT,
  expires_at TEXT,
  revoked_at TEXT,
  rotated_from_id TEXT REFERENCES api_keys (id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX api_keys_by_workspace ON api_keys (workspace_id, created_at);

CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  name TEXT NOT NULL,
  description TEXT,
  owner_id TEXT,
  labels TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- Lists are newest first with a cursor on (created_at, id).
CREATE INDEX projects_by_workspace ON projects (workspace_id, mode, created_at, id);

-- Idempotency-Key records, per workspace and mode. state 'in_flight' while the first
-- request runs (a retry then answers 409), 'done' with the stored response to replay.
-- request_hash is the SHA-256 of method, path and body: the same key with another
-- request answers 422 IDEMPOTENCY_KEY_REUSED. Rows older than the retention (at least
-- 24 h) are deleted by created_at.
CREATE TABLE idempotency_keys (
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  idempotency_key TEXT NOT NULL,
  request_hash BYTEA NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  response_status INTEGER,
  response_headers TEXT,
  response_body BYTEA,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  PRIMARY KEY (workspace_id, mode, idempotency_key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
)sql";

// Every resource of the API that has no table of its own is a document: its JSON as the
// API returns it (body), with the columns queries need next to it. Two hundred operations
// over some forty resource kinds share one set of tested queries this way; the spec's
// schemas, enforced on every write, keep the documents in shape. `projects` of migration 1
// becomes a document kind.
//  - parent_id: the owning resource ('' at the top: both databases treat NULLs in a
//    unique index as distinct, so the empty string stands for "none");
//  - unique_name: set only for kinds whose names are unique among siblings (409 on reuse);
//  - status: lifecycle state, for filters and for the clock that moves lifecycles;
//  - sealed: a secret value, AES-256-GCM encrypted (nonce, ciphertext, tag), never in body.
// Events feed GET /v1/events, its SSE stream and webhook deliveries; rate_buckets hold the
// token bucket of each API key, in the database so that replicas share them.
constexpr std::string_view documents_schema = R"sql(
DROP TABLE projects;

CREATE TABLE resources (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  kind TEXT NOT NULL,
  parent_id TEXT NOT NULL DEFAULT '',
  unique_name TEXT,
  name TEXT,
  status TEXT,
  body TEXT NOT NULL,
  sealed BYTEA,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX resources_by_name ON resources (workspace_id, mode, kind, parent_id, unique_name);
CREATE INDEX resources_by_page ON resources (workspace_id, mode, kind, parent_id, created_at, id);
CREATE INDEX resources_by_status ON resources (kind, status);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX events_by_page ON events (workspace_id, mode, created_at, id);

CREATE TABLE rate_buckets (
  key_id TEXT PRIMARY KEY,
  tokens DOUBLE PRECISION NOT NULL,
  refilled_at_ms BIGINT NOT NULL
);
)sql";

constexpr Migration migrations[] = {
    {1, "workspaces, api_keys, projects, idempotency_keys", initial_schema},
    {2, "resources as documents, events, rate buckets", documents_schema},
};

}  // namespace

std::span<const Migration> sandbox_migrations() { return migrations; }

}  // namespace tether::sandbox::storage
