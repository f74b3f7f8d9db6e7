#include "type_builder.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "json_convert.h"

namespace tether::ir {

namespace {

using doc::Node;

// Keywords that only annotate: a $ref with nothing but these beside it is the same type.
bool isAnnotation(std::string_view key) {
  static const std::set<std::string_view> kAnnotations = {
      "description", "summary", "title", "deprecated", "readOnly", "writeOnly", "nullable",
      "example", "examples", "default", "$comment", "externalDocs", "xml"};
  return kAnnotations.count(key) != 0 || key.rfind("x-", 0) == 0;
}

TypeKind kindOfTypeName(std::string_view name) {
  if (name == "string") return TypeKind::String;
  if (name == "integer") return TypeKind::Integer;
  if (name == "number") return TypeKind::Number;
  if (name == "boolean") return TypeKind::Boolean;
  if (name == "array") return TypeKind::Array;
  if (name == "object") return TypeKind::Object;
  if (name == "null") return TypeKind::Null;
  return TypeKind::Any;
}

TypeKind kindOfValue(const Node& value) {
  switch (value.kind) {
    case Node::Kind::String: return TypeKind::String;
    case Node::Kind::Number: return value.integerLiteral ? TypeKind::Integer : TypeKind::Number;
    case Node::Kind::Boolean: return TypeKind::Boolean;
    default: return TypeKind::Any;
  }
}

}  // namespace

TypeBuilder::TypeBuilder(const load::LoadedSpec& spec, const oas::ComponentNames& names,
                         std::vector<Type>& types)
    : spec_(spec), names_(names), normalizer_(spec, names), types_(types),
      openApi30_(spec.isOpenApi30()) {}

void TypeBuilder::buildNamed() {
  for (const auto& entry : names_.entries("schemas")) namedType(*entry.node, entry.name);
}

TypeId TypeBuilder::allocate(const std::string& name, bool named) {
  Type type;
  type.id = static_cast<TypeId>(types_.size());
  // A type's name is its key (the models catalog, the validators' document): an inline
  // schema whose context repeats a name already given gets a suffix. A named schema keeps
  // its component name (they are unique, and built first: buildNamed).
  type.name = name;
  if (!taken_.insert(name).second && !named) {
    // The first free name~N, N from 2. Names are never given back, so the search resumes
    // where the last one for this name stopped (Kubernetes repeats `pretty`, `watch`, ...
    // in hundreds of operations: trying every N from 2 each time was quadratic).
    int& n = nextSuffix_[name];
    n = std::max(n, 2);
    while (!taken_.insert(name + "~" + std::to_string(n)).second) ++n;
    type.name = name + "~" + std::to_string(n++);
  }
  type.named = named;
  types_.push_back(std::move(type));
  return types_.back().id;
}

TypeId TypeBuilder::anyType() {
  if (any_ == kNoType) {
    any_ = allocate("any", false);
    types_[static_cast<std::size_t>(any_)].schema = Json::object();
  }
  return any_;
}

TypeId TypeBuilder::namedType(const Node& schema, const std::string& name) {
  if (auto it = named_.find(&schema); it != named_.end()) return it->second;
  TypeId id = allocate(name, true);
  named_.emplace(&schema, id);
  Type type = describe(schema, id);
  type.name = name;
  type.named = true;
  bool nullable = false;
  fill(type, schema, nullable);
  type.nullable = type.nullable || nullable;
  types_[static_cast<std::size_t>(id)] = std::move(type);
  return id;
}

TypeRef TypeBuilder::typeOf(const Node* schema, const std::string& context) {
  if (schema == nullptr) return {anyType(), false};
  if (load::LoadedSpec::isRef(*schema)) {
    const Node* target = spec_.resolve(schema);
    if (target == nullptr) return {anyType(), false};
    bool onlyAnnotations = std::all_of(schema->members.begin(), schema->members.end(), [](const doc::Member& m) {
      return m.key == "$ref" || isAnnotation(m.key);
    });
    if (openApi30_ || onlyAnnotations) {
      TypeRef ref = typeOf(target, context);
      // A 3.1 sibling "type: [..., null]" is not an annotation, so only 3.0 reaches here
      // with nullable; 3.0 ignores $ref siblings, but many 3.0 specs still write it.
      ref.nullable = ref.nullable || schema->getBool("nullable", false);
      return ref;
    }
    // 3.1: keywords beside $ref constrain it further; an inline type merges both.
  } else if (const std::string* name = names_.find(*schema, "schemas")) {
    TypeId id = namedType(*schema, *name);
    return {id, types_[static_cast<std::size_t>(id)].nullable};
  }
  // A shared inline schema (in a header or parameter component, say) is one type, named
  // after its first use.
  if (auto it = inline_.find(schema); it != inline_.end()) return it->second;
  TypeRef result = inlineType(*schema, context);
  inline_.emplace(schema, result);
  return result;
}

TypeRef TypeBuilder::inlineType(const Node& node, const std::string& context) {
  const Node* schema = &node;
  TypeId id = allocate(context, false);
  Type type = describe(*schema, id);
  type.name = types_[static_cast<std::size_t>(id)].name;
  bool nullable = false;
  fill(type, *schema, nullable);
  type.nullable = type.nullable || nullable;
  // "oneOf: [X, {type: null}]" is a nullable X, not a union of one.
  if ((type.kind == TypeKind::OneOf || type.kind == TypeKind::AnyOf) && type.variants.size() == 1 &&
      !type.discriminator) {
    // The allocated slot stays (later ids depend on it) but nothing refers to it.
    TypeId only = type.variants.front();
    types_[static_cast<std::size_t>(id)] = std::move(type);
    return {only, true};
  }
  types_[static_cast<std::size_t>(id)] = std::move(type);
  return {id, types_[static_cast<std::size_t>(id)].nullable};
}

Type TypeBuilder::describe(const Node& schema, TypeId id) {
  Type type;
  type.id = id;
  type.schema = normalizer_.normalize(schema);
  type.title = std::string(schema.getString("title"));
  type.description = std::string(schema.getString("description"));
  type.format = std::string(schema.getString("format"));
  type.readOnly = schema.getBool("readOnly", false);
  type.writeOnly = schema.getBool("writeOnly", false);
  type.deprecated = schema.getBool("deprecated", false);
  type.origin = Origin{spec_.sources.at(schema.location.file).displayName, schema.location.line,
                       schema.pointer()};
  return type;
}

void TypeBuilder::fill(Type& type, const Node& schema, bool& nullable) {
  if (schema.isBool()) {
    type.kind = schema.boolean ? TypeKind::Any : TypeKind::Never;
    return;
  }
  if (!schema.isObject()) return;
  if (openApi30_ && schema.getBool("nullable", false)) nullable = true;

  std::vector<TypeKind> declared;
  if (const Node* t = schema.get("type")) {
    if (t->isString()) declared.push_back(kindOfTypeName(t->text));
    for (const Node* item : t->items) {
      if (item->isString()) declared.push_back(kindOfTypeName(item->text));
    }
  }
  if (std::erase(declared, TypeKind::Null) > 0) nullable = true;

  if (const Node* values = schema.get("enum"); values != nullptr && values->isArray()) {
    type.kind = TypeKind::Enum;
    for (const Node* value : values->items) {
      if (value->isNull()) {
        nullable = true;
        continue;
      }
      type.enumValues.push_back(toJson(*value));
    }
    type.enumBase = !declared.empty() ? declared.front()
                    : !values->items.empty() ? kindOfValue(*values->items.front())
                                             : TypeKind::String;
    return;
  }
  if (const Node* constant = schema.get("const")) {
    if (constant->isNull()) {
      type.kind = TypeKind::Null;
      return;
    }
    type.kind = TypeKind::Enum;
    type.enumValues.push_back(toJson(*constant));
    type.enumBase = kindOfValue(*constant);
    return;
  }
  if (load::LoadedSpec::isRef(schema) || schema.get("allOf") != nullptr) {
    fillAllOf(type, schema, nullable);
    return;
  }
  for (const char* keyword : {"oneOf", "anyOf"}) {
    if (const Node* variants = schema.get(keyword); variants != nullptr && variants->isArray()) {
      type.kind = keyword[0] == 'o' ? TypeKind::OneOf : TypeKind::AnyOf;
      fillUnion(type, schema, *variants, nullable);
      return;
    }
  }
  if (declared.size() > 1) {
    type.kind = TypeKind::Any;  // e.g. [string, integer]: validated by schema only
    return;
  }
  TypeKind kind = declared.empty() ? TypeKind::Any : declared.front();
  if (declared.empty()) {
    if (nullable && schema.get("type") != nullptr) {
      type.kind = TypeKind::Null;
      return;
    }
    if (schema.get("properties") || schema.get("additionalProperties") || schema.get("required")) {
      kind = TypeKind::Object;
    } else if (schema.get("items") || schema.get("prefixItems")) {
      kind = TypeKind::Array;
    }
  }
  switch (kind) {
    case TypeKind::Object:
      fillObject(type, schema);
      return;
    case TypeKind::Array: {
      type.kind = TypeKind::Array;
      const Node* items = schema.get("items");
      type.items = items != nullptr && !items->isArray() ? typeOf(items, type.name + ".item").id : anyType();
      return;
    }
    default:
      type.kind = kind;
      return;
  }
}

void TypeBuilder::fillObject(Type& type, const Node& schema) {
  std::set<std::string> required;
  if (const Node* list = schema.get("required")) {
    for (const Node* name : list->items) {
      if (name->isString()) required.insert(name->text);
    }
  }
  const Node* properties = schema.get("properties");
  bool hasProperties = properties != nullptr && properties->isObject() && !properties->members.empty();
  const Node* additional = schema.get("additionalProperties");
  if (additional == nullptr) additional = schema.get("unevaluatedProperties");
  if (additional == nullptr || (additional->isBool() && additional->boolean)) {
    type.extra = ExtraProperties::Allowed;
  } else if (additional->isBool()) {
    type.extra = ExtraProperties::Forbidden;
  } else {
    type.extra = ExtraProperties::Typed;
    type.extraType = typeOf(additional, type.name + ".value").id;
  }
  if (!hasProperties) {
    type.kind = TypeKind::Map;
    if (type.extraType == kNoType) type.extraType = anyType();
    return;
  }
  type.kind = TypeKind::Object;
  for (const doc::Member& member : properties->members) {
    Field field;
    field.jsonName = member.key;
    TypeRef ref = typeOf(member.value, type.name + "." + member.key);
    field.type = ref.id;
    field.nullable = ref.nullable;
    field.required = required.count(member.key) != 0;
    const Node& property = *member.value;
    const Node* resolved = spec_.resolve(&property);
    auto flag = [&](const char* key) {
      return property.getBool(key, resolved != nullptr && resolved->getBool(key, false));
    };
    field.readOnly = flag("readOnly");
    field.writeOnly = flag("writeOnly");
    field.deprecated = flag("deprecated");
    field.description = std::string(property.getString("description"));
    if (field.description.empty() && resolved != nullptr) {
      field.description = std::string(resolved->getString("description"));
    }
    if (const Node* value = property.get("default")) field.defaultValue = toJson(*value);
    type.fields.push_back(std::move(field));
  }
}

void TypeBuilder::fillAllOf(Type& type, const Node& schema, bool& nullable) {
  // The parts: the $ref (3.1 with siblings), each allOf entry, and the schema's own
  // properties. When every part is an object they merge into one object type.
  std::vector<TypeRef> parts;
  if (load::LoadedSpec::isRef(schema)) parts.push_back(typeOf(spec_.resolve(&schema), type.name + ".base"));
  if (const Node* list = schema.get("allOf"); list != nullptr && list->isArray()) {
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      parts.push_back(typeOf(list->items[i], type.name + ".part" + std::to_string(i + 1)));
    }
  }
  bool ownObject = schema.get("properties") != nullptr || schema.get("required") != nullptr;
  if (!ownObject && parts.size() == 1) {
    // allOf: [X] with annotations is X itself.
    const Type& only = types_[static_cast<std::size_t>(parts[0].id)];
    Json schemaCopy = type.schema;
    std::string name = type.name;
    TypeId id = type.id;
    bool named = type.named;
    Origin origin = type.origin;
    std::string description = type.description.empty() ? only.description : type.description;
    type = only;
    type.id = id;
    type.name = name;
    type.named = named;
    type.recursive = false;
    type.schema = std::move(schemaCopy);
    type.origin = origin;
    type.description = description;
    nullable = nullable || parts[0].nullable;
    return;
  }
  std::set<std::string> required;
  if (const Node* list = schema.get("required")) {
    for (const Node* n : list->items) required.insert(n->text);
  }
  bool allObjects = true;
  std::vector<Field> merged;
  auto mergeFields = [&](const std::vector<Field>& fields) {
    for (const Field& field : fields) {
      auto it = std::find_if(merged.begin(), merged.end(), [&](const Field& f) { return f.jsonName == field.jsonName; });
      if (it == merged.end()) {
        merged.push_back(field);
      } else {
        bool wasRequired = it->required;
        *it = field;
        it->required = it->required || wasRequired;
      }
    }
  };
  for (const TypeRef& part : parts) {
    const Type& partType = types_[static_cast<std::size_t>(part.id)];
    if (partType.kind == TypeKind::Object) {
      mergeFields(partType.fields);
    } else if (partType.kind == TypeKind::Map || partType.kind == TypeKind::Any) {
      // A free-form or required-only part adds no fields.
    } else {
      allObjects = false;
    }
  }
  if (!allObjects) {
    type.kind = TypeKind::Any;
    return;
  }
  // null passes allOf when it passes every part: a nullable part merged with parts that
  // constrain no type (a description, a `required` list) keeps the merged type nullable,
  // as in allOf: [{$ref: NullableObject}, {description: ...}].
  auto acceptsNull = [&](const TypeRef& part) {
    const Type& partType = types_[static_cast<std::size_t>(part.id)];
    return part.nullable || (partType.kind == TypeKind::Any && !partType.schema.contains("type"));
  };
  bool someNullable = std::any_of(parts.begin(), parts.end(), [](const TypeRef& part) { return part.nullable; });
  if (someNullable && std::all_of(parts.begin(), parts.end(), acceptsNull) &&
      (nullable || schema.get("type") == nullptr)) {
    nullable = true;
  }
  Type own;
  own.name = type.name;
  if (ownObject) {
    fillObject(own, schema);
    mergeFields(own.fields);
  }
  // `required` may name properties declared in another part.
  if (const Node* list = schema.get("allOf"); list != nullptr && list->isArray()) {
    for (const Node* item : list->items) {
      const Node* resolved = spec_.resolve(item);
      if (resolved == nullptr) continue;
      if (const Node* names = resolved->get("required")) {
        for (const Node* n : names->items) required.insert(n->text);
      }
    }
  }
  for (Field& field : merged) field.required = field.required || required.count(field.jsonName) != 0;
  type.kind = TypeKind::Object;
  type.fields = std::move(merged);
  type.extra = ownObject ? own.extra : ExtraProperties::Allowed;
  type.extraType = ownObject ? own.extraType : kNoType;
}

