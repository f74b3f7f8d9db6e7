// The sandbox's Database: units of work (transact) that nest as savepoints, reads inside a
// unit that see its writes, and on SQLite the group commit (group_commit.h): concurrent
// units share one durable COMMIT, and one that fails undoes only itself. Every case runs on
// SQLite (a file in a fresh temporary folder) and on PostgreSQL when
// TETHER_TEST_POSTGRES_URL is set (skipped otherwise); the batching cases are SQLite's.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../../sandbox/app/database.h"

namespace storage = tether::sandbox::storage;
using tether::sandbox::Database;
using namespace std::chrono_literals;

namespace {

const char* postgresUrl() {
  const char* url = std::getenv("TETHER_TEST_POSTGRES_URL");
  return url && *url ? url : nullptr;
}

struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class DatabaseTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == storage::Backend::Postgres) {
      const char* url = postgresUrl();
      if (!url) GTEST_SKIP() << "TETHER_TEST_POSTGRES_URL is not set; PostgreSQL cases skipped";
      schema_ = "tether_dbtest_" + std::to_string(::getpid());
      admin_ = storage::Connection::open(url);
      admin_->execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
      target_ = std::string(url) + (std::string(url).find('?') == std::string::npos ? "?" : "&") +
                "options=-csearch_path%3D" + schema_;
    } else {
      std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      std::replace(name.begin(), name.end(), '/', '-');
      dir_ = std::filesystem::temp_directory_path() / ("tether-database-" + std::to_string(::getpid()) + "-" + name);
      std::filesystem::remove_all(dir_);
      target_ = (dir_ / "sandbox.db").string();
    }
    db_ = std::make_unique<Database>(target_);
    db_->with([](storage::Connection& c) { c.execute("CREATE TABLE items (name TEXT PRIMARY KEY)"); });
  }
  void TearDown() override {
    db_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (admin_) admin_->execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }

  static void insert(storage::Connection& c, const std::string& name) {
    c.prepare("INSERT INTO items (name) VALUES ($1)")->bind_text(1, name).run();
  }
  static bool has(storage::Connection& c, const std::string& name) {
    auto q = c.prepare("SELECT count(*) FROM items WHERE name = $1");
    q->bind_text(1, name);
    return q->step() && q->int64(0) == 1;
  }
  // Through a connection of its own, outside the Database: what is committed.
  bool committed(const std::string& name) {
    auto c = storage::Connection::open(target_);
    return has(*c, name);
  }

  std::filesystem::path dir_;
  std::string schema_;
  std::unique_ptr<storage::Connection> admin_;
  std::string target_;
  std::unique_ptr<Database> db_;
};

// Runs `count` units on threads of their own while a first unit holds the committer, so
// that they all queue behind it; each unit inserts its name, and the one named `failing`
// then throws. Returns the names of the units that threw.
std::vector<std::string> queuedBehindABlocker(Database& db, int count, const std::string& failing = "") {
  std::atomic<int> started{0};
  std::thread blocker([&] {
    db.transact([&](storage::Connection& c) {
      c.prepare("INSERT INTO items (name) VALUES ('blocker')")->run();
      // Until the others have all called transact() and some more time has passed: they
      // are queued, and the next batch takes them together.
      while (started.load() < count) std::this_thread::sleep_for(1ms);
      std::this_thread::sleep_for(300ms);
    });
  });
  std::this_thread::sleep_for(50ms);  // the blocker's unit first
  std::vector<std::thread> threads;
  std::vector<std::string> threw;
  std::mutex mutex;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      const std::string name = "unit-" + std::to_string(i);
      ++started;
      try {
        db.transact([&](storage::Connection& c) {
          c.prepare("INSERT INTO items (name) VALUES ($1)")->bind_text(1, name).run();
          if (name == failing) throw Refused("refused");
        });
      } catch (const Refused&) {
        std::lock_guard lock(mutex);
        threw.push_back(name);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  blocker.join();
  return threw;
}

}  // namespace

TEST_P(DatabaseTest, AUnitIsDurableWhenTransactReturns) {
  db_->transact([](storage::Connection& c) { insert(c, "a"); });
  EXPECT_TRUE(committed("a"));
  const std::string answer = db_->transact([](storage::Connection& c) {
    insert(c, "b");
    return std::string("done");
  });
  EXPECT_EQ(answer, "done");
  EXPECT_TRUE(committed("b"));
}

