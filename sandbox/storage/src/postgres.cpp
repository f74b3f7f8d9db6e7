// The PostgreSQL back end, on libpq directly: parameters go as text (blobs as binary) and
// results come back as text, which keeps NULL and bytea handling explicit and needs no
// type OIDs. Prepared statements are cached per connection by their SQL and never
// deallocated: a server runs a fixed set of statements, and prepared statements are not
// transactional, so a rollback cannot lose one.
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <map>
#include <string>

#include "backends.h"

namespace tether::sandbox::storage::detail {
namespace {

ErrorKind kind_of(const std::string& state) {
  if (state == "23505") return ErrorKind::UniqueViolation;
  if (state == "23503") return ErrorKind::ForeignKeyViolation;
  if (state.starts_with("23")) return ErrorKind::ConstraintViolation;
  // lock_not_available, deadlock_detected, serialization_failure: retryable contention.
  if (state == "55P03" || state == "40P01" || state == "40001") return ErrorKind::Busy;
  if (state.starts_with("08")) return ErrorKind::Connection;
  return ErrorKind::Other;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// Throws unless `result` is a success; a null result means the connection failed.
void check(PGconn* conn, const Result& result, const std::string& context) {
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
  if (!result || PQstatus(conn) == CONNECTION_BAD) {
    throw Error(ErrorKind::Connection, "", PQerrorMessage(conn), context);
  }
  const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  const std::string code = state ? state : "";
  std::string message = PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY)
                            ? PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY)
                            : PQresultErrorMessage(result.get());
  throw Error(kind_of(code), code, message, context);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Prepared {
  std::string name;
  int parameters;
};

class PostgresStatement final : public Statement {
 public:
  PostgresStatement(PGconn* conn, Prepared prepared, std::string sql)
      : conn_(conn), prepared_(std::move(prepared)), sql_(std::move(sql)) {
    reset();
  }

  Statement& bind_text(int index, std::string_view value) override {
    slot(index) = Param{std::string(value), false, false};
    return *this;
  }
  Statement& bind_int(int index, std::int64_t value) override { return bind_text(index, std::to_string(value)); }
  Statement& bind_double(int index, double value) override {
    char buffer[64];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;  // shortest exact form
    return bind_text(index, std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
  }
  Statement& bind_blob(int index, const Blob& value) override {
    slot(index) = Param{std::string(value.begin(), value.end()), false, true};
    return *this;
  }
  Statement& bind_null(int index) override {
    slot(index) = Param{};
    return *this;
  }

  bool step() override {
    if (!result_) execute();
    if (row_ + 1 >= PQntuples(result_.get())) {
      row_ = PQntuples(result_.get());
      return false;
    }
    ++row_;
    return true;
  }
  std::int64_t run() override {
    if (!result_) execute();
    const char* tuples = PQcmdTuples(result_.get());
    return tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
  }
  void reset() override {
    result_.reset();
    row_ = -1;
    params_.assign(static_cast<std::size_t>(prepared_.parameters), Param{});
  }

  int column_count() const override { return result_ ? PQnfields(result_.get()) : 0; }
  bool is_null(int column) const override {
    at(column);
    return PQgetisnull(result_.get(), row_, column) != 0;
  }
  std::string text(int column) const override {
    const char* value = not_null(column, "text");
    return std::string(value, static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
  }
  std::int64_t int64(int column) const override {
    const std::string value = not_null(column, "int64");
    std::int64_t out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size()) {
      throw Error(ErrorKind::Misuse, "", "", "column " + std::to_string(column) + " is not an integer: " + value);
    }
    return out;
  }
  double real(int column) const override {
    // strtod, not from_chars: PostgreSQL spells the specials "Infinity" and "NaN".
    return std::strtod(not_null(column, "real"), nullptr);
  }
  Blob blob(int column) const override {
    // Text-format bytea is "\x" followed by hex digits (bytea_output=hex, the default
    // since 9.0; set again at connect).
    const std::string value = not_null(column, "blob");
    if (!value.starts_with("\\x") || value.size() % 2 != 0) {
      throw Error(ErrorKind::Misuse, "", "", "column " + std::to_string(column) + " is not bytea");
    }
    Blob out;
    out.reserve(value.size() / 2 - 1);
    for (std::size_t i = 2; i < value.size(); i += 2) {
      out.push_back(static_cast<std::uint8_t>(hex_value(value[i]) * 16 + hex_value(value[i + 1])));
    }
    return out;
  }

 private:
  struct Param {
    std::string value;
    bool null = true;
    bool binary = false;
  };

  Param& slot(int index) {
    if (index < 1 || index > prepared_.parameters) {
      throw Error(ErrorKind::Misuse, "", "", "parameter $" + std::to_string(index) + " out of range: " + sql_);
    }
    return params_[static_cast<std::size_t>(index - 1)];
  }
  void execute() {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const Param& p : params_) {
      values.push_back(p.null ? nullptr : p.value.data());
      lengths.push_back(static_cast<int>(p.value.size()));
      formats.push_back(p.binary ? 1 : 0);
    }
    result_.reset(PQexecPrepared(conn_, prepared_.name.c_str(), prepared_.parameters, values.data(),
                                 lengths.data(), formats.data(), 0));
    check(conn_, result_, "step: " + sql_);
  }
  void at(int column) const {
    if (!result_ || row_ < 0 || row_ >= PQntuples(result_.get())) {
      throw Error(ErrorKind::Misuse, "", "", "read without a row (call step() first)");
    }
    if (column < 0 || column >= PQnfields(result_.get())) {
      throw Error(ErrorKind::Misuse, "", "", "column " + std::to_string(column) + " out of range");
    }
  }
  const char* not_null(int column, const char* as) const {
    if (is_null(column)) {
      throw Error(ErrorKind::Misuse, "", "", "column " + std::to_string(column) + " is NULL, read as " + as);
    }
    return PQgetvalue(result_.get(), row_, column);
  }

