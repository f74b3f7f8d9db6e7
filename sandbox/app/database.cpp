#include "database.h"


#include "tether/sandbox/migrations.h"

namespace tether::sandbox {

namespace {
constexpr std::size_t kMaxIdle = 256;
}  // namespace

Database::Database(std::string target) : target_(std::move(target)) {
  auto first = storage::Connection::open(target_);
  backend_ = first->backend();
  idle_.push_back(std::move(first));
}

Database::Lease::Lease(Database& database) : db(database), connection(database.acquire()) {}

Database::Lease::~Lease() {
  // A connection that broke, or that a transaction left open, is not given to another
  // request: it is closed and a fresh one opened next time.
  if (healthy && !connection->in_transaction()) db.release(std::move(connection));
}

std::unique_ptr<storage::Connection> Database::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return c;
    }
  }
  return storage::Connection::open(target_);
}

void Database::release(std::unique_ptr<storage::Connection> connection) {
  std::lock_guard lock(mutex_);
  // The pool only keeps what was open at once before (one connection per concurrent
  // request), so this bound is a safety net. It must not be below the worker threads: a
  // connection closed here is reopened by the next request, and a SQLite open (WAL and
  // pragmas) costs more than the request (bench/sandbox_load: with 64 threads and a bound
  // of 32, connections were closed and reopened all through the run).
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(connection));
}

std::vector<std::int64_t> Database::migrate() {
  return with([](storage::Connection& c) { return storage::migrate(c, storage::sandbox_migrations()); });
}

bool Database::ping() {
  try {
    return with([](storage::Connection& c) {
      auto q = c.prepare("SELECT 1");
      return q->step() && q->int64(0) == 1;
    });
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace tether::sandbox
