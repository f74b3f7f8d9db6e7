// The document cache (sandbox/app/document_cache.h) under documents::find: what a read by
// id answers must be what the database holds, whoever wrote it and however. SQLite only
// (the back end that caches); a PostgreSQL case shows nothing of it is cached.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include "app/database.h"
#include "app/document_cache.h"
#include "app/documents.h"

namespace tether::sandbox {
namespace {

class DocumentCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tether-document-cache-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    db_ = std::make_unique<Database>((dir_ / "sandbox.db").string());
    db_->migrate();
    for (const char* ws : {"ws_a", "ws_b"}) {
      db_->with([&](storage::Connection& c) {
        c.prepare("INSERT INTO workspaces (id, name, slug, owner_id, created_at, updated_at)"
                  " VALUES ($1, $1, $1, 'usr_1', 'x', 'x')")
            ->bind_text(1, ws)
            .run();
      });
    }
    Document d;
    d.id = "prj_1";
    d.kind = "project";
    d.name = "one";
    d.body = {{"id", "prj_1"}, {"name", "one"}, {"n", 0}};
    d.createdAt = d.updatedAt = "2026-01-01T00:00:00.000Z";
    db_->transact([&](storage::Connection& c) { documents::insert(c, a_, d); });
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::optional<Document> find(const Tenant& t, const std::string& id = "prj_1") {
    return db_->with([&](storage::Connection& c) { return documents::find(c, t, "project", id); });
  }
  std::string cachedKey(const Tenant& t) { return DocumentCache::key(t, "project", "prj_1"); }
  bool cached(const Tenant& t) {
    return db_->with([&](storage::Connection& c) {
      return DocumentCache::instance().find(*c.write_clock(), cachedKey(t)).has_value();
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  Tenant a_{"ws_a", "test", "", ""};
  Tenant b_{"ws_b", "test", "", ""};
};

TEST_F(DocumentCacheTest, ASecondReadIsServedFromTheCacheWithTheSameDocument) {
  const auto first = find(a_);
  ASSERT_TRUE(first);
  EXPECT_TRUE(cached(a_));
  const auto second = find(a_);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(second->name, first->name);
  EXPECT_EQ(second->updatedAt, first->updatedAt);
}

TEST_F(DocumentCacheTest, AnotherTenantIsNotServedWhatOneTenantRead) {
  ASSERT_TRUE(find(a_));
  EXPECT_FALSE(find(b_)) << "ws_b read ws_a's project";
  EXPECT_FALSE(find(Tenant{"ws_a", "live", "", ""})) << "live mode read a test-mode project";
}

TEST_F(DocumentCacheTest, AnyWriteMakesTheNextReadGoToTheDatabase) {
  ASSERT_TRUE(find(a_));
  // A raw UPDATE, as handlers and the lifecycle ticker do, outside documents::update.
  db_->with([&](storage::Connection& c) {
    c.prepare("UPDATE resources SET body = $1 WHERE id = 'prj_1'")
        ->bind_text(1, R"({"id":"prj_1","name":"one","n":1})")
        .run();
  });
  EXPECT_FALSE(cached(a_));
  auto d = find(a_);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->body["n"], 1);
  // A delete through a transaction.
  db_->transact([&](storage::Connection& c) { documents::remove(c, a_, "project", "prj_1"); });
  EXPECT_FALSE(find(a_)) << "a deleted project was still served";
}

TEST_F(DocumentCacheTest, AReadInsideATransactionSeesItsOwnWriteAndOthersSeeItOnlyAfterTheCommit) {
  ASSERT_TRUE(find(a_));  // cached
  db_->transact([&](storage::Connection& c) {
    Document d = documents::get(c, a_, "project", "prj_1");
    d.body["n"] = 7;
    documents::update(c, a_, d);
    EXPECT_EQ(documents::get(c, a_, "project", "prj_1").body["n"], 7) << "the transaction's own write";
    // A read of this unit of work joins it (Database::with on the unit's thread).
    auto joined = find(a_);
    ASSERT_TRUE(joined);
    EXPECT_EQ(joined->body["n"], 7) << "a read inside the unit sees its write";
    // Another thread meanwhile reads on a connection of its own: the committed value, from
    // the database (a write is in flight, so nothing is served from or put in the cache).
    std::optional<Document> outside;
    std::thread other([&] { outside = find(a_); });
    other.join();
    ASSERT_TRUE(outside);
    EXPECT_EQ(outside->body["n"], 0);
    EXPECT_FALSE(cached(a_));
  });
  EXPECT_EQ(find(a_)->body["n"], 7);
}

TEST_F(DocumentCacheTest, ConcurrentReadersNeverSeeAValueGoBackward) {
  std::atomic<bool> done{false};
  std::atomic<int> regressions{0};
  std::atomic<long> reads{0};
  constexpr int kWrites = 300;
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      int last = -1;
      while (!done) {
        const auto d = find(a_);
        const int n = d ? d->body["n"].get<int>() : -2;
        if (n < last) ++regressions;
        last = n;
        ++reads;
      }
      if (find(a_)->body["n"].get<int>() != kWrites) ++regressions;  // the last write is seen
    });
  }
  for (int n = 1; n <= kWrites; ++n) {
    db_->transact([&](storage::Connection& c) {
      Document d = documents::get(c, a_, "project", "prj_1");
      d.body["n"] = n;
      documents::update(c, a_, d);
    });
  }
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(regressions, 0);
  EXPECT_GT(reads, 0);
}

TEST(DocumentCachePostgres, NothingIsCached) {
  const char* url = std::getenv("TETHER_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') GTEST_SKIP() << "TETHER_TEST_POSTGRES_URL is not set";
  Database db(url);
  EXPECT_EQ(db.with([](storage::Connection& c) { return c.write_clock(); }), nullptr);
}

}  // namespace
}  // namespace tether::sandbox
