#include "generate_resolver.h"

#include <algorithm>
#include <cctype>

namespace tether::conformance::detail {

namespace {

std::string normalized(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

std::string singular(std::string n) {
  auto ends = [&](const char* suffix) {
    std::string s(suffix);
    return n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0;
  };
  if (ends("ies")) return n.substr(0, n.size() - 3) + "y";
  if (ends("sses") || ends("xes") || ends("ches") || ends("shes")) return n.substr(0, n.size() - 2);
  if (ends("s") && !ends("ss")) return n.substr(0, n.size() - 1);
  return n;
}

// "serviceId", "service_id" -> "service"; "" when the name does not end with an id.
std::string idStem(const std::string& param) {
  std::string n = normalized(param);
  if (n.size() > 2 && n.compare(n.size() - 2, 2, "id") == 0) return n.substr(0, n.size() - 2);
  return "";
}

std::string lastSegment(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool mentions(const std::string& path, const std::string& param) {
  return path.find("{" + param + "}") != std::string::npos;
}

const ir::Response* createdResponse(const ir::Operation& op) {
  for (const auto& r : op.responses)
    if (!r.status.empty() && r.status[0] == '2') return &r;
  return nullptr;
}

}  // namespace

std::vector<std::string> pathParameters(const std::string& pathTemplate) {
  std::vector<std::string> out;
  for (auto open = pathTemplate.find('{'); open != std::string::npos; open = pathTemplate.find('{', open + 1)) {
    auto close = pathTemplate.find('}', open);
    if (close == std::string::npos) break;
    out.push_back(pathTemplate.substr(open + 1, close - open - 1));
  }
  return out;
}

Resolver::Resolver(const Contract& contract) : contract_(contract) {
  const auto& ops = contract.api().operations;
  // Links may name several producers of one parameter; paths and names only fill gaps.
  auto offer = [&](const std::string& param, const ir::Operation& op, std::string pointer, const char* how) {
    if (mentions(op.path, param)) return;
    auto& list = producers_[param];
    if (std::string(how) != "link" && !list.empty()) return;
    for (const auto& p : list)
      if (p.create == &op) return;
    list.push_back({&op, std::move(pointer), how});
  };
  // 1. Links: the spec says which response member fills which parameter.
  for (const auto& op : ops) {
    if (op.method != "post") continue;
    for (const auto& r : op.responses) {
      if (r.status.empty() || r.status[0] != '2') continue;
      for (const auto& link : r.links) {
        for (const auto& [name, expr] : link.parameters) {
          const std::string prefix = "$response.body#";
          if (!expr.is_string()) continue;
          std::string e = expr.get<std::string>();
          if (e.rfind(prefix, 0) != 0) continue;
          auto dot = name.find('.');  // "path.petId"
          offer(dot == std::string::npos ? name : name.substr(dot + 1), op, e.substr(prefix.size()), "link");
        }
      }
    }
  }
  // 2. Paths: POST /a/b creates what /a/b/{x} addresses.
  for (const auto& op : ops) {
    if (op.method != "post" || lastSegment(op.path).find('{') != std::string::npos) continue;
    for (const auto& item : ops) {
      if (item.path.size() <= op.path.size() + 1 || item.path.compare(0, op.path.size() + 1, op.path + "/") != 0)
        continue;
      std::string rest = item.path.substr(op.path.size() + 1);
      if (rest.size() > 2 && rest.front() == '{' && rest.back() == '}' && rest.find('/') == std::string::npos &&
          returnsPointer(op, "/id"))
        offer(rest.substr(1, rest.size() - 2), op, "/id", "path");
    }
  }
  // 3. Names: {serviceId} of /v1/services/{serviceId} is made by POST .../services.
  std::set<std::string> params;
  for (const auto& op : ops)
    for (const auto& p : pathParameters(op.path)) params.insert(p);
  for (const auto& param : params) {
    const std::string stem = idStem(param);
    if (stem.empty() || !producersOf(param).empty()) continue;
    const ir::Operation* best = nullptr;
    std::size_t bestScore = 0;
    for (const auto& op : ops) {
      const std::string seg = lastSegment(op.path);
      if (op.method != "post" || seg.find('{') != std::string::npos || !returnsPointer(op, "/id")) continue;
      const std::string one = singular(normalized(seg)), many = normalized(seg);
      std::size_t score = 0;
      if (stem == one || stem == many) score = 1000;
      else if (one.size() >= 3 && stem.size() > one.size() && stem.compare(stem.size() - one.size(), one.size(), one) == 0)
        score = one.size();
      if (score > bestScore) best = &op, bestScore = score;
    }
    if (best) offer(param, *best, "/id", "name");
  }
}

bool Resolver::returnsPointer(const ir::Operation& create, const std::string& pointer) const {
  const ir::Response* r = createdResponse(create);
  if (!r) return false;
  for (const auto& c : r->contents) {
    if (c.type == ir::kNoType) continue;
    const OJson& s = resolvedSchema(contract_, c.type);
    if (!s.contains("properties")) return true;  // composed schema: cannot tell, trust it
    const std::string member = pointer.substr(1, pointer.find('/', 1) - 1);
    return s["properties"].contains(member);
  }
  return false;
}

const std::vector<Producer>& Resolver::producersOf(const std::string& param) const {
  static const std::vector<Producer> kNone;
  auto it = producers_.find(param);
  return it == producers_.end() ? kNone : it->second;
}

const Producer* Resolver::producerOf(const std::string& param, const std::string& context) const {
  const Producer* best = nullptr;
  std::size_t bestShared = 0;
  for (const auto& p : producersOf(param)) {
    const std::string& path = p.create->path;
    std::size_t shared = 0;
    while (shared < path.size() && shared < context.size() && path[shared] == context[shared]) ++shared;
    if (!best || shared > bestShared) best = &p, bestShared = shared;
  }
  return best;
}

const ir::Operation* Resolver::deleterOf(const std::string& param) const {
  const ir::Operation* best = nullptr;
  for (const auto& op : contract_.api().operations) {
    if (op.method != "delete" || lastSegment(op.path) != "{" + param + "}") continue;
    if (!best || op.path.size() < best->path.size()) best = &op;
  }
  return best;
}

void Resolver::uniquify(nlohmann::json& body, const ir::Operation& create) const {
  const ir::MediaType* media = jsonBody(create);
  if (!media || media->type == ir::kNoType || !body.is_object()) return;
  for (const auto& f : contract_.api().type(media->type).fields) {
    const std::string name = normalized(f.jsonName);
    // Only the resource's own name: `secret_name` names another resource, which must exist.
    bool identifying = false;
    for (const char* word : {"name", "slug", "domain", "domainname", "email", "key", "host", "hostname", "username"})
      identifying = identifying || name == word;
    if (!identifying || f.readOnly || !body.contains(f.jsonName) || !body[f.jsonName].is_string()) continue;
    const std::string v = body[f.jsonName].get<std::string>();
    const std::string n = std::to_string(++serial_);
    std::vector<std::string> candidates;
    if (v.find('@') != std::string::npos) candidates.push_back("t" + n + v);
    if (v.find('.') != std::string::npos) candidates.push_back("t" + n + "." + v);
    for (const std::string& suffix : {"-t" + n, "_t" + n, "t" + n, "_T" + n}) candidates.push_back(v + suffix);
    candidates.push_back("t" + n + "-" + v);
    for (const auto& c : candidates) {
      if (validateValue(contract_, f.type, c, schema::Direction::Request).valid) {
        body[f.jsonName] = c;
        break;
      }
    }
  }
}

nlohmann::json Resolver::creationRequest(const ir::Operation& create) const {
  nlohmann::json r = baseRequest(contract_, create);
  for (const auto& p : pathParameters(create.path)) r["params"][p] = "${" + p + "}";
  if (r.contains("json")) uniquify(r["json"], create);
  return r;
}

std::optional<std::string> Resolver::produce(const std::string& param, const std::string& context, Chain& chain,
                                             std::set<std::string>& visiting, int depth) const {
  if (chain.variables.count(param)) return std::nullopt;
  if (depth > 8) return "the creation chain of {" + param + "} is deeper than 8";
  if (visiting.count(param)) return "creating {" + param + "} needs {" + param + "} itself";
  const Producer* producer = producerOf(param, context);
  if (!producer) return "no POST found that creates {" + param + "} (no link, collection path or name match)";
  visiting.insert(param);
  for (const auto& q : pathParameters(producer->create->path)) {
    if (auto failure = produce(q, producer->create->path, chain, visiting, depth + 1)) {
      visiting.erase(param);
      return failure;
    }
  }
  nlohmann::json request = creationRequest(*producer->create);
  if (request.contains("json")) referTo(request["json"], producer->create->path, chain, visiting, depth + 1);
  visiting.erase(param);
  Step s;
  s.name = "create {" + param + "} with " + operationName(*producer->create);
  s.operationId = producer->create->operationId;
  s.request = std::move(request);
  s.expect.statuses = {"2XX"};
  s.expect.statusCheck = "setup";
  s.capture[param] = producer->pointer;
  chain.create.push_back(std::move(s));
  chain.variables.insert(param);
  if (const ir::Operation* del = deleterOf(param)) {
    Step d;
    d.name = "delete {" + param + "} with " + operationName(*del);
    d.operationId = del->operationId;
    d.request = {{"method", "DELETE"}, {"path", del->path}, {"params", nlohmann::json::object()}};
    for (const auto& p : pathParameters(del->path)) d.request["params"][p] = "${" + p + "}";
    chain.teardown.insert(chain.teardown.begin(), std::move(d));
  }
  return std::nullopt;
}

const std::string* Resolver::parameterFor(const std::string& member) const {
  std::string n = normalized(member);
  if (n.size() > 3 && n.compare(n.size() - 3, 3, "ids") == 0) n.pop_back();
  if (n.size() < 3 || n.compare(n.size() - 2, 2, "id") != 0) return nullptr;
  for (const auto& [param, list] : producers_)
    if (!list.empty() && normalized(param) == n) return &param;
  return nullptr;
}

void Resolver::referTo(nlohmann::json& value, const std::string& context, Chain& chain,
                       std::set<std::string>& visiting, int depth) const {
  if (!value.is_object()) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string* param = parameterFor(it.key());
    const bool scalar = it->is_string() || it->is_number_integer();
    const bool list = it->is_array() && !it->empty() && (it->front().is_string() || it->front().is_number_integer());
    if (param && (scalar || list)) {
      Chain work = chain;
      if (produce(*param, context, work, visiting, depth)) continue;  // unknown: keep the sample
      chain = std::move(work);
      if (scalar) *it = "${" + *param + "}";
      else *it = nlohmann::json::array({"${" + *param + "}"});
    } else if (it->is_object()) {
      referTo(*it, context, chain, visiting, depth);
    } else if (it->is_array()) {
      for (auto& element : *it) referTo(element, context, chain, visiting, depth);
    }
  }
}

void Resolver::resolveBodyReferences(nlohmann::json& request, Chain& chain) const {
  std::set<std::string> visiting;
  if (request.contains("json")) referTo(request["json"], request.value("path", std::string()), chain, visiting, 0);
}

std::optional<std::string> Resolver::resolve(const ir::Operation& op, Chain& chain) const {
  Chain work = chain;
  std::set<std::string> visiting;
  for (const auto& p : pathParameters(op.path)) {
    if (auto failure = produce(p, op.path, work, visiting, 0)) return failure;
  }
  chain = std::move(work);
  return std::nullopt;
}

}  // namespace tether::conformance::detail
