// The server emitter: per tag, a "strict" handler interface with one method per operation
// taking a typed request and returning a typed response (one alternative per documented
// status), and the glue that registers the operations on a tether::http::Router: decode
// parameters by style, parse and validate bodies with the generated validators, call the
// handler, write the response. Files: server.h, server_<tag>.h, server_<tag>.cpp.
#pragma once

#include "tether/codegen/cpp_types.h"
#include "tether/codegen/output.h"
#include "tether/ir/model.h"

namespace tether::codegen {

GeneratedFiles emitServer(const ir::Api& api, const CodegenOptions& options);
// The same, from the C++ view of the IR that the other emitters share (`types.api()`):
// `generate` builds it once for all of them.
GeneratedFiles emitServer(const CppTypes& types, const CodegenOptions& options);

}  // namespace tether::codegen
