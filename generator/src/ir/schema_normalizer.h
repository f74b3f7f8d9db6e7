// Schema Object (3.0 or 3.1 dialect) -> JSON Schema 2020-12, with references to named
// schemas rewritten to "#/components/schemas/<name>".
//
// OpenAPI 3.0 -> 3.1:
//   nullable: true                 -> "null" added to `type` (or to `enum`), or, without a
//                                     type, anyOf [schema, {type: null}]
//   exclusiveMinimum: true (+min)  -> exclusiveMinimum: <min>   (and the same for max)
//   example: x                     -> examples: [x]   (3.1's deprecated `example` too)
//   siblings of $ref               -> dropped (3.0 ignores them)
//   format: byte / binary          -> contentEncoding: base64 / contentMediaType added
#pragma once

#include "tether/ir/model.h"
#include "tether/load/loader.h"
#include "tether/oas/component_names.h"

namespace tether::ir {

class SchemaNormalizer {
 public:
  SchemaNormalizer(const load::LoadedSpec& spec, const oas::ComponentNames& names)
      : spec_(spec), names_(names), openApi30_(spec.isOpenApi30()) {}

  Json normalize(const doc::Node& schema) const;

 private:
  Json refTo(const doc::Node& refObject) const;
  void convert30(Json& out) const;

  const load::LoadedSpec& spec_;
  const oas::ComponentNames& names_;
  bool openApi30_;
};

}  // namespace tether::ir
