#pragma once

#include <set>
#include <map>

#include <functional>

#include "tether/load/loader.h"
#include "tether/oas/grammar.h"

namespace tether::check {

class StructureChecker {
 public:
  StructureChecker(const load::LoadedSpec& spec, load::Diagnostics& diagnostics)
      : diagnostics_(diagnostics), openApi30_(spec.isOpenApi30()), resolve_([&spec](const doc::Node& n) -> const doc::Node& {
          // A reference is judged by its target; an object reference keeps its own shape.
          if (!load::LoadedSpec::isRef(n)) return n;
          const doc::Node* target = spec.resolve(&n);
          return target != nullptr && !target->isObject() ? *target : n;
        }) {}

  void check(const doc::Node& node, oas::ObjectType type);

 private:
  void checkDocument(const doc::Node& node);
  void checkExamples(const doc::Node& node);
  void checkSchemaOrContent(const doc::Node& node, const char* what);
  void checkParameter(const doc::Node& node);
  void checkHeader(const doc::Node& node);
  void checkServerVariable(const doc::Node& node);
  void checkSecurityScheme(const doc::Node& node);
  void checkLink(const doc::Node& node);
  void checkResponses(const doc::Node& node);
  void checkPaths(const doc::Node& node);
  void checkSchema(const doc::Node& node);

  load::Diagnostics& diagnostics_;
  bool openApi30_;
  std::function<const doc::Node&(const doc::Node&)> resolve_;
};

}  // namespace tether::check
