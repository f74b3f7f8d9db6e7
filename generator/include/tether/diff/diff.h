// `tether diff`: what changed between two versions of a spec, and which changes break
// existing clients. It compares the IRs, so a change of file layout or of $ref structure
// that means the same API is no change at all.
//
// Breaking:
//   - a path or an operation removed
//   - a documented response status removed (e.g. 200 became 201)
//   - a parameter or request-body field newly required, or a new required one
//   - a parameter removed
//   - a request type or enum narrowed (fewer values or kinds accepted)
//   - a response field removed, made optional, or its type changed
//   - security that became stricter (an alternative dropped, a scope added)
// Not breaking (listed as changes): anything added that clients may ignore.
#pragma once

#include <string>
#include <vector>

#include "tether/ir/model.h"

namespace tether::diff {

struct Change {
  bool breaking = false;
  std::string code;     // stable: "operation-removed", "request-field-required", ...
  std::string operation;  // "GET /v1/projects" (empty for document-level changes)
  std::string message;
  // Where to look: in the new spec when the thing exists there, else in the old one.
  ir::Origin origin;
};

std::vector<Change> compare(const ir::Api& before, const ir::Api& after);

}  // namespace tether::diff
