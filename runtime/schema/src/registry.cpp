#include "tether/schema/registry.h"

#include "uri.h"

namespace tether::schema {

Registry::Registry() {
  std::size_t count = 0;
  const EmbeddedSchema* schemas = embeddedMetaSchemas(count);
  for (std::size_t i = 0; i < count; ++i) add(schemas[i].uri, nlohmann::json::parse(schemas[i].text));
}

void Registry::add(const std::string& uri, nlohmann::json document) {
  documents_[detail::withoutFragment(uri)] = std::make_shared<const nlohmann::json>(std::move(document));
}

const nlohmann::json* Registry::find(const std::string& uri) const {
  auto it = documents_.find(detail::withoutFragment(uri));
  return it == documents_.end() ? nullptr : it->second.get();
}

}  // namespace tether::schema
