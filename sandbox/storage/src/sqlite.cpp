// The SQLite back end: one file, WAL mode, one connection per thread.
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "backends.h"

namespace tether::sandbox::storage::detail {
namespace {

ErrorKind kind_of(int code) {
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return ErrorKind::UniqueViolation;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ErrorKind::ForeignKeyViolation;
    default:
      break;
  }
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return ErrorKind::ConstraintViolation;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::Busy;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
      return ErrorKind::Connection;
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return ErrorKind::Misuse;
    default:
      return ErrorKind::Other;
  }
}

[[noreturn]] void fail(sqlite3* db, int code, const std::string& context) {
  throw Error(kind_of(code), std::to_string(code), db ? sqlite3_errmsg(db) : sqlite3_errstr(code), context);
}

// Prepared statements kept for reuse, keyed by the caller's SQL text (before the "$N"
// rewrite, so a hit skips that too). Compiling is most of the cost of a short query (a
// GET spent more time in sqlite3_prepare_v2 than in running its SELECTs), and a server
// runs the same few statements over and over. A statement is *taken out* while a
// Statement wrapper uses it and given back when the wrapper dies, so one sqlite3_stmt is
// never shared by two wrappers: a caller holding two statements of the same SQL gets a
// second, freshly compiled one. Bounded (least recently returned goes first) so SQL built
// with varying text cannot grow it without limit. Schema changes need nothing here:
// sqlite3_prepare_v2 statements recompile themselves when the schema they were compiled
// against changes. Owned by the connection through a shared_ptr; wrappers hold a weak_ptr,
// so a wrapper that outlives its connection finalizes its statement instead of giving it
// back to a cache that is gone.
class StatementCache {
 public:
  static constexpr std::size_t kCapacity = 64;

  ~StatementCache() { clear(); }

  // The cached statement for `sql`, now owned by the caller; null when there is none.
  // A hit allocates nothing: the slot stays, emptied, for give_back() to refill.
  sqlite3_stmt* take(std::string_view sql) {
    const auto found = slots_.find(sql);
    if (found == slots_.end()) return nullptr;
    return std::exchange(found->second.idle, nullptr);
  }

  // Takes ownership of `stmt` back. It is reset first: a statement stepped but not run to
  // the end keeps its read transaction (and WAL snapshot) open until reset, and its
  // bindings would leak into the next user.
  void give_back(std::string sql, sqlite3_stmt* stmt) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    const auto found = slots_.find(std::string_view(sql));
    if (found != slots_.end()) {
      if (found->second.idle != nullptr) {  // a second copy, from a caller that held two at once
        sqlite3_finalize(stmt);
        return;
      }
      found->second.idle = stmt;
      found->second.lastReturn = ++clock_;
      return;
    }
    if (slots_.size() >= kCapacity) evictLeastRecent();
    slots_.emplace(std::move(sql), Slot{stmt, ++clock_});
  }

  // Finalizes every cached statement; the connection calls this before it closes.
  void clear() {
    for (auto& [sql, slot] : slots_) sqlite3_finalize(slot.idle);  // finalize(nullptr) is a no-op
    slots_.clear();
  }

 private:
  struct Slot {
    sqlite3_stmt* idle = nullptr;  // null while a wrapper has it out
    std::uint64_t lastReturn = 0;
  };
  // Hashes std::string and std::string_view alike, so take() looks up without a copy.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  // Drops the slot given back longest ago (a linear scan: it runs only when SQL text varies).
  void evictLeastRecent() {
    auto oldest = slots_.begin();
    for (auto it = slots_.begin(); it != slots_.end(); ++it) {
      if (it->second.lastReturn < oldest->second.lastReturn) oldest = it;
    }
    sqlite3_finalize(oldest->second.idle);
    slots_.erase(oldest);
  }

  std::unordered_map<std::string, Slot, Hash, std::equal_to<>> slots_;
  std::uint64_t clock_ = 0;
};

