// Operations, parameters, bodies, responses, links, callbacks, webhooks and security:
// the API half of the IR. Types come from TypeBuilder; names from the Namer (naming.cpp).
#include "tether/ir/builder.h"

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "json_convert.h"
#include "naming.h"
#include "tether/oas/component_names.h"
#include "tether/oas/grammar.h"
#include "type_builder.h"

namespace tether::ir {

namespace {

using doc::Node;

class ApiBuilder {
 public:
  ApiBuilder(const load::LoadedSpec& spec, Api& api)
      : spec_(spec), api_(api), names_(spec), types_(spec, names_, api.types) {}

  void run() {
    const Node* root = spec_.root();
    if (root == nullptr || !root->isObject()) return;
    api_.sourceVersion = spec_.version();
    if (const Node* info = resolved(root->get("info"))) {
      api_.title = std::string(info->getString("title"));
      api_.version = std::string(info->getString("version"));
      api_.description = std::string(info->getString("description"));
    }
    servers(root->get("servers"), api_.servers);
    tags(root->get("tags"));
    securitySchemes(root);
    if (const Node* security = root->get("security")) api_.security = requirements(*security);
    types_.buildNamed();
    if (const Node* paths = resolved(root->get("paths")); paths != nullptr && paths->isObject()) {
      for (const doc::Member& path : paths->members) {
        if (path.key.rfind("x-", 0) == 0) continue;
        pathItem(path.key, resolved(path.value), api_.operations, "", 0);
      }
    }
    if (const Node* hooks = resolved(root->get("webhooks")); hooks != nullptr && hooks->isObject()) {
      for (const doc::Member& hook : hooks->members) {
        Webhook webhook;
        webhook.name = hook.key;
        pathItem(hook.key, resolved(hook.value), webhook.operations, "webhook." + hook.key, 0);
        api_.webhooks.push_back(std::move(webhook));
      }
    }
    types_.markRecursive();
    assignNames(api_);
  }

 private:
  const Node* resolved(const Node* node) const { return node == nullptr ? nullptr : spec_.resolve(node); }

  Origin originOf(const Node& node) const {
    return Origin{spec_.sources.at(node.location.file).displayName, node.location.line, node.pointer()};
  }

  void servers(const Node* list, std::vector<Server>& out) {
    if (list == nullptr || !list->isArray()) return;
    for (const Node* item : list->items) {
      if (!item->isObject()) continue;
      Server server;
      server.url = std::string(item->getString("url"));
      server.description = std::string(item->getString("description"));
      if (const Node* variables = item->get("variables"); variables && variables->isObject()) {
        for (const doc::Member& variable : variables->members) {
          server.variableDefaults[variable.key] = std::string(variable.value->getString("default"));
        }
      }
      out.push_back(std::move(server));
    }
  }

  void tags(const Node* list) {
    if (list == nullptr || !list->isArray()) return;
    for (const Node* item : list->items) {
      if (!item->isObject()) continue;
      Tag tag;
      tag.name = std::string(item->getString("name"));
      const Node* description = item->get("description");
      if (const Node* text = resolved(description); text != nullptr && text->isString()) {
        tag.description = text->text;
      }
      api_.tags.push_back(std::move(tag));
    }
  }

  void securitySchemes(const Node* root) {
    const Node* components = resolved(root->get("components"));
    const Node* schemes = components != nullptr ? resolved(components->get("securitySchemes")) : nullptr;
    if (schemes == nullptr || !schemes->isObject()) return;
    for (const doc::Member& member : schemes->members) {
      const Node* node = resolved(member.value);
      if (node == nullptr || !node->isObject()) continue;
      SecurityScheme scheme;
      scheme.name = member.key;
      scheme.type = std::string(node->getString("type"));
      scheme.scheme = std::string(node->getString("scheme"));
      scheme.bearerFormat = std::string(node->getString("bearerFormat"));
      scheme.in = std::string(node->getString("in"));
      scheme.parameterName = std::string(node->getString("name"));
      scheme.openIdConnectUrl = std::string(node->getString("openIdConnectUrl"));
      scheme.description = std::string(node->getString("description"));
      if (const Node* flows = node->get("flows"); flows && flows->isObject()) {
        for (const doc::Member& flow : flows->members) {
          auto& scopes = scheme.flows[flow.key];
          if (const Node* list = flow.value->get("scopes"); list && list->isObject()) {
            for (const doc::Member& scope : list->members) scopes[scope.key] = scope.value->text;
          }
        }
      }
      api_.securitySchemes.push_back(std::move(scheme));
    }
  }

