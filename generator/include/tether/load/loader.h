// Loading an OpenAPI document from one file or many: parse, follow every $ref across
// files (never over the network), index $id and $anchor, detect broken references and
// reference cycles. The result, LoadedSpec, is the raw document plus its reference graph;
// ir::build() turns it into the typed model every emitter reads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "tether/doc/node.h"
#include "tether/doc/readers.h"
#include "tether/load/diagnostic.h"
#include "tether/load/sources.h"

namespace tether::load {

// Maps remote references under `prefix` (e.g. "https://example.com/schemas/") to files
// under `folder`. Without a mapping, an http(s) $ref is an error.
struct UrlMapping {
  std::string prefix;
  std::filesystem::path folder;
};

struct LoadOptions {
  std::vector<UrlMapping> urlMappings;
  // Larger files are refused before they are read.
  std::uint64_t maxFileBytes = 128ull << 20;
  doc::ReadLimits limits;
};

class LoadedSpec {
 public:
  Sources sources;
  Diagnostics diagnostics;

  // The entry document's root, or nullptr when it could not be read.
  const doc::Node* root() const;
  // The "openapi" field, e.g. "3.1.0"; empty when absent.
  const std::string& version() const { return version_; }
  bool isOpenApi30() const { return version_.rfind("3.0", 0) == 0; }

  // True for an object with a string "$ref" member (a Reference Object or a schema $ref).
  static bool isRef(const doc::Node& node);
  // The node a reference object points at, or nullptr if it is broken.
  const doc::Node* target(const doc::Node& refObject) const;
  // Follows a chain of references to the first node that is not a reference. Returns
  // `node` itself when it is not a reference, nullptr when the chain is broken or cyclic.
  const doc::Node* resolve(const doc::Node* node) const;
  // The absolute URI the reference was resolved to ("file:///a/b.yaml#/x").
  const std::string& targetUri(const doc::Node& refObject) const;
  std::size_t refCount() const { return refs_.size(); }

 private:
  friend class Loader;
  std::string version_;
  struct RefInfo {
    const doc::Node* target = nullptr;
    std::string uri;
  };
  std::unordered_map<const doc::Node*, RefInfo> refs_;
};

// Loads `entry` and everything it references. Problems are recorded in the result's
// diagnostics; this function does not throw for bad input.
LoadedSpec loadSpec(const std::filesystem::path& entry, const LoadOptions& options = {});

// Loads a document given as text (used by the fuzzer and tests); `name` stands in for its
// path, and relative file references resolve against the working directory.
LoadedSpec loadSpecText(std::string_view text, const std::string& name,
                        const LoadOptions& options = {});

}  // namespace tether::load
