// Semantic rules over the whole document, after the per-object structure rules.
//
// What the OAS meta-schema can express is an error. Consistency rules it cannot express
// (path templates and their parameters, security scheme and scope names, link targets)
// are warnings: the document is valid OpenAPI but the API it describes is not coherent,
// and generators must guess. `validate --strict` makes them errors; this project's own
// spec is held to --strict in CI. Duplicate operationIds and ambiguous paths stay errors:
// they make routing and generated names undefined.
#include "tether/check/checker.h"

#include <map>
#include <regex>
#include <set>

#include "structure.h"
#include "tether/oas/walker.h"

namespace tether::check {

using doc::Node;

namespace {

class SemanticChecker {
 public:
  explicit SemanticChecker(load::LoadedSpec& spec) : spec_(spec), diagnostics_(spec.diagnostics) {}

  void run() {
    const Node* root = spec_.root();
    if (root == nullptr || !root->isObject()) return;
    collectSecuritySchemes(*root);
    if (const Node* security = root->get("security")) checkSecurity(*security);
    std::vector<const Node*> operations;
    if (const Node* paths = spec_.resolve(root->get("paths")); paths && paths->isObject()) {
      checkPathTemplates(*paths);
      for (const doc::Member& path : paths->members) {
        if (path.key.rfind("x-", 0) == 0) continue;
        checkPathItem(path.key, spec_.resolve(path.value), operations, true);
      }
    }
    if (const Node* hooks = spec_.resolve(root->get("webhooks")); hooks && hooks->isObject()) {
      for (const doc::Member& hook : hooks->members) checkPathItem(hook.key, spec_.resolve(hook.value), operations, false);
    }
    checkOperationIds(operations);
    checkLinks();
  }

 private:
  void collectSecuritySchemes(const Node& root) {
    const Node* components = spec_.resolve(root.get("components"));
    const Node* schemes = components ? spec_.resolve(components->get("securitySchemes")) : nullptr;
    if (schemes == nullptr || !schemes->isObject()) return;
    for (const doc::Member& member : schemes->members) {
      const Node* scheme = spec_.resolve(member.value);
      std::set<std::string>* scopes = nullptr;
      if (scheme != nullptr && scheme->getString("type") == "oauth2") {
        scopes = &oauthScopes_[member.key];
        if (const Node* flows = scheme->get("flows"); flows && flows->isObject()) {
          for (const doc::Member& flow : flows->members) {
            if (const Node* list = flow.value->get("scopes"); list && list->isObject()) {
              for (const doc::Member& scope : list->members) scopes->insert(scope.key);
            }
          }
        }
      }
      schemes_.insert(member.key);
    }
  }

  void checkSecurity(const Node& list) {
    if (!list.isArray()) return;
    for (const Node* requirement : list.items) {
      if (!requirement->isObject()) continue;
      for (const doc::Member& member : requirement->members) {
        if (schemes_.count(member.key) == 0) {
          diagnostics_.warning("security-unknown-scheme", *member.value,
                             "security requirement names '" + member.key +
                                 "', which is not in components.securitySchemes");
          continue;
        }
        auto oauth = oauthScopes_.find(member.key);
        if (oauth == oauthScopes_.end() || !member.value->isArray()) continue;
        for (const Node* scope : member.value->items) {
          if (scope->isString() && oauth->second.count(scope->text) == 0) {
            diagnostics_.warning("security-unknown-scope", *scope,
                               "scope '" + scope->text + "' is not declared by the flows of '" + member.key + "'");
          }
        }
      }
    }
  }

  static std::vector<std::string> templateNames(const std::string& path) {
    std::vector<std::string> names;
    static const std::regex kVariable(R"(\{([^{}]*)\})");
    for (auto it = std::sregex_iterator(path.begin(), path.end(), kVariable); it != std::sregex_iterator(); ++it) {
      names.push_back((*it)[1]);
    }
    return names;
  }

  // "/pets/{id}" and "/pets/{name}" are the same route.
  void checkPathTemplates(const Node& paths) {
    static const std::regex kVariable(R"(\{[^{}]*\})");
    std::map<std::string, std::string> seen;
    for (const doc::Member& path : paths.members) {
      if (path.key.rfind("x-", 0) == 0) continue;
      std::string shape = std::regex_replace(path.key, kVariable, "{}");
      auto [it, inserted] = seen.emplace(shape, path.key);
      if (!inserted) {
        diagnostics_.error("path-ambiguous", *path.value,
                           "path '" + path.key + "' matches the same requests as '" + it->second + "'");
      }
    }
  }

