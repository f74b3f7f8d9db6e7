// Schema nodes -> the IR's type table.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "schema_normalizer.h"
#include "tether/ir/model.h"
#include "tether/load/loader.h"
#include "tether/oas/component_names.h"

namespace tether::ir {

// A use of a type: the type, and whether this use also admits null.
struct TypeRef {
  TypeId id = kNoType;
  bool nullable = false;
};

class TypeBuilder {
 public:
  TypeBuilder(const load::LoadedSpec& spec, const oas::ComponentNames& names, std::vector<Type>& types);

  // The type of a schema used at `context` (a dotted name such as "createPet.request"),
  // which names the type when the schema is inline.
  TypeRef typeOf(const doc::Node* schema, const std::string& context);

  // Builds every named schema, in the order of the components section.
  void buildNamed();

  // Marks the types that lie on a reference cycle.
  void markRecursive();

 private:
  TypeId namedType(const doc::Node& schema, const std::string& name);
  TypeRef inlineType(const doc::Node& schema, const std::string& context);
  TypeId allocate(const std::string& name, bool named);
  Type describe(const doc::Node& schema, TypeId id);
  void fill(Type& type, const doc::Node& schema, bool& nullable);
  void fillObject(Type& type, const doc::Node& schema);
  void fillAllOf(Type& type, const doc::Node& schema, bool& nullable);
  void fillUnion(Type& type, const doc::Node& schema, const doc::Node& variants, bool& nullable);
  TypeId anyType();

  const load::LoadedSpec& spec_;
  const oas::ComponentNames& names_;
  SchemaNormalizer normalizer_;
  std::vector<Type>& types_;
  std::unordered_map<const doc::Node*, TypeId> named_;
  std::unordered_map<const doc::Node*, TypeRef> inline_;
  std::unordered_set<std::string> taken_;  // the names given so far
  std::unordered_map<std::string, int> nextSuffix_;  // name -> the N to try next for name~N
  TypeId any_ = kNoType;
  bool openApi30_;
};

}  // namespace tether::ir
