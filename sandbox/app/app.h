// The sandbox as a whole: opens and migrates the database, makes the first workspace and
// admin key, builds the router from the generated server stubs (sandbox/handlers/ implement
// their handler interfaces) plus the operational endpoints, and serves.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "config.h"
#include "services.h"
#include "tether/http/server.h"

namespace tether::sandbox {

class Sandbox {
 public:
  explicit Sandbox(Config config);
  ~Sandbox();

  // On a database without workspaces: creates one, its owner and an admin key (the
  // configured one, or a new one) and returns the key's secret; nullopt otherwise.
  std::optional<std::string> bootstrap();

  void bind();
  int port() const { return server_->port(); }
  // Serves until stop(); in-flight requests finish.
  void serve();
  void stop();

  // The whole HTTP pipeline in-process (tests).
  http::Response dispatch(http::Request request) { return server_->dispatch(std::move(request)); }
  Services& services() { return *services_; }
  // Runs the background jobs once, now (tests; they also run every tickPeriod).
  void tick() { ticker_.tick(); }

 private:
  http::Router buildRouter();
  http::Hooks buildHooks();

  Config config_;
  Database db_;
  Clock clock_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Sealer> sealer_;
  Ticker ticker_;
  std::unique_ptr<Services> services_;
  struct Handlers;
  std::unique_ptr<Handlers> handlers_;
  std::unique_ptr<http::Server> server_;
  std::atomic<bool> ready_{false};
};

}  // namespace tether::sandbox