// Compiles one statement; throws (leaking nothing) on an error or on trailing statements.
sqlite3_stmt* compile(sqlite3* db, std::string_view sql) {
  const std::string text = dollar_to_question(sql);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v2(db, text.c_str(), static_cast<int>(text.size() + 1), &stmt, &tail);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    fail(db, sqlite3_extended_errcode(db), "prepare: " + text);
  }
  if (tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    sqlite3_finalize(stmt);
    throw Error(ErrorKind::Misuse, "", "", "prepare: more than one statement (use execute): " + text);
  }
  return stmt;
}

// Whether running `stmt` may change the database, for the WriteClock. SQLite calls BEGIN,
// COMMIT, ROLLBACK and SAVEPOINT read-only (they write nothing themselves), but a COMMIT
// is where a transaction's writes appear; so only a read-only SELECT or WITH reads.
bool may_write(sqlite3_stmt* stmt, std::string_view sql) {
  if (!sqlite3_stmt_readonly(stmt)) return true;
  const std::size_t start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos) return true;
  const auto starts_with_word = [&](std::string_view word) {
    if (sql.size() - start < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(sql[start + i])) != word[i]) return false;
    }
    const std::size_t after = start + word.size();
    return after == sql.size() || !std::isalnum(static_cast<unsigned char>(sql[after]));
  };
  return !starts_with_word("SELECT") && !starts_with_word("WITH");
}

// One database file's WriteClock, shared by every connection to it in this process (found
// by the file's canonical path). In-memory databases need none: they cannot be in WAL
// mode, so configure() refuses them.
std::shared_ptr<WriteClock> clock_for(const std::string& path) {
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) key = std::filesystem::absolute(path).lexically_normal().string();
  static std::mutex mutex;
  static std::unordered_map<std::string, std::weak_ptr<WriteClock>> clocks;
  std::lock_guard lock(mutex);
  if (auto clock = clocks[key].lock()) return clock;
  std::erase_if(clocks, [](const auto& entry) { return entry.second.expired(); });
  auto clock = std::make_shared<WriteClock>();
  clocks[key] = clock;
  return clock;
}

