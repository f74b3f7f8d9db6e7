#include "tether/conformance/cleanup.h"

#include <algorithm>
#include <map>
#include <chrono>
#include <sstream>
#include <thread>

namespace tether::conformance {

namespace {

// "/v1/pets/1?x=2" -> "/v1/pets/1"; "http://h:1/base/pets/1" -> "/base/pets/1".
std::string pathOf(std::string target) {
  if (auto scheme = target.find("://"); scheme != std::string::npos) {
    auto slash = target.find('/', scheme + 3);
    target = slash == std::string::npos ? "/" : target.substr(slash);
  }
  auto cut = target.find_first_of("?#");
  if (cut != std::string::npos) target.resize(cut);
  return target;
}

// The values of a template's parameters in a concrete path ("/a/{x}", "/a/7" -> x=7).
std::map<std::string, std::string> pathValues(const std::string& pathTemplate, const std::string& path) {
  std::map<std::string, std::string> out;
  std::size_t t = 0, p = 0;
  while (t < pathTemplate.size() && p < path.size()) {
    if (pathTemplate[t] == '{') {
      auto close = pathTemplate.find('}', t);
      if (close == std::string::npos) break;
      auto end = path.find('/', p);
      if (end == std::string::npos) end = path.size();
      out[pathTemplate.substr(t + 1, close - t - 1)] = path.substr(p, end - p);
      t = close + 1;
      p = end;
    } else if (pathTemplate[t] == path[p]) {
      ++t, ++p;
    } else {
      break;
    }
  }
  return out;
}

}  // namespace

nlohmann::json CleanupReport::toJson() const {
  return {{"deleted", deleted}, {"alreadyGone", alreadyGone}, {"failed", failed}, {"failures", failures}};
}

std::string CleanupReport::summary() const {
  std::ostringstream out;
  out << "cleanup: " << deleted << " deleted, " << alreadyGone << " already gone, " << failed
      << " failed to delete";
  return out.str();
}

CreationTracker::CreationTracker(const Contract& contract, const std::string& baseUrl) : contract_(contract) {
  basePath_ = pathOf(baseUrl);
  while (!basePath_.empty() && basePath_.back() == '/') basePath_.pop_back();
}

std::optional<std::string> CreationTracker::itemPath(const Request& request, const Response& response) const {
  auto deletable = [&](const std::string& path) { return contract_.match("DELETE", path) != nullptr; };
  if (const std::string* location = findHeader(response.headers, "Location")) {
    std::string path = pathOf(*location);
    if (!basePath_.empty() && path.rfind(basePath_ + "/", 0) == 0) path = path.substr(basePath_.size());
    if (deletable(path)) return path;
  }
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("id") && (body["id"].is_string() || body["id"].is_number_integer())) {
    std::string id = body["id"].is_string() ? body["id"].get<std::string>() : body["id"].dump();
    std::string path = pathOf(request.target) + "/" + percentEncode(id);
    if (deletable(path)) return path;
  }
  // No Location and no item under the collection (POST /pets/1/toys makes /toys/7): an
  // OpenAPI link of the creation's response that leads to a path with a DELETE.
  if (!body.is_discarded()) {
    if (auto path = linkedPath(request, body)) return path;
  }
  return std::nullopt;
}

std::optional<std::string> CreationTracker::linkedPath(const Request& request, const nlohmann::json& body) const {
  const ir::Operation* create = contract_.match(request.method, pathOf(request.target));
  if (!create) return std::nullopt;
  const auto requestParams = pathValues(create->path, pathOf(request.target));
  for (const auto& response : create->responses) {
    if (response.status.empty() || response.status[0] != '2') continue;
    for (const auto& link : response.links) {
      const ir::Operation* target = contract_.byId(link.operationId);
      if (!target) continue;
      std::string path = target->path;
      for (const auto& [qualified, expr] : link.parameters) {
        const std::string name = qualified.substr(qualified.find('.') == std::string::npos ? 0 : qualified.find('.') + 1);
        if (!expr.is_string()) continue;
        const std::string e = expr.get<std::string>();
        std::optional<std::string> value;
        if (e.rfind("$response.body#", 0) == 0) {
          try {
            const auto& v = body.at(nlohmann::json::json_pointer(e.substr(15)));
            if (v.is_string()) value = v.get<std::string>();
            else if (v.is_number_integer()) value = v.dump();
          } catch (const std::exception&) {
          }
        } else if (e.rfind("$request.path.", 0) == 0) {
          auto it = requestParams.find(e.substr(14));
          if (it != requestParams.end()) value = it->second;
        }
        const std::string slot = "{" + name + "}";
        if (value && path.find(slot) != std::string::npos) path.replace(path.find(slot), slot.size(), percentEncode(*value));
      }
      if (path.find('{') == std::string::npos && contract_.match("DELETE", path)) return path;
    }
  }
  return std::nullopt;
}

void CreationTracker::observe(const Request& request, const Response& response) {
  const bool success = response.status >= 200 && response.status < 300;
  if (request.method == "POST" && success) {
    if (auto path = itemPath(request, response)) {
      std::lock_guard lock(mutex_);
      entries_.push_back({*path, request.token && *request.token == kSecondToken});
    }
  } else if (request.method == "DELETE" && (success || response.status == 404 || response.status == 410)) {
    const std::string path = pathOf(request.target);
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [&](const Entry& e) { return e.path == path; });
  }
}

std::vector<std::string> CreationTracker::pending() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.path);
  return out;
}

CleanupReport CreationTracker::cleanup(HttpClient& client) {
  std::vector<Entry> entries;
  {
    std::lock_guard lock(mutex_);
    entries.swap(entries_);
  }
  CleanupReport report;
  // A 409 usually means a child is still being deleted (asynchronous deletes answer 202):
  // those are tried again, newest first, after 1, 2 and 4 seconds.
  std::vector<Entry> conflicted;
  for (int pass = 0; pass < 4 && !entries.empty(); ++pass) {
    if (pass > 0) std::this_thread::sleep_for(std::chrono::seconds(1 << (pass - 1)));
    conflicted.clear();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      Request r;
      r.method = "DELETE";
      r.target = it->path;
      if (it->secondCredential) r.token = kSecondToken;
      Response res = client.send(r);
      if (res.status >= 200 && res.status < 300) {
        ++report.deleted;
      } else if (res.status == 404 || res.status == 410) {
        ++report.alreadyGone;
      } else if (res.status == 409 && pass < 3) {
        conflicted.insert(conflicted.begin(), *it);  // keeps creation order
      } else {
        ++report.failed;
        report.failures.push_back("DELETE " + it->path + ": " + (res.ok() ? std::to_string(res.status) : res.error));
      }
    }
    entries = conflicted;
  }
  return report;
}

}  // namespace tether::conformance
