// Validators for a spec's types: every type an operation's parameters, headers or bodies
// use is compiled by the schema compiler (tether::schema) and emitted as C++ by the
// validator back end (tether::emit), into validators.h and validators_<n>.cpp.
#pragma once

#include <set>

#include "tether/codegen/output.h"
#include "tether/ir/model.h"

namespace tether::codegen {

// The types whose validators the server and client code call.
std::set<ir::TypeId> validatedTypes(const ir::Api& api);

// The generated function for a type: validate_<cppName> / evaluate_<cppName>.
std::string validatorName(const ir::Type& type);

// Throws std::runtime_error naming the type when a schema does not compile.
GeneratedFiles emitValidators(const ir::Api& api, const CodegenOptions& options);

}  // namespace tether::codegen
