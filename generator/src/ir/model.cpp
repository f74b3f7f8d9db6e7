#include "tether/ir/model.h"

namespace tether::ir {

std::vector<TypeId> Api::namedTypes() const {
  std::vector<TypeId> out;
  for (const Type& type : types) {
    if (type.named) out.push_back(type.id);
  }
  return out;
}

const Operation* Api::findOperation(const std::string& operationId) const {
  for (const Operation& op : operations) {
    if (op.operationId == operationId) return &op;
  }
  return nullptr;
}

const char* toString(TypeKind kind) {
  switch (kind) {
    case TypeKind::Any: return "any";
    case TypeKind::Never: return "never";
    case TypeKind::Null: return "null";
    case TypeKind::Boolean: return "boolean";
    case TypeKind::Integer: return "integer";
    case TypeKind::Number: return "number";
    case TypeKind::String: return "string";
    case TypeKind::Array: return "array";
    case TypeKind::Map: return "map";
    case TypeKind::Object: return "object";
    case TypeKind::Enum: return "enum";
    case TypeKind::OneOf: return "oneOf";
    case TypeKind::AnyOf: return "anyOf";
  }
  return "?";
}

const char* toString(ParameterLocation location) {
  switch (location) {
    case ParameterLocation::Path: return "path";
    case ParameterLocation::Query: return "query";
    case ParameterLocation::Header: return "header";
    case ParameterLocation::Cookie: return "cookie";
  }
  return "?";
}

}  // namespace tether::ir
