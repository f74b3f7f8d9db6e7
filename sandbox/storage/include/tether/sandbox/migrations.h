// Versioned migrations. Each migration runs in its own transaction together with its row
// in schema_migrations, so a migration is either fully applied and recorded or not at all.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tether/sandbox/storage.h"

namespace tether::sandbox::storage {

struct Migration {
  std::int64_t version;   // strictly increasing, never reused
  std::string_view name;
  std::string_view sql;   // accepted by both SQLite and PostgreSQL
};

// The sandbox's own schema, in order.
std::span<const Migration> sandbox_migrations();

// Applies the migrations newer than the database's version, in order; returns the versions
// applied (empty when the database is current). Throws Error(SchemaTooNew) when the
// database records a version newer than the last of `migrations`: a binary must not write
// into a schema it does not know.
std::vector<std::int64_t> migrate(Connection& connection, std::span<const Migration> migrations);

// The highest version recorded, 0 for a fresh database.
// Both functions run their own transactions: call them outside one (at start-up).
std::int64_t schema_version(Connection& connection);

}  // namespace tether::sandbox::storage