  std::vector<SecurityRequirement> requirements(const Node& list) {
    std::vector<SecurityRequirement> out;
    for (const Node* item : list.items) {
      SecurityRequirement requirement;
      for (const doc::Member& member : item->members) {
        std::vector<std::string> scopes;
        for (const Node* scope : member.value->items) scopes.push_back(scope->text);
        requirement.schemes.emplace_back(member.key, std::move(scopes));
      }
      out.push_back(std::move(requirement));
    }
    return out;
  }

  // Callbacks may lead back to the path item that declares them; bound the nesting.
  static constexpr int kMaxCallbackDepth = 8;

  void pathItem(const std::string& path, const Node* item, std::vector<Operation>& out,
                const std::string& idPrefix, int depth) {
    if (item == nullptr || !item->isObject() || depth > kMaxCallbackDepth) return;
    std::vector<const Node*> shared;
    if (const Node* list = item->get("parameters"); list && list->isArray()) shared.assign(list->items.begin(), list->items.end());
    for (const doc::Member& member : item->members) {
      if (!oas::isHttpMethod(member.key)) continue;
      const Node* node = resolved(member.value);
      if (node == nullptr || !node->isObject()) continue;
      out.push_back(operation(path, member.key, *node, shared, idPrefix, depth));
    }
  }

  Operation operation(const std::string& path, const std::string& method, const Node& node,
                      const std::vector<const Node*>& shared, const std::string& idPrefix, int depth) {
    Operation op;
    op.method = method;
    op.path = path;
    op.origin = originOf(node);
    op.operationId = std::string(node.getString("operationId"));
    if (op.operationId.empty()) {
      op.operationId = idPrefix.empty() ? method + " " + path : idPrefix + "." + method;
      op.operationIdSynthesized = true;
    } else if (!idPrefix.empty() && depth > 0) {
      op.operationId = idPrefix + "." + op.operationId;
    }
    if (const Node* list = node.get("tags")) {
      for (const Node* tag : list->items) {
        if (tag->isString()) op.tags.push_back(tag->text);
      }
    }
    op.summary = std::string(node.getString("summary"));
    op.description = std::string(node.getString("description"));
    op.deprecated = node.getBool("deprecated", false);

    // Operation parameters override path-item ones with the same name and location.
    std::vector<const Node*> own;
    if (const Node* list = node.get("parameters"); list && list->isArray()) own.assign(list->items.begin(), list->items.end());
    auto key = [&](const Node* p) {
      const Node* r = resolved(p);
      return r == nullptr ? std::string() : std::string(r->getString("in")) + ":" + std::string(r->getString("name"));
    };
    std::set<std::string> overridden;
    for (const Node* p : own) overridden.insert(key(p));
    for (const Node* p : shared) {
      if (overridden.count(key(p)) == 0) addParameter(op, p);
    }
    for (const Node* p : own) addParameter(op, p);

    if (const Node* body = node.get("requestBody"); resolved(body) != nullptr && resolved(body)->isObject()) {
      int index = component(body, "requestBodies", api_.requestBodies, [&](const Node& target, const std::string& name) {
        return requestBody(target, name);
      });
      op.requestBody = index >= 0 ? api_.requestBodies[static_cast<std::size_t>(index)].value
                                  : requestBody(*resolved(body), op.operationId + ".request");
      op.requestBody->component = index;
    }
    if (const Node* responses = resolved(node.get("responses")); responses && responses->isObject()) {
      for (const doc::Member& member : responses->members) {
        if (member.key.rfind("x-", 0) == 0) continue;
        int index = component(member.value, "responses", api_.responses, [&](const Node& target, const std::string& name) {
          return response("", &target, name);
        });
        Response r = index >= 0 ? api_.responses[static_cast<std::size_t>(index)].value
                                : response(member.key, resolved(member.value), op.operationId + "." + member.key);
        r.status = member.key;
        r.component = index;
        op.responses.push_back(std::move(r));
      }
    }
    if (const Node* security = node.get("security")) op.security = requirements(*security);
    op.effectiveSecurity = op.security ? *op.security : api_.security;
    if (const Node* callbacks = node.get("callbacks"); callbacks && callbacks->isObject()) {
      for (const doc::Member& member : callbacks->members) {
        const Node* callback = resolved(member.value);
        if (callback == nullptr || !callback->isObject()) continue;
        for (const doc::Member& expression : callback->members) {
          if (expression.key.rfind("x-", 0) == 0) continue;
          Callback out;
          out.name = member.key;
          out.expression = expression.key;
          pathItem(expression.key, resolved(expression.value), out.operations,
                   op.operationId + "." + member.key, depth + 1);
          op.callbacks.push_back(std::move(out));
        }
      }
    }
    return op;
  }

