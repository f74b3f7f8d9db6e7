#include "database.h"


#include "tether/sandbox/migrations.h"

namespace tether::sandbox {

namespace {
constexpr std::size_t kMaxIdle = 256;

// The units of work open on this thread, innermost first: what with() and a nested
// transact() join.
struct Unit {
  const Database* database;
  storage::Connection* connection;
  int depth;  // savepoints open inside it: names the next one
  Unit* outer;
};
thread_local Unit* innermost = nullptr;

class Joined {
 public:
  Joined(const Database& database, storage::Connection& connection)
      : unit_{&database, &connection, 0, innermost} {
    innermost = &unit_;
  }
  ~Joined() { innermost = unit_.outer; }
  Joined(const Joined&) = delete;
  Joined& operator=(const Joined&) = delete;

 private:
  Unit unit_;
};

Unit* unitOf(const Database& database) {
  for (Unit* unit = innermost; unit != nullptr; unit = unit->outer) {
    if (unit->database == &database) return unit;
  }
  return nullptr;
}
}  // namespace

Database::Database(std::string target) : target_(std::move(target)) {
  auto first = storage::Connection::open(target_);
  backend_ = first->backend();
  idle_.push_back(std::move(first));
  if (backend_ == storage::Backend::Sqlite) {
    committer_ = std::make_unique<GroupCommitter>([this] { return storage::Connection::open(target_); });
  }
}

Database::~Database() = default;

storage::Connection* Database::joinedConnection() const {
  Unit* unit = unitOf(*this);
  return unit ? unit->connection : nullptr;
}

void Database::unitOfWork(const std::function<void(storage::Connection&)>& work) {
  if (Unit* unit = unitOf(*this)) {
    // The savepoint's depth names it; it is one level deeper until it ends, either way.
    struct Deeper {
      int& depth;
      ~Deeper() { --depth; }
    } deeper{++unit->depth};
    storage::Savepoint savepoint(*unit->connection, "sp" + std::to_string(unit->depth));
    work(*unit->connection);
    savepoint.release();
    return;
  }
  if (committer_) {
    // Runs on the committer's thread, which is where the unit is joined.
    committer_->run([&](storage::Connection& c) {
      Joined joined(*this, c);
      work(c);
    });
    return;
  }
  with([&](storage::Connection& c) {
    storage::Transaction transaction(c);
    {
      Joined joined(*this, c);
      work(c);
    }
    transaction.commit();
  });
}

GroupCommitter::Stats Database::commitStats() const {
  return committer_ ? committer_->stats() : GroupCommitter::Stats{};
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