  PGconn* conn_;
  Prepared prepared_;
  std::string sql_;
  std::vector<Param> params_;
  Result result_;
  int row_ = -1;
};

class PostgresConnection final : public Connection {
 public:
  explicit PostgresConnection(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      const std::string message = PQerrorMessage(conn_);
      PQfinish(conn_);
      // The URL may hold a password: name only the back end, not the target.
      throw Error(ErrorKind::Connection, "", message, "connect to PostgreSQL");
    }
    // NOTICEs ("relation already exists, skipping") are not errors; keep stderr quiet.
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
    try {
      execute("SET bytea_output = 'hex'; SET client_encoding = 'UTF8'");
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  ~PostgresConnection() override { PQfinish(conn_); }

  Backend backend() const override { return Backend::Postgres; }

  std::unique_ptr<Statement> prepare(std::string_view sql) override {
    std::string text(sql);
    auto found = prepared_.find(text);
    if (found == prepared_.end()) {
      const std::string name = "tether_" + std::to_string(prepared_.size() + 1);
      check(conn_, Result(PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr)), "prepare: " + text);
      Result described(PQdescribePrepared(conn_, name.c_str()));
      check(conn_, described, "describe: " + text);
      found = prepared_.emplace(text, Prepared{name, PQnparams(described.get())}).first;
    }
    return std::make_unique<PostgresStatement>(conn_, found->second, std::move(text));
  }
  void execute(std::string_view sql) override {
    const std::string text(sql);
    check(conn_, Result(PQexec(conn_, text.c_str())), "execute: " + text.substr(0, 200));
  }
  void begin() override { execute("BEGIN"); }
  void commit() override {
    // After a failed statement PostgreSQL answers COMMIT with a silent ROLLBACK; the caller
    // must learn that nothing was committed.
    if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
      execute("ROLLBACK");
      throw Error(ErrorKind::Other, "25P02", "the transaction had failed and was rolled back", "commit");
    }
    execute("COMMIT");
  }
  void rollback() override {
    if (in_transaction()) execute("ROLLBACK");
  }
  bool in_transaction() const override {
    const PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
  }

 private:
  PGconn* conn_;
  std::map<std::string, Prepared, std::less<>> prepared_;
};

}  // namespace

std::unique_ptr<Connection> open_postgres(const std::string& url, const Options&) {
  return std::make_unique<PostgresConnection>(url);
}

}  // namespace tether::sandbox::storage::detail
