// A registry of schema documents that `$ref` may reach, keyed by retrieval URI.
// Nothing is ever fetched: a reference to a URI that is not registered (and not defined by
// an `$id` inside a registered document) is a compile error.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

namespace tether::schema {

class Registry {
 public:
  // A registry that already holds the 2020-12 and draft-7 meta-schemas (and the 2020-12
  // vocabulary meta-schemas), so `$ref` to them works.
  Registry();

  // Registers `document` under `uri` (absolute, no fragment). Replaces any earlier one.
  void add(const std::string& uri, nlohmann::json document);

  // The document registered under `uri`, or nullptr.
  const nlohmann::json* find(const std::string& uri) const;

  const std::map<std::string, std::shared_ptr<const nlohmann::json>>& documents() const {
    return documents_;
  }

 private:
  std::map<std::string, std::shared_ptr<const nlohmann::json>> documents_;
};

// The meta-schemas embedded in the library, as (URI, JSON text) pairs.
struct EmbeddedSchema {
  const char* uri;
  const char* text;
};
const EmbeddedSchema* embeddedMetaSchemas(std::size_t& count);

}  // namespace tether::schema
