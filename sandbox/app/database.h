// The sandbox's database: a pool of storage connections for reads, one per concurrent user
// (SQLite wants a connection per thread; PostgreSQL connections are not thread-safe
// either), opened lazily, reused, and dropped after a connection error so that the next
// request reconnects; and units of work (transact()), which nest, and which on SQLite are
// group-committed.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "group_commit.h"
#include "ratelimit_buckets.h"
#include "tether/sandbox/storage.h"

namespace tether::sandbox {

class Database {
 public:
  explicit Database(std::string target);
  ~Database();
  const std::string& target() const { return target_; }
  storage::Backend backend() const { return backend_; }

  // Runs `work` on a pooled connection (outside a transaction); inside a unit of work of
  // this thread (a transact() below it on the stack), on that unit's connection, so that it
  // reads what the unit wrote.
  template <class F>
  auto with(F&& work) {
    if (storage::Connection* joined = joinedConnection()) return work(*joined);
    Lease lease(*this);
    try {
      return work(*lease.connection);
    } catch (const storage::Error& e) {
      if (e.kind() == storage::ErrorKind::Connection) lease.healthy = false;
      throw;
    }
  }

  // Runs `work` as one unit of work, durable when this returns; when it throws, none of its
  // writes happened and the exception is rethrown.
  //  - Nested (called from inside another unit of work on this thread): a savepoint of the
  //    enclosing unit, which commits (or not) with it.
  //  - SQLite: a member of the next group commit (group_commit.h), run on the committer's
  //    thread while this one waits; what it reads and writes is the batch's connection.
  //  - PostgreSQL: a transaction of its own on a pooled connection; PostgreSQL flushes the
  //    WAL of concurrent commits together itself.
  template <class F>
  auto transact(F&& work) {
    using Result = decltype(work(std::declval<storage::Connection&>()));
    if constexpr (std::is_void_v<Result>) {
      unitOfWork([&](storage::Connection& c) { work(c); });
    } else {
      std::optional<Result> result;
      unitOfWork([&](storage::Connection& c) { result.emplace(work(c)); });
      return std::move(*result);
    }
  }

  // SQLite: the group committer's figures (transactions, and the commits that carried them).
  GroupCommitter::Stats commitStats() const;

  // The rate limiter's buckets when the database is SQLite: a local file that this one
  // process serves, so they are kept here rather than written per request (ratelimit.h).
  MemoryBuckets& memoryBuckets() { return buckets_; }

  // Applies the sandbox's migrations; returns the versions applied.
  std::vector<std::int64_t> migrate();
  // A trivial query: true when the database answers (for /readyz).
  bool ping();

 private:
  struct Lease {
    explicit Lease(Database& db);
    ~Lease();
    Database& db;
    std::unique_ptr<storage::Connection> connection;
    bool healthy = true;
  };
  std::unique_ptr<storage::Connection> acquire();
  void release(std::unique_ptr<storage::Connection> connection);
  // The connection of this thread's innermost unit of work on this database, or null.
  storage::Connection* joinedConnection() const;
  void unitOfWork(const std::function<void(storage::Connection&)>& work);

  std::string target_;
  storage::Backend backend_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<storage::Connection>> idle_;
  MemoryBuckets buckets_;
  std::unique_ptr<GroupCommitter> committer_;  // SQLite only
};

}  // namespace tether::sandbox
