#include "tether/schema/support.h"

#include "formats.h"
#include "json_equal.h"
#include "json_pointer.h"
#include "numbers.h"
#include "unicode.h"

namespace tether::schema::support {

using nlohmann::json;

namespace {

const char* typeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    case json::value_t::number_float: return detail::isIntegral(v) ? "integer" : "number";
    default: return v.is_number() ? "integer" : "unknown";
  }
}

std::string typeMaskText(std::uint32_t mask) {
  static const char* names[] = {"null", "boolean", "object", "array", "number", "string", "integer"};
  std::string out;
  for (int i = 0; i < 7; ++i) {
    if (i == 6 && (mask & kTypeNumber)) break;
    if (mask & (1u << i)) out += (out.empty() ? "" : ", ") + std::string(names[i]);
  }
  return out;
}

std::string shortDump(const json& v) {
  if (v.is_array() || v.is_object()) return v.is_array() ? "array" : "object";
  std::string s = v.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

}  // namespace

bool isIntegral(const json& number) { return detail::isIntegral(number); }
bool jsonEqual(const json& a, const json& b) { return detail::jsonEqual(a, b); }
int compareNumbers(const json& a, const json& b) { return detail::compareNumbers(a, b); }
bool isMultipleOf(const json& value, const json& divisor) { return detail::isMultipleOf(value, divisor); }
std::size_t codePointCount(std::string_view s) { return detail::codePointCount(s); }
bool checkFormat(Format format, std::string_view value) { return detail::checkFormat(format, value); }
bool checkContent(bool base64, bool is_json, std::string_view value) {
  return detail::checkContent(base64, is_json, value);
}

std::string msgFalse() { return "no value is valid against the false schema"; }
std::string msgType(std::uint32_t mask, const json& v) {
  return "expected " + typeMaskText(mask) + ", found " + typeName(v);
}
std::string msgConst(const json& constant) { return "value does not equal the constant " + shortDump(constant); }
std::string msgEnum(const json& v) { return shortDump(v) + " is not one of the enumerated values"; }
std::string msgMultipleOf(const json& v, const json& divisor) {
  return shortDump(v) + " is not a multiple of " + shortDump(divisor);
}
std::string msgBound(Op op, const json& v, const json& bound) {
  switch (op) {
    case Op::Minimum: return shortDump(v) + " is less than the minimum " + shortDump(bound);
    case Op::Maximum: return shortDump(v) + " is greater than the maximum " + shortDump(bound);
    case Op::ExclusiveMinimum: return shortDump(v) + " is not greater than " + shortDump(bound);
    default: return shortDump(v) + " is not less than " + shortDump(bound);
  }
}
std::string msgCount(Op op, std::uint32_t n) {
  const std::string count = std::to_string(n);
  switch (op) {
    case Op::MinLength: return "string is shorter than " + count + " characters";
    case Op::MaxLength: return "string is longer than " + count + " characters";
    case Op::MinItems: return "array has fewer than " + count + " items";
    case Op::MaxItems: return "array has more than " + count + " items";
    case Op::MinProperties: return "object has fewer than " + count + " properties";
    default: return "object has more than " + count + " properties";
  }
}
std::string msgPattern(const std::string& source, bool limit_exceeded) {
  return limit_exceeded ? "pattern \"" + source + "\" exceeded the regex match limit"
                        : "string does not match the pattern \"" + source + "\"";
}
std::string msgFormat(Format format) {
  return "string is not a valid \"" + std::string(detail::formatName(format)) + "\"";
}
std::string msgUniqueItems(std::size_t i, std::size_t j) {
  return "items " + std::to_string(i) + " and " + std::to_string(j) + " are equal";
}
std::string msgRequired(const std::string& name) { return "missing required property \"" + name + "\""; }
std::string msgDependentRequired(const std::string& trigger, const std::string& name) {
  return "property \"" + trigger + "\" requires property \"" + name + "\"";
}
std::string msgContains(std::size_t matches, std::uint32_t bound, bool too_few) {
  return "array contains " + std::to_string(matches) + " matching items, " + (too_few ? "fewer" : "more") +
         " than " + std::to_string(bound);
}
std::string msgAnyOf() { return "value does not match any subschema of anyOf"; }
std::string msgOneOf(std::size_t passed) {
  return passed == 0 ? std::string("value does not match any subschema of oneOf")
                     : "value matches " + std::to_string(passed) + " subschemas of oneOf, expected exactly one";
}
std::string msgNot() { return "value must not match the subschema of not"; }
std::string msgReadOnly() { return "read-only value must not appear in a request"; }
std::string msgWriteOnly() { return "write-only value must not appear in a response"; }
std::string msgContent() { return "string content does not match its encoding or media type"; }
std::string msgDepth(std::size_t max_depth) {
  return "maximum evaluation depth (" + std::to_string(max_depth) + ") exceeded";
}

void appendPointerToken(std::string& path, std::string_view token) {
  path += '/';
  path += detail::escapePointerToken(token);
}

}  // namespace tether::schema::support
