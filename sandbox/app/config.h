// The sandbox's configuration: flags, each with an environment variable of the same
// meaning (TETHER_SANDBOX_<NAME>); a flag wins over the environment.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace tether::sandbox {

struct Config {
  std::string database = "sandbox.db";  // a SQLite file, or a postgresql:// URL
  std::string host = "127.0.0.1";
  int port = 8080;
  double clockSpeed = 1.0;              // sandbox seconds per real second
  std::string keyFile;                  // master key file; default: beside the database
  std::optional<std::string> adminKey;  // the first admin key, for scripted starts
  // On first start, a second workspace (another tenant) with this admin key: what the
  // conformance runner's cross-tenant checks need (--token2).
  std::optional<std::string> otherTenantKey;
  int rateLimit = 100;                  // requests per key per window
  int rateWindowSeconds = 60;
  // "event-loop" (threads = epoll loops, any number of connections) or "httplib"
  // (threads = open connections at most); see tether/http/server.h.
  std::string httpEngine = "event-loop";
  int threads = 8;
  // event-loop only: threads that run the handlers of writes (POST, PUT, PATCH, DELETE), so
  // that many wait for the same group commit at once (group_commit.h); 0 runs every
  // handler on its loop. The number of writes one commit can carry at most.
  int workers = 64;
  std::size_t maxBodyBytes = 1 << 20;
  int maxJsonDepth = 64;
  std::string openapiFile;              // served at /openapi.json
  std::string docsDir;                  // holds redoc.standalone.js for /docs
  std::string problemTypeBase = "https://docs.cloud.example/errors/";
  bool logRequests = true;              // one JSON line per request on stderr
  // Requests must match the formats the spec declares (email, uuid, uri ...): 400/422 when
  // they do not (tether::server::RouteOptions::assertFormats); false accepts any string.
  bool assertFormats = true;
  int tickMilliseconds = 100;           // real time between runs of the background jobs
};

}  // namespace tether::sandbox
