#include "tether/conformance/checker.h"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

#include "tether/ir/builder.h"
#include "tether/load/loader.h"

namespace tether::conformance {

namespace {

constexpr const char* kSpecUri = "urn:tether:conformance:spec";

// Rewrites "#/components/schemas/X" references so they resolve in the registry document.
void rebaseRefs(nlohmann::json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "$ref" && it->is_string()) {
        std::string ref = it->get<std::string>();
        if (ref.rfind("#/", 0) == 0) *it = std::string(kSpecUri) + ref;
      } else {
        rebaseRefs(*it);
      }
    }
  } else if (j.is_array()) {
    for (auto& e : j) rebaseRefs(e);
  }
}

bool isJsonMedia(const std::string& m) {
  return m == "application/json" || (m.size() > 5 && m.compare(m.size() - 5, 5, "+json") == 0);
}

bool mediaMatches(const std::string& documented, const std::string& actual) {
  std::string d = documented.substr(0, documented.find(';'));
  std::transform(d.begin(), d.end(), d.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (d == "*/*" || d == actual) return true;
  if (d.size() > 2 && d.compare(d.size() - 2, 2, "/*") == 0) {
    return actual.rfind(d.substr(0, d.size() - 1), 0) == 0;
  }
  return false;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> out;
  std::string p = path.substr(0, path.find('?'));
  std::size_t i = 0;
  while (i <= p.size()) {
    auto j = p.find('/', i);
    if (j == std::string::npos) j = p.size();
    if (j > i) out.push_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

nlohmann::json headerValue(const ir::Type& type, const std::string& raw) {
  switch (type.kind) {
    case ir::TypeKind::Integer:
    case ir::TypeKind::Number: {
      auto j = nlohmann::json::parse(raw, nullptr, false);
      return j.is_discarded() ? nlohmann::json(raw) : j;
    }
    case ir::TypeKind::Boolean:
      if (raw == "true") return true;
      if (raw == "false") return false;
      return raw;
    default:
      return raw;
  }
}

// Errors whose keyword location no other error extends: the most specific ones.
std::vector<schema::OutputUnit> leafErrors(const schema::Result& result) {
  std::vector<schema::OutputUnit> out;
  for (const auto& e : result.errors) {
    bool parent = std::any_of(result.errors.begin(), result.errors.end(), [&](const auto& o) {
      return &o != &e && o.keyword_location.size() > e.keyword_location.size() &&
             o.keyword_location.compare(0, e.keyword_location.size(), e.keyword_location) == 0;
    });
    if (!parent) out.push_back(e);
  }
  if (out.empty()) out = result.errors;
  return out;
}

}  // namespace

nlohmann::json Finding::toJson() const {
  return {{"check", check},           {"operation", operation},
          {"message", message},       {"schemaPath", schemaPath},
          {"instancePointer", instancePointer}, {"curl", curl},
          {"request", request.toJson()},        {"response", response.toJson()}};
}

std::string Finding::format() const {
  std::ostringstream out;
  out << "[" << check << "] " << operation << ": " << message;
  if (!schemaPath.empty()) out << "\n    schema path: " << schemaPath;
  if (!instancePointer.empty() || !schemaPath.empty())
    out << "\n    instance:    " << (instancePointer.empty() ? "(root)" : instancePointer);
  if (!curl.empty()) out << "\n    reproduce:   " << curl;
  return out.str();
}

std::string operationName(const ir::Operation& op) {
  if (!op.operationId.empty() && !op.operationIdSynthesized) return op.operationId;
  std::string m = op.method;
  std::transform(m.begin(), m.end(), m.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return m + " " + op.path;
}

std::shared_ptr<Contract> Contract::load(const std::string& specPath) {
  load::LoadedSpec spec = load::loadSpec(specPath);
  if (spec.diagnostics.hasErrors()) {
    std::string text = "the spec has errors:";
    for (const auto& d : spec.diagnostics.list()) text += "\n" + load::format(d, spec.sources);
    throw std::runtime_error(text);
  }
  return std::make_shared<Contract>(ir::build(spec));
}

Contract::Contract(ir::Api api) : api_(std::move(api)) {
  schema::Registry registry;
  nlohmann::json doc = {{"components", {{"schemas", nlohmann::json::object()}}}};
  for (const ir::Type& t : api_.types) {
    if (!t.named) continue;
    nlohmann::json s = t.schema;
    rebaseRefs(s);
    doc["components"]["schemas"][t.name] = std::move(s);
  }
  registry.add(kSpecUri, doc);
  // Real-world patterns use Annex B identity escapes (^[a-z\-\:]+$) and other engines'
  // idioms (\p{Alnum}); a schema refused for one would go unchecked, so the runner reads
  // them as the generated validators do, and leaves out (with a warning) only the pattern
  // nothing reads, not the whole schema.
  schema::CompileOptions options;
  options.lenient_patterns = true;
  options.skip_invalid_patterns = true;
  programs_.resize(api_.types.size());
  for (const ir::Type& t : api_.types) {
    nlohmann::json s = t.schema;
    rebaseRefs(s);
    try {
      auto program = std::make_unique<schema::Program>(schema::compile(s, registry, options));
      for (const schema::Program::SkippedPattern& skipped : program->skipped_patterns) {
        warnings_.push_back("pattern \"" + skipped.source + "\" of " + t.name + " not checked (" + skipped.error +
                            ") at " + skipped.location);
      }
      const auto index = static_cast<std::size_t>(t.id);
      if (index >= programs_.size()) programs_.resize(index + 1);
      programs_[index] = std::move(program);
    } catch (const std::exception& e) {
      warnings_.push_back("schema of " + t.name + " not checked: " + e.what());
    }
  }
  for (const ir::Operation& op : api_.operations) {
    for (const ir::Response& r : op.responses) {
      for (const ir::MediaType& c : r.contents) usesProblemJson_ |= c.mediaType == "application/problem+json";
    }
  }
}

const schema::Program* Contract::program(ir::TypeId id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= programs_.size()) return nullptr;
  return programs_[static_cast<std::size_t>(id)].get();
}

const ir::Operation* Contract::match(const std::string& method, const std::string& path) const {
  std::string m = method;
  std::transform(m.begin(), m.end(), m.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto segs = splitPath(path);
  const ir::Operation* best = nullptr;
  int bestLiterals = -1;
  for (const auto& op : api_.operations) {
    if (op.method != m) continue;
    auto tsegs = splitPath(op.path);
    if (tsegs.size() != segs.size()) continue;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segs.size() && ok; ++i) {
      if (tsegs[i].find('{') != std::string::npos) continue;
      if (tsegs[i] == segs[i]) ++literals;
      else ok = false;
    }
    if (ok && literals > bestLiterals) {
      best = &op;
      bestLiterals = literals;
    }
  }
  return best;
}

const ir::Operation* Contract::byId(const std::string& operationId) const {
  for (const auto& op : api_.operations) {
    if (op.operationId == operationId || operationName(op) == operationId) return &op;
  }
  return nullptr;
}

std::vector<std::string> Contract::methodsOf(const std::string& pathTemplate) const {
  std::vector<std::string> out;
  for (const auto& op : api_.operations) {
    if (op.path != pathTemplate) continue;
    std::string m = op.method;
    std::transform(m.begin(), m.end(), m.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    out.push_back(m);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const ir::Response* documentedResponse(const ir::Operation& op, int status) {
  std::string exact = std::to_string(status);
  std::string range = std::string(1, static_cast<char>('0' + status / 100)) + "XX";
  const ir::Response* byRange = nullptr;
  const ir::Response* byDefault = nullptr;
  for (const auto& r : op.responses) {
    if (r.status == exact) return &r;
    std::string s = r.status;
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (s == range) byRange = &r;
    if (s == "DEFAULT") byDefault = &r;
  }
  return byRange ? byRange : byDefault;
}

schema::Result validateValue(const Contract& contract, ir::TypeId type, const nlohmann::json& value,
                             schema::Direction direction) {
  const schema::Program* program = contract.program(type);
  if (!program) return {};
  return schema::evaluate(*program, value, {.direction = direction});
}

std::vector<Finding> checkResponse(const Contract& contract, const ir::Operation& op,
                                   const Request& request, const Response& response,
                                   const std::string& baseUrl, const CheckOptions& options) {
  std::vector<Finding> out;
  auto add = [&](std::string check, std::string message, std::string schemaPath = {},
                 std::string pointer = {}) {
    Finding f;
    f.check = std::move(check);
    f.operation = operationName(op);
    f.message = std::move(message);
    f.schemaPath = std::move(schemaPath);
    f.instancePointer = std::move(pointer);
    f.curl = curlCommand(request, baseUrl);
    f.request = request;
    f.response = response;
    out.push_back(std::move(f));
  };
  if (!response.ok()) {
    add("transport", "no response: " + response.error);
    return out;
  }
  const int status = response.status;
  if (status >= 500) add("server-error", "the server answered " + std::to_string(status));
  const ir::Response* doc = documentedResponse(op, status);
  if (!doc) {
    std::string listed;
    for (const auto& r : op.responses) listed += (listed.empty() ? "" : ", ") + r.status;
    add("status-documented",
        "status " + std::to_string(status) + " is not documented (documented: " + listed + ")");
    return out;
  }
  // Headers.
  for (const ir::Header& h : doc->headers) {
    std::string lower = h.name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "content-type") continue;
    const std::string* value = findHeader(response.headers, h.name);
    if (!value) {
      if (h.required) add("response-header", "required header " + h.name + " is missing");
      continue;
    }
    if (h.type == ir::kNoType) continue;
    nlohmann::json v = headerValue(contract.api().type(h.type), *value);
    auto result = validateValue(contract, h.type, v, schema::Direction::Response);
    for (const auto& e : leafErrors(result)) {
      add("response-header", "header " + h.name + " = '" + *value + "' is invalid: " + e.error,
          e.keyword_location, e.instance_location);
      break;
    }
  }
  // Content type and body.
  const std::string media = response.mediaType();
  const bool hasBody = !response.body.empty() && request.method != "HEAD";
  if (!hasBody) return out;
  const ir::MediaType* content = nullptr;
  for (const auto& c : doc->contents) {
    if (mediaMatches(c.mediaType, media)) {
      content = &c;
      break;
    }
  }
  if (!content) {
    std::string listed;
    for (const auto& c : doc->contents) listed += (listed.empty() ? "" : ", ") + c.mediaType;
    add("content-type", "Content-Type '" + (media.empty() ? std::string("(none)") : media) +
                            "' is not documented for " + doc->status +
                            (listed.empty() ? " (no body documented)" : " (documented: " + listed + ")"));
  }
  nlohmann::json body;
  bool parsed = false;
  if (isJsonMedia(media)) {
    body = nlohmann::json::parse(response.body, nullptr, false);
    if (body.is_discarded()) {
      add("response-schema", "the body is not valid JSON");
    } else {
      parsed = true;
    }
  }
  if (content && parsed && content->type != ir::kNoType) {
    auto result = validateValue(contract, content->type, body, schema::Direction::Response);
    std::size_t n = 0;
    for (const auto& e : leafErrors(result)) {
      if (n++ >= options.maxSchemaErrors) break;
      add("response-schema", "the body does not match " +
                                 contract.api().type(content->type).name + ": " + e.error,
          e.keyword_location, e.instance_location);
    }
  }
  if (options.requireProblemJson && contract.usesProblemJson() && status >= 400) {
    if (media != "application/problem+json") {
      add("problem-json", "error body has Content-Type '" + media +
                              "', expected application/problem+json (RFC 9457)");
    } else if (parsed) {
      if (!body.is_object()) {
        add("problem-json", "a problem details body must be a JSON object");
      } else {
        if (body.contains("status") && body["status"] != status)
          add("problem-json", "member 'status' is " + body["status"].dump() +
                                  " but the HTTP status is " + std::to_string(status), "", "/status");
        for (const char* m : {"type", "title", "detail", "instance"}) {
          if (body.contains(m) && !body[m].is_string())
            add("problem-json", std::string("member '") + m + "' must be a string", "",
                std::string("/") + m);
        }
      }
    }
  }
  return out;
}

}  // namespace tether::conformance
