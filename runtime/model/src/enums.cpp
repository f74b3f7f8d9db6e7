#include "tether/model/enums.h"

#include <stdexcept>
#include <string>

namespace tether::model {

namespace {

[[noreturn]] void throwUnknown(std::string_view name) {
  throw std::invalid_argument(std::string(name) + "::Unknown has no JSON value");
}

}  // namespace

bool readEnum(const Json& j, int& out, Reader& r, std::span<const EnumText> values, int unknown, std::string_view name) {
  if (!j.is_string()) return r.fail("expected a string");
  const std::string& text = j.get_ref<const std::string&>();
  for (const EnumText& value : values) {
    if (value.json == text) {
      out = value.value;
      return true;
    }
  }
  // Only a string can be an unknown value: a value of another JSON type is an error even
  // for a lenient client.
  if (r.options().unknownEnums == UnknownEnums::MapToUnknown) {
    out = unknown;
    return true;
  }
  return r.fail("not one of the values of " + std::string(name));
}

bool readEnum(const Json& j, int& out, Reader& r, std::span<const EnumInteger> values, int unknown,
              std::string_view name) {
  if (!j.is_number()) return r.fail("expected an integer");
  // Compared as JSON numbers: 2.0 is the integer 2, as in JSON Schema.
  for (const EnumInteger& value : values) {
    if (j == value.json()) {
      out = value.value;
      return true;
    }
  }
  // Only an integer can be an unknown value.
  if (j.is_number_integer() && r.options().unknownEnums == UnknownEnums::MapToUnknown) {
    out = unknown;
    return true;
  }
  return r.fail("not one of the values of " + std::string(name));
}

const char* enumText(int value, std::span<const EnumText> values) {
  for (const EnumText& entry : values) {
    if (entry.value == value) return entry.json.data();
  }
  return nullptr;
}

void writeEnum(Json& j, int value, std::span<const EnumText> values, std::string_view name) {
  const char* text = enumText(value, values);
  if (text == nullptr) throwUnknown(name);
  j = text;
}

void writeEnum(Json& j, int value, std::span<const EnumInteger> values, std::string_view name) {
  for (const EnumInteger& entry : values) {
    if (entry.value == value) {
      j = entry.json();
      return;
    }
  }
  throwUnknown(name);
}

}  // namespace tether::model