void TypeBuilder::fillUnion(Type& type, const Node& schema, const Node& variants, bool& nullable) {
  std::map<TypeId, std::string> variantUris;  // where each $ref variant points (absolute URI)
  for (std::size_t i = 0; i < variants.items.size(); ++i) {
    const Node* variant = variants.items[i];
    const Node* resolved = spec_.resolve(variant);
    if (resolved != nullptr && resolved->isObject() && resolved->getString("type") == "null" &&
        resolved->members.size() == 1) {
      nullable = true;  // {type: null} as a variant: the union is nullable
      continue;
    }
    TypeRef ref = typeOf(variant, type.name + ".option" + std::to_string(i + 1));
    nullable = nullable || ref.nullable;
    type.variants.push_back(ref.id);
    if (load::LoadedSpec::isRef(*variant)) variantUris.emplace(ref.id, spec_.targetUri(*variant));
  }
  const Node* discriminator = schema.get("discriminator");
  if (discriminator == nullptr || !discriminator->isObject()) return;
  Discriminator out;
  out.propertyName = std::string(discriminator->getString("propertyName"));
  auto variantNamed = [&](std::string_view target) -> TypeId {
    for (TypeId id : type.variants) {
      const Type& variantType = types_[static_cast<std::size_t>(id)];
      if (!variantType.named) continue;
      const std::string& name = variantType.name;
      if (target == name || (target.size() > name.size() && target.substr(target.size() - name.size() - 1) == "/" + name)) {
        return id;
      }
    }
    // A mapping value is a reference like the variant's own $ref, relative to the spec's
    // files ("models/attach.yml", "#/components/schemas/Attach"): the variant whose $ref
    // resolved to the same place.
    std::string_view ref = target.starts_with("./") ? target.substr(2) : target;
    for (const auto& [id, uri] : variantUris) {
      std::string_view where = uri;
      if (where.ends_with("#")) where.remove_suffix(1);
      if (!ref.empty() && where.ends_with(ref) &&
          (where.size() == ref.size() || ref.front() == '#' || where[where.size() - ref.size() - 1] == '/')) {
        return id;
      }
    }
    return kNoType;
  };
  std::set<TypeId> mapped;
  if (const Node* mapping = discriminator->get("mapping"); mapping != nullptr && mapping->isObject()) {
    for (const doc::Member& entry : mapping->members) {
      TypeId id = entry.value->isString() ? variantNamed(entry.value->text) : kNoType;
      if (id == kNoType) continue;
      out.mapping.emplace_back(entry.key, id);
      mapped.insert(id);
    }
  }
  for (TypeId id : type.variants) {
    const Type& variantType = types_[static_cast<std::size_t>(id)];
    if (variantType.named && mapped.count(id) == 0) out.mapping.emplace_back(variantType.name, id);
  }
  type.discriminator = std::move(out);
}

void TypeBuilder::markRecursive() {
  // Tarjan-free version: a type is recursive if it can reach itself.
  auto children = [&](const Type& type) {
    std::vector<TypeId> out;
    for (const Field& field : type.fields) out.push_back(field.type);
    for (TypeId id : {type.items, type.extraType}) out.push_back(id);
    for (TypeId id : type.variants) out.push_back(id);
    std::erase(out, kNoType);
    return out;
  };
  for (Type& start : types_) {
    if (!start.named) continue;
    std::vector<TypeId> stack = children(start);
    std::set<TypeId> seen;
    while (!stack.empty()) {
      TypeId id = stack.back();
      stack.pop_back();
      if (id == start.id) {
        start.recursive = true;
        break;
      }
      if (!seen.insert(id).second) continue;
      for (TypeId next : children(types_[static_cast<std::size_t>(id)])) stack.push_back(next);
    }
  }
}

}  // namespace tether::ir
