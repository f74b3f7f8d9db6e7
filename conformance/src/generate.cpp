#include "tether/conformance/generate.h"

#include <algorithm>
#include <cctype>
#include <random>

#include "generate_internal.h"
#include "generate_resolver.h"

namespace tether::conformance {

using detail::OJson;

namespace {

class Sampler {
 public:
  explicit Sampler(const Contract& contract) : contract_(contract) {}

  nlohmann::json sample(const OJson& s, int depth) const {
    if (depth > 12 || !s.is_object()) return nullptr;
    if (s.contains("examples") && s["examples"].is_array() && !s["examples"].empty())
      return nlohmann::json(s["examples"][0]);
    if (s.contains("example")) return nlohmann::json(s["example"]);
    if (s.contains("const")) return nlohmann::json(s["const"]);
    if (s.contains("default")) return nlohmann::json(s["default"]);
    if (s.contains("enum") && s["enum"].is_array() && !s["enum"].empty()) return nlohmann::json(s["enum"][0]);
    if (s.contains("$ref") && s["$ref"].is_string()) {
      const std::string ref = s["$ref"].get<std::string>();
      const std::string prefix = "#/components/schemas/";
      if (ref.rfind(prefix, 0) == 0) {
        std::string name = ref.substr(prefix.size());
        for (const auto& t : contract_.api().types) {
          if (t.named && t.name == name) return sample(t.schema, depth + 1);
        }
      }
      return nullptr;
    }
    if (s.contains("allOf") && s["allOf"].is_array()) {
      nlohmann::json merged = nlohmann::json::object();
      for (const auto& part : s["allOf"]) {
        auto v = sample(part, depth + 1);
        if (v.is_object()) merged.update(v);
      }
      if (s.contains("properties")) merged.update(sampleObject(s, depth));
      return merged;
    }
    for (const char* k : {"oneOf", "anyOf"}) {
      if (s.contains(k) && s[k].is_array() && !s[k].empty()) return sample(s[k][0], depth + 1);
    }
    std::string type = typeOf(s);
    if (type == "object") return sampleObject(s, depth);
    if (type == "array") {
      nlohmann::json a = nlohmann::json::array();
      if (s.contains("items")) a.push_back(sample(s["items"], depth + 1));
      return a;
    }
    if (type == "integer" || type == "number") {
      double v = 1;
      if (s.contains("minimum") && s["minimum"].is_number()) v = std::max(v, s["minimum"].get<double>());
      if (s.contains("exclusiveMinimum") && s["exclusiveMinimum"].is_number())
        v = std::max(v, s["exclusiveMinimum"].get<double>() + 1);
      if (s.contains("maximum") && s["maximum"].is_number()) v = std::min(v, s["maximum"].get<double>());
      if (type == "integer") return static_cast<long long>(v);
      return v;
    }
    if (type == "boolean") return true;
    if (type == "null") return nullptr;
    if (type == "string") {
      std::string format = s.value("format", "");
      if (format == "date-time") return "2024-01-01T00:00:00Z";
      if (format == "date") return "2024-01-01";
      if (format == "email") return "probe@example.com";
      if (format == "uuid") return "00000000-0000-4000-8000-000000000000";
      if (format == "uri" || format == "url") return "https://example.com/";
      std::string v = "tether";
      std::size_t minLength = s.value("minLength", 0u);
      std::size_t maxLength = s.value("maxLength", 1000u);
      while (v.size() < minLength) v += "x";
      if (v.size() > maxLength) v.resize(maxLength);
      return v;
    }
    return nullptr;
  }

  static std::string typeOf(const OJson& s) {
    if (!s.contains("type")) {
      if (s.contains("properties")) return "object";
      if (s.contains("items")) return "array";
      return "";
    }
    if (s["type"].is_string()) return s["type"].get<std::string>();
    if (s["type"].is_array()) {
      for (const auto& t : s["type"]) {
        if (t.is_string() && t != "null") return t.get<std::string>();
      }
    }
    return "";
  }

  // Resolves a $ref to the referenced schema (one level).
  const OJson& resolve(const OJson& s) const {
    if (s.is_object() && s.contains("$ref") && s["$ref"].is_string()) {
      const std::string ref = s["$ref"].get<std::string>();
      const std::string prefix = "#/components/schemas/";
      if (ref.rfind(prefix, 0) == 0) {
        for (const auto& t : contract_.api().types) {
          if (t.named && t.name == ref.substr(prefix.size())) return t.schema;
        }
      }
    }
    return s;
  }

 private:
  nlohmann::json sampleObject(const OJson& s, int depth) const {
    nlohmann::json o = nlohmann::json::object();
    if (!s.contains("properties") || !s["properties"].is_object()) return o;
    for (auto it = s["properties"].begin(); it != s["properties"].end(); ++it) {
      const OJson& p = resolve(*it);
      if (p.is_object() && p.value("readOnly", false)) continue;
      o[it.key()] = sample(*it, depth + 1);
    }
    return o;
  }

