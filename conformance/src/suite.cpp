#include "tether/conformance/suite.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tether/doc/node.h"
#include "tether/doc/readers.h"

namespace tether::conformance {

namespace {

constexpr std::size_t kMaxDepth = 64;
constexpr std::size_t kMaxSuiteBytes = 4u << 20;

nlohmann::json toJson(const doc::Node& node) {
  switch (node.kind) {
    case doc::Node::Kind::Null:
      return nullptr;
    case doc::Node::Kind::Boolean:
      return node.boolean;
    case doc::Node::Kind::Number: {
      auto j = nlohmann::json::parse(node.text, nullptr, false);
      return j.is_discarded() ? nlohmann::json(node.asDouble()) : j;
    }
    case doc::Node::Kind::String:
      return node.text;
    case doc::Node::Kind::Array: {
      nlohmann::json a = nlohmann::json::array();
      for (const doc::Node* e : node.items) a.push_back(toJson(*e));
      return a;
    }
    case doc::Node::Kind::Object: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& m : node.members) o[m.key] = toJson(*m.value);
      return o;
    }
  }
  return nullptr;
}

std::string str(const nlohmann::json& j, const std::string& where) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_integer()) return std::to_string(j.get<long long>());
  throw SuiteError(where + ": expected a string");
}

std::vector<std::string> strings(const nlohmann::json& j, const std::string& where) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) out.push_back(str(e, where));
  } else {
    out.push_back(str(j, where));
  }
  return out;
}

void checkKeys(const nlohmann::json& obj, std::initializer_list<const char*> allowed,
               const std::string& where) {
  if (!obj.is_object()) throw SuiteError(where + ": expected a mapping");
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return it.key() == k; }))
      throw SuiteError(where + ": unknown field '" + it.key() + "'");
  }
}

int integer(const nlohmann::json& j, const std::string& where, long long lo, long long hi) {
  if (!j.is_number_integer() || j.get<long long>() < lo || j.get<long long>() > hi)
    throw SuiteError(where + ": expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  return static_cast<int>(j.get<long long>());
}

std::string pointer(const nlohmann::json& j, const std::string& where) {
  std::string p = str(j, where);
  if (!p.empty() && p[0] != '/') throw SuiteError(where + ": '" + p + "' is not a JSON Pointer");
  return p;
}

// A mapping of JSON Pointer -> value (expect.body, expect.contains, webhook.match).
std::vector<std::pair<std::string, nlohmann::json>> pointerMap(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) throw SuiteError(where + ": expected a mapping");
  std::vector<std::pair<std::string, nlohmann::json>> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.key().empty() && it.key()[0] != '/')
      throw SuiteError(where + ": '" + it.key() + "' is not a JSON Pointer");
    out.emplace_back(it.key(), *it);
  }
  return out;
}

Expectation parseExpect(const nlohmann::json& e, const std::string& where) {
  checkKeys(e, {"status", "headers", "body", "schema", "contains", "excludes", "events", "check"}, where);
  Expectation x;
  // `check:` names what the step proves (idempotency, tenancy...), so its failures say so
  // instead of expected-status/-header/-body.
  if (e.contains("check")) {
    const std::string name = str(e["check"], where + ".check");
    if (name.empty()) throw SuiteError(where + ".check: expected a non-empty check name");
    x.statusCheck = x.headersCheck = x.bodyCheck = name;
  }
  if (e.contains("status")) x.statuses = strings(e["status"], where + ".status");
  if (e.contains("headers")) {
    if (!e["headers"].is_object()) throw SuiteError(where + ".headers: expected a mapping");
    for (auto it = e["headers"].begin(); it != e["headers"].end(); ++it)
      x.headers.emplace_back(it.key(), it->is_null() ? "" : str(*it, where + ".headers"));
  }
  if (e.contains("body")) x.body = pointerMap(e["body"], where + ".body");
  if (e.contains("contains")) x.contains = pointerMap(e["contains"], where + ".contains");
  if (e.contains("excludes")) x.excludes = pointerMap(e["excludes"], where + ".excludes");
  if (e.contains("schema")) {
    if (!e["schema"].is_boolean()) throw SuiteError(where + ".schema: expected a boolean");
    x.schema = e["schema"].get<bool>();
  }
  if (e.contains("events")) {
    const auto& ev = e["events"];
    checkKeys(ev, {"min", "max", "types"}, where + ".events");
    x.events = true;
    if (ev.contains("min")) x.minEvents = integer(ev["min"], where + ".events.min", 0, 1'000'000);
    if (ev.contains("max")) x.maxEvents = integer(ev["max"], where + ".events.max", 0, 1'000'000);
    if (ev.contains("types")) x.eventTypes = strings(ev["types"], where + ".events.types");
  }
  return x;
}