  // The index of the component `node` refers to in `section`, built on its first use, or
  // -1 when `node` is written inline (or refers to something that is not a component).
  // Building it on first use, under the component's name, gives the types of its inline
  // schemas that name instead of the first operation's.
  template <class T, class Build>
  int component(const Node* node, const char* section, std::vector<Component<T>>& out, Build build) {
    if (node == nullptr || !load::LoadedSpec::isRef(*node)) return -1;
    const Node* target = resolved(node);
    const std::string* name = target != nullptr && target->isObject() ? names_.find(*target, section) : nullptr;
    if (name == nullptr) return -1;
    auto [it, added] = components_.emplace(target, static_cast<int>(out.size()));
    if (added) {
      T value = build(*target, contextOf(*name, section));
      out.push_back(Component<T>{*name, "", std::move(value)});
    }
    return it->second;
  }

  // What names the types of a component's inline schemas: its name, unless a schema or a
  // component of another section has that name ("NotFound.response", "RequestId.parameter").
  std::string contextOf(const std::string& name, std::string_view section) {
    if (schemaNames_.empty()) {
      for (const auto& entry : names_.entries("schemas")) schemaNames_.insert(entry.name);
    }
    if (schemaNames_.count(name) == 0 && contexts_.insert(name).second) return name;
    std::string_view singular = section == "requestBodies" ? "requestBody" : section.substr(0, section.size() - 1);
    return name + "." + std::string(singular);
  }

  RequestBody requestBody(const Node& body, const std::string& context) {
    RequestBody request;
    request.required = body.getBool("required", false);
    request.description = std::string(body.getString("description"));
    contents(body.get("content"), request.contents, context);
    return request;
  }

  void addParameter(Operation& op, const Node* ref) {
    const Node* node = resolved(ref);
    if (node == nullptr || !node->isObject()) return;
    int index = component(ref, "parameters", api_.parameters, [&](const Node& target, const std::string& name) {
      return parameter(target, name);
    });
    Parameter p = index >= 0 ? api_.parameters[static_cast<std::size_t>(index)].value
                             : parameter(*node, op.operationId + "." + std::string(node->getString("name")));
    p.component = index;
    op.parameters.push_back(std::move(p));
  }

  Parameter parameter(const Node& param, const std::string& context) {
    const Node* node = &param;
    Parameter p;
    p.name = std::string(node->getString("name"));
    std::string_view in = node->getString("in");
    p.in = in == "path" ? ParameterLocation::Path
         : in == "header" ? ParameterLocation::Header
         : in == "cookie" ? ParameterLocation::Cookie
                          : ParameterLocation::Query;
    p.required = node->getBool("required", false) || p.in == ParameterLocation::Path;
    p.deprecated = node->getBool("deprecated", false);
    p.allowEmptyValue = node->getBool("allowEmptyValue", false);
    p.allowReserved = node->getBool("allowReserved", false);
    bool formLike = p.in == ParameterLocation::Query || p.in == ParameterLocation::Cookie;
    p.style = std::string(node->getString("style", formLike ? "form" : "simple"));
    p.explode = node->getBool("explode", p.style == "form");
    p.description = std::string(node->getString("description"));
    if (const Node* schema = node->get("schema")) {
      p.type = types_.typeOf(schema, context).id;
    } else if (const Node* content = node->get("content"); content && content->isObject() && !content->members.empty()) {
      p.mediaType = content->members.front().key;
      p.type = types_.typeOf(content->members.front().value->get("schema"), context).id;
    } else {
      p.type = types_.typeOf(nullptr, context).id;
    }
    if (const Node* example = node->get("example")) p.examples.push_back(toJson(*example));
    if (const Node* examples = node->get("examples"); examples && examples->isObject()) {
      for (const doc::Member& m : examples->members) {
        if (const Node* value = resolved(m.value); value && value->get("value")) {
          p.examples.push_back(toJson(*value->get("value")));
        }
      }
    }
    p.origin = originOf(*node);
    return p;
  }

