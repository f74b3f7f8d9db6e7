// The models emitter: a C++ type per schema of the IR (struct, enum class, union over
// std::variant, alias) with JSON reading and writing, in <prefix>models.h and
// <prefix>models_<n>.cpp. See docs/architecture.md, "Generated models".
#pragma once

#include "tether/codegen/cpp_types.h"
#include "tether/codegen/output.h"
#include "tether/ir/model.h"

namespace tether::codegen {

GeneratedFiles emitModels(const ir::Api& api, const CodegenOptions& options);
// The same, from the C++ view of the IR that the other emitters share (`types.api()`):
// `generate` builds it once for all of them.
GeneratedFiles emitModels(const CppTypes& types, const CodegenOptions& options);

}  // namespace tether::codegen
