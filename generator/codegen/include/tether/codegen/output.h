// What the C++ emitters produce: a set of files with their text, and the options every
// emitter shares.
#pragma once

#include <string>
#include <vector>

namespace tether::codegen {

struct GeneratedFile {
  std::string path;  // relative to the output directory, '/'-separated
  std::string text;
};
using GeneratedFiles = std::vector<GeneratedFile>;

struct CodegenOptions {
  std::string cppNamespace = "api";  // may be nested: "acme::cloud"
  // The spec as the banner of every file names it (a path relative to the project, so
  // the output does not depend on where it was generated).
  std::string source;
  bool format = true;  // clang-format the output (when clang-format is installed)
  // Each kind of definitions (models, validators, server, client) is split into exactly
  // this many translation units (some may be empty), so a 1000-operation spec compiles in
  // parallel and in bounded memory, and a build system knows the file names in advance.
  std::size_t parts = 4;
};

// [begin, end) of each of `parts` consecutive slices of `count` items (balanced; some empty).
struct PartRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::vector<PartRange> partRanges(std::size_t count, std::size_t parts);

// Writes the files under `directory` (creating folders); files whose text is unchanged are
// not touched, so build systems do not rebuild them. Returns false and sets `error` on I/O
// failure.
bool writeFiles(const std::string& directory, const GeneratedFiles& files, std::string& error);

}  // namespace tether::codegen
