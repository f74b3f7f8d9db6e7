// Converts a 2020-12 benchmark schema to draft 7 for valijson (the Debian package speaks
// draft 7 and older): dependentRequired/dependentSchemas become `dependencies`,
// prefixItems/items become items-array/additionalItems, a `$ref` with sibling keywords is
// wrapped in `allOf` (draft 7 ignores a $ref's siblings), `$schema` is dropped. Keywords
// draft 7 cannot express (unevaluated*, $dynamicRef, minContains/maxContains...) make the
// conversion fail with the reason, e.g. "uses unevaluatedProperties".
#pragma once

#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

class Draft7Converter {
 public:
  // The draft-7 schema, or nullopt with `reason()` set.
  std::optional<nlohmann::json> convert(const nlohmann::json& schema) {
    nlohmann::json out = schema;
    walk(out);
    if (!unsupported_.empty()) return std::nullopt;
    return out;
  }
  std::string reason() const {
    std::string r;
    for (const std::string& k : unsupported_) r += (r.empty() ? "uses " : ", ") + k;
    return r;
  }

 private:
  std::set<std::string> unsupported_;

  void walkMap(nlohmann::json& m) {
    if (m.is_object())
      for (auto& [name, sub] : m.items()) walk(sub);
  }
  void walkList(nlohmann::json& l) {
    if (l.is_array())
      for (auto& sub : l) walk(sub);
  }

  void walk(nlohmann::json& s) {
    if (!s.is_object()) return;
    for (const char* k : {"unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$dynamicAnchor",
                          "$recursiveRef", "minContains", "maxContains", "$anchor"})
      if (s.contains(k)) unsupported_.insert(k);
    s.erase("$schema");
    for (const char* k : {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})
      if (s.contains(k)) walkMap(s[k]);
    for (const char* k : {"allOf", "anyOf", "oneOf", "prefixItems"})
      if (s.contains(k)) walkList(s[k]);
    for (const char* k : {"additionalProperties", "items", "contains", "propertyNames", "not", "if", "then", "else"})
      if (s.contains(k)) walk(s[k]);
    if (s.contains("prefixItems")) {
      if (s.contains("items")) s["additionalItems"] = std::move(s["items"]);
      s["items"] = std::move(s["prefixItems"]);
      s.erase("prefixItems");
    }
    if (s.contains("dependentRequired") || s.contains("dependentSchemas")) {
      nlohmann::json deps = nlohmann::json::object();
      for (const char* k : {"dependentRequired", "dependentSchemas"}) {
        if (!s.contains(k)) continue;
        for (auto& [name, v] : s[k].items()) deps[name] = v;
        s.erase(k);
      }
      s["dependencies"] = std::move(deps);
    }
    if (s.contains("$ref") && s.size() > 1) {
      static const std::set<std::string> annotations = {"$ref", "description", "title", "examples", "default",
                                                        "$comment", "deprecated", "readOnly", "writeOnly",
                                                        "$defs", "definitions"};
      bool constrained = false;
      for (auto& [k, v] : s.items()) constrained |= annotations.count(k) == 0;
      if (constrained) {
        nlohmann::json ref = {{"$ref", s["$ref"]}};
        s.erase("$ref");
        nlohmann::json all = s.contains("allOf") ? s["allOf"] : nlohmann::json::array();
        all.insert(all.begin(), ref);
        s["allOf"] = std::move(all);
      }
    }
  }
};

}  // namespace bench
