#include "app.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "../handlers/registry.h"
#include "faults.h"
#include "middleware.h"
#include "tether/http/percent.h"

namespace tether::sandbox {

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string defaultKeyFile(const Config& config) {
  if (!config.keyFile.empty()) return config.keyFile;
  if (config.database.rfind("postgres", 0) == 0) return "sandbox.key";
  return config.database + ".key";
}

http::OperationInfo plain(std::string id, std::string path, std::vector<std::string> media) {
  http::OperationInfo info;
  info.operationId = std::move(id);
  info.method = "GET";
  info.pathTemplate = std::move(path);
  info.responseMediaTypes = std::move(media);
  return info;
}

// The Redoc page: the script is the one shipped with the sandbox (npm's redoc, copied into
// the build), never a CDN: the sandbox works offline.
constexpr const char* kDocsPage = R"html(<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Cloud Platform API: reference (sandbox)</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>body { margin: 0; padding: 0; }</style>
</head>
<body>
  <redoc spec-url="/openapi.json"></redoc>
  <script src="/docs/redoc.standalone.js"></script>
</body>
</html>
)html";

// The dispatcher answers an unexpected exception with a bare 500 (no internals leak to the
// client); the log line here is where an operator finds what it was.
http::Handler withErrorLog(http::Handler handler) {
  return [handler = std::move(handler)](const http::Request& request, http::Context& context) {
    try {
      return handler(request, context);
    } catch (const http::ProblemError&) {
      throw;
    } catch (const std::exception& e) {
      Json line = {{"time", Clock::format(std::chrono::system_clock::now())},
                   {"level", "error"},
                   {"msg", "unexpected exception"},
                   {"request_id", context.requestId},
                   {"operation", context.operation ? context.operation->operationId : ""},
                   {"error", e.what()}};
      std::cerr << line.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n" << std::flush;
      throw;
    }
  };
}

// Whether the collection at `collection` has routes for its items ("<collection>/{id}", any
// method: a sandbox recipient has only DELETE, and still has a URL).
bool hasItemRoute(const http::Router& router, const std::string& collection) {
  for (const http::Route& route : router.routes()) {
    const std::string& t = route.info.pathTemplate;
    if (t.size() > collection.size() + 2 && t.compare(0, collection.size(), collection) == 0 &&
        t.compare(collection.size(), 2, "/{") == 0 && t.find('/', collection.size() + 1) == std::string::npos) {
      return true;
    }
  }
  return false;
}

// Where the items a POST creates live, for its Location header, or "" when they have no
// URL. Usually the collection itself; items made under a parent live at the top
// (/v1/projects/{projectId}/environments makes /v1/environments/{id}), and an action that
// makes a new item (/v1/api-keys/{apiKeyId}/rotate) puts it beside the old one.
std::string itemCollection(const http::Router& router, const std::string& path) {
  if (hasItemRoute(router, path)) return path;
  const std::size_t last = path.rfind('/');
  const std::size_t param = last == std::string::npos || last == 0 ? std::string::npos : path.rfind('/', last - 1);
  if (param == std::string::npos || path.compare(param, 2, "/{") != 0) return "";
  const std::size_t parent = path.rfind('/', param - 1);
  if (parent == std::string::npos) return "";
  const std::string flattened = path.substr(0, parent) + path.substr(last);  // drop "/parent/{parentId}"
  if (hasItemRoute(router, flattened)) return flattened;
  const std::string beside = path.substr(0, param);  // drop "/{id}/action"
  if (hasItemRoute(router, beside)) return beside;
  return "";
}

// "/v1/workspaces/{workspaceId}/members" with the request's (still %-encoded) captures.
std::string fillTemplate(const std::string& path, const http::Request& request) {
  std::string out;
  for (std::size_t i = 0; i < path.size();) {
    const std::size_t open = path.find('{', i);
    const std::size_t close = open == std::string::npos ? open : path.find('}', open);
    if (close == std::string::npos) {
      out += path.substr(i);
      break;
    }
    const std::string* value = request.pathParam(path.substr(open + 1, close - open - 1));
    out += path.substr(i, open - i) + (value ? *value : path.substr(open, close - open + 1));
    i = close + 1;
  }
  return out;
}

// A 201 of a create says where the new item is (the spec's Location header), unless the
// handler said so itself. A created thing with no URL of its own but a `url` (a presigned
// URL) is located there.
http::Handler withLocation(std::string collection, http::Handler handler) {
  return [collection = std::move(collection), handler = std::move(handler)](const http::Request& request,
                                                                            http::Context& context) {
    http::Response response = handler(request, context);
    if (response.status != 201 || response.headers.has("Location")) return response;
    Json body = Json::parse(response.body, nullptr, false);
    if (!body.is_object()) return response;
    // Items are addressed by id, or by key (environment variables: .../variables/{key}).
    const char* name = body.contains("id") ? "id" : "key";
    if (!collection.empty() && body.contains(name) && body[name].is_string()) {
      response.headers.set("Location",
                           fillTemplate(collection, request) + "/" + http::percentEncode(body[name].get<std::string>()));
    } else if (!body.contains("id") && body.contains("url") && body["url"].is_string()) {
      response.headers.set("Location", body["url"].get<std::string>());
    }
    return response;
  };
}

}  // namespace