  void checkPathItem(const std::string& path, const Node* item, std::vector<const Node*>& operations, bool isPath) {
    if (item == nullptr || !item->isObject()) return;
    std::vector<const Node*> shared;
    if (const Node* list = item->get("parameters"); list && list->isArray()) {
      checkDuplicateParameters(*list);
      for (const Node* p : list->items) shared.push_back(spec_.resolve(p));
    }
    std::vector<std::string> names = isPath ? templateNames(path) : std::vector<std::string>{};
    for (const doc::Member& member : item->members) {
      if (!oas::isHttpMethod(member.key)) continue;
      const Node* op = spec_.resolve(member.value);
      if (op == nullptr || !op->isObject()) continue;
      operations.push_back(op);
      if (const Node* security = op->get("security")) checkSecurity(*security);
      std::vector<const Node*> params = shared;
      if (const Node* list = op->get("parameters"); list && list->isArray()) {
        checkDuplicateParameters(*list);
        for (const Node* p : list->items) params.push_back(spec_.resolve(p));
      }
      if (!isPath) continue;
      std::set<std::string> declared;
      for (const Node* p : params) {
        if (p == nullptr || p->getString("in") != "path") continue;
        std::string name(p->getString("name"));
        declared.insert(name);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
          diagnostics_.warning("path-parameter-unused", *p,
                             "path parameter '" + name + "' does not appear in the path '" + path + "'");
        }
      }
      for (const std::string& name : names) {
        if (declared.count(name) == 0) {
          diagnostics_.warning("path-parameter-undeclared", *op,
                             "'" + member.key + " " + path + "' does not declare the path parameter '" + name + "'");
        }
      }
    }
  }

  void checkDuplicateParameters(const Node& list) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const Node* p : list.items) {
      const Node* resolved = spec_.resolve(p);
      if (resolved == nullptr || !resolved->isObject()) continue;
      std::pair key{std::string(resolved->getString("in")), std::string(resolved->getString("name"))};
      if (!seen.insert(key).second) {
        diagnostics_.error("parameter-duplicate", *p,
                           "parameter '" + key.second + "' in " + key.first + " is declared twice");
      }
    }
  }

  void checkOperationIds(const std::vector<const Node*>& operations) {
    std::map<std::string, const Node*> seen;
    for (const Node* op : operations) {
      const Node* id = op->get("operationId");
      if (id == nullptr || !id->isString()) continue;
      operationIds_.insert(id->text);
      auto [it, inserted] = seen.emplace(id->text, id);
      if (!inserted && it->second != id) {
        diagnostics_.error("operation-id-duplicate", *id,
                           "operationId '" + id->text + "' is already used at " +
                               spec_.sources.where(it->second->location));
      }
    }
  }

  void checkLinks() {
    oas::WalkHandlers handlers;
    handlers.onObject = [this](const Node& node, oas::ObjectType type) {
      if (type != oas::ObjectType::Link || !node.isObject()) return true;
      if (const Node* id = node.get("operationId"); id && id->isString() && operationIds_.count(id->text) == 0) {
        diagnostics_.warning("link-unknown-operation", *id, "link target operationId '" + id->text + "' does not exist");
      }
      return true;
    };
    oas::walkDocument(spec_, handlers);
  }

  load::LoadedSpec& spec_;
  load::Diagnostics& diagnostics_;
  std::set<std::string> schemes_;
  std::map<std::string, std::set<std::string>> oauthScopes_;
  std::set<std::string> operationIds_;
};

}  // namespace

void checkSpec(load::LoadedSpec& spec) {
  StructureChecker structure(spec, spec.diagnostics);
  oas::WalkHandlers handlers;
  handlers.onObject = [&](const Node& node, oas::ObjectType type) {
    structure.check(node, type);
    return node.isObject();
  };
  oas::walkDocument(spec, handlers);
  SemanticChecker(spec).run();
  spec.diagnostics.sort();
}

}  // namespace tether::check
