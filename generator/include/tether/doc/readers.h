// Parsing JSON and YAML text into the located document tree.
//
// JSON has its own reader: large real-world specs are JSON, and yaml-cpp reads them at a
// fraction of the speed (measured in docs/benchmarks.md). YAML goes through yaml-cpp's
// event API, so yaml-cpp's own node graph is never built.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "tether/doc/node.h"

namespace tether::doc {

// Bounds that keep hostile input from crashing or hanging the reader.
struct ReadLimits {
  // Deeper nesting is an error; every later pass may then recurse safely.
  std::size_t maxDepth = 1000;
  // Nodes a YAML document may create by expanding aliases (the "billion laughs" defence).
  std::size_t maxAliasNodes = 1'000'000;
};

struct ReadError {
  Location location;
  std::string message;
};

struct ReadResult {
  Node* root = nullptr;
  std::optional<ReadError> error;
};

// Parses RFC 8259 JSON. Duplicate keys, invalid UTF-8 and trailing garbage are errors.
ReadResult readJson(std::string_view text, std::uint32_t file, Arena& arena,
                    const ReadLimits& limits = {});

// Parses the first document of a YAML 1.2 stream (core schema). Anchors, aliases and
// merge keys ("<<") are expanded; duplicate keys and non-scalar keys are errors.
ReadResult readYaml(std::string_view text, std::uint32_t file, Arena& arena,
                    const ReadLimits& limits = {});

// Chooses the reader: JSON for a ".json" path or text that parses as JSON, YAML otherwise.
ReadResult readDocument(std::string_view text, std::string_view path, std::uint32_t file,
                        Arena& arena, const ReadLimits& limits = {});

// Checks an object for repeated keys; returns the first repeated member, or nullptr.
const Member* findDuplicateKey(const Node& object);

}  // namespace tether::doc