struct Sandbox::Handlers {
  HandlerSet set;
  Metrics metrics;
};

Sandbox::Sandbox(Config config)
    : config_(std::move(config)), db_(config_.database), clock_(config_.clockSpeed) {
  db_.migrate();
  Bytes master = loadMasterKey(defaultKeyFile(config_));
  // Separate keys per use, derived from the master key: tokens and secrets never share one.
  auto derive = [&](std::string_view label) { return hmacSha256(master, label); };
  auth_ = std::make_unique<Authenticator>(clock_, derive("access-token-signing"));
  sealer_ = std::make_unique<Sealer>(derive("secret-sealing"));
  services_ = std::make_unique<Services>(Services{config_, db_, clock_, *auth_, *sealer_, ticker_});
  handlers_ = std::make_unique<Handlers>();
  handlers_->set = makeHandlers(*services_);
  http::ServerOptions options;
  options.maxBodyBytes = config_.maxBodyBytes;
  options.maxJsonDepth = config_.maxJsonDepth;
  options.threads = config_.threads;
  options.workers = config_.workers;
  options.engine = config_.httpEngine == "httplib" ? http::Engine::Httplib : http::Engine::EventLoop;
  options.problemTypeBase = config_.problemTypeBase;
  server_ = std::make_unique<http::Server>(buildRouter(), buildHooks(), options);
  ticker_.start(std::chrono::milliseconds(config_.tickMilliseconds));
  ready_ = true;
}

Sandbox::~Sandbox() { ticker_.stop(); }

namespace {

// A workspace with its owner (a user and a membership) and an admin key: the given secret
// (scripted starts) or a new one. Returns the key's secret.
std::string createWorkspace(storage::Connection& c, const std::string& now, const std::string& name,
                            const std::string& slug, const std::string& email,
                            const std::optional<std::string>& secret) {
  const std::string workspace = newId("ws_"), user = newId("usr_");
  auto ws = c.prepare(
      "INSERT INTO workspaces (id, name, slug, plan, owner_id, created_at, updated_at)"
      " VALUES ($1, $2, $3, 'pro', $4, $5, $5)");
  ws->bind_text(1, workspace).bind_text(2, name).bind_text(3, slug).bind_text(4, user).bind_text(5, now);
  ws->run();
  Tenant owner{workspace, "live", "", user};
  const std::string userName = name + " Admin";
  Document profile;
  profile.id = user;
  profile.kind = "user";
  profile.name = userName;
  profile.createdAt = profile.updatedAt = now;
  profile.body = {{"id", user},
                  {"email", email},
                  {"name", userName},
                  {"avatar_url", nullptr},
                  {"default_workspace_id", workspace},
                  {"two_factor_enabled", false},
                  {"auth_method", "api_key"},
                  {"created_at", now},
                  {"updated_at", now}};
  documents::insert(c, owner, profile);
  Document member;
  member.id = newId("mem_");
  member.kind = "member";
  member.parent = workspace;
  member.uniqueName = user;
  member.status = "active";
  member.createdAt = member.updatedAt = now;
  member.body = {{"id", member.id},   {"workspace_id", workspace},
                 {"user_id", user},     {"email", email},
                 {"name", userName},    {"role", "owner"},
                 {"status", "active"},  {"invited_by", user},
                 {"joined_at", now},    {"created_at", now},
                 {"updated_at", now}};
  documents::insert(c, owner, member);
  NewKey key;
  key.workspace = workspace;
  key.name = name + " admin key";
  key.scopes = {"admin"};
  key.createdBy = user;
  key.secret = secret;
  if (key.secret) {
    if (key.secret->rfind("sk_live_", 0) != 0 && key.secret->rfind("sk_test_", 0) != 0) {
      throw std::runtime_error("an admin key must start with sk_live_ or sk_test_");
    }
    if (key.secret->size() < 8 + 16) throw std::runtime_error("an admin key needs at least 16 random characters");
    key.mode = key.secret->substr(3, 4);
  }
  Json created = keys::create(c, key, now);
  return created["secret"].get<std::string>();
}

}  // namespace