TEST_P(DatabaseTest, AUnitThatThrowsWritesNothingAndItsExceptionReachesTheCaller) {
  EXPECT_THROW(db_->transact([](storage::Connection& c) {
    insert(c, "lost");
    throw Refused("no");
  }),
               Refused);
  EXPECT_FALSE(committed("lost"));
  // The database is usable afterwards.
  db_->transact([](storage::Connection& c) { insert(c, "after"); });
  EXPECT_TRUE(committed("after"));
}

TEST_P(DatabaseTest, ANestedUnitIsASavepointOfTheEnclosingOne) {
  db_->transact([&](storage::Connection& c) {
    insert(c, "outer-before");
    try {
      db_->transact([](storage::Connection& inner) {
        insert(inner, "inner");
        throw Refused("inner fails");
      });
    } catch (const Refused&) {
    }
    db_->transact([](storage::Connection& inner) { insert(inner, "inner-kept"); });
    insert(c, "outer-after");
  });
  EXPECT_TRUE(committed("outer-before"));
  EXPECT_FALSE(committed("inner"));
  EXPECT_TRUE(committed("inner-kept"));
  EXPECT_TRUE(committed("outer-after"));
}

TEST_P(DatabaseTest, AnEnclosingUnitThatThrowsUndoesItsNestedUnitsToo) {
  EXPECT_THROW(db_->transact([&](storage::Connection& c) {
    insert(c, "outer");
    db_->transact([](storage::Connection& inner) { insert(inner, "nested"); });
    throw Refused("outer fails");
  }),
               Refused);
  EXPECT_FALSE(committed("outer"));
  EXPECT_FALSE(committed("nested"));
}

TEST_P(DatabaseTest, ReadsInsideAUnitSeeItsWritesAndOthersDoNotBeforeItCommits) {
  db_->transact([&](storage::Connection& c) {
    insert(c, "pending");
    EXPECT_TRUE(db_->with([](storage::Connection& joined) { return has(joined, "pending"); }));
    EXPECT_FALSE(committed("pending"));
  });
  EXPECT_TRUE(committed("pending"));
}

TEST_P(DatabaseTest, ConcurrentUnitsShareCommits) {
  if (GetParam() != storage::Backend::Sqlite) GTEST_SKIP() << "group commit is SQLite's (PostgreSQL groups WAL flushes itself)";
  const auto before = db_->commitStats();
  EXPECT_TRUE(queuedBehindABlocker(*db_, 20).empty());
  const auto after = db_->commitStats();
  EXPECT_EQ(after.transactions - before.transactions, 21u);
  // The blocker's commit, then one for the 20 queued behind it (a third if one thread was
  // slow to queue): not 21.
  EXPECT_LE(after.commits - before.commits, 3u);
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(committed("unit-" + std::to_string(i))) << i;
}

TEST_P(DatabaseTest, AUnitThatFailsInABatchUndoesOnlyItself) {
  if (GetParam() != storage::Backend::Sqlite) GTEST_SKIP() << "group commit is SQLite's";
  const auto before = db_->commitStats();
  const std::vector<std::string> threw = queuedBehindABlocker(*db_, 10, "unit-4");
  EXPECT_EQ(threw, std::vector<std::string>{"unit-4"});
  const auto after = db_->commitStats();
  EXPECT_EQ(after.transactions - before.transactions, 10u);  // the blocker and 9 of the 10
  EXPECT_LE(after.commits - before.commits, 3u);
  EXPECT_FALSE(committed("unit-4"));
  for (int i = 0; i < 10; ++i) {
    if (i != 4) {
      EXPECT_TRUE(committed("unit-" + std::to_string(i))) << i;
    }
  }
}

TEST_P(DatabaseTest, AUniqueViolationInOneUnitLeavesTheOthersOfItsBatch) {
  // The storage error (a 409 for the handlers) reaches its caller with its kind intact.
  db_->transact([](storage::Connection& c) { insert(c, "taken"); });
  try {
    db_->transact([](storage::Connection& c) { insert(c, "taken"); });
    FAIL() << "the second insert of the same key must fail";
  } catch (const storage::Error& e) {
    EXPECT_TRUE(e.is_unique_violation()) << e.what();
  }
  db_->transact([](storage::Connection& c) { insert(c, "next"); });
  EXPECT_TRUE(committed("next"));
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTest, ::testing::Values(storage::Backend::Sqlite, storage::Backend::Postgres),
                         [](const auto& backend) { return backend.param == storage::Backend::Sqlite ? "Sqlite" : "Postgres"; });
