// Writing generated validators to disk at build time: shared by the build-time generators
// of the benchmark (bench/schema/bench_gen.cpp) and of the suite test
// (tests/validators/suite_gen.cpp), so a rebuild only recompiles what changed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tether/emit/validators.h"

namespace tether::emit {

// Whether the file at `path` holds exactly `text`.
bool sameContent(const std::filesystem::path& path, const std::string& text);
// Writes `text` to `path` unless the file already holds exactly that (keeps its timestamp);
// false when it cannot be written.
bool writeIfChanged(const std::filesystem::path& path, const std::string& text);

// A C++ string literal holding exactly `s`.
std::string cppLiteral(std::string_view s);

// Writes `options.header` and `units` translation units <stem>_<i>.cpp (i from 0) defining
// the validators of `schemas`, spread evenly, into `out` (created when missing); returns
// the paths of the translation units.
std::vector<std::filesystem::path> writeValidatorFiles(const std::filesystem::path& out,
                                                       std::span<const ValidatorSchema> schemas,
                                                       const ValidatorEmitOptions& options, std::string_view stem,
                                                       std::size_t units);

// "&<ns>::validate_<name>, &<ns>::evaluate_<name>": the two entry points, for an index.
std::string entryPoints(std::string_view cpp_namespace, std::string_view name);

}  // namespace tether::emit