void parseFeatures(const nlohmann::json& j, Step& s, const std::string& where) {
  if (j.contains("retry")) {
    checkKeys(j["retry"], {"attempts", "interval_ms"}, where + ".retry");
    if (j["retry"].contains("attempts")) s.retry.attempts = integer(j["retry"]["attempts"], where + ".retry.attempts", 1, 1000);
    if (j["retry"].contains("interval_ms"))
      s.retry.intervalMs = integer(j["retry"]["interval_ms"], where + ".retry.interval_ms", 0, 600'000);
  }
  if (j.contains("repeat")) {
    checkKeys(j["repeat"], {"count", "until_status"}, where + ".repeat");
    if (!j["repeat"].contains("count")) throw SuiteError(where + ".repeat: missing 'count'");
    s.repeat.count = integer(j["repeat"]["count"], where + ".repeat.count", 1, 100'000);
    if (j["repeat"].contains("until_status"))
      s.repeat.untilStatus = integer(j["repeat"]["until_status"], where + ".repeat.until_status", 100, 599);
  }
  if (j.contains("paginate")) {
    const auto& p = j["paginate"];
    checkKeys(p, {"items", "next", "param", "key", "limit_param", "max_pages", "collect"}, where + ".paginate");
    Paginate& g = s.paginate;
    g.enabled = true;
    if (p.contains("items")) g.items = pointer(p["items"], where + ".paginate.items");
    if (p.contains("next")) g.next = pointer(p["next"], where + ".paginate.next");
    if (p.contains("key")) g.key = pointer(p["key"], where + ".paginate.key");
    if (p.contains("param")) g.param = str(p["param"], where + ".paginate.param");
    if (p.contains("limit_param")) g.limitParam = str(p["limit_param"], where + ".paginate.limit_param");
    if (p.contains("max_pages")) g.maxPages = integer(p["max_pages"], where + ".paginate.max_pages", 1, 10'000);
    if (p.contains("collect")) g.collect = str(p["collect"], where + ".paginate.collect");
  }
  if (j.contains("webhook")) {
    const auto& w = j["webhook"];
    checkKeys(w, {"within_ms", "secret", "match", "tolerance_s"}, where + ".webhook");
    s.webhook.enabled = true;
    if (w.contains("within_ms")) s.webhook.withinMs = integer(w["within_ms"], where + ".webhook.within_ms", 1, 600'000);
    if (w.contains("secret")) s.webhook.secret = str(w["secret"], where + ".webhook.secret");
    if (w.contains("match")) s.webhook.match = pointerMap(w["match"], where + ".webhook.match");
    if (w.contains("tolerance_s"))
      s.webhook.toleranceSeconds = integer(w["tolerance_s"], where + ".webhook.tolerance_s", 1, 86'400);
  }
  if (s.repeat.count > 0 && (j.contains("retry") || s.paginate.enabled))
    throw SuiteError(where + ": 'repeat' cannot be combined with 'retry' or 'paginate'");
  if (s.webhook.enabled && (j.contains("request") || s.repeat.count > 0 || s.paginate.enabled))
    throw SuiteError(where + ": a 'webhook' step sends nothing: no 'request', 'repeat' or 'paginate'");
}

Step parseStep(const nlohmann::json& j, const std::string& where) {
  checkKeys(j, {"name", "operation", "request", "expect", "capture", "retry", "repeat", "paginate", "webhook"}, where);
  Step s;
  s.name = j.contains("name") ? str(j["name"], where + ".name") : where;
  if (j.contains("operation")) s.operationId = str(j["operation"], where + ".operation");
  parseFeatures(j, s, where);
  if (!s.webhook.enabled) {
    if (!j.contains("request")) throw SuiteError(where + ": missing 'request'");
    s.request = j["request"];
    checkKeys(s.request, {"method", "path", "params", "query", "headers", "json", "body", "auth", "token"},
              where + ".request");
    if (!s.request.contains("path")) throw SuiteError(where + ".request: missing 'path'");
    str(s.request["path"], where + ".request.path");
    for (const char* k : {"params", "query", "headers"}) {
      if (s.request.contains(k) && !s.request[k].is_object())
        throw SuiteError(where + ".request." + k + ": expected a mapping");
    }
  }
  if (j.contains("expect")) s.expect = parseExpect(j["expect"], where + ".expect");
  if (j.contains("capture")) {
    if (!j["capture"].is_object()) throw SuiteError(where + ".capture: expected a mapping");
    for (auto it = j["capture"].begin(); it != j["capture"].end(); ++it) {
      std::string from = str(*it, where + ".capture");
      s.capture[it.key()] = from.rfind("header:", 0) == 0 ? from : pointer(*it, where + ".capture");
    }
  }
  if (!s.paginate.collect.empty()) s.capture[s.paginate.collect] = "/keys";
  return s;
}

std::vector<Step> parseSteps(const nlohmann::json& j, const std::string& where) {
  if (!j.is_array()) throw SuiteError(where + ": expected a list of steps");
  std::vector<Step> out;
  for (std::size_t i = 0; i < j.size(); ++i) out.push_back(parseStep(j[i], where + "[" + std::to_string(i) + "]"));
  return out;
}

std::string substituteString(const std::string& s, const std::map<std::string, nlohmann::json>& vars) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    auto open = s.find("${", i);
    if (open == std::string::npos) {
      out += s.substr(i);
      break;
    }
    auto close = s.find('}', open);
    if (close == std::string::npos) throw SuiteError("unterminated ${ in '" + s + "'");
    out += s.substr(i, open - i);
    std::string name = s.substr(open + 2, close - open - 2);
    auto it = vars.find(name);
    if (it == vars.end()) throw SuiteError("unknown variable ${" + name + "}");
    out += it->second.is_string() ? it->second.get<std::string>() : it->second.dump();
    i = close + 1;
  }
  return out;
}

std::string scalarText(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

Case parseSuite(const std::string& text, const std::string& name) {
  if (text.size() > kMaxSuiteBytes) throw SuiteError(name + ": larger than 4 MiB");
  doc::Arena arena;
  doc::ReadLimits limits;
  limits.maxDepth = kMaxDepth;
  limits.maxAliasNodes = 100'000;
  doc::ReadResult read = doc::readDocument(text, name, 0, arena, limits);
  if (read.error || !read.root) {
    std::string where = read.error ? ":" + std::to_string(read.error->location.line) + ":" +
                                         std::to_string(read.error->location.column)
                                   : "";
    throw SuiteError(name + where + ": " + (read.error ? read.error->message : "cannot read"));
  }
  nlohmann::json j = toJson(*read.root);
  try {
    checkKeys(j, {"name", "tags", "variables", "setup", "steps", "teardown"}, "suite");
    Case c;
    c.kind = "suite";
    c.name = j.contains("name") ? str(j["name"], "suite.name") : name;
    if (j.contains("tags")) c.tags = strings(j["tags"], "suite.tags");
    if (j.contains("variables")) {
      if (!j["variables"].is_object()) throw SuiteError("suite.variables: expected a mapping");
      for (auto it = j["variables"].begin(); it != j["variables"].end(); ++it) c.variables[it.key()] = *it;
    }
    if (j.contains("setup")) c.setup = parseSteps(j["setup"], "setup");
    if (!j.contains("steps")) throw SuiteError("suite: missing 'steps'");
    c.steps = parseSteps(j["steps"], "steps");
    if (j.contains("teardown")) c.teardown = parseSteps(j["teardown"], "teardown");
    return c;
  } catch (const SuiteError& e) {
    throw SuiteError(name + ": " + e.what());
  }
}

std::vector<Case> loadSuites(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Case> out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(parseSuite(ss.str(), f.string()));
  }
  return out;
}

nlohmann::json substitute(const nlohmann::json& value, const std::map<std::string, nlohmann::json>& vars) {
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.size() > 3 && s.rfind("${", 0) == 0 && s.back() == '}' && s.find('}') == s.size() - 1) {
      auto it = vars.find(s.substr(2, s.size() - 3));
      if (it == vars.end()) throw SuiteError("unknown variable " + s);
      return it->second;
    }
    return substituteString(s, vars);
  }
  if (value.is_array()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& e : value) a.push_back(substitute(e, vars));
    return a;
  }
  if (value.is_object()) {
    nlohmann::json o = nlohmann::json::object();
    for (auto it = value.begin(); it != value.end(); ++it) o[substituteString(it.key(), vars)] = substitute(*it, vars);
    return o;
  }
  return value;
}

