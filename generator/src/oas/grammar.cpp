#include "tether/oas/grammar.h"

#include <array>

namespace tether::oas {

namespace {

using enum Shape;
using T = ObjectType;

constexpr FieldRule kDocument[] = {
    {"openapi", String, T::Any, true}, {"info", One, T::Info, true},
    {"jsonSchemaDialect", String},     {"servers", ArrayOf, T::Server},
    {"paths", One, T::Paths},          {"webhooks", MapOf, T::PathItem},
    {"components", One, T::Components}, {"security", ArrayOf, T::SecurityRequirement},
    {"tags", ArrayOf, T::Tag},         {"externalDocs", One, T::ExternalDocs},
};
constexpr FieldRule kInfo[] = {
    {"title", String, T::Any, true}, {"summary", String},        {"description", String},
    {"termsOfService", String},      {"contact", One, T::Contact}, {"license", One, T::License},
    {"version", String, T::Any, true},
};
constexpr FieldRule kContact[] = {{"name", String}, {"url", String}, {"email", String}};
constexpr FieldRule kLicense[] = {{"name", String, T::Any, true}, {"identifier", String}, {"url", String}};
constexpr FieldRule kServer[] = {
    {"url", String, T::Any, true}, {"description", String}, {"variables", MapOf, T::ServerVariable}};
constexpr FieldRule kServerVariable[] = {
    {"enum", StringArray}, {"default", String, T::Any, true}, {"description", String}};
constexpr FieldRule kComponents[] = {
    {"schemas", MapOf, T::Schema},          {"responses", MapOf, T::Response},
    {"parameters", MapOf, T::Parameter},    {"examples", MapOf, T::Example},
    {"requestBodies", MapOf, T::RequestBody}, {"headers", MapOf, T::Header},
    {"securitySchemes", MapOf, T::SecurityScheme}, {"links", MapOf, T::Link},
    {"callbacks", MapOf, T::Callback},      {"pathItems", MapOf, T::PathItem},
};
constexpr FieldRule kPathItem[] = {
    {"$ref", String},  {"summary", String},       {"description", String},
    {"get", One, T::Operation},    {"put", One, T::Operation},   {"post", One, T::Operation},
    {"delete", One, T::Operation}, {"options", One, T::Operation}, {"head", One, T::Operation},
    {"patch", One, T::Operation},  {"trace", One, T::Operation},
    {"servers", ArrayOf, T::Server}, {"parameters", ArrayOf, T::Parameter},
};
constexpr FieldRule kOperation[] = {
    {"tags", StringArray},          {"summary", String},
    {"description", String},        {"externalDocs", One, T::ExternalDocs},
    {"operationId", String},        {"parameters", ArrayOf, T::Parameter},
    {"requestBody", One, T::RequestBody}, {"responses", One, T::Responses},
    {"callbacks", MapOf, T::Callback}, {"deprecated", Boolean},
    {"security", ArrayOf, T::SecurityRequirement}, {"servers", ArrayOf, T::Server},
};
constexpr FieldRule kExternalDocs[] = {{"description", String}, {"url", String, T::Any, true}};
constexpr FieldRule kParameter[] = {
    {"name", String, T::Any, true}, {"in", String, T::Any, true}, {"description", String},
    {"required", Boolean},          {"deprecated", Boolean},      {"allowEmptyValue", Boolean},
    {"style", String},              {"explode", Boolean},         {"allowReserved", Boolean},
    {"schema", One, T::Schema},     {"example", Any},             {"examples", MapOf, T::Example},
    {"content", MapOf, T::MediaType},
};
constexpr FieldRule kRequestBody[] = {
    {"description", String}, {"content", MapOf, T::MediaType, true}, {"required", Boolean}};
constexpr FieldRule kMediaType[] = {
    {"schema", One, T::Schema}, {"example", Any}, {"examples", MapOf, T::Example},
    {"encoding", MapOf, T::Encoding}};
constexpr FieldRule kEncoding[] = {
    {"contentType", String}, {"headers", MapOf, T::Header}, {"style", String},
    {"explode", Boolean},    {"allowReserved", Boolean}};
constexpr FieldRule kResponse[] = {
    {"description", String, T::Any, true}, {"headers", MapOf, T::Header},
    {"content", MapOf, T::MediaType},      {"links", MapOf, T::Link}};
constexpr FieldRule kExample[] = {
    {"summary", String}, {"description", String}, {"value", Any}, {"externalValue", String}};
constexpr FieldRule kLink[] = {
    {"operationRef", String}, {"operationId", String}, {"parameters", Any},
    {"requestBody", Any},     {"description", String}, {"server", One, T::Server}};
constexpr FieldRule kHeader[] = {
    {"description", String}, {"required", Boolean},     {"deprecated", Boolean},
    {"allowEmptyValue", Boolean}, {"style", String},    {"explode", Boolean},
    {"schema", One, T::Schema}, {"example", Any},       {"examples", MapOf, T::Example},
    {"content", MapOf, T::MediaType}};
constexpr FieldRule kTag[] = {
    {"name", String, T::Any, true}, {"description", String}, {"externalDocs", One, T::ExternalDocs}};
constexpr FieldRule kDiscriminator[] = {{"propertyName", String, T::Any, true}, {"mapping", StringMap}};
constexpr FieldRule kXml[] = {{"name", String}, {"namespace", String}, {"prefix", String},
                              {"attribute", Boolean}, {"wrapped", Boolean}};
constexpr FieldRule kSecurityScheme[] = {
    {"type", String, T::Any, true}, {"description", String}, {"name", String},
    {"in", String},   {"scheme", String}, {"bearerFormat", String},
    {"flows", One, T::OAuthFlows}, {"openIdConnectUrl", String}};
constexpr FieldRule kOAuthFlows[] = {
    {"implicit", One, T::OAuthFlow}, {"password", One, T::OAuthFlow},
    {"clientCredentials", One, T::OAuthFlow}, {"authorizationCode", One, T::OAuthFlow}};
constexpr FieldRule kOAuthFlow[] = {
    {"authorizationUrl", String}, {"tokenUrl", String}, {"refreshUrl", String},
    {"scopes", StringMap, T::Any, true}};

// Schema keywords that hold subschemas (2020-12, draft 7 and the OAS 3.0 dialect).
constexpr FieldRule kSchemaKeywords[] = {
    {"properties", MapOf, T::Schema},     {"patternProperties", MapOf, T::Schema},
    {"$defs", MapOf, T::Schema},          {"definitions", MapOf, T::Schema},
    {"dependentSchemas", MapOf, T::Schema},
    {"allOf", ArrayOf, T::Schema},        {"anyOf", ArrayOf, T::Schema},
    {"oneOf", ArrayOf, T::Schema},        {"prefixItems", ArrayOf, T::Schema},
    {"items", One, T::Schema},            {"additionalItems", One, T::Schema},
    {"not", One, T::Schema},              {"additionalProperties", One, T::Schema},
    {"contains", One, T::Schema},         {"if", One, T::Schema},
    {"then", One, T::Schema},             {"else", One, T::Schema},
    {"propertyNames", One, T::Schema},    {"unevaluatedItems", One, T::Schema},
    {"unevaluatedProperties", One, T::Schema}, {"contentSchema", One, T::Schema},
    {"discriminator", One, T::Discriminator}, {"xml", One, T::Xml},
    {"externalDocs", One, T::ExternalDocs},
    {"example", Any}, {"examples", Any}, {"default", Any}, {"enum", Any}, {"const", Any},
};

}  // namespace

std::string_view name(ObjectType type) {
  static constexpr std::array<std::string_view, 30> kNames = {
      "OpenAPI Object", "Info Object",      "Contact Object",   "License Object",
      "Server Object",  "Server Variable Object", "Components Object", "Paths Object",
      "Path Item Object", "Operation Object", "External Documentation Object",
      "Parameter Object", "Request Body Object", "Media Type Object", "Encoding Object",
      "Responses Object", "Response Object", "Callback Object", "Example Object",
      "Link Object",    "Header Object",    "Tag Object",       "Schema Object",
      "Discriminator Object", "XML Object", "Security Scheme Object", "OAuth Flows Object",
      "OAuth Flow Object", "Security Requirement Object", "value"};
  return kNames[static_cast<std::size_t>(type)];
}

std::span<const FieldRule> fieldsOf(ObjectType type) {
  switch (type) {
    case T::Document: return kDocument;
    case T::Info: return kInfo;
    case T::Contact: return kContact;
    case T::License: return kLicense;
    case T::Server: return kServer;
    case T::ServerVariable: return kServerVariable;
    case T::Components: return kComponents;
    case T::PathItem: return kPathItem;
    case T::Operation: return kOperation;
    case T::ExternalDocs: return kExternalDocs;
    case T::Parameter: return kParameter;
    case T::RequestBody: return kRequestBody;
    case T::MediaType: return kMediaType;
    case T::Encoding: return kEncoding;
    case T::Response: return kResponse;
    case T::Example: return kExample;
    case T::Link: return kLink;
    case T::Header: return kHeader;
    case T::Tag: return kTag;
    case T::Discriminator: return kDiscriminator;
    case T::Xml: return kXml;
    case T::SecurityScheme: return kSecurityScheme;
    case T::OAuthFlows: return kOAuthFlows;
    case T::OAuthFlow: return kOAuthFlow;
    case T::Schema: return kSchemaKeywords;
    default: return {};
  }
}

const FieldRule* fieldRule(ObjectType type, std::string_view key) {
  for (const FieldRule& rule : fieldsOf(type)) {
    if (rule.name == key) return &rule;
  }
  return nullptr;
}

bool mayBeReference(ObjectType type) {
  switch (type) {
    case T::Parameter:
    case T::RequestBody:
    case T::Response:
    case T::Callback:
    case T::Example:
    case T::Link:
    case T::Header:
    case T::SecurityScheme:
    case T::PathItem:
    case T::Schema:
      return true;
    default:
      return false;
  }
}

bool isHttpMethod(std::string_view key) {
  return key == "get" || key == "put" || key == "post" || key == "delete" || key == "options" ||
         key == "head" || key == "patch" || key == "trace";
}

}  // namespace tether::oas
