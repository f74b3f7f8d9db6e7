// What generated models.h includes: the runtime of the models and the macros that spell
// the boilerplate every generated type carries, once here instead of once per type.
//
// The JSON functions are hidden friends (defined inside the type, found by
// argument-dependent lookup only): overloads at namespace scope would all take part in
// every call's overload resolution, and the compile time of a spec with thousands of types
// grew with its square. Each type's reading and writing are static members, defined in the
// generated models_N.cpp from the type's table; so is fromJson, whose body (a fresh value,
// moved into place) would otherwise make every unit that includes models.h instantiate
// the default construction and move assignment of every type.
#pragma once

#include "tether/model/enums.h"
#include "tether/model/model.h"
#include "tether/model/objects.h"

// In a generated struct or union `Type`: equality, and reading and writing as JSON
// (read/write, and to_json/from_json so that j.get<Type>() and json(value) work too).
#define TETHER_MODEL_OBJECT(Type)                                                                                 \
  bool operator==(const Type&) const; /* = default in models_N.cpp */                                                \
  static bool readJson(const ::nlohmann::json& j, Type& out, ::tether::model::Reader& r);                         \
  static void writeJson(::nlohmann::json& j, const Type& value);                                                  \
  static void fromJson(const ::nlohmann::json& j, Type& value);                                                   \
  friend bool read(const ::nlohmann::json& j, Type& out, ::tether::model::Reader& r) { return readJson(j, out, r); } \
  friend void write(::nlohmann::json& j, const Type& value) { writeJson(j, value); }                              \
  friend void to_json(::nlohmann::json& j, const Type& value) { writeJson(j, value); }                            \
  friend void from_json(const ::nlohmann::json& j, Type& value) { fromJson(j, value); }

// In the holder struct `Enum_` of a generated enum `Enum`: its table of values (defined in
// models_N.cpp) and its JSON functions.
#define TETHER_MODEL_ENUM_(Enum, Table)                                                                           \
  static const ::tether::model::Table values[];                                                                   \
  static bool readJson(const ::nlohmann::json& j, Enum& out, ::tether::model::Reader& r);                         \
  static void writeJson(::nlohmann::json& j, Enum value);                                                         \
  static void fromJson(const ::nlohmann::json& j, Enum& value);                                                  \
  friend bool read(const ::nlohmann::json& j, Enum& out, ::tether::model::Reader& r) { return readJson(j, out, r); } \
  friend void write(::nlohmann::json& j, Enum value) { writeJson(j, value); }                                     \
  friend void to_json(::nlohmann::json& j, Enum value) { writeJson(j, value); }                                   \
  friend void from_json(const ::nlohmann::json& j, Enum& value) { fromJson(j, value); }

// A string enum also has its JSON text: Enum_::text(value) and toString(value) (nullptr
// for Unknown).
#define TETHER_MODEL_STRING_ENUM(Enum)       \
  TETHER_MODEL_ENUM_(Enum, EnumText)         \
  static const char* text(Enum value);       \
  friend const char* toString(Enum value) { return text(value); }

#define TETHER_MODEL_INTEGER_ENUM(Enum) TETHER_MODEL_ENUM_(Enum, EnumInteger)

// In models_N.cpp, after the table of `Enum_::values`: the enum's functions, which read
// and write through the table.
#define TETHER_MODEL_ENUM_FUNCTIONS_(Enum)                                                                         \
  bool Enum##_::readJson(const ::nlohmann::json& j, Enum& out, ::tether::model::Reader& r) {                     \
    int value = 0;                                                                                                 \
    if (!::tether::model::readEnum(j, value, r, values, static_cast<int>(Enum::Unknown), #Enum)) return false;    \
    out = static_cast<Enum>(value);                                                                                \
    return true;                                                                                                   \
  }                                                                                                                \
  void Enum##_::writeJson(::nlohmann::json& j, Enum value) { ::tether::model::writeEnum(j, static_cast<int>(value), values, #Enum); } \
  void Enum##_::fromJson(const ::nlohmann::json& j, Enum& value) { ::tether::model::readOrThrow(j, value, &readJson); }

#define TETHER_MODEL_STRING_ENUM_FUNCTIONS(Enum) \
  TETHER_MODEL_ENUM_FUNCTIONS_(Enum)             \
  const char* Enum##_::text(Enum value) { return ::tether::model::enumText(static_cast<int>(value), values); }

#define TETHER_MODEL_INTEGER_ENUM_FUNCTIONS(Enum) TETHER_MODEL_ENUM_FUNCTIONS_(Enum)