std::optional<std::string> Sandbox::bootstrap() {
  return db_.transact([&](storage::Connection& c) -> std::optional<std::string> {
    auto any = c.prepare("SELECT COUNT(*) FROM workspaces");
    any->step();
    if (any->int64(0) > 0) return std::nullopt;
    const std::string now = clock_.nowText();
    std::string secret = createWorkspace(c, now, "Sandbox", "sandbox", "admin@sandbox.example", config_.adminKey);
    // Another tenant, for cross-tenant (BOLA) checks: its key must see none of the first's data.
    if (config_.otherTenantKey) {
      createWorkspace(c, now, "Other tenant", "other-tenant", "admin@other-tenant.example", config_.otherTenantKey);
    }
    return secret;
  });
}

http::Router Sandbox::buildRouter() {
  http::Router generated;
  tether::server::RouteOptions routeOptions;
  routeOptions.assertFormats = config_.assertFormats;
  cloud::server::addRoutes(generated, handlers_->set.handlers, routeOptions);
  http::Router router;
  for (const http::Route& route : generated.routes()) {
    http::Handler handler = withErrorLog(route.handler);
    handler = withKeyCacheReset(*services_, route.info, std::move(handler));  // auth_cache.h
    if (route.info.method == "POST" && !isReveal(route.info)) {
      handler = withIdempotency(*services_, std::move(handler));
    }
    if (route.info.method == "POST") {
      handler = withLocation(itemCollection(generated, route.info.pathTemplate), std::move(handler));
    }
    // Outermost, so a fault changes what the client gets (and an ignored Idempotency-Key
    // is gone before the replay layer looks).
    handler = withFault(route.info, std::move(handler));
    if (showsSecrets(route.info)) {
      handler = [inner = std::move(handler)](const http::Request& request, http::Context& context) {
        http::Response response = inner(request, context);
        response.headers.set("Cache-Control", "no-store");
        return response;
      };
    }
    router.add(route.info, std::move(handler));
  }
  // Operational endpoints: anonymous, outside the API's base path.
  router.add(plain("healthz", "/healthz", {"application/json"}), [](const http::Request&, http::Context&) {
    return http::Response::json(200, R"({"status":"ok"})");
  });
  router.add(plain("readyz", "/readyz", {"application/json"}), [this](const http::Request&, http::Context&) {
    bool ok = ready_ && db_.ping();
    return http::Response::json(ok ? 200 : 503, ok ? R"({"status":"ready"})" : R"({"status":"not ready"})");
  });
  router.add(plain("metrics", "/metrics", {"text/plain"}), [this](const http::Request&, http::Context&) {
    return http::Response::json(200, handlers_->metrics.text(), "text/plain; version=0.0.4");
  });
  router.add(plain("openapi", "/openapi.json", {"application/json"}), [this](const http::Request&, http::Context&) {
    std::string spec = readFile(config_.openapiFile);
    if (spec.empty()) {
      throw http::ProblemError(http::makeProblem(404, http::code::kNotFound, "No openapi.json was configured."));
    }
    return http::Response::json(200, spec);
  });
  router.add(plain("docs", "/docs", {"text/html"}), [](const http::Request&, http::Context&) {
    return http::Response::json(200, kDocsPage, "text/html; charset=utf-8");
  });
  router.add(plain("docs-script", "/docs/redoc.standalone.js", {"application/javascript"}),
             [this](const http::Request&, http::Context&) {
               std::string script = readFile(config_.docsDir + "/redoc.standalone.js");
               if (script.empty()) {
                 throw http::ProblemError(http::makeProblem(404, http::code::kNotFound, "Redoc is not installed."));
               }
               return http::Response::json(200, script, "application/javascript");
             });
  return router;
}

http::Hooks Sandbox::buildHooks() {
  http::Hooks hooks;
  hooks.authenticate = [this](const http::Request& request, http::Context& context) {
    if (faulty(Fault::AuthIgnored) && !request.headers.has("Authorization") && config_.adminKey) {
      http::Request asAdmin = request;
      asAdmin.headers.set("Authorization", "Bearer " + *config_.adminKey);
      return authenticate(*services_, asAdmin, context);
    }
    return authenticate(*services_, request, context);
  };
  hooks.rateLimit = [this](const http::Request& request, http::Context& context, http::Response& out) {
    return rateLimit(*services_, request, context, out);
  };
  hooks.log = [this](const http::Request& request, const http::Context& context, const http::Response& response,
                     std::chrono::microseconds duration) {
    handlers_->metrics.record(context.operation ? context.operation->operationId : "unrouted", response.status,
                              static_cast<double>(duration.count()) / 1e6);
    if (config_.logRequests) logRequest(request, context, response, duration);
  };
  return hooks;
}

void Sandbox::bind() { server_->bind(config_.host, config_.port); }

void Sandbox::serve() { server_->listen(); }

void Sandbox::stop() {
  ready_ = false;
  server_->stop();
}

}  // namespace tether::sandbox
