#include "tether/http/query.h"

#include "tether/http/percent.h"

namespace tether::http {

Query Query::parse(std::string_view raw) {
  Query query;
  if (!raw.empty() && raw.front() == '?') raw.remove_prefix(1);
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view piece = raw.substr(start, end - start);
    if (!piece.empty()) {  // "a=1&&b=2" has no third item
      Item item;
      std::size_t eq = piece.find('=');
      item.hasValue = eq != std::string_view::npos;
      item.rawKey = std::string(piece.substr(0, eq));
      if (item.hasValue) item.rawValue = std::string(piece.substr(eq + 1));
      item.key = percentDecodeLenient(item.rawKey, true);
      item.value = percentDecodeLenient(item.rawValue, true);
      query.items_.push_back(std::move(item));
    }
    start = end + 1;
  }
  return query;
}

bool Query::has(std::string_view key) const { return get(key).has_value(); }

std::optional<std::string> Query::get(std::string_view key) const {
  for (const Item& item : items_) {
    if (item.key == key) return item.value;
  }
  return std::nullopt;
}

std::vector<std::string> Query::getAll(std::string_view key) const {
  std::vector<std::string> out;
  for (const Item& item : items_) {
    if (item.key == key) out.push_back(item.value);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Query::pairs() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(items_.size());
  for (const Item& item : items_) out.emplace_back(item.key, item.value);
  return out;
}

}  // namespace tether::http
