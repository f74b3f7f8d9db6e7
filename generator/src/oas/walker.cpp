#include "tether/oas/walker.h"

#include <set>
#include <utility>

namespace tether::oas {

using doc::Node;

bool childOf(ObjectType parent, std::string_view key, Shape& shape, ObjectType& type) {
  if (key.rfind("x-", 0) == 0 && parent != ObjectType::Schema) return false;
  switch (parent) {
    case ObjectType::Paths:
    case ObjectType::Callback:
      shape = Shape::One;
      type = ObjectType::PathItem;
      return true;
    case ObjectType::Responses:
      shape = Shape::One;
      type = ObjectType::Response;
      return true;
    case ObjectType::Schema:
      if (key == "dependencies") {  // draft 7: a schema or an array of names
        shape = Shape::MapOf;
        type = ObjectType::Schema;
        return true;
      }
      break;
    default:
      break;
  }
  const FieldRule* rule = fieldRule(parent, key);
  if (rule == nullptr) return false;
  if (rule->shape != Shape::One && rule->shape != Shape::MapOf && rule->shape != Shape::ArrayOf) {
    return false;
  }
  shape = rule->shape;
  type = rule->type;
  return true;
}

namespace {

class Walker {
 public:
  Walker(const load::LoadedSpec& spec, const WalkHandlers& handlers)
      : spec_(spec), handlers_(handlers) {}

  void visit(const Node& node, ObjectType type) {
    if (!node.isObject()) {
      // Schemas may be booleans; anything else is for the handler to judge.
      if (handlers_.onObject && visited_.insert({&node, type}).second) handlers_.onObject(node, type);
      return;
    }
    if (load::LoadedSpec::isRef(node)) {
      const Node* target = spec_.resolve(&node);
      if (handlers_.onRef) handlers_.onRef(node, type, target);
      if (target != nullptr) visit(*target, type);
      // In a 3.1 schema the keywords beside $ref apply too; elsewhere they are ignored.
      if (type != ObjectType::Schema) return;
    }
    if (!visited_.insert({&node, type}).second) return;
    if (handlers_.onObject && !handlers_.onObject(node, type)) return;
    for (const doc::Member& member : node.members) {
      if (type == ObjectType::Schema && member.key == "$ref") continue;
      Shape shape;
      ObjectType childType;
      if (!childOf(type, member.key, shape, childType)) continue;
      const Node& value = *member.value;
      if (type == ObjectType::Schema && member.key == "items" && value.isArray()) {
        for (const Node* item : value.items) visit(*item, childType);  // draft 4/7 tuples
      } else if (shape == Shape::One) {
        // A Paths/Responses/Callback member may itself be reached via $ref.
        visit(value, childType);
      } else if (shape == Shape::MapOf && value.isObject() && !load::LoadedSpec::isRef(value)) {
        for (const doc::Member& entry : value.members) {
          if (childType != ObjectType::Schema && entry.key.rfind("x-", 0) == 0) continue;
          visit(*entry.value, childType);
        }
      } else if (shape == Shape::ArrayOf && value.isArray()) {
        for (const Node* item : value.items) visit(*item, childType);
      }
    }
  }

 private:
  const load::LoadedSpec& spec_;
  const WalkHandlers& handlers_;
  std::set<std::pair<const Node*, ObjectType>> visited_;
};

}  // namespace

void walkDocument(const load::LoadedSpec& spec, const WalkHandlers& handlers) {
  if (spec.root() == nullptr) return;
  Walker(spec, handlers).visit(*spec.root(), ObjectType::Document);
}

}  // namespace tether::oas
