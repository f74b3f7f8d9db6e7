// Table-driven JSON reading and writing of generated enums. A generated enum lists its
// values once, as a table of {enumerator, JSON value}; the functions here do the rest, so
// an enum costs one line per value and no code of its own (a hand-expanded comparison per
// value made enums the bulk of the models of large specs).
//
// Enumerators travel as int: every generated enum is an `enum class` with the default
// underlying type, so nothing here is a template and nothing is instantiated per enum.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "tether/model/model.h"

namespace tether::model {

// One value of a string enum: the enumerator and its JSON text.
struct EnumText {
  template <class E>
    requires std::is_enum_v<E>
  constexpr EnumText(E enumerator, std::string_view text) : value(static_cast<int>(enumerator)), json(text) {}
  int value;
  std::string_view json;  // from a string literal, so json.data() is terminated
};

// One value of an integer enum: the enumerator and its JSON number (above INT64_MAX the
// generated literal is unsigned).
struct EnumInteger {
  template <class E, class I>
    requires(std::is_enum_v<E> && std::is_integral_v<I>)
  constexpr EnumInteger(E enumerator, I number)
      : value(static_cast<int>(enumerator)),
        isUnsigned(std::is_unsigned_v<I>),
        bits(static_cast<std::uint64_t>(number)) {}
  int value;
  bool isUnsigned;
  std::uint64_t bits;  // the number's two's complement when signed
  Json json() const { return isUnsigned ? Json(bits) : Json(static_cast<std::int64_t>(bits)); }
};

// Reads a string enum into `out` (an enumerator as int): one of `values`, or `unknown` (the
// Unknown enumerator) for any other string when the options map unknown values. `name` is
// the enum's C++ name, for the message.
bool readEnum(const Json& j, int& out, Reader& r, std::span<const EnumText> values, int unknown, std::string_view name);
// The same for an integer enum; numbers are compared as numbers (2.0 is the integer 2).
bool readEnum(const Json& j, int& out, Reader& r, std::span<const EnumInteger> values, int unknown,
              std::string_view name);
// The JSON text of an enumerator; nullptr for Unknown.
const char* enumText(int value, std::span<const EnumText> values);
// Writes an enumerator; Unknown has no JSON value (std::invalid_argument).
void writeEnum(Json& j, int value, std::span<const EnumText> values, std::string_view name);
void writeEnum(Json& j, int value, std::span<const EnumInteger> values, std::string_view name);

}  // namespace tether::model
