// Exact arithmetic on JSON numbers as nlohmann stores them (int64, uint64, double).
//
// Doubles are read back through their shortest round-trip decimal form (std::to_chars),
// which recovers the decimal the document spelled ("0.0075" stays 0.0075, not
// 0.00749999...), so `multipleOf` with decimals is decided exactly on decimals.
#pragma once

#include <nlohmann/json.hpp>

namespace tether::schema::detail {

// <0, 0, >0 as a <, ==, > b. Both must be numbers. Exact across int64/uint64/double.
int compareNumbers(const nlohmann::json& a, const nlohmann::json& b);

// True when the number has no fractional part (1.0 is an integer; 1e308 is too).
bool isIntegral(const nlohmann::json& number);

// True when `value` is an integer multiple of `divisor` (> 0), decided on decimals.
bool isMultipleOf(const nlohmann::json& value, const nlohmann::json& divisor);

}  // namespace tether::schema::detail
