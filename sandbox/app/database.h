// A pool of storage connections: one per concurrent user (SQLite wants a connection per
// thread; PostgreSQL connections are not thread-safe either). Opened lazily, reused, and
// dropped after a connection error so that the next request reconnects.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "ratelimit_buckets.h"
#include "tether/sandbox/storage.h"

namespace tether::sandbox {

class Database {
 public:
  explicit Database(std::string target);
  const std::string& target() const { return target_; }
  storage::Backend backend() const { return backend_; }

  // Runs `work` on a pooled connection (outside a transaction).
  template <class F>
  auto with(F&& work) {
    Lease lease(*this);
    try {
      return work(*lease.connection);
    } catch (const storage::Error& e) {
      if (e.kind() == storage::ErrorKind::Connection) lease.healthy = false;
      throw;
    }
  }
  // Runs `work` inside a transaction, committed when it returns; rolled back when it throws.
  // On SQLite, write transactions (BEGIN IMMEDIATE) run one at a time anyway; they queue
  // on a mutex here instead of in SQLite's busy handler, which polls with sleeps of up to
  // 100 ms and so, under concurrent writes, gave seconds of tail latency and timeouts
  // (bench/sandbox_load's POST). Recursive: a transaction opened inside another behaves as
  // it did before (it waits in SQLite). PostgreSQL transactions run concurrently.
  template <class F>
  auto transact(F&& work) {
    std::unique_lock<std::recursive_mutex> writer(writers_, std::defer_lock);
    if (backend_ == storage::Backend::Sqlite) writer.lock();
    return with([&](storage::Connection& c) {
      storage::Transaction tx(c);
      if constexpr (std::is_void_v<decltype(work(c))>) {
        work(c);
        tx.commit();
      } else {
        auto result = work(c);
        tx.commit();
        return result;
      }
    });
  }

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

  std::string target_;
  storage::Backend backend_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<storage::Connection>> idle_;
  MemoryBuckets buckets_;
  std::recursive_mutex writers_;  // SQLite: one write transaction at a time (transact())
};

}  // namespace tether::sandbox