  void contents(const Node* content, std::vector<MediaType>& out, const std::string& context) {
    if (content == nullptr || !content->isObject()) return;
    bool several = content->members.size() > 1;
    for (const doc::Member& member : content->members) {
      const Node* media = resolved(member.value);
      if (media == nullptr || !media->isObject()) continue;
      MediaType m;
      m.mediaType = member.key;
      std::string name = several ? context + "." + member.key : context;
      m.type = types_.typeOf(media->get("schema"), name).id;
      if (const Node* example = media->get("example")) m.examples["default"] = toJson(*example);
      if (const Node* examples = media->get("examples"); examples && examples->isObject()) {
        for (const doc::Member& e : examples->members) {
          if (const Node* value = resolved(e.value); value && value->get("value")) {
            m.examples[e.key] = toJson(*value->get("value"));
          }
        }
      }
      if (const Node* encoding = media->get("encoding"); encoding && encoding->isObject()) {
        for (const doc::Member& e : encoding->members) {
          MediaType::Encoding enc;
          enc.contentType = std::string(e.value->getString("contentType"));
          enc.style = std::string(e.value->getString("style"));
          if (const Node* explode = e.value->get("explode"); explode && explode->isBool()) enc.explode = explode->boolean;
          enc.allowReserved = e.value->getBool("allowReserved", false);
          m.encoding[e.key] = enc;
        }
      }
      out.push_back(std::move(m));
    }
  }

  Header header(const std::string& name, const Node& node, const std::string& context) {
    Header h;
    h.name = name;
    h.required = node.getBool("required", false);
    h.deprecated = node.getBool("deprecated", false);
    h.description = std::string(node.getString("description"));
    h.type = types_.typeOf(node.get("schema"), context).id;
    return h;
  }

  // `context` names the types of the response's inline schemas: "<operationId>.<status>",
  // or the component's name.
  Response response(const std::string& status, const Node* node, const std::string& context) {
    Response r;
    r.status = status;
    if (node == nullptr || !node->isObject()) return r;
    r.description = std::string(node->getString("description"));
    if (const Node* headers = node->get("headers"); headers && headers->isObject()) {
      for (const doc::Member& member : headers->members) {
        const Node* target = resolved(member.value);
        if (target == nullptr || !target->isObject()) continue;
        // The spec says a Content-Type response header is ignored.
        std::string lower = member.key;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "content-type") continue;
        int index = component(member.value, "headers", api_.headers, [&](const Node& shared, const std::string& name) {
          return header(member.key, shared, name);
        });
        Header h = index >= 0 ? api_.headers[static_cast<std::size_t>(index)].value
                              : header(member.key, *target, context + "." + member.key);
        h.name = member.key;
        h.component = index;
        r.headers.push_back(std::move(h));
      }
    }
    contents(node->get("content"), r.contents, context);
    if (const Node* links = node->get("links"); links && links->isObject()) {
      for (const doc::Member& member : links->members) {
        const Node* link = resolved(member.value);
        if (link == nullptr || !link->isObject()) continue;
        Link l;
        l.name = member.key;
        l.operationId = std::string(link->getString("operationId"));
        if (l.operationId.empty()) l.operationId = std::string(link->getString("operationRef"));
        if (const Node* params = link->get("parameters"); params && params->isObject()) {
          for (const doc::Member& p : params->members) l.parameters.emplace_back(p.key, toJson(*p.value));
        }
        if (const Node* body = link->get("requestBody")) l.requestBody = toJson(*body);
        l.description = std::string(link->getString("description"));
        r.links.push_back(std::move(l));
      }
    }
    return r;
  }

  const load::LoadedSpec& spec_;
  Api& api_;
  oas::ComponentNames names_;
  TypeBuilder types_;
  // Component target -> its index in the Api's list of that section (a node belongs to
  // one section only).
  std::unordered_map<const Node*, int> components_;
  std::set<std::string> schemaNames_;  // of components/schemas
  std::set<std::string> contexts_;     // the component names contextOf gave as they are
};

}  // namespace

Api build(const load::LoadedSpec& spec) {
  Api api;
  ApiBuilder(spec, api).run();
  return api;
}

}  // namespace tether::ir
