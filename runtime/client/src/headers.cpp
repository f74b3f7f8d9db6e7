#include <algorithm>

#include "tether/client/http_types.h"

namespace tether::client {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

void Headers::add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const Field& field : fields_) {
    if (iequals(field.first, name)) return field.second;
  }
  return std::nullopt;
}

std::vector<std::string> Headers::getAll(std::string_view name) const {
  std::vector<std::string> out;
  for (const Field& field : fields_) {
    if (iequals(field.first, name)) out.push_back(field.second);
  }
  return out;
}

std::optional<std::string> findHeader(const HttpRequest& request, std::string_view name) {
  for (const auto& field : request.headers) {
    if (iequals(field.first, name)) return field.second;
  }
  return std::nullopt;
}

}  // namespace tether::client
