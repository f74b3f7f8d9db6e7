// Walks an OpenAPI document by its grammar, following references, so that each pass
// (bundling, checks, normalization) sees every object together with its type.
#pragma once

#include <functional>

#include "tether/load/loader.h"
#include "tether/oas/grammar.h"

namespace tether::oas {

struct WalkHandlers {
  // Called once per (node, type) reached, also for a non-object in a typed position (a
  // boolean schema, or a wrong value for the checks to report). Return false to skip the
  // children.
  std::function<bool(const doc::Node& node, ObjectType type)> onObject;
  // Called at every reference site with the type expected there and the resolved target
  // (nullptr when the reference is broken).
  std::function<void(const doc::Node& refObject, ObjectType type, const doc::Node* target)> onRef;
};

// Walks from the document root.
void walkDocument(const load::LoadedSpec& spec, const WalkHandlers& handlers);

// The type of the objects held under `key` of an object of type `parent`, with the way
// they are held; false when `key` holds no typed objects.
bool childOf(ObjectType parent, std::string_view key, Shape& shape, ObjectType& type);

}  // namespace tether::oas
