#include "json_equal.h"

#include <utility>
#include <vector>

#include "numbers.h"

namespace tether::schema::detail {

bool jsonEqual(const nlohmann::json& a, const nlohmann::json& b) {
  // Scalars (enum and const candidates mostly are): no work list.
  if (!a.is_structured() || !b.is_structured()) {
    if (a.is_number() && b.is_number()) return compareNumbers(a, b) == 0;
    if (a.type() != b.type()) return false;
    switch (a.type()) {
      case nlohmann::json::value_t::null: return true;
      case nlohmann::json::value_t::boolean: return a.get<bool>() == b.get<bool>();
      case nlohmann::json::value_t::string:
        return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
      default: return a == b;  // binary: not produced by the JSON parser
    }
  }
  std::vector<std::pair<const nlohmann::json*, const nlohmann::json*>> work;
  work.emplace_back(&a, &b);
  while (!work.empty()) {
    auto [x, y] = work.back();
    work.pop_back();
    if (x->is_number() && y->is_number()) {
      if (compareNumbers(*x, *y) != 0) return false;
      continue;
    }
    if (x->type() != y->type()) return false;
    switch (x->type()) {
      case nlohmann::json::value_t::null: break;
      case nlohmann::json::value_t::boolean:
        if (x->get<bool>() != y->get<bool>()) return false;
        break;
      case nlohmann::json::value_t::string:
        if (x->get_ref<const std::string&>() != y->get_ref<const std::string&>()) return false;
        break;
      case nlohmann::json::value_t::array:
        if (x->size() != y->size()) return false;
        for (std::size_t i = 0; i < x->size(); ++i) work.emplace_back(&(*x)[i], &(*y)[i]);
        break;
      case nlohmann::json::value_t::object: {
        if (x->size() != y->size()) return false;
        for (auto it = x->begin(); it != x->end(); ++it) {
          auto other = y->find(it.key());
          if (other == y->end()) return false;
          work.emplace_back(&*it, &*other);
        }
        break;
      }
      default:
        if (*x != *y) return false;  // binary: not produced by the JSON parser
        break;
    }
  }
  return true;
}

}  // namespace tether::schema::detail
