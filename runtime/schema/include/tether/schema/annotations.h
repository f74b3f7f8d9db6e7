// Evaluated-location annotations of one instance, the input of unevaluatedItems and
// unevaluatedProperties. Only gathered where a schema holds unevaluated* (Block::collects).
// Shared by the runtime evaluator and generated validators.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace tether::schema {

struct Annotations {
  bool all_properties = false;
  std::vector<std::string_view> properties;  // keys of the instance (stable while it lives)
  bool all_items = false;
  std::size_t item_prefix = 0;               // items [0, prefix) evaluated
  std::vector<std::size_t> items;            // other evaluated indices (contains)

  bool hasProperty(std::string_view key) const {
    return all_properties || std::find(properties.begin(), properties.end(), key) != properties.end();
  }
  bool hasItem(std::size_t i) const {
    return all_items || i < item_prefix || std::find(items.begin(), items.end(), i) != items.end();
  }
  void merge(const Annotations& other) {
    all_properties |= other.all_properties;
    properties.insert(properties.end(), other.properties.begin(), other.properties.end());
    all_items |= other.all_items;
    item_prefix = std::max(item_prefix, other.item_prefix);
    items.insert(items.end(), other.items.begin(), other.items.end());
  }
};

}  // namespace tether::schema
