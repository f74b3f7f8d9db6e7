// `tether validate`: structural rules of the OpenAPI 3.0/3.1 Object model (fields,
// types, required fields, the meta-schema's conditional rules) and semantic rules the
// meta-schema cannot express (unique operationIds, path parameters matching templates,
// known security schemes and scopes, link targets).
#pragma once

#include "tether/load/loader.h"

namespace tether::check {

// Appends its findings to spec.diagnostics (then sorted).
void checkSpec(load::LoadedSpec& spec);

}  // namespace tether::check
