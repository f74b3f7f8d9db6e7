#include "json_pointer.h"

namespace tether::schema::detail {

std::string escapePointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

const nlohmann::json* navigatePointer(const nlohmann::json& root, std::string_view pointer) {
  const nlohmann::json* node = &root;
  if (pointer.empty()) return node;
  if (pointer[0] != '/') return nullptr;
  std::size_t i = 1;
  while (true) {
    auto next = pointer.find('/', i);
    std::string_view raw = pointer.substr(i, next == std::string_view::npos ? pointer.size() - i : next - i);
    std::string token;
    for (std::size_t k = 0; k < raw.size(); ++k) {
      if (raw[k] == '~' && k + 1 < raw.size() && raw[k + 1] == '0') { token += '~'; ++k; }
      else if (raw[k] == '~' && k + 1 < raw.size() && raw[k + 1] == '1') { token += '/'; ++k; }
      else token += raw[k];
    }
    if (node->is_object()) {
      auto it = node->find(token);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      if (token.empty() || token.size() > 9) return nullptr;
      if (token.size() > 1 && token[0] == '0') return nullptr;
      std::size_t index = 0;
      for (char c : token) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
    if (next == std::string_view::npos) return node;
    i = next + 1;
  }
}

}  // namespace tether::schema::detail
