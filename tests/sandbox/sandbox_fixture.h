// A sandbox in-process for tests: a fresh database (a SQLite file in a temporary folder,
// or a schema of its own on the PostgreSQL of TETHER_TEST_POSTGRES_URL), bootstrapped with
// its admin key, and the whole HTTP pipeline (routing, auth, rate limits, validation,
// idempotency, the generated stubs) through Sandbox::dispatch(), without sockets.
//
//   class ProjectsTest : public SandboxTest {};
//   TEST_P(ProjectsTest, ...) { auto r = call("POST", "/v1/projects", {{"name", "web"}}); ... }
//   TETHER_SANDBOX_BACKENDS(ProjectsTest);
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "tether/sandbox/storage.h"

namespace tether::sandbox::testing {

using Json = nlohmann::json;
using Backend = storage::Backend;

inline const char* postgresUrl() {
  const char* url = std::getenv("TETHER_TEST_POSTGRES_URL");
  return url && *url ? url : nullptr;
}

class SandboxTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '-');
    dir_ = std::filesystem::temp_directory_path() / ("tether-sandbox-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    config_.keyFile = (dir_ / "master.key").string();
    config_.logRequests = false;
    config_.clockSpeed = clockSpeed();
    config_.openapiFile = TETHER_SANDBOX_OPENAPI;
    if (GetParam() == Backend::Postgres) {
      const char* url = postgresUrl();
      if (!url) GTEST_SKIP() << "TETHER_TEST_POSTGRES_URL is not set; PostgreSQL cases skipped";
      schema_ = "tether_sbx_" + std::to_string(::getpid());
      admin_ = storage::Connection::open(url);
      admin_->execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
      config_.database = std::string(url) + (std::string(url).find('?') == std::string::npos ? "?" : "&") +
                         "options=-csearch_path%3D" + schema_;
    } else {
      config_.database = (dir_ / "sandbox.db").string();
    }
    configure(config_);
    sandbox_ = std::make_unique<Sandbox>(config_);
    key_ = sandbox_->bootstrap().value();
  }
  void TearDown() override {
    sandbox_.reset();
    if (admin_) admin_->execute("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    std::filesystem::remove_all(dir_);
  }

  // Overridable: sandbox seconds per real second (lifecycle tests speed the clock up).
  virtual double clockSpeed() const { return 1.0; }
  // Overridable: any other configuration before the sandbox starts.
  virtual void configure(Config&) {}

  // One request through the whole pipeline, with the admin key unless `key` says otherwise
  // ("" sends no Authorization).
  http::Response call(const std::string& method, const std::string& target, const std::optional<Json>& body = {},
                      std::map<std::string, std::string> headers = {}, std::optional<std::string> key = {}) {
    http::Request request;
    request.method = method;
    std::size_t q = target.find('?');
    request.path = target.substr(0, q);
    request.rawQuery = q == std::string::npos ? "" : target.substr(q + 1);
    request.query = http::Query::parse(request.rawQuery);
    request.remoteAddr = "127.0.0.1";
    std::string credential = key.value_or(key_);
    if (!credential.empty()) request.headers.set("Authorization", "Bearer " + credential);
    if (body) {
      request.body = body->dump();
      request.headers.set("Content-Type", "application/json");
    }
    for (const auto& [name, value] : headers) request.headers.set(name, value);
    return sandbox_->dispatch(std::move(request));
  }
  // A raw body (bad JSON, other media types).
  http::Response callRaw(const std::string& method, const std::string& target, const std::string& body,
                         const std::string& contentType) {
    http::Request request;
    request.method = method;
    request.path = target;
    request.remoteAddr = "127.0.0.1";
    request.headers.set("Authorization", "Bearer " + key_);
    request.headers.set("Content-Type", contentType);
    request.body = body;
    return sandbox_->dispatch(std::move(request));
  }

  static Json json(const http::Response& r) { return Json::parse(r.body, nullptr, false); }

  // Creates a key with `scopes` (and `mode`) through the API; returns its secret.
  std::string keyWith(const std::vector<std::string>& scopes, const std::string& mode = "live") {
    http::Response r = call("POST", "/v1/api-keys", Json{{"name", "test key"}, {"scopes", scopes}, {"mode", mode}});
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r).value("secret", "");
  }

  Config config_;
  std::unique_ptr<Sandbox> sandbox_;
  std::string key_;  // the bootstrap admin key (sk_live_, scope admin)

 private:
  std::filesystem::path dir_;
  std::string schema_;
  std::unique_ptr<storage::Connection> admin_;
};

}  // namespace tether::sandbox::testing

// Runs every TEST_P of the fixture on SQLite and on PostgreSQL.
#define TETHER_SANDBOX_BACKENDS(Fixture)                                                                   \
  INSTANTIATE_TEST_SUITE_P(Backends, Fixture,                                                              \
                           ::testing::Values(::tether::sandbox::storage::Backend::Sqlite,                  \
                                             ::tether::sandbox::storage::Backend::Postgres),               \
                           [](const ::testing::TestParamInfo<::tether::sandbox::storage::Backend>& backend) { \
                             return backend.param == ::tether::sandbox::storage::Backend::Sqlite ? "Sqlite"   \
                                                                                              : "Postgres"; \
                           })
