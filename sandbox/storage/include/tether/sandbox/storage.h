// The storage interface of the sandbox: what the resource handlers use to read and write
// state, whichever database is underneath.
//
//  - Connection::open(target) picks the back end: a "postgresql://" or "postgres://" URL
//    selects PostgreSQL (libpq), anything else is the path of a SQLite file (created on
//    first open, with its parent folder).
//  - SQL is written once for both back ends. Placeholders are PostgreSQL's "$1", "$2", ...
//    (1-based, may repeat and appear in any order); the SQLite back end rewrites them to
//    "?1", "?2", ... which SQLite binds by number. (SQLite would also accept "$1", but as a
//    *named* parameter numbered by first appearance, so "$2 ... $1" would bind wrongly.)
//    Keep to types both accept: TEXT, BIGINT/INTEGER, DOUBLE PRECISION, BYTEA.
//  - One Connection is used by one thread at a time; open one per thread.
//  - Errors are storage::Error; kind() tells a unique violation (a 409 for the handlers)
//    from other failures, code() carries the SQLSTATE (PostgreSQL) or the extended result
//    code (SQLite).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tether::sandbox::storage {

enum class Backend { Sqlite, Postgres };

enum class ErrorKind {
  UniqueViolation,      // a UNIQUE or PRIMARY KEY constraint (SQLSTATE 23505)
  ForeignKeyViolation,  // 23503
  ConstraintViolation,  // another constraint: NOT NULL, CHECK
  Busy,                 // the database stayed locked longer than the busy timeout
  SchemaTooNew,         // the database was migrated by a newer binary
  Connection,           // cannot open or lost the connection
  Misuse,               // a bug in the caller: bad column index, wrong type read, ...
  Other,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string code, std::string backend_message, std::string context);
  ErrorKind kind() const { return kind_; }
  bool is_unique_violation() const { return kind_ == ErrorKind::UniqueViolation; }
  // The SQLSTATE for PostgreSQL ("23505"); the extended result code for SQLite, in
  // decimal ("2067" is SQLITE_CONSTRAINT_UNIQUE); empty when the error is the sandbox's own.
  const std::string& code() const { return code_; }
  // The back end's own message, verbatim.
  const std::string& backend_message() const { return backend_message_; }

 private:
  ErrorKind kind_;
  std::string code_;
  std::string backend_message_;
};

using Blob = std::vector<std::uint8_t>;

// A prepared statement. Bind parameters (1-based, as in the SQL), then either run() it or
// step() through its rows and read columns (0-based). reset() makes it reusable with new
// bindings; bindings not set again are NULL.
class Statement {
 public:
  virtual ~Statement() = default;
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  virtual Statement& bind_text(int index, std::string_view value) = 0;
  virtual Statement& bind_int(int index, std::int64_t value) = 0;
  virtual Statement& bind_double(int index, double value) = 0;
  virtual Statement& bind_blob(int index, const Blob& value) = 0;
  virtual Statement& bind_null(int index) = 0;

  // Executes on the first call; true while a row is available.
  virtual bool step() = 0;
  // Executes and discards any rows; returns the number of rows changed.
  virtual std::int64_t run() = 0;
  virtual void reset() = 0;

  virtual int column_count() const = 0;
  virtual bool is_null(int column) const = 0;
  virtual std::string text(int column) const = 0;
  virtual std::int64_t int64(int column) const = 0;
  virtual double real(int column) const = 0;
  virtual Blob blob(int column) const = 0;
  std::optional<std::string> opt_text(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::string>(text(column));
  }
  std::optional<std::int64_t> opt_int64(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
  }
};

// What this process writes to one database, for caches of its rows: a generation that
// moves when a write starts and again when it ends (committed or not), and the number of
// writes in flight. A value read while nothing was being written, and stamped with the
// generation of before the read, is still what the database holds as long as the
// generation has not moved. Only the SQLite back end keeps one (write_clock() below): its
// file belongs to this process. PostgreSQL may have writers elsewhere (replicas), so it
// has none and nothing of it may be cached.
class WriteClock {
 public:
  WriteClock();
  // Unique in the process: a cache serving several databases keys its entries by it.
  std::uint64_t id() const { return id_; }
  // The generation to stamp a read that starts now, or nullopt while a write is in flight
  // (what such a read returns may be about to change, so it must not be kept).
  std::optional<std::uint64_t> stamp() const;
  // True while nothing is written and nothing was since `generation` was stamped.
  bool unchanged(std::uint64_t generation) const { return stamp() == generation; }
  // Called by the back end around every statement that may write (and around whole
  // transactions): begin before it can change anything, end once it is over.
  void begin_write();
  void end_write();

 private:
  std::uint64_t id_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::int64_t> writing_{0};
};

struct Options {
  // SQLite: how long a writer waits for another connection's lock before Busy.
  int busy_timeout_ms = 5000;
};

class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  static std::unique_ptr<Connection> open(const std::string& target, const Options& options = {});

  virtual Backend backend() const = 0;
  virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
  // Runs a script of one or more statements without parameters (migrations, DDL).
  virtual void execute(std::string_view sql) = 0;

  // Prefer Transaction below. begin() takes the write lock at once on SQLite (BEGIN
  // IMMEDIATE): a deferred transaction that reads and then writes cannot wait for the lock
  // under WAL (it gets SQLITE_BUSY at once), so every transaction here is a writer.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual bool in_transaction() const = 0;
  // The clock of this connection's database (see WriteClock), shared by every connection
  // to the same file in this process; null when rows may not be cached (PostgreSQL).
  virtual WriteClock* write_clock() { return nullptr; }
};

// The current time as the sandbox stores it: RFC 3339 UTC with milliseconds, fixed width
// ("2026-11-23T22:51:46.123Z"), so TEXT columns of timestamps compare and sort as time on
// both back ends.
std::string utc_now();

// RAII transaction: rolls back on destruction unless commit() was called, so an exception
// between begin and commit leaves nothing half-applied.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();
  void rollback();

 private:
  Connection& connection_;
  bool open_ = true;
};

// RAII savepoint inside an open transaction: released by release(), rolled back to (and
// released) on destruction otherwise, so a nested unit of work that throws undoes its own
// writes and leaves the enclosing transaction's. Names must be unique among the savepoints
// open at once on the connection (nesting depth makes one: "sp1", "sp2", ...).
class Savepoint {
 public:
  Savepoint(Connection& connection, std::string name);
  ~Savepoint();
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  void release();

 private:
  Connection& connection_;
  std::string name_;
  bool open_ = true;
};

}  // namespace tether::sandbox::storage
