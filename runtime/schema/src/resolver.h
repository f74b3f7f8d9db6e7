// The reference resolver: indexes schema documents (base URIs from `$id`, `$anchor`,
// `$dynamicAnchor`, dialect per subschema) and resolves `$ref` URIs to locations.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "dialect.h"
#include "tether/schema/options.h"
#include "tether/schema/registry.h"

namespace tether::schema::detail {

// A subschema location: a document and a JSON pointer inside it.
struct SchemaRef {
  std::uint32_t doc = 0;
  std::string pointer;
  std::string key() const { return std::to_string(doc) + ":" + pointer; }
};

// What the index knows about one subschema.
struct SchemaInfo {
  std::string base;              // base URI (no fragment)
  std::string resource_pointer;  // document pointer of the enclosing resource root
  Dialect dialect = Dialect::Draft2020_12;
  std::uint32_t vocab = kVocabAll;
  bool format_assertion = false;  // the meta-schema turns on format-assertion
};

class Resolver {
 public:
  Resolver(const Registry& registry, const CompileOptions& options);

  // Adds the root schema (not owned; must outlive the resolver) and indexes it.
  SchemaRef addRoot(const nlohmann::json& schema);

  const nlohmann::json& node(const SchemaRef& ref) const;
  // Index data for a location; locations the walk never reached (e.g. inside an unknown
  // keyword) inherit from their nearest indexed ancestor.
  SchemaInfo info(const SchemaRef& ref) const;

  // Resolves an absolute URI (with optional fragment). nullopt if unknown.
  std::optional<SchemaRef> resolve(const std::string& uri);

  // Dynamic anchors declared in the resource `base_uri`: name -> location.
  std::vector<std::pair<std::string, SchemaRef>> dynamicAnchors(const std::string& base_uri) const;

  // An absolute location string for errors: base + "#" + pointer relative to the resource.
  std::string absoluteLocation(const SchemaRef& ref, const std::string& suffix = "") const;

  bool isDynamicAnchor(const SchemaRef& target, const std::string& name) const;

 private:
  struct Document {
    const nlohmann::json* json = nullptr;
    std::shared_ptr<const nlohmann::json> owner;
    std::string uri;
    bool indexed = false;
  };

  std::uint32_t addDocument(const std::string& uri, const nlohmann::json* json,
                            std::shared_ptr<const nlohmann::json> owner);
  void indexDocument(std::uint32_t doc);
  void walk(std::uint32_t doc, const nlohmann::json& node, const std::string& pointer,
            SchemaInfo info, std::size_t depth);
  void applyMetaSchema(const std::string& uri, SchemaInfo& info, int guard);
  bool loadRegistered(const std::string& uri);

  const Registry& registry_;
  CompileOptions options_;
  std::vector<Document> docs_;
  std::unordered_map<std::string, SchemaRef> resources_;  // base URI -> resource root
  std::unordered_map<std::string, SchemaRef> anchors_;    // base#name -> location
  std::unordered_map<std::string, std::string> dynamic_;  // base#name -> location key
  std::unordered_map<std::string, std::vector<std::pair<std::string, SchemaRef>>> dynamic_by_base_;
  std::unordered_map<std::string, SchemaInfo> infos_;     // SchemaRef::key() -> info
};

}  // namespace tether::schema::detail
