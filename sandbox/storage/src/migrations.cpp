#include "tether/sandbox/migrations.h"

#include <string>

namespace tether::sandbox::storage {

namespace {

// Inside a transaction: waits until no other process is migrating this database. SQLite's
// BEGIN IMMEDIATE already holds the one write lock; PostgreSQL takes an advisory lock for
// the transaction (the key is arbitrary, fixed for the sandbox), which also covers the
// CREATE TABLE IF NOT EXISTS below: two of those at once race on the catalog and one
// fails with a unique violation instead of skipping.
void serialize(Connection& connection) {
  if (connection.backend() == Backend::Postgres) connection.execute("SELECT pg_advisory_xact_lock(7465746865720)");
}

void ensure_table(Connection& connection) {
  Transaction transaction(connection);
  serialize(connection);
  connection.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version BIGINT PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " applied_at TEXT NOT NULL)");
  transaction.commit();
}

std::int64_t current_version(Connection& connection) {
  auto query = connection.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  query->step();
  return query->int64(0);
}

}  // namespace

std::int64_t schema_version(Connection& connection) {
  ensure_table(connection);
  return current_version(connection);
}

std::vector<std::int64_t> migrate(Connection& connection, std::span<const Migration> migrations) {
  ensure_table(connection);
  const std::int64_t known = migrations.empty() ? 0 : migrations.back().version;
  std::vector<std::int64_t> applied;
  for (const Migration& migration : migrations) {
    // One transaction per migration, and the version is read again inside it: a second
    // process migrating the same database at the same time waits for the lock and then
    // sees the work done.
    Transaction transaction(connection);
    serialize(connection);
    const std::int64_t version = current_version(connection);
    if (version > known) {
      throw Error(ErrorKind::SchemaTooNew, "", "",
                  "database schema is at version " + std::to_string(version) +
                      " but this binary knows only up to " + std::to_string(known) +
                      "; refusing to use it (run a newer sandbox or restore a backup)");
    }
    if (migration.version <= version) continue;  // the destructor ends the empty transaction
    connection.execute(migration.sql);
    auto record = connection.prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)");
    record->bind_int(1, migration.version).bind_text(2, migration.name).bind_text(3, utc_now());
    record->run();
    record.reset();
    transaction.commit();
    applied.push_back(migration.version);
  }
  if (migrations.empty() && current_version(connection) > 0) {
    throw Error(ErrorKind::SchemaTooNew, "", "", "database has migrations but this binary knows none");
  }
  return applied;
}

}  // namespace tether::sandbox::storage