  const Contract& contract_;
};

nlohmann::json wrongTypeFor(const std::string& type) {
  if (type == "string") return 12345;
  if (type == "integer" || type == "number") return "tether-not-a-number";
  if (type == "boolean") return "tether-not-a-boolean";
  if (type == "array") return "tether-not-an-array";
  return 12345;  // object and anything else
}

}  // namespace

namespace detail {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

bool needsAuth(const ir::Operation& op) {
  if (op.effectiveSecurity.empty()) return false;
  return std::none_of(op.effectiveSecurity.begin(), op.effectiveSecurity.end(),
                      [](const ir::SecurityRequirement& r) { return r.schemes.empty(); });
}

const ir::MediaType* jsonBody(const ir::Operation& op) {
  if (!op.requestBody) return nullptr;
  for (const auto& c : op.requestBody->contents) {
    if (c.mediaType == "application/json" ||
        (c.mediaType.size() > 5 && c.mediaType.compare(c.mediaType.size() - 5, 5, "+json") == 0))
      return &c;
  }
  return nullptr;
}

const OJson& resolvedSchema(const Contract& contract, ir::TypeId type) {
  return Sampler(contract).resolve(contract.api().type(type).schema);
}

std::string schemaType(const OJson& schema) { return Sampler::typeOf(schema); }

nlohmann::json baseRequest(const Contract& contract, const ir::Operation& op) {
  nlohmann::json r = {{"method", upper(op.method)}, {"path", op.path}};
  r["params"] = nlohmann::json::object();
  r["query"] = nlohmann::json::object();
  r["headers"] = nlohmann::json::object();
  for (const auto& p : op.parameters) {
    nlohmann::json v = !p.examples.empty() ? nlohmann::json(p.examples.front()) : sampleValue(contract, p.type);
    if (p.in == ir::ParameterLocation::Path) r["params"][p.name] = v;
    else if (p.in == ir::ParameterLocation::Query && p.required) r["query"][p.name] = v;
    else if (p.in == ir::ParameterLocation::Header && p.required) r["headers"][p.name] = v.is_string() ? v : nlohmann::json(v.dump());
  }
  if (const ir::MediaType* body = jsonBody(op)) {
    nlohmann::json value = body->examples.empty() ? sampleValue(contract, body->type)
                                                  : nlohmann::json(body->examples.begin()->second);
    r["json"] = value;
    if (body->mediaType != "application/json") r["headers"]["Content-Type"] = body->mediaType;
  }
  return r;
}

Case singleStepCase(const std::string& kind, const ir::Operation& op, const std::string& what,
                    nlohmann::json request, Expectation expect) {
  Case c;
  c.kind = kind;
  c.name = kind + ": " + operationName(op) + (what.empty() ? "" : " (" + what + ")");
  c.tags = op.tags;
  Step s;
  s.name = c.name;
  s.operationId = op.operationId;
  s.request = std::move(request);
  s.expect = std::move(expect);
  c.steps.push_back(std::move(s));
  return c;
}

std::vector<std::string> documentedStatusesExcept(const ir::Operation& op, const std::set<int>& excluded) {
  std::set<int> codes;
  for (const auto& r : op.responses) {
    const std::string& st = r.status;
    if (st == "default") {
      for (int code = 100; code < 600; ++code) codes.insert(code);
    } else if (st.size() == 3 && (st[1] == 'X' || st[1] == 'x') && st[0] >= '1' && st[0] <= '5') {
      for (int code = (st[0] - '0') * 100; code < (st[0] - '0' + 1) * 100; ++code) codes.insert(code);
    } else if (st.size() == 3 && std::all_of(st.begin(), st.end(), ::isdigit)) {
      codes.insert(std::stoi(st));
    }
  }
  // Whole classes left intact are written as ranges, to keep the message short.
  std::vector<std::string> out;
  for (int cls = 1; cls <= 5; ++cls) {
    bool whole = true;
    for (int code = cls * 100; code < cls * 100 + 100 && whole; ++code)
      whole = codes.count(code) && !excluded.count(code);
    if (whole) {
      out.push_back(std::to_string(cls) + "XX");
      continue;
    }
    for (int code = cls * 100; code < cls * 100 + 100; ++code)
      if (codes.count(code) && !excluded.count(code)) out.push_back(std::to_string(code));
  }
  return out;
}

}  // namespace detail

nlohmann::json sampleValue(const Contract& contract, ir::TypeId type) {
  if (type == ir::kNoType) return nullptr;
  return Sampler(contract).sample(contract.api().type(type).schema, 0);
}

std::vector<Case> generateCases(const Contract& contract, const GenerateOptions& options,
                                std::vector<NotGenerated>* notGenerated) {
  std::mt19937_64 rng(options.seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  Sampler sampler(contract);
  std::vector<Case> out;

  auto baseRequest = [&](const ir::Operation& op) { return detail::baseRequest(contract, op); };
  auto makeCase = [&](const std::string& kind, const ir::Operation& op, const std::string& what,
                      nlohmann::json request, Expectation expect) {
    out.push_back(detail::singleStepCase(kind, op, what, std::move(request), std::move(expect)));
  };

  for (const ir::Operation& op : contract.api().operations) {
    const bool safe = isSafeMethod(detail::upper(op.method));
    if (options.readOnly && !safe) continue;
    const nlohmann::json base = baseRequest(op);
    if (options.examples) makeCase("examples", op, "", base, {});

    if (options.negative) {
      Expectation reject;
      reject.statuses = {"4XX"};
      reject.statusCheck = "negative-data";
      const ir::MediaType* body = detail::jsonBody(op);
      if (body && body->type != ir::kNoType && base["json"].is_object()) {
        const ir::Type& t = contract.api().type(body->type);
        std::vector<const ir::Field*> required, typed;
        for (const auto& f : t.fields) {
          if (f.required && !f.readOnly) required.push_back(&f);
          if (!f.readOnly && f.type != ir::kNoType &&
              !Sampler::typeOf(sampler.resolve(contract.api().type(f.type).schema)).empty())
            typed.push_back(&f);
        }
        if (!required.empty()) {
          const ir::Field* f = required[pick(required.size())];
          nlohmann::json r = base;
          r["json"].erase(f->jsonName);
          makeCase("negative", op, "missing required field '" + f->jsonName + "'", r, reject);
        }
        if (!typed.empty()) {
          const ir::Field* f = typed[pick(typed.size())];
          nlohmann::json r = base;
          std::string type = Sampler::typeOf(sampler.resolve(contract.api().type(f->type).schema));
          r["json"][f->jsonName] = wrongTypeFor(type);
          makeCase("negative", op, "wrong type for '" + f->jsonName + "'", r, reject);
        }
      }
      for (const auto& p : op.parameters) {
        if (p.in != ir::ParameterLocation::Query || p.type == ir::kNoType) continue;
        const auto& s = sampler.resolve(contract.api().type(p.type).schema);
        std::string type = Sampler::typeOf(s);
        if (type == "integer" || type == "number") {
          nlohmann::json r = base;
          r["query"][p.name] = "tether-not-a-number";
          makeCase("negative", op, "query '" + p.name + "' of wrong type", r, reject);
        }
      }
    }

    if (options.auth && detail::needsAuth(op)) {
      Expectation unauthorized;
      unauthorized.statuses = {"401"};
      unauthorized.statusCheck = "auth";
      nlohmann::json r = base;
      r["auth"] = false;
      makeCase("auth", op, "no credentials", r, unauthorized);
      r = base;
      r["token"] = "tether-invalid-token-" + std::to_string(options.seed);
      makeCase("auth", op, "invalid credentials", r, unauthorized);
    }
  }

  if (options.methods && !options.readOnly) {
    std::vector<std::string> paths;
    for (const auto& op : contract.api().operations) {
      if (std::find(paths.begin(), paths.end(), op.path) == paths.end()) paths.push_back(op.path);
    }
    for (const auto& path : paths) {
      auto documented = contract.methodsOf(path);
      std::vector<std::string> candidates;
      for (const char* m : {"DELETE", "PATCH", "PUT", "POST", "GET"}) {
        if (std::find(documented.begin(), documented.end(), m) == documented.end()) candidates.push_back(m);
      }
      if (candidates.empty()) continue;
      const ir::Operation* op = nullptr;
      for (const auto& o : contract.api().operations) {
        if (o.path == path) op = &o;
      }
      nlohmann::json r = baseRequest(*op);
      r["method"] = candidates[pick(candidates.size())];
      r.erase("json");
      Expectation e;
      e.statuses = {"405"};
      e.statusCheck = "method-not-allowed";
      e.headers = {{"Allow", ""}};
      e.headersCheck = "method-not-allowed";
      e.schema = false;
      Case c;
      c.kind = "method";
      c.name = "method: " + r["method"].get<std::string>() + " " + path;
      Step s;
      s.name = c.name;
      s.request = r;
      s.expect = e;
      c.steps.push_back(std::move(s));
      out.push_back(std::move(c));
    }
  }
  const detail::Resolver resolver(contract);
  if (options.boundary) {
    for (auto& c : detail::generateBoundaryCases(contract, options, resolver)) out.push_back(std::move(c));
  }
  std::vector<NotGenerated> skipped;
  for (auto& c : detail::generateStatefulCases(contract, options, resolver, skipped)) out.push_back(std::move(c));
  if (notGenerated) *notGenerated = std::move(skipped);
  return out;
}

}  // namespace tether::conformance
