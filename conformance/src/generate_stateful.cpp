// Stateful checks: each case first creates the resources its operation addresses (the
// creation chain from generate_resolver.h), acts on them, and deletes them in teardown.
//  - use-after-delete: read, delete, read again: the second read must be 404 or 410;
//  - bola: every operation on the resources, sent with a second tenant's credential, must
//    answer 403 or 404 (and a foreign DELETE must leave the resource readable);
//  - links: each OpenAPI link of a creation's response, followed with the values its
//    runtime expressions name, must reach an existing resource.
#include <algorithm>

#include "generate_resolver.h"

namespace tether::conformance {

namespace {

using detail::Chain;
using detail::pathParameters;
using detail::Resolver;

const ir::Operation* find(const Contract& contract, const std::string& method, const std::string& path) {
  for (const auto& op : contract.api().operations)
    if (op.method == method && op.path == path) return &op;
  return nullptr;
}

bool documents(const ir::Operation& op, const char* status) {
  return std::any_of(op.responses.begin(), op.responses.end(), [&](const ir::Response& r) { return r.status == status; });
}

// A request for `op` whose path parameters come from the chain's variables.
nlohmann::json chainedRequest(const Contract& contract, const ir::Operation& op) {
  nlohmann::json r = detail::baseRequest(contract, op);
  for (const auto& p : pathParameters(op.path)) r["params"][p] = "${" + p + "}";
  return r;
}

Step step(const std::string& name, const ir::Operation& op, nlohmann::json request, std::vector<std::string> statuses,
          const std::string& check) {
  Step s;
  s.name = name;
  s.operationId = op.operationId;
  s.request = std::move(request);
  s.expect.statuses = std::move(statuses);
  s.expect.statusCheck = check;
  return s;
}

Case chainCase(const std::string& kind, const std::string& name, const ir::Operation& op, const Chain& chain) {
  Case c;
  c.kind = kind;
  c.name = kind + ": " + name;
  c.tags = op.tags;
  c.setup = chain.create;
  c.teardown = chain.teardown;
  return c;
}

class StatefulGenerator {
 public:
  StatefulGenerator(const Contract& contract, const Resolver& resolver, std::vector<NotGenerated>& skipped)
      : contract_(contract), skipped_(skipped), resolver_(resolver) {}

  void useAfterDelete(const ir::Operation& del, std::vector<Case>& out) {
    const ir::Operation* get = find(contract_, "get", del.path);
    if (!get || pathParameters(del.path).empty()) return;
    if (documents(del, "202") && !documents(del, "204") && !documents(del, "200")) {
      return skip("use-after-delete", del, "the deletion is asynchronous (202 only)");
    }
    if (auto state = softDeleteState(*get)) {
      return skip("use-after-delete", del, "a deleted resource stays readable with status '" + *state + "'");
    }
    Chain chain;
    if (auto failure = resolver_.resolve(del, chain)) return skip("use-after-delete", del, *failure);
    auto deletion = acting(del, chain);
    Case c = chainCase("use-after-delete", operationName(del), del, chain);
    c.steps.push_back(step("read before the delete", *get, chainedRequest(contract_, *get), {"2XX"}, "use-after-delete"));
    c.steps.push_back(step("delete", del, deletion, {"2XX"}, "use-after-delete"));
    c.steps.push_back(
        step("read after the delete", *get, chainedRequest(contract_, *get), {"404", "410"}, "use-after-delete"));
    out.push_back(std::move(c));
  }

  void bola(const ir::Operation& op, std::vector<Case>& out) {
    if (pathParameters(op.path).empty() || !detail::needsAuth(op)) return;
    Chain chain;
    if (auto failure = resolver_.resolve(op, chain)) return skip("bola", op, *failure);
    nlohmann::json foreign = acting(op, chain);
    foreign["token"] = kSecondToken;
    Case c = chainCase("bola", operationName(op) + " with another tenant's credential", op, chain);
    c.steps.push_back(step("the other tenant calls " + operationName(op), op, foreign, {"403", "404"}, "bola"));
    const ir::Operation* get = find(contract_, "get", op.path);
    if (op.method == "delete" && get) {
      c.steps.push_back(step("the owner still reads it", *get, chainedRequest(contract_, *get), {"2XX"}, "bola"));
    }
    out.push_back(std::move(c));
  }

