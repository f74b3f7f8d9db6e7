// Helpers shared by the runtime evaluator and generated validators (tether/emit): instance
// types, exact number math, code-point lengths, formats, content, and the error messages
// of the basic output, so both back ends decide and report alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tether/schema/program.h"

namespace tether::schema::support {

bool isIntegral(const nlohmann::json& number);  // 1.0 is an integer

// The TypeBits of an instance (an integral float is both a number and an integer).
inline std::uint32_t typeBits(const nlohmann::json& v) {
  using value_t = nlohmann::json::value_t;
  switch (v.type()) {
    case value_t::null: return kTypeNull;
    case value_t::boolean: return kTypeBoolean;
    case value_t::string: return kTypeString;
    case value_t::array: return kTypeArray;
    case value_t::object: return kTypeObject;
    case value_t::number_integer:
    case value_t::number_unsigned: return kTypeNumber | kTypeInteger;
    case value_t::number_float: return kTypeNumber | (isIntegral(v) ? std::uint32_t{kTypeInteger} : 0u);
    default: return 0;
  }
}

bool jsonEqual(const nlohmann::json& a, const nlohmann::json& b);
int compareNumbers(const nlohmann::json& a, const nlohmann::json& b);  // exact
bool isMultipleOf(const nlohmann::json& value, const nlohmann::json& divisor);  // exact
std::size_t codePointCount(std::string_view s);
bool checkFormat(Format format, std::string_view value);
bool checkContent(bool base64, bool json, std::string_view value);

// Error messages (the "error" member of an output unit), one per failing keyword.
std::string msgFalse();
std::string msgType(std::uint32_t mask, const nlohmann::json& v);
std::string msgConst(const nlohmann::json& constant);
std::string msgEnum(const nlohmann::json& v);
std::string msgMultipleOf(const nlohmann::json& v, const nlohmann::json& divisor);
std::string msgBound(Op op, const nlohmann::json& v, const nlohmann::json& bound);  // min/max
std::string msgCount(Op op, std::uint32_t n);  // min/maxLength, min/maxItems, min/maxProperties
std::string msgPattern(const std::string& source, bool limit_exceeded);
std::string msgFormat(Format format);
std::string msgUniqueItems(std::size_t i, std::size_t j);
std::string msgRequired(const std::string& name);
std::string msgDependentRequired(const std::string& trigger, const std::string& name);
std::string msgContains(std::size_t matches, std::uint32_t bound, bool too_few);
std::string msgAnyOf();
std::string msgOneOf(std::size_t passed);
std::string msgNot();
std::string msgReadOnly();
std::string msgWriteOnly();
std::string msgContent();
std::string msgDepth(std::size_t max_depth);

// Appends "/" + the escaped JSON pointer token to `path`.
void appendPointerToken(std::string& path, std::string_view token);

}  // namespace tether::schema::support
