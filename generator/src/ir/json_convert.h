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

// Plain conversion; no reference is followed.
inline Json toJson(const doc::Node& node) {
  switch (node.kind) {
    case doc::Node::Kind::Null: return Json(nullptr);
    case doc::Node::Kind::Boolean: return Json(node.boolean);
    case doc::Node::Kind::Number: return numberToJson(node);
    case doc::Node::Kind::String: return Json(node.text);
    case doc::Node::Kind::Array: {
      Json out = Json::array();
      for (const doc::Node* item : node.items) out.push_back(toJson(*item));
      return out;
    }
    case doc::Node::Kind::Object: {
      Json out = Json::object();
      for (const doc::Member& member : node.members) out[member.key] = toJson(*member.value);
      return out;
    }
  }
  return Json();
}

}  // namespace tether::ir
