// The intermediate representation: what every emitter reads, and all it reads.
//
// It is one model for OpenAPI 3.0 and 3.1 (3.0 is normalized into the 3.1 model while the
// IR is built): the operations of the API with everything needed to route, parse,
// validate and serialize them, and a table of types derived from the schemas. Types refer
// to each other by TypeId, so recursive schemas need no special representation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/doc/node.h"

namespace tether::ir {

using Json = nlohmann::ordered_json;
using TypeId = std::int32_t;
constexpr TypeId kNoType = -1;

// Where an IR element came from, for diagnostics and generated comments.
struct Origin {
  std::string file;
  std::uint32_t line = 0;
  std::string pointer;
};

enum class TypeKind {
  Any,      // no constraint on the shape ({} or true)
  Never,    // false: nothing validates
  Null,
  Boolean,
  Integer,
  Number,
  String,
  Array,
  Map,      // an object with only additionalProperties
  Object,   // an object with named properties (allOf parts merged in)
  Enum,     // a closed set of scalar values
  OneOf,    // exactly one variant; see `discriminator`
  AnyOf,    // at least one variant
};

struct Field {
  std::string jsonName;
  std::string cppName;
  TypeId type = kNoType;
  bool required = false;
  // The value may be null (type array with "null"); distinct from "may be absent".
  bool nullable = false;
  bool readOnly = false;
  bool writeOnly = false;
  bool deprecated = false;
  std::string description;
  std::optional<Json> defaultValue;
};

struct Discriminator {
  std::string propertyName;
  // Discriminator value -> variant, in the order of `mapping`, then of implicit names.
  std::vector<std::pair<std::string, TypeId>> mapping;
};

enum class ExtraProperties { Allowed, Forbidden, Typed };

struct Type {
  TypeId id = kNoType;
  TypeKind kind = TypeKind::Any;
  // The schema's name: a component name ("Pet"), or a path for an inline schema
  // ("Pet.owner", "createPet.request"). Unique within the IR.
  std::string name;
  std::string cppName;
  // True for schemas the spec names (components/schemas, or a schema file referenced by
  // name); emitters declare these as standalone types.
  bool named = false;
  std::string title;
  std::string description;
  std::string format;
  bool nullable = false;
  bool readOnly = false;
  bool writeOnly = false;
  bool deprecated = false;
  // Object
  std::vector<Field> fields;
  ExtraProperties extra = ExtraProperties::Allowed;
  TypeId extraType = kNoType;  // for Typed extra properties, and for Map values
  // Array
  TypeId items = kNoType;
  // Enum: the base scalar kind and the values
  TypeKind enumBase = TypeKind::String;
  std::vector<Json> enumValues;
  // OneOf / AnyOf
  std::vector<TypeId> variants;
  std::optional<Discriminator> discriminator;
  // The schema, normalized to JSON Schema 2020-12, with references to named schemas
  // written as {"$ref": "#/components/schemas/<name>"}. Validators compile this.
  Json schema;
  // Part of a reference cycle (emitters need indirection somewhere on the cycle).
  bool recursive = false;
  Origin origin;
};

enum class ParameterLocation { Path, Query, Header, Cookie };

struct Parameter {
  std::string name;
  std::string cppName;
  ParameterLocation in = ParameterLocation::Query;
  bool required = false;
  bool deprecated = false;
  bool allowEmptyValue = false;
  bool allowReserved = false;
  // Defaults already applied: form for query/cookie, simple for path/header.
  std::string style;
  bool explode = false;
  TypeId type = kNoType;
  // Set when the parameter uses `content` instead of `schema`.
  std::string mediaType;
  std::string description;
  std::vector<Json> examples;
  Origin origin;
  // Index into Api::parameters when the spec wrote a $ref to a parameter component; the
  // fields above are still the resolved parameter. -1: written inline.
  int component = -1;
};

struct MediaType {
  std::string mediaType;  // "application/json", "multipart/form-data", "*/*", ...
  TypeId type = kNoType;
  std::map<std::string, Json> examples;  // name -> value ("default" for `example`)
  // Encoding per property (multipart, form).
  struct Encoding {
    std::string contentType;
    std::string style;
    std::optional<bool> explode;
    bool allowReserved = false;
  };
  std::map<std::string, Encoding> encoding;
};

struct RequestBody {
  bool required = false;
  std::string description;
  std::vector<MediaType> contents;
  int component = -1;  // index into Api::requestBodies when written as a $ref
};

struct Header {
  std::string name;
  std::string cppName;
  bool required = false;
  bool deprecated = false;
  TypeId type = kNoType;
  std::string description;
  int component = -1;  // index into Api::headers when written as a $ref
};

struct Link {
  std::string name;
  // The operation the link leads to, resolved from operationId or operationRef.
  std::string operationId;
  // Target parameter name -> runtime expression or constant.
  std::vector<std::pair<std::string, Json>> parameters;
  std::optional<Json> requestBody;
  std::string description;
};

struct Response {
  // "200", "4XX" or "default".
  std::string status;
  std::string description;
  std::vector<Header> headers;
  std::vector<MediaType> contents;
  std::vector<Link> links;
  // Index into Api::responses when the spec wrote a $ref to a response component (its
  // status is the operation's; the component's own `status` is empty). -1: inline.
  int component = -1;
};

struct SecurityRequirement {
  // Scheme name -> scopes; an empty requirement ({}) means anonymous access is allowed.
  std::vector<std::pair<std::string, std::vector<std::string>>> schemes;
};

struct Operation;

struct Callback {
  std::string name;
  std::string expression;  // "{$request.body#/callbackUrl}"
  std::vector<Operation> operations;
};

struct Operation {
  std::string operationId;  // as in the spec, or synthesized from method and path
  bool operationIdSynthesized = false;
  std::string cppName;
  std::string method;  // lower case: get, put, post, ...
  std::string path;    // "/pets/{petId}"
  std::vector<std::string> tags;
  std::string summary;
  std::string description;
  bool deprecated = false;
  std::vector<Parameter> parameters;  // path-item and operation parameters, merged
  std::optional<RequestBody> requestBody;
  std::vector<Response> responses;
  // nullopt: the document's default security applies.
  std::optional<std::vector<SecurityRequirement>> security;
  // The security in force (the operation's, else the document's).
  std::vector<SecurityRequirement> effectiveSecurity;
  std::vector<Callback> callbacks;
  Origin origin;
};

struct Webhook {
  std::string name;  // the key under `webhooks`
  std::vector<Operation> operations;
};

struct SecurityScheme {
  std::string name;
  std::string type;  // apiKey, http, mutualTLS, oauth2, openIdConnect
  std::string scheme;  // http: bearer, basic, ...
  std::string bearerFormat;
  std::string in;      // apiKey: query, header, cookie
  std::string parameterName;
  std::string openIdConnectUrl;
  // Flow name -> scope -> description.
  std::map<std::string, std::map<std::string, std::string>> flows;
  std::string description;
};

struct Tag {
  std::string name;
  std::string cppName;
  std::string description;
};

struct Server {
  std::string url;
  std::string description;
  std::map<std::string, std::string> variableDefaults;
};

// A reusable object of `components` (responses, parameters, headers, requestBodies) that
// operations refer to with $ref. Emitters declare it once, named after the component, and
// make the operations that use it refer to that declaration; the operations still carry
// the resolved data, so a consumer that ignores components sees what it always saw.
template <class T>
struct Component {
  std::string name;     // the component name, as ComponentNames gives it ("NotFound")
  std::string cppName;  // "NotFound"
  T value;
};

struct Api {
  std::string sourceVersion;  // the `openapi` field of the input, e.g. "3.0.3"
  std::string title;
  std::string version;
  std::string description;
  std::vector<Server> servers;
  std::vector<Tag> tags;  // declared tags, then tags only used by operations
  std::vector<Operation> operations;
  std::vector<Webhook> webhooks;
  std::vector<SecurityScheme> securitySchemes;
  std::vector<SecurityRequirement> security;
  std::vector<Type> types;  // indexed by TypeId
  // The components operations refer to, in order of first use. The types of their inline
  // schemas are named after the component, not after the first operation that uses it.
  std::vector<Component<Response>> responses;
  std::vector<Component<Parameter>> parameters;
  std::vector<Component<Header>> headers;
  std::vector<Component<RequestBody>> requestBodies;

  const Type& type(TypeId id) const { return types.at(static_cast<std::size_t>(id)); }
  // Named types in declaration order.
  std::vector<TypeId> namedTypes() const;
  const Operation* findOperation(const std::string& operationId) const;
};

const char* toString(TypeKind kind);
const char* toString(ParameterLocation location);

}  // namespace tether::ir
