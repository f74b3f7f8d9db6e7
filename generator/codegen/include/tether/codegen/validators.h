// Validators for a spec's types: every type an operation's parameters, headers or bodies
// use is compiled by the schema compiler (tether::schema) and emitted as C++ by the
// validator back end (tether::emit), into validators.h and validators_<n>.cpp.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tether/codegen/output.h"
#include "tether/ir/model.h"

namespace tether::codegen {

// The types whose validators the server and client code call.
std::set<ir::TypeId> validatedTypes(const ir::Api& api);

// The generated function for a type: validate_<cppName> / evaluate_<cppName>.
std::string validatorName(const ir::Type& type);

// The compiled validators of a spec (one schema Program over its validated types), before
// they are printed. Compiling is the step that can refuse a spec; printing cannot.
struct ValidatorPlan;
struct ValidatorPlanDeleter {
  void operator()(ValidatorPlan* plan) const;
};
using ValidatorPlanPtr = std::unique_ptr<ValidatorPlan, ValidatorPlanDeleter>;

// A `pattern` no engine dialect makes sense of is left out of the validators with a
// warning (warnings()), unless strictPatterns makes it an error.
// Likewise a keyword whose value is malformed (a `type` that is an object, a `pattern` that
// is not a string: `tether validate` reports them as errors) is left out, unless
// strictKeywords.
struct ValidatorOptions {
  bool strictPatterns = false;
  bool strictKeywords = false;
};

// Throws std::runtime_error naming the type when a schema does not compile.
ValidatorPlanPtr planValidators(const ir::Api& api, const ValidatorOptions& options = {});
// What the plan left out, one warning a line in the loader's format.
const std::vector<std::string>& warnings(const ValidatorPlan& plan);
GeneratedFiles emitValidators(const ValidatorPlan& plan, const ir::Api& api, const CodegenOptions& options);
// Both steps.
GeneratedFiles emitValidators(const ir::Api& api, const CodegenOptions& options);

}  // namespace tether::codegen