class SqliteStatement final : public Statement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, std::string sql, std::weak_ptr<StatementCache> cache,
                  std::shared_ptr<WriteClock> clock)
      : db_(db),
        stmt_(stmt),
        sql_(std::move(sql)),
        cache_(std::move(cache)),
        clock_(std::move(clock)),
        may_write_(may_write(stmt_, sql_)) {}
  ~SqliteStatement() override {
    if (const auto cache = cache_.lock()) {
      cache->give_back(std::move(sql_), stmt_);
    } else {
      sqlite3_finalize(stmt_);
    }
    end_write();  // after the reset in give_back(): an autocommit write may end only there
  }

  Statement& bind_text(int index, std::string_view value) override {
    // An empty view may have a null data(), which SQLite would bind as NULL, not as ''.
    const char* data = value.empty() ? "" : value.data();
    return check_bind(sqlite3_bind_text64(stmt_, index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  Statement& bind_int(int index, std::int64_t value) override {
    return check_bind(sqlite3_bind_int64(stmt_, index, value));
  }
  Statement& bind_double(int index, double value) override {
    return check_bind(sqlite3_bind_double(stmt_, index, value));
  }
  Statement& bind_blob(int index, const Blob& value) override {
    // A zero-length blob must stay a blob, not become NULL: bind_zeroblob for it.
    if (value.empty()) return check_bind(sqlite3_bind_zeroblob(stmt_, index, 0));
    return check_bind(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT));
  }
  Statement& bind_null(int index) override { return check_bind(sqlite3_bind_null(stmt_, index)); }

  bool step() override {
    if (done_) return false;
    if (may_write_ && !writing_) {
      clock_->begin_write();
      writing_ = true;
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return has_row_ = true;
    has_row_ = false;
    done_ = true;
    if (rc == SQLITE_DONE) return false;
    const int code = sqlite3_extended_errcode(db_);
    const std::string message = sqlite3_errmsg(db_);
    sqlite3_reset(stmt_);
    throw Error(kind_of(code), std::to_string(code), message, std::string("step: ") + sqlite3_sql(stmt_));
  }

  std::int64_t run() override {
    while (step()) {
    }
    return sqlite3_changes64(db_);
  }

  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    has_row_ = done_ = false;
    end_write();
  }

  int column_count() const override { return sqlite3_column_count(stmt_); }
  bool is_null(int column) const override { return type(column) == SQLITE_NULL; }
  std::string text(int column) const override {
    not_null(column, "text");
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::int64_t int64(int column) const override {
    not_null(column, "int64");
    return sqlite3_column_int64(stmt_, column);
  }
  double real(int column) const override {
    not_null(column, "real");
    return sqlite3_column_double(stmt_, column);
  }
  Blob blob(int column) const override {
    not_null(column, "blob");
    const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
    return Blob(p, p + sqlite3_column_bytes(stmt_, column));
  }

 private:
  void end_write() {
    if (!writing_) return;
    writing_ = false;
    clock_->end_write();
  }
  Statement& check_bind(int rc) {
    if (rc != SQLITE_OK) fail(db_, rc, std::string("bind: ") + sqlite3_sql(stmt_));
    return *this;
  }
  int type(int column) const {
    if (!has_row_) throw Error(ErrorKind::Misuse, "", "", "read without a row (call step() first)");
    if (column < 0 || column >= column_count()) {
      throw Error(ErrorKind::Misuse, "", "", "column " + std::to_string(column) + " out of range");
    }
    return sqlite3_column_type(stmt_, column);
  }
  void not_null(int column, const char* as) const {
    if (type(column) == SQLITE_NULL) {
      throw Error(ErrorKind::Misuse, "", "", "column " + std::to_string(column) + " is NULL, read as " + as);
    }
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;  // the cache key, as the caller wrote it
  std::weak_ptr<StatementCache> cache_;
  std::shared_ptr<WriteClock> clock_;
  bool may_write_;
  bool writing_ = false;  // between the first step of a statement that may write and its reset
  bool has_row_ = false;
  bool done_ = false;
};

// Process-wide settings, made once before SQLite initializes itself (it refuses them
// afterwards, with SQLITE_MISUSE, which leaves its defaults: slower, not wrong).
// MEMSTATUS off: with it on, every sqlite3_malloc and sqlite3_free takes one global mutex
// to keep statistics nothing here reads, and the server's threads queued on it (a profile
// of authenticated GETs found most of their futex waits there).
void configureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(const std::string& path, const Options& options) {
    configureSqliteOnce();
    const std::filesystem::path file(path);
    if (file.has_parent_path()) {
      std::error_code ec;
      std::filesystem::create_directories(file.parent_path(), ec);
      if (ec) throw Error(ErrorKind::Connection, "", ec.message(), "create folder " + file.parent_path().string());
    }
    // NOMUTEX: a connection belongs to one thread at a time (see storage.h), so SQLite's
    // per-connection mutex would be pure cost.
    const int rc = sqlite3_open_v2(path.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      throw Error(ErrorKind::Connection, std::to_string(rc), message, "open " + path);
    }
    clock_ = clock_for(path);
    try {
      configure(path, options);
    } catch (...) {
      cache_->clear();
      sqlite3_close_v2(db_);  // the destructor does not run for a throwing constructor
      throw;
    }
  }
  ~SqliteConnection() override {
    // Cached statements are finalized before the close; dropping the cache makes wrappers
    // still alive finalize theirs instead of giving them back. close_v2: such statements
    // keep the handle as a zombie until they are finalized, instead of leaking it.
    cache_.reset();
    sqlite3_close_v2(db_);  // rolls back a transaction left open
    if (in_write_transaction_) clock_->end_write();
  }

  Backend backend() const override { return Backend::Sqlite; }
  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = cache_->take(sql);
    if (!stmt) stmt = compile(db_, sql);
    return std::make_unique<SqliteStatement>(db_, stmt, std::string(sql), cache_, clock_);
  }
  void execute(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    // Scripts are migrations, pragmas and transaction control: all counted as writes.
    clock_->begin_write();
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    clock_->end_write();
    if (rc != SQLITE_OK) {
      const std::string what = message ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      const int code = sqlite3_extended_errcode(db_);
      throw Error(kind_of(code), std::to_string(code), what, "execute: " + text.substr(0, 200));
    }
  }
  // A transaction is one write for the WriteClock, from before BEGIN until it has ended:
  // its changes appear at COMMIT, after its statements have ended theirs.
  void begin() override {
    clock_->begin_write();
    try {
      execute("BEGIN IMMEDIATE");
    } catch (...) {
      clock_->end_write();
      throw;
    }
    in_write_transaction_ = true;
  }
  void commit() override {
    try {
      execute("COMMIT");
    } catch (...) {
      // A failed COMMIT can leave SQLite's transaction open; end it so the connection is
      // usable and nothing of it is applied later by accident.
      if (in_transaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      transaction_ended();
      throw;
    }
    transaction_ended();
  }
  void rollback() override {
    try {
      if (in_transaction()) execute("ROLLBACK");
    } catch (...) {
      transaction_ended();
      throw;
    }
    transaction_ended();
  }
  bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }
  WriteClock* write_clock() override { return clock_.get(); }

 private:
  void configure(const std::string& path, const Options& options) {
    sqlite3_extended_result_codes(db_, 1);
    // Set before the pragmas: switching to WAL needs a lock another connection may hold.
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    // WAL: readers never block the writer and the writer never blocks readers, which is
    // what a server with one connection per worker thread needs.
    // Switching a new file to WAL takes an exclusive lock for a moment, and SQLite answers
    // BUSY at once, without calling the busy handler, while another connection holds it
    // (two replicas or threads opening a fresh file together): retry until the timeout.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    for (;;) {
      try {
        auto mode = prepare("PRAGMA journal_mode=WAL");
        if (!mode->step() || mode->text(0) != "wal") {
          throw Error(ErrorKind::Connection, "", "journal_mode is not wal", "open " + path);
        }
        break;
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::Busy || std::chrono::steady_clock::now() >= deadline) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    // synchronous=FULL, not NORMAL: with NORMAL a WAL commit is not fsynced, so a write the
    // sandbox has already acknowledged (answered 201) survives a crash of the process but
    // can be lost on power failure or an OS crash. The sandbox promises that every
    // acknowledged write is there after a restart, so each commit pays one fsync.
    // foreign_keys is off by default in SQLite; PostgreSQL always enforces them, and both
    // back ends must behave alike.
    // temp_store=MEMORY: a savepoint keeps the pages it changes in a sub-journal, a
    // temporary file by default; the group commit (sandbox/app/group_commit.h) opens one
    // savepoint per unit of work, and those files took most of its writes (bench/
    // sandbox_load's POST: more pwrite calls to /var/tmp/etilqs_* than to the WAL).
    // mmap_size: pages are read from a shared memory map of the file instead of a pread()
    // each into every connection's own cache (the group commit's profile showed its thread
    // in pread for pages the kernel already held).
    execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456;");
  }

  // Ends the transaction's write on the clock once SQLite has no transaction open (one
  // that could not be ended stays counted: its rows must not be cached meanwhile).
  void transaction_ended() {
    if (in_write_transaction_ && !in_transaction()) {
      in_write_transaction_ = false;
      clock_->end_write();
    }
  }

  sqlite3* db_ = nullptr;
  std::shared_ptr<StatementCache> cache_ = std::make_shared<StatementCache>();
  std::shared_ptr<WriteClock> clock_;
  bool in_write_transaction_ = false;
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, const Options& options) {
  return std::make_unique<SqliteConnection>(path, options);
}

}  // namespace tether::sandbox::storage::detail
