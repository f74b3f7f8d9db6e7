// RFC 6901 JSON pointers: token escaping and navigation (no exceptions).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tether::schema::detail {

std::string escapePointerToken(std::string_view token);
inline std::string appendPointer(std::string_view base, std::string_view token) {
  std::string out(base);
  out += '/';
  out += escapePointerToken(token);
  return out;
}

// The node at `pointer` inside `root`, or nullptr. `pointer` is "" or starts with "/".
const nlohmann::json* navigatePointer(const nlohmann::json& root, std::string_view pointer);

}  // namespace tether::schema::detail
