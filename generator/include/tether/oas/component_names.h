// Names for every referenced object, by components section, shared by the IR builder
// and the bundler so that "#/components/schemas/<name>" means the same thing in the IR's
// normalized schemas and in the bundled openapi.json.
//
// A target already at /components/<section>/<name> keeps <name>. Another target takes
// the tokens of its pointer ("definitions.yml#/droplet" -> "droplet") or, for a whole
// file, the file's stem ("models/pet.yaml" -> "pet"). Names that repeat within a section
// get a numeric suffix in order of discovery: the entry document's own components first,
// then references in document order.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "tether/load/loader.h"
#include "tether/oas/grammar.h"

namespace tether::oas {

// The components section objects of `type` live in ("schemas", "parameters", ...), or
// nullptr for types that have none.
const char* componentSection(ObjectType type);

class ComponentNames {
 public:
  explicit ComponentNames(const load::LoadedSpec& spec);

  // The component name of `target` in `section`, or nullptr if it is not a component.
  const std::string* find(const doc::Node& target, std::string_view section) const;

  struct Entry {
    const doc::Node* node;
    std::string name;
  };
  // Every component of a section in discovery order.
  const std::vector<Entry>& entries(std::string_view section) const;

 private:
  void add(const doc::Node& target, const std::string& section, std::string name);
  std::string derive(const doc::Node& target, const std::string& section) const;

  const load::LoadedSpec& spec_;
  std::map<std::string, std::vector<Entry>, std::less<>> bySection_;
  std::map<std::string, std::unordered_map<const doc::Node*, std::size_t>, std::less<>> index_;
  std::map<std::string, std::set<std::string>, std::less<>> taken_;
};

}  // namespace tether::oas
