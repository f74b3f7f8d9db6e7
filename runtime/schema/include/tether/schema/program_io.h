// A compiled Program as compact text, so that generated validators can embed the Program
// they were generated from (the detailed mode and the rare keywords of the fast mode run
// it through the runtime evaluator) instead of re-deriving it from literals in every part.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tether/schema/program.h"

namespace tether::schema {

// The Program's own tables (instructions, blocks, children, locations, values, strings,
// lists, regex sources, resources). What the fast mode derives from them is not written:
// readProgram derives it again, exactly as the compiler does.
std::string writeProgram(const Program& program);

// The Program written by writeProgram. Throws std::runtime_error on text it did not write
// (a truncated literal, another format version) or on a pattern that does not compile.
Program readProgram(std::string_view text);

// A hash of what the fast mode derives (forwards, leaves, object plans, fast code,
// targets). Generated code is specialized on those tables: it records the generator's
// fingerprint and checks that the runtime derives the same one.
std::uint64_t fastFingerprint(const Program& program);

}  // namespace tether::schema
