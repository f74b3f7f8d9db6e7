#include "schema_normalizer.h"

#include "json_convert.h"
#include "tether/doc/json_pointer.h"
#include "tether/oas/walker.h"

namespace tether::ir {

Json SchemaNormalizer::refTo(const doc::Node& refObject) const {
  const doc::Node* target = spec_.resolve(&refObject);
  if (target != nullptr) {
    if (const std::string* name = names_.find(*target, "schemas")) {
      // Escaped: names given to inline schemas (a $ref into paths) may hold '/', '~', '{'.
      return Json(doc::refToComponent("schemas", *name));
    }
  }
  // Broken (already reported by the loader): keep what the author wrote.
  return Json(refObject.getString("$ref"));
}

Json SchemaNormalizer::normalize(const doc::Node& schema) const {
  if (!schema.isObject()) return toJson(schema);  // true / false schemas
  Json out = Json::object();
  // Reserved up front: an ordered_json object is a vector of pair<const string, json>,
  // which cannot be moved, so each growth deep-copied every member normalized so far (most
  // of `generate`'s IR time on GitHub's and Microsoft Graph's specs).
  out.get_ref<Json::object_t&>().reserve(schema.members.size() + 1);
  if (load::LoadedSpec::isRef(schema)) {
    out["$ref"] = refTo(schema);
    if (openApi30_) return out;
  }
  for (const doc::Member& member : schema.members) {
    if (member.key == "$ref") continue;
    oas::Shape shape;
    oas::ObjectType type;
    const bool schemaChild =
        oas::childOf(oas::ObjectType::Schema, member.key, shape, type) && type == oas::ObjectType::Schema;
    const doc::Node* valueNode = member.value;
    if (schemaChild && shape != oas::Shape::One) {
      // A $ref where a map or list of schemas belongs (`properties: {$ref: attrs.yml#/x}`,
      // common in multi-file specs such as DigitalOcean's): the reference stands for the
      // map itself, as a JSON Reference does anywhere, so it is inlined.
      for (int hops = 0; hops < 32 && load::LoadedSpec::isRef(*valueNode); ++hops) {
        const doc::Node* target = spec_.resolve(valueNode);
        if (target == nullptr) break;
        valueNode = target;
      }
    }
    const doc::Node& value = *valueNode;
    if (schemaChild) {
      if (shape == oas::Shape::MapOf && value.isObject()) {
        Json map = Json::object();
        map.get_ref<Json::object_t&>().reserve(value.members.size());
        for (const doc::Member& entry : value.members) {
          appendUnique(map, entry.key, entry.value->isArray() ? toJson(*entry.value) : normalize(*entry.value));
        }
        appendUnique(out, member.key, std::move(map));
        continue;
      }
      if ((shape == oas::Shape::ArrayOf || member.key == "items") && value.isArray()) {
        Json list = Json::array();
        list.get_ref<Json::array_t&>().reserve(value.items.size());
        for (const doc::Node* item : value.items) list.push_back(normalize(*item));
        appendUnique(out, member.key, std::move(list));
        continue;
      }
      appendUnique(out, member.key, normalize(value));
      continue;
    }
    appendUnique(out, member.key, toJson(value));
  }
  if (out.contains("example")) {
    if (!out.contains("examples")) out["examples"] = Json::array({out["example"]});
    out.erase("example");
  }
  if (openApi30_) convert30(out);
  return out;
}

void SchemaNormalizer::convert30(Json& out) const {
  for (const char* bound : {"Minimum", "Maximum"}) {
    std::string exclusive = std::string("exclusive") + bound;
    std::string inclusive = bound[1] == 'i' ? "minimum" : "maximum";
    auto it = out.find(exclusive);
    if (it == out.end() || !it->is_boolean()) continue;
    bool isExclusive = it->get<bool>();
    out.erase(exclusive);
    if (isExclusive && out.contains(inclusive)) {
      out[exclusive] = out[inclusive];
      out.erase(inclusive);
    }
  }
  // (Copied: inserting into an ordered_json invalidates iterators into it.)
  std::string format = out.contains("format") && out["format"].is_string() ? out["format"].get<std::string>() : "";
  if (format == "byte" && !out.contains("contentEncoding")) out["contentEncoding"] = "base64";
  if (format == "binary" && !out.contains("contentMediaType")) {
    out["contentMediaType"] = "application/octet-stream";
  }
  auto nullable = out.find("nullable");
  if (nullable == out.end()) return;
  bool isNullable = nullable->is_boolean() && nullable->get<bool>();
  out.erase("nullable");
  if (!isNullable) return;
  if (auto values = out.find("enum"); values != out.end() && values->is_array()) {
    if (std::find(values->begin(), values->end(), Json(nullptr)) == values->end()) {
      values->push_back(nullptr);
    }
  }
  if (auto type = out.find("type"); type != out.end()) {
    if (type->is_string()) {
      *type = Json::array({*type, "null"});
    } else if (type->is_array() && std::find(type->begin(), type->end(), Json("null")) == type->end()) {
      type->push_back("null");
    }
    return;
  }
  // No `type` to widen (e.g. allOf or oneOf with nullable): allow null alongside.
  Json inner = std::move(out);
  out = Json::object();
  out["anyOf"] = Json::array({std::move(inner), Json{{"type", "null"}}});
}

}  // namespace tether::ir
