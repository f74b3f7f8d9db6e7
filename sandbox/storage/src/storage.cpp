#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "backends.h"
#include "tether/sandbox/storage.h"

namespace tether::sandbox::storage {

namespace {
std::string describe(const std::string& context, const std::string& message, const std::string& code) {
  std::string text = context;
  if (!message.empty()) text += ": " + message;
  if (!code.empty()) text += " [" + code + "]";
  return text;
}
}  // namespace

Error::Error(ErrorKind kind, std::string code, std::string backend_message, std::string context)
    : std::runtime_error(describe(context, backend_message, code)),
      kind_(kind),
      code_(std::move(code)),
      backend_message_(std::move(backend_message)) {}

std::unique_ptr<Connection> Connection::open(const std::string& target, const Options& options) {
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) {
    return detail::open_postgres(target, options);
  }
  return detail::open_sqlite(target, options);
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buffer;
}

namespace {
std::atomic<std::uint64_t> next_clock_id{1};
}  // namespace

WriteClock::WriteClock() : id_(next_clock_id.fetch_add(1)) {}

std::optional<std::uint64_t> WriteClock::stamp() const {
  // A write that begins between these two loads has moved the generation already, or
  // will before it changes anything: either way the stamp is stale by the time it is
  // compared again, which is what keeps such a read out of a cache.
  if (writing_.load() > 0) return std::nullopt;
  return generation_.load();
}

// The order matters: a write counts as in flight before the generation moves, and stops
// counting only after it has moved again.
void WriteClock::begin_write() {
  writing_.fetch_add(1);
  generation_.fetch_add(1);
}

void WriteClock::end_write() {
  generation_.fetch_add(1);
  writing_.fetch_sub(1);
}

Transaction::Transaction(Connection& connection) : connection_(connection) { connection_.begin(); }

Transaction::~Transaction() {
  if (!open_) return;
  // A destructor must not throw; if the rollback itself fails the connection is broken
  // and the database discards the transaction anyway.
  try {
    connection_.rollback();
  } catch (...) {
  }
}

void Transaction::commit() {
  open_ = false;  // a failed COMMIT has ended the transaction on both back ends
  connection_.commit();
}

void Transaction::rollback() {
  open_ = false;
  connection_.rollback();
}

Savepoint::Savepoint(Connection& connection, std::string name) : connection_(connection), name_(std::move(name)) {
  connection_.execute("SAVEPOINT " + name_);
}

Savepoint::~Savepoint() {
  if (!open_) return;
  // As in ~Transaction: when this fails the transaction itself is gone (SQLite ends it on
  // some I/O errors), and whoever commits it finds out then.
  try {
    connection_.execute("ROLLBACK TO SAVEPOINT " + name_ + "; RELEASE SAVEPOINT " + name_);
  } catch (...) {
  }
}

void Savepoint::release() {
  open_ = false;
  connection_.execute("RELEASE SAVEPOINT " + name_);
}

namespace detail {

std::string dollar_to_question(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted run whole ('' and "" escape themselves)
      const std::size_t end = sql.find(c, i + 1);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const std::size_t end = sql.find('\n', i);
      const std::size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop - 1;
    } else if (c == '$' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace detail
}  // namespace tether::sandbox::storage
