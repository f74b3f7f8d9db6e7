// The fast mode's view of a Program, derived from its instructions once they are complete:
// $ref forwards, leaves, object plans, per-block fast code and resolved child targets. The
// compiler runs it after compiling, and readProgram (program_io.h) after reading a Program
// embedded in generated code, so both hold the same derived tables.
#pragma once

#include "tether/schema/program.h"

namespace tether::schema::detail {

// Fills Block::forward/leaf/leaf_types/object_plan/fast_*, Instruction::fused,
// Program::object_plans, fast_code and fast_targets from the rest of `program`.
void prepareFastMode(Program& program);

}  // namespace tether::schema::detail
