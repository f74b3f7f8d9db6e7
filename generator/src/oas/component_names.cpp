#include "tether/oas/component_names.h"

#include <filesystem>

#include "tether/doc/json_pointer.h"
#include "tether/oas/walker.h"

namespace tether::oas {

const char* componentSection(ObjectType type) {
  switch (type) {
    case ObjectType::Schema: return "schemas";
    case ObjectType::Parameter: return "parameters";
    case ObjectType::Response: return "responses";
    case ObjectType::RequestBody: return "requestBodies";
    case ObjectType::Header: return "headers";
    case ObjectType::Example: return "examples";
    case ObjectType::Link: return "links";
    case ObjectType::Callback: return "callbacks";
    case ObjectType::SecurityScheme: return "securitySchemes";
    case ObjectType::PathItem: return "pathItems";
    default: return nullptr;
  }
}

ComponentNames::ComponentNames(const load::LoadedSpec& spec) : spec_(spec) {
  const doc::Node* root = spec.root();
  if (root == nullptr) return;
  if (const doc::Node* components = root->get("components"); components && components->isObject()) {
    for (const doc::Member& section : components->members) {
      if (!section.value->isObject() || section.key.rfind("x-", 0) == 0) continue;
      for (const doc::Member& entry : section.value->members) {
        if (entry.key.rfind("x-", 0) == 0) continue;
        // A component that is itself a reference names what it points at.
        const doc::Node* target = spec.resolve(entry.value);
        add(target != nullptr ? *target : *entry.value, section.key, entry.key);
      }
    }
  }
  WalkHandlers handlers;
  handlers.onRef = [this](const doc::Node&, ObjectType type, const doc::Node* target) {
    const char* section = componentSection(type);
    if (target == nullptr || section == nullptr) return;
    if (find(*target, section) == nullptr) add(*target, section, derive(*target, section));
  };
  walkDocument(spec, handlers);
}

const std::string* ComponentNames::find(const doc::Node& target, std::string_view section) const {
  auto sectionIt = index_.find(section);
  if (sectionIt == index_.end()) return nullptr;
  auto it = sectionIt->second.find(&target);
  if (it == sectionIt->second.end()) return nullptr;
  return &bySection_.find(section)->second[it->second].name;
}

const std::vector<ComponentNames::Entry>& ComponentNames::entries(std::string_view section) const {
  static const std::vector<Entry> kEmpty;
  auto it = bySection_.find(section);
  return it == bySection_.end() ? kEmpty : it->second;
}

void ComponentNames::add(const doc::Node& target, const std::string& section, std::string name) {
  auto& index = index_[section];
  if (index.count(&target) != 0) return;
  auto& taken = taken_[section];
  std::string unique = name;
  for (int suffix = 2; taken.count(unique) != 0; ++suffix) unique = name + std::to_string(suffix);
  taken.insert(unique);
  auto& list = bySection_[section];
  index.emplace(&target, list.size());
  list.push_back(Entry{&target, unique});
}

std::string ComponentNames::derive(const doc::Node& target, const std::string& section) const {
  std::optional<std::vector<std::string>> tokens = doc::parsePointer(target.pointer());
  std::vector<std::string> parts = tokens.value_or(std::vector<std::string>{});
  if (parts.size() >= 3 && parts[0] == "components") parts.erase(parts.begin(), parts.begin() + 2);
  // Keywords say where a schema sits, not what it is: "#/$defs/Kind" is "Kind".
  static const std::set<std::string> kContainers = {"$defs", "definitions", "properties", "items",
                                                    "components", "schemas", "allOf", "anyOf", "oneOf"};
  // A schema inside an operation ("#/paths/~1pets/get/responses/200/...") is named after
  // the operation: its operationId, else its method and path.
  if (parts.size() >= 3 && parts[0] == "paths") {
    const doc::Node* operation = &target;
    for (std::size_t up = parts.size(); up > 3 && operation != nullptr; --up) operation = operation->parent;
    std::string_view id = operation != nullptr && operation->isObject() ? operation->getString("operationId") : "";
    std::string prefix(id);
    if (prefix.empty()) {
      prefix = parts[2];
      for (char c : parts[1]) prefix += c == '/' || c == '{' || c == '}' ? '_' : c;
    }
    std::vector<std::string> renamed{prefix};
    renamed.insert(renamed.end(), parts.begin() + 3, parts.end());
    parts = std::move(renamed);
  }
  // Nor do the steps through an operation or a component response: "content", the media
  // type, "schema". What stays reads as a name: getPets_200_paging.
  static const std::set<std::string> kSteps = {"content", "schema", "responses", "requestBody"};
  std::string name;
  for (const std::string& part : parts) {
    if (kContainers.count(part) != 0 || kSteps.count(part) != 0 || part.find('/') != std::string::npos) continue;
    name += (name.empty() ? "" : "_") + part;
  }
  if (name.empty()) {
    const load::SourceFile& file = spec_.sources.at(target.location.file);
    name = file.path.stem().string();
    if (name.empty()) name = section;
  }
  return name;
}

}  // namespace tether::oas
