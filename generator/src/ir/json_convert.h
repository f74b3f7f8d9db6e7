// Located document nodes -> nlohmann JSON values.
#pragma once

#include <cerrno>
#include <cstdlib>

#include "tether/doc/node.h"
#include "tether/ir/model.h"

namespace tether::ir {

inline Json numberToJson(const doc::Node& node) {
  const char* text = node.text.c_str();
  if (node.integerLiteral) {
    errno = 0;
    char* end = nullptr;
    if (node.text[0] == '-') {
      long long value = std::strtoll(text, &end, 10);
      if (errno == 0) return Json(value);
    } else {
      unsigned long long value = std::strtoull(text, &end, 10);
      if (errno == 0) return Json(value);
    }
  }
  return Json(std::strtod(text, nullptr));
}

// Appends a member whose key is known to be new. ordered_json's operator[] searches the
// object linearly, which makes building a large object quadratic; source objects have
// unique keys (the readers reject duplicates), so the search can be skipped.
inline void appendUnique(Json& object, std::string key, Json value) {
  if (!object.is_object()) object = Json::object();
  auto& members = static_cast<std::vector<std::pair<const std::string, Json>>&>(object.get_ref<Json::object_t&>());
  members.emplace_back(std::move(key), std::move(value));
}

// Plain conversion; no reference is followed.
inline Json toJson(const doc::Node& node) {
  switch (node.kind) {
    case doc::Node::Kind::Null: return Json(nullptr);
    case doc::Node::Kind::Boolean: return Json(node.boolean);
    case doc::Node::Kind::Number: return numberToJson(node);
    case doc::Node::Kind::String: return Json(node.text);
    case doc::Node::Kind::Array: {
      Json out = Json::array();
      out.get_ref<Json::array_t&>().reserve(node.items.size());
      for (const doc::Node* item : node.items) out.push_back(toJson(*item));
      return out;
    }
    case doc::Node::Kind::Object: {
      Json out = Json::object();
      // Reserved: growing a vector of pair<const string, json> deep-copies its members.
      out.get_ref<Json::object_t&>().reserve(node.members.size());
      for (const doc::Member& member : node.members) appendUnique(out, member.key, toJson(*member.value));
      return out;
    }
  }
  return Json();
}

}  // namespace tether::ir
