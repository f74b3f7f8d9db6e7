#include "tether/bundle/bundler.h"

#include <unordered_map>
#include <unordered_set>

#include "../ir/json_convert.h"
#include "tether/oas/component_names.h"
#include "tether/oas/walker.h"

namespace tether::bundle {

using doc::Node;
using Json = nlohmann::ordered_json;

namespace {

// Canonical order of the components sections in the output.
constexpr const char* kSections[] = {"schemas",  "responses", "parameters", "examples", "requestBodies",
                                     "headers",  "securitySchemes", "links", "callbacks", "pathItems"};

class Bundler {
 public:
  explicit Bundler(load::LoadedSpec& spec) : spec_(spec), names_(spec) {
    oas::WalkHandlers handlers;
    handlers.onRef = [this](const Node& refObject, oas::ObjectType type, const Node*) {
      siteTypes_.emplace(&refObject, type);
    };
    oas::walkDocument(spec, handlers);
  }

  Json run() {
    const Node* root = spec_.root();
    if (root == nullptr) return Json();
    Json out = Json::object();
    for (const doc::Member& member : root->members) {
      if (member.key == "components") {
        out["components"] = Json::object();  // filled below, keeping its position
        continue;
      }
      out[member.key] = emit(*member.value);
    }
    // Components come last in the emission because the rest decides which hoisted
    // targets they need; a placeholder above keeps the section where the author put it.
    Json components = emitComponents(root->get("components"));
    if (!components.empty() || root->get("components") != nullptr) out["components"] = std::move(components);
    return out;
  }

 private:
  // Emits the entry's own components, then every hoisted target that some emitted
  // reference points at, until no new one appears.
  Json emitComponents(const Node* own) {
    Json components = Json::object();
    if (own != nullptr && own->isObject()) {
      for (const doc::Member& section : own->members) {
        if (!section.value->isObject() || section.key.rfind("x-", 0) == 0) {
          components[section.key] = emit(*section.value);
          continue;
        }
        Json entries = Json::object();
        for (const doc::Member& entry : section.value->members) {
          const Node* target = spec_.resolve(entry.value);
          // A component that is a reference to another file takes that file's content.
          bool external = target != nullptr && target != entry.value &&
                          target->location.file != 0;
          ir::appendUnique(entries, entry.key, external ? emit(*target) : emit(*entry.value));
          if (target != nullptr) emitted_.insert({section.key, target});
        }
        components[section.key] = std::move(entries);
      }
    }
    bool changed = true;
    while (changed) {
      changed = false;
      for (const char* section : kSections) {
        for (const auto& entry : names_.entries(section)) {
          if (wanted_.count({section, entry.node}) == 0 || emitted_.count({section, entry.node}) != 0) continue;
          emitted_.insert({section, entry.node});
          Json value = emit(*entry.node);  // may want more components
          components[section][entry.name] = std::move(value);
          changed = true;
        }
      }
    }
    // The entry's own sections keep their order; new ones follow in kSections order.
    return components;
  }

  Json emit(const Node& node) {
    if (node.isObject() && load::LoadedSpec::isRef(node) && !spec_.targetUri(node).empty()) {
      return emitRef(node);
    }
    if (node.isArray()) {
      Json out = Json::array();
      for (const Node* item : node.items) out.push_back(emit(*item));
      return out;
    }
    if (node.isObject()) {
      Json out = Json::object();
      for (const doc::Member& member : node.members) ir::appendUnique(out, member.key, emit(*member.value));
      return out;
    }
    return ir::toJson(node);
  }

  Json emitRef(const Node& refObject) {
    const Node* target = spec_.resolve(&refObject);
    if (target == nullptr) return ir::toJson(refObject);  // broken: reported by the loader
    auto site = siteTypes_.find(&refObject);
    const char* section = site == siteTypes_.end() ? nullptr : oas::componentSection(site->second);
    bool pathItem = site != siteTypes_.end() && site->second == oas::ObjectType::PathItem;
    bool crossesFiles = target->location.file != 0 || refObject.location.file != 0;
    if (section != nullptr && !pathItem) {
      const std::string* name = names_.find(*target, section);
      if (name != nullptr && (crossesFiles || isComponent(*target, section))) {
        wanted_.insert({section, target});
        Json out = Json::object();
        for (const doc::Member& member : refObject.members) {
          out[member.key] = member.key == "$ref" ? Json("#/components/" + std::string(section) + "/" + *name)
                                                 : emit(*member.value);
        }
        return out;
      }
      if (!crossesFiles) return ir::toJson(refObject);  // a local pointer stays valid
    }
    if (!crossesFiles && !pathItem) return ir::toJson(refObject);
    // Inline: a path item, or a value in a place with no components section.
    if (!inlining_.insert(target).second) {
      spec_.diagnostics.error("bundle-cycle", *refObject.get("$ref"),
                              "cannot inline a reference that contains itself");
      return ir::toJson(refObject);
    }
    Json out = emit(*target);
    inlining_.erase(target);
    // Siblings of $ref (summary, description) override the target's.
    if (out.is_object()) {
      for (const doc::Member& member : refObject.members) {
        if (member.key != "$ref") out[member.key] = emit(*member.value);
      }
    }
    return out;
  }

  bool isComponent(const Node& target, const char* section) const {
    if (target.location.file != 0) return false;
    const Node* parent = target.parent;
    return parent != nullptr && parent->parent != nullptr && parent->keyInParent() == section &&
           parent->parent->keyInParent() == "components" && parent->parent->parent != nullptr &&
           parent->parent->parent->parent == nullptr;
  }

  struct PairHash {
    std::size_t operator()(const std::pair<std::string, const Node*>& p) const {
      return std::hash<std::string>()(p.first) ^ std::hash<const void*>()(p.second);
    }
  };

  load::LoadedSpec& spec_;
  oas::ComponentNames names_;
  std::unordered_map<const Node*, oas::ObjectType> siteTypes_;
  std::unordered_set<std::pair<std::string, const Node*>, PairHash> wanted_;
  std::unordered_set<std::pair<std::string, const Node*>, PairHash> emitted_;
  std::unordered_set<const Node*> inlining_;
};

}  // namespace

Json bundle(load::LoadedSpec& spec) { return Bundler(spec).run(); }

std::string toJsonText(const Json& document) {
  return document.dump(2, ' ', false, Json::error_handler_t::strict) + "\n";
}

}  // namespace tether::bundle
