// Structural rules: each object checked against the grammar and the meta-schema's
// conditional rules for its type.
#include "structure.h"

#include <regex>

namespace tether::check {

using doc::Node;
using oas::ObjectType;
using oas::Shape;

namespace {

bool isExtension(std::string_view key) { return key.rfind("x-", 0) == 0; }

const char* expected(Shape shape) {
  switch (shape) {
    case Shape::One: case Shape::MapOf: case Shape::StringMap: return "an object";
    case Shape::ArrayOf: case Shape::StringArray: return "an array";
    case Shape::String: return "a string";
    case Shape::Boolean: return "a boolean";
    case Shape::Number: return "a number";
    case Shape::Any: return "a value";
  }
  return "a value";
}

bool shapeMatches(Shape shape, ObjectType type, const Node& value) {
  switch (shape) {
    case Shape::One:
      if (type == ObjectType::Schema) return value.isObject() || value.isBool();
      return value.isObject();
    case Shape::MapOf: return value.isObject();
    case Shape::ArrayOf: return value.isArray();
    case Shape::String: return value.isString();
    case Shape::Boolean: return value.isBool();
    case Shape::Number: return value.isNumber();
    case Shape::StringArray:
      if (!value.isArray()) return false;
      for (const Node* item : value.items) {
        if (!item->isString()) return false;
      }
      return true;
    case Shape::StringMap:
      if (!value.isObject()) return false;
      for (const doc::Member& m : value.members) {
        if (!m.value->isString()) return false;
      }
      return true;
    case Shape::Any: return true;
  }
  return true;
}

}  // namespace

void StructureChecker::check(const Node& node, ObjectType type) {
  if (type == ObjectType::Schema) return checkSchema(node);
  if (type == ObjectType::Any) return;
  if (!node.isObject()) {
    diagnostics_.error("oas-type", node, std::string(oas::name(type)) + " must be an object, not " + node.kindName());
    return;
  }
  bool typed = !oas::fieldsOf(type).empty();
  if (typed) {
    for (const doc::Member& member : node.members) {
      if (isExtension(member.key)) continue;
      const oas::FieldRule* rule = oas::fieldRule(type, member.key);
      if (rule == nullptr) {
        if (type == ObjectType::Document && member.key == "swagger") continue;
        diagnostics_.errorAtKey("oas-unknown-field", member,
                           "unknown field '" + member.key + "' in " + std::string(oas::name(type)));
        continue;
      }
      // A value given by reference (tools resolve $ref anywhere) is judged by its target.
      const Node& value = resolve_(*member.value);
      if (!shapeMatches(rule->shape, rule->type, value)) {
        diagnostics_.error("oas-type", *member.value,
                           "'" + member.key + "' must be " + expected(rule->shape) + ", not " +
                               value.kindName());
      }
    }
    for (const oas::FieldRule& rule : oas::fieldsOf(type)) {
      if (rule.required && node.get(rule.name) == nullptr) {
        // In 3.1 a Response needs only `description`; Info, License, etc. as declared.
        diagnostics_.error("oas-required", node,
                           std::string(oas::name(type)) + " is missing the required field '" +
                               std::string(rule.name) + "'");
      }
    }
  }
  switch (type) {
    case ObjectType::Document: checkDocument(node); break;
    case ObjectType::Parameter: checkParameter(node); break;
    case ObjectType::Header: checkHeader(node); break;
    case ObjectType::MediaType: checkExamples(node); break;
    case ObjectType::ServerVariable: checkServerVariable(node); break;
    case ObjectType::SecurityScheme: checkSecurityScheme(node); break;
    case ObjectType::Link: checkLink(node); break;
    case ObjectType::Responses: checkResponses(node); break;
    case ObjectType::Paths: checkPaths(node); break;
    case ObjectType::Operation:
      if (openApi30_ && node.get("responses") == nullptr) {
        diagnostics_.error("oas-required", node, "Operation Object is missing the required field 'responses'");
      }
      break;
    default: break;
  }
}

void StructureChecker::checkDocument(const Node& node) {
  const Node* version = node.get("openapi");
  if (version != nullptr && version->isString()) {
    static const std::regex kVersion(R"(3\.[01]\.\d+(-.+)?)");
    if (!std::regex_match(version->text, kVersion)) {
      diagnostics_.error("oas-version", *version,
                         "unsupported OpenAPI version '" + version->text + "' (3.0.x and 3.1.x are)");
    }
  }
  if (openApi30_) {
    if (node.get("paths") == nullptr) {
      diagnostics_.error("oas-required", node, "an OpenAPI 3.0 document needs 'paths'");
    }
    if (node.get("webhooks") != nullptr) {
      diagnostics_.error("oas-unknown-field", *node.get("webhooks"), "'webhooks' is new in OpenAPI 3.1");
    }
  } else if (node.get("paths") == nullptr && node.get("components") == nullptr &&
             node.get("webhooks") == nullptr) {
    diagnostics_.error("oas-required", node,
                       "an OpenAPI 3.1 document needs at least one of 'paths', 'components' or 'webhooks'");
  }
}

void StructureChecker::checkExamples(const Node& node) {
  if (node.get("example") != nullptr && node.get("examples") != nullptr) {
    diagnostics_.error("oas-example-examples", *node.get("examples"),
                       "'example' and 'examples' are mutually exclusive");
  }
}

void StructureChecker::checkSchemaOrContent(const Node& node, const char* what) {
  bool schema = node.get("schema") != nullptr;
  const Node* content = node.get("content");
  if (schema == (content != nullptr)) {
    diagnostics_.error("oas-schema-content", node,
                       std::string(what) + " must have exactly one of 'schema' and 'content'");
  }
  if (content != nullptr && content->isObject() && content->members.size() != 1) {
    diagnostics_.error("oas-content-single", *content,
                       std::string(what) + " 'content' must hold exactly one media type");
  }
}

void StructureChecker::checkParameter(const Node& node) {
  checkExamples(node);
  checkSchemaOrContent(node, "a Parameter Object");
  const Node* inNode = node.get("in");
  if (inNode == nullptr || !inNode->isString()) return;
  const std::string& in = inNode->text;
  if (in != "query" && in != "header" && in != "path" && in != "cookie") {
    diagnostics_.error("oas-parameter-in", *inNode,
                       "'in' must be query, header, path or cookie, not '" + in + "'");
    return;
  }
  // As in the meta-schema, the style rules hold for parameters described by `schema`;
  // with `content` the serialization comes from the media type.
  bool bySchema = node.get("schema") != nullptr;
  if (!bySchema) {
    for (const char* key : {"style", "explode", "allowReserved"}) {
      if (const Node* value = node.get(key)) {
        diagnostics_.error("oas-parameter-field", *value,
                           std::string("'") + key + "' applies only to a parameter with 'schema', not 'content'");
      }
    }
  }
  if (in == "path") {
    const Node* required = node.get("required");
    if (required == nullptr || !required->isBool() || !required->boolean) {
      const Node& at = required != nullptr ? *required : node;
      std::string message = "a path parameter must have 'required: true'";
      if (bySchema) {
        diagnostics_.error("oas-path-required", at, message);
      } else {
        diagnostics_.warning("oas-path-required", at, message);
      }
    }
    std::string_view name = node.getString("name");
    if (name.find_first_of("{}") != std::string_view::npos) {
      diagnostics_.error("oas-path-name", *node.get("name"), "a path parameter name cannot contain '{' or '}'");
    }
  }
  if (in != "query") {
    for (const char* key : {"allowReserved", "allowEmptyValue"}) {
      if (const Node* value = node.get(key)) {
        diagnostics_.error("oas-parameter-field", *value,
                           std::string("'") + key + "' applies only to query parameters, not " + in);
      }
    }
  }
  if (const Node* style = node.get("style"); style != nullptr && style->isString()) {
    static const std::map<std::string, std::vector<std::string>> kStyles = {
        {"path", {"matrix", "label", "simple"}},
        {"query", {"form", "spaceDelimited", "pipeDelimited", "deepObject"}},
        {"header", {"simple"}},
        {"cookie", {"form"}}};
    const auto& allowed = kStyles.at(in);
    if (std::find(allowed.begin(), allowed.end(), style->text) == allowed.end()) {
      std::string list;
      for (const std::string& s : allowed) list += (list.empty() ? "" : ", ") + s;
      diagnostics_.error("oas-parameter-style", *style,
                         "style '" + style->text + "' is not allowed in " + in + " (allowed: " + list + ")");
    }
  }
}

void StructureChecker::checkHeader(const Node& node) {
  checkExamples(node);
  checkSchemaOrContent(node, "a Header Object");
  if (const Node* style = node.get("style"); style != nullptr && style->isString() && style->text != "simple") {
    diagnostics_.error("oas-header-style", *style, "a header's style must be 'simple'");
  }
}

void StructureChecker::checkServerVariable(const Node& node) {
  const Node* values = node.get("enum");
  if (values == nullptr || !values->isArray()) return;
  if (values->items.empty()) {
    diagnostics_.error("oas-server-enum", *values, "a server variable's 'enum' must not be empty");
    return;
  }
  std::string_view fallback = node.getString("default");
  bool found = false;
  for (const Node* v : values->items) found = found || (v->isString() && v->text == fallback);
  if (!found) diagnostics_.warning("oas-server-default", node, "the default value is not in 'enum'");
}

void StructureChecker::checkSecurityScheme(const Node& node) {
  std::string_view type = node.getString("type");
  if (node.get("$ref") != nullptr) return;
  static const std::map<std::string_view, std::vector<const char*>> kRequired = {
      {"apiKey", {"name", "in"}}, {"http", {"scheme"}}, {"mutualTLS", {}},
      {"oauth2", {"flows"}},      {"openIdConnect", {"openIdConnectUrl"}}};
  auto it = kRequired.find(type);
  if (it == kRequired.end()) {
    if (const Node* t = node.get("type")) {
      diagnostics_.error("oas-security-type", *t, "unknown security scheme type '" + std::string(type) + "'");
    }
    return;
  }
  if (openApi30_ && type == "mutualTLS") {
    diagnostics_.error("oas-security-type", *node.get("type"), "'mutualTLS' is new in OpenAPI 3.1");
  }
  for (const char* key : it->second) {
    if (node.get(key) == nullptr) {
      diagnostics_.error("oas-required", node,
                         "a security scheme of type " + std::string(type) + " needs '" + key + "'");
    }
  }
}

void StructureChecker::checkLink(const Node& node) {
  if (node.get("operationId") != nullptr && node.get("operationRef") != nullptr) {
    diagnostics_.error("oas-link-target", node, "a Link has 'operationId' or 'operationRef', not both");
  }
}

void StructureChecker::checkResponses(const Node& node) {
  static const std::regex kStatus(R"([1-5](\d\d|XX))");
  for (const doc::Member& member : node.members) {
    if (isExtension(member.key) || member.key == "default") continue;
    if (!std::regex_match(member.key, kStatus)) {
      diagnostics_.error("oas-status-code", *member.value,
                         "'" + member.key + "' is not an HTTP status code, a range like 4XX, or 'default'");
    }
  }
}

void StructureChecker::checkPaths(const Node& node) {
  for (const doc::Member& member : node.members) {
    if (isExtension(member.key)) continue;
    if (member.key.empty() || member.key[0] != '/') {
      diagnostics_.error("oas-path-key", *member.value, "path '" + member.key + "' must begin with '/'");
    }
  }
}

void StructureChecker::checkSchema(const Node& node) {
  if (node.isBool()) {
    // 3.0 allows a boolean only for additionalProperties.
    if (openApi30_ && node.keyInParent() != "additionalProperties") diagnostics_.error("oas-schema-type", node, "a 3.0 Schema Object must be an object");
    return;
  }
  if (!node.isObject()) {
    diagnostics_.error("oas-schema-type", node,
                       std::string("a Schema Object must be an object") + (openApi30_ ? "" : " or a boolean") +
                           ", not " + node.kindName());
    return;
  }
  const Node* type = node.get("type");
  if (type == nullptr) return;
  static const std::set<std::string> kTypes = {"null", "boolean", "object", "array", "number", "string", "integer"};
  auto checkName = [&](const Node& name) {
    if (!name.isString() || kTypes.count(name.text) == 0 || (openApi30_ && name.text == "null")) {
      diagnostics_.error("oas-schema-type", name, "'" + (name.isString() ? name.text : std::string(name.kindName())) +
                                                      "' is not a schema type");
    }
  };
  if (type->isArray()) {
    if (openApi30_) {
      diagnostics_.error("oas-schema-type", *type, "in OpenAPI 3.0 'type' must be a single string");
      return;
    }
    for (const Node* item : type->items) checkName(*item);
  } else {
    checkName(*type);
  }
}

}  // namespace tether::check
