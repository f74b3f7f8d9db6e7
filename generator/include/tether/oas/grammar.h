// The shape of an OpenAPI 3.x document as data: for each object type, its fields and the
// type each field holds. One table serves every structure-aware pass: the typed walker
// (bundling, normalization), and the structural checks of `validate`.
#pragma once

#include <span>
#include <string_view>

namespace tether::oas {

enum class ObjectType {
  Document,
  Info,
  Contact,
  License,
  Server,
  ServerVariable,
  Components,
  Paths,
  PathItem,
  Operation,
  ExternalDocs,
  Parameter,
  RequestBody,
  MediaType,
  Encoding,
  Responses,
  Response,
  Callback,
  Example,
  Link,
  Header,
  Tag,
  Schema,
  Discriminator,
  Xml,
  SecurityScheme,
  OAuthFlows,
  OAuthFlow,
  SecurityRequirement,
  Any,  // free-form data (extensions, examples' values)
};

// How a field holds its value.
enum class Shape {
  One,       // one object of `type`
  MapOf,     // an object mapping names to objects of `type`
  ArrayOf,   // an array of objects of `type`
  String,
  Boolean,
  Number,
  StringArray,
  StringMap,  // name -> string (Discriminator.mapping, OAuthFlow.scopes)
  Any,        // any JSON value (example, default, enum, ...)
};

struct FieldRule {
  std::string_view name;
  Shape shape;
  ObjectType type = ObjectType::Any;
  bool required = false;
};

std::string_view name(ObjectType type);

// The fixed fields of `type`, or an empty span for types that are open (Schema, Any).
std::span<const FieldRule> fieldsOf(ObjectType type);

// The rule for `key` inside `type`, or nullptr. Schema keywords are answered too.
const FieldRule* fieldRule(ObjectType type, std::string_view key);

// Whether an object of this type may be a Reference Object ({"$ref": ...}).
bool mayBeReference(ObjectType type);

// Whether `key` is an HTTP method field of a Path Item.
bool isHttpMethod(std::string_view key);

}  // namespace tether::oas
