// JSON equality as JSON Schema defines it (1 == 1.0; object member order is irrelevant),
// computed without recursion so 100k-deep values cannot overflow the stack.
#pragma once

#include <nlohmann/json.hpp>

namespace tether::schema::detail {

bool jsonEqual(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace tether::schema::detail