Request buildRequest(const nlohmann::json& r) {
  if (r.contains("raw")) return Request::fromJson(r["raw"]);  // replayed from a cassette
  Request req;
  req.method = r.value("method", "GET");
  std::transform(req.method.begin(), req.method.end(), req.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string path = scalarText(r.at("path"));
  if (r.contains("params")) {
    for (auto it = r["params"].begin(); it != r["params"].end(); ++it) {
      std::string key = "{" + it.key() + "}";
      std::string val = percentEncode(scalarText(*it));
      for (auto pos = path.find(key); pos != std::string::npos; pos = path.find(key, pos + val.size()))
        path.replace(pos, key.size(), val);
    }
  }
  std::string query;
  if (r.contains("query")) {
    for (auto it = r["query"].begin(); it != r["query"].end(); ++it) {
      auto addPair = [&](const nlohmann::json& v) {
        query += (query.empty() ? "?" : "&") + percentEncode(it.key()) + "=" + percentEncode(scalarText(v));
      };
      if (it->is_array()) {
        for (const auto& v : *it) addPair(v);
      } else {
        addPair(*it);
      }
    }
  }
  req.target = path + query;
  if (r.contains("headers")) {
    for (auto it = r["headers"].begin(); it != r["headers"].end(); ++it)
      req.headers.emplace_back(it.key(), scalarText(*it));
  }
  if (r.contains("json")) {
    req.body = r["json"].dump();
    if (!findHeader(req.headers, "Content-Type")) req.headers.emplace_back("Content-Type", "application/json");
  } else if (r.contains("body")) {
    req.body = scalarText(r["body"]);
  }
  if (r.contains("auth") && r["auth"].is_boolean()) req.sendCredentials = r["auth"].get<bool>();
  if (r.contains("token") && r["token"].is_string()) req.token = r["token"].get<std::string>();
  return req;
}

bool isSafeMethod(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "TRACE";
}

}  // namespace tether::conformance
