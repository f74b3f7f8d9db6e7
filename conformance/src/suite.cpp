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

Step parseStep(const nlohmann::json& j, const std::string& where) {
  checkKeys(j, {"name", "operation", "request", "expect", "capture"}, where);
  Step s;
  s.name = j.contains("name") ? str(j["name"], where + ".name") : where;
  if (j.contains("operation")) s.operationId = str(j["operation"], where + ".operation");
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
  if (j.contains("expect")) {
    const auto& e = j["expect"];
    checkKeys(e, {"status", "headers", "body", "schema"}, where + ".expect");
    if (e.contains("status")) s.expect.statuses = strings(e["status"], where + ".expect.status");
    if (e.contains("headers")) {
      if (!e["headers"].is_object()) throw SuiteError(where + ".expect.headers: expected a mapping");
      for (auto it = e["headers"].begin(); it != e["headers"].end(); ++it) {
        s.expect.headers.emplace_back(it.key(), it->is_null() ? "" : str(*it, where + ".expect.headers"));
      }
    }
    if (e.contains("body")) {
      if (!e["body"].is_object()) throw SuiteError(where + ".expect.body: expected a mapping");
      for (auto it = e["body"].begin(); it != e["body"].end(); ++it) {
        if (!it.key().empty() && it.key()[0] != '/')
          throw SuiteError(where + ".expect.body: '" + it.key() + "' is not a JSON Pointer");
        s.expect.body.emplace_back(it.key(), *it);
      }
    }
    if (e.contains("schema")) {
      if (!e["schema"].is_boolean()) throw SuiteError(where + ".expect.schema: expected a boolean");
      s.expect.schema = e["schema"].get<bool>();
    }
  }
  if (j.contains("capture")) {
    if (!j["capture"].is_object()) throw SuiteError(where + ".capture: expected a mapping");
    for (auto it = j["capture"].begin(); it != j["capture"].end(); ++it) {
      std::string p = str(*it, where + ".capture");
      if (!p.empty() && p[0] != '/') throw SuiteError(where + ".capture: '" + p + "' is not a JSON Pointer");
      s.capture[it.key()] = p;
    }
  }
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
