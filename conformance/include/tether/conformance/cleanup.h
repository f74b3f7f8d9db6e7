// Deleting what a run created: every successful POST whose new resource has a DELETE in
// the spec is tracked (its Location header, else <POST path>/<body id>, else the path an
// OpenAPI link of the response leads to); a later
// successful DELETE of that path forgets it. At the end (also after Ctrl-C) what is left
// is deleted, newest first.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tether/conformance/checker.h"
#include "tether/conformance/http.h"

namespace tether::conformance {

struct CleanupReport {
  int deleted = 0;      // answered 2xx
  int alreadyGone = 0;  // answered 404 or 410 (deleted with a parent, or by the server)
  int failed = 0;
  std::vector<std::string> failures;  // "DELETE /v1/x/1: 409" or the transport error

  nlohmann::json toJson() const;
  std::string summary() const;  // one line
};

class CreationTracker {
 public:
  // `baseUrl` is where the run sends requests: its path prefix is removed from Location
  // headers before they are matched against the spec.
  CreationTracker(const Contract& contract, const std::string& baseUrl);

  // For RunOptions::onResponse (thread-safe).
  void observe(const Request& request, const Response& response);
  // Item paths still to delete, oldest first.
  std::vector<std::string> pending() const;
  // Sends one DELETE per tracked resource, newest first, with the credential that made it.
  CleanupReport cleanup(HttpClient& client);

 private:
  struct Entry {
    std::string path;
    bool secondCredential = false;
  };
  std::optional<std::string> itemPath(const Request& request, const Response& response) const;
  std::optional<std::string> linkedPath(const Request& request, const nlohmann::json& body) const;

  const Contract& contract_;
  std::string basePath_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace tether::conformance