  void links(const ir::Operation& create, std::vector<Case>& out) {
    for (const auto& r : create.responses) {
      if (r.status.empty() || r.status[0] != '2') continue;
      for (const auto& link : r.links) {
        const std::string name = operationName(create) + " -> " + link.name;
        const ir::Operation* target = linkTarget(link.operationId);
        if (!target) {
          skip("links", create, "link " + link.name + ": its operation is not in the spec");
          continue;
        }
        Chain chain;
        if (auto failure = resolver_.resolve(create, chain)) {
          skip("links", create, "link " + link.name + ": " + *failure);
          continue;
        }
        nlohmann::json creation = resolver_.creationRequest(create);
        resolver_.resolveBodyReferences(creation, chain);
        Step made = step("create with " + operationName(create), create, creation, {"2XX"}, "setup");
        nlohmann::json follow = acting(*target, chain);
        Case c = chainCase("links", name, create, chain);
        std::string failure;
        for (const auto& [qualified, expr] : link.parameters) {
          auto dot = qualified.find('.');
          const std::string param = dot == std::string::npos ? qualified : qualified.substr(dot + 1);
          const std::string var = "link_" + param;
          auto value = evaluate(expr, made, var, failure);
          if (!failure.empty()) break;
          const char* where = "query";
          for (const auto& p : target->parameters) {
            if (p.name != param) continue;
            if (p.in == ir::ParameterLocation::Path) where = "params";
            else if (p.in == ir::ParameterLocation::Header) where = "headers";
          }
          follow[where][param] = value;
        }
        if (link.requestBody && failure.empty()) {
          auto body = evaluate(*link.requestBody, made, "link_body", failure);
          follow["json"] = body;
        }
        if (!failure.empty()) {
          skip("links", create, "link " + link.name + ": " + failure);
          continue;
        }
        // A path parameter the link leaves unset must come from the creation chain.
        bool unset = false;
        for (const auto& p : pathParameters(target->path)) {
          const auto& v = follow["params"][p];
          if (v.is_string() && v.get<std::string>() == "${" + p + "}" && !chain.variables.count(p)) unset = true;
        }
        if (unset) {
          skip("links", create, "link " + link.name + " leaves a path parameter of " + link.operationId + " unset");
          continue;
        }
        c.setup.push_back(std::move(made));
        const bool safe = isSafeMethod(detail::upper(target->method));
        c.steps.push_back(step("follow " + link.name, *target, follow,
                               safe ? std::vector<std::string>{"2XX"}
                                    : detail::documentedStatusesExcept(*target, {404, 410}),
                               "links"));
        addTeardownOfCreated(create, c);
        out.push_back(std::move(c));
      }
    }
  }

 private:
  // The operation of a link: its operationId, or an operationRef such as
  // "#/paths/~1pets~1{petId}/get" (the IR keeps the reference as written).
  const ir::Operation* linkTarget(const std::string& ref) const {
    if (ref.empty()) return nullptr;
    if (const ir::Operation* op = contract_.byId(ref)) return op;
    auto hash = ref.find("#/paths/");
    if (hash == std::string::npos) return nullptr;
    std::string pointer = ref.substr(hash + 8);
    auto slash = pointer.rfind('/');
    if (slash == std::string::npos) return nullptr;
    std::string path, escaped = pointer.substr(0, slash);
    for (std::size_t i = 0; i < escaped.size(); ++i) {
      if (escaped[i] == '~' && i + 1 < escaped.size()) {
        path += escaped[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        path += escaped[i];
      }
    }
    return find(contract_, pointer.substr(slash + 1), path);
  }

  // The request of the operation under test: path parameters and body references from the chain.
  nlohmann::json acting(const ir::Operation& op, Chain& chain) const {
    nlohmann::json r = chainedRequest(contract_, op);
    resolver_.resolveBodyReferences(r, chain);
    return r;
  }

  // A status the resource can have after a DELETE that keeps it (revoke, soft delete).
  std::optional<std::string> softDeleteState(const ir::Operation& get) const {
    for (const auto& r : get.responses) {
      if (r.status.empty() || r.status[0] != '2') continue;
      for (const auto& content : r.contents) {
        if (content.type == ir::kNoType) continue;
        const ir::TypeId status = statusType(content.type);
        if (status == ir::kNoType) continue;
        const auto& s = detail::resolvedSchema(contract_, status);
        if (!s.contains("enum") || !s["enum"].is_array()) continue;
        for (const auto& v : s["enum"])
          for (const char* kept : {"revoked", "deleted", "deleting", "archived", "cancelled", "canceled"})
            if (v == kept) return std::string(kept);
      }
    }
    return std::nullopt;
  }

  ir::TypeId statusType(ir::TypeId object) const {
    for (const auto& f : contract_.api().type(object).fields)
      if (f.jsonName == "status") return f.type;
    return ir::kNoType;
  }

  // The value of a link's runtime expression: a capture added to `made` for response
  // values, the request's own value for request expressions, a constant otherwise.
  nlohmann::json evaluate(const nlohmann::json& expr, Step& made, const std::string& var, std::string& failure) {
    if (!expr.is_string()) return expr;
    const std::string e = expr.get<std::string>();
    if (e.empty() || e[0] != '$') {
      if (e.find("{$") != std::string::npos) failure = "embedded runtime expression '" + e + "' is not supported";
      return expr;
    }
    auto starts = [&](const char* p) { return e.rfind(p, 0) == 0; };
    if (starts("$response.body#")) {
      made.capture[var] = e.substr(15);
      return "${" + var + "}";
    }
    if (starts("$response.header.")) {
      made.capture[var] = "header:" + e.substr(17);
      return "${" + var + "}";
    }
    if (starts("$request.path.")) return made.request["params"].value(e.substr(14), nlohmann::json(nullptr));
    if (starts("$request.query.")) return made.request["query"].value(e.substr(15), nlohmann::json(nullptr));
    if (starts("$request.header.")) return made.request["headers"].value(e.substr(16), nlohmann::json(nullptr));
    if (starts("$request.body#")) {
      try {
        return made.request.at("json").at(nlohmann::json::json_pointer(e.substr(14)));
      } catch (const std::exception&) {
        failure = "'" + e + "' is not in the request body";
        return nullptr;
      }
    }
    if (e == "$method") return made.request["method"];
    failure = "runtime expression '" + e + "' is not supported";
    return nullptr;
  }

  // The resource the link's creation made is deleted too, when a parameter it produces
  // has a DELETE (found through the capture of the link that names it).
  void addTeardownOfCreated(const ir::Operation& create, Case& c) {
    Step& made = c.setup.back();
    for (const auto& [param, producer] : producedBy(create)) {
      const ir::Operation* del = resolver_.deleterOf(param);
      if (!del) continue;
      made.capture[param] = producer;
      nlohmann::json r = {{"method", "DELETE"}, {"path", del->path}, {"params", nlohmann::json::object()}};
      for (const auto& p : pathParameters(del->path)) r["params"][p] = "${" + p + "}";
      Step d = step("delete {" + param + "}", *del, r, {}, "expected-status");
      c.teardown.insert(c.teardown.begin(), std::move(d));
      return;
    }
  }

  std::vector<std::pair<std::string, std::string>> producedBy(const ir::Operation& create) const {
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> params;
    for (const auto& op : contract_.api().operations)
      for (const auto& p : pathParameters(op.path)) params.insert(p);
    for (const auto& p : params)
      for (const auto& producer : resolver_.producersOf(p))
        if (producer.create == &create) out.emplace_back(p, producer.pointer);
    return out;
  }

  void skip(const std::string& check, const ir::Operation& op, const std::string& reason) {
    skipped_.push_back({check, operationName(op), reason});
  }

  const Contract& contract_;
  std::vector<NotGenerated>& skipped_;
  const Resolver& resolver_;
};

}  // namespace

namespace detail {

std::vector<Case> generateStatefulCases(const Contract& contract, const GenerateOptions& options,
                                        const Resolver& resolver, std::vector<NotGenerated>& notGenerated) {
  std::vector<Case> out;
  if (options.readOnly) return out;  // every stateful case creates something
  StatefulGenerator g(contract, resolver, notGenerated);
  for (const auto& op : contract.api().operations) {
    if (options.useAfterDelete && op.method == "delete") g.useAfterDelete(op, out);
    if (options.links && op.method == "post") g.links(op, out);
    if (options.bola) g.bola(op, out);
  }
  return out;
}

}  // namespace detail

}  // namespace tether::conformance
