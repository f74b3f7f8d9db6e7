// Table-driven JSON reading and writing of generated structs and unions. A generated
// struct lists its members once, as a table of {JSON name, member}; the walk over the JSON
// object, the required-member check, the policy for members the schema does not declare
// and null versus absent all live here, written once.
//
// A Field erases its member's C++ type behind two function pointers instantiated per
// member *type* (Optional<std::string>, std::vector<Pet>, ...), not per struct or per
// field: a unit instantiates about what the hand-expanded code's overload resolution did.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "tether/model/model.h"

namespace tether::model {

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};
template <class T>
struct IsOptional<Optional<T>> : std::true_type {};

// The reading and writing of one member type, erased.
template <class T>
bool readMember(const Json& j, void* member, Reader& r) {
  return read(j, *static_cast<T*>(member), r);
}
// Writes the member under `key` of `object`; an optional member that is not set is absent.
template <class T>
void writeMember(Json& object, std::string_view key, const void* member) {
  const T& value = *static_cast<const T*>(member);
  if constexpr (IsOptional<T>::value) {
    if (value) write(object[Json::object_t::key_type(key)], *value);
  } else {
    write(object[Json::object_t::key_type(key)], value);
  }
}

// One member of a generated struct: its JSON name, where it lives and how it reads and
// writes. Required or not is a property of the member's type: an optional member is an
// Optional (absent), a required one is not (null is tether::model::Nullable).
class Field {
 public:
  template <class T>
  Field(std::string_view json, const T& member)
      : json_(json),
        member_(&member),
        read_(&readMember<T>),
        write_(&writeMember<T>),
        required_(!IsOptional<T>::value) {}

  std::string_view json() const { return json_; }
  bool required() const { return required_; }
  // The struct being read is never const: the table is built from a const view of it so
  // that one table serves reading and writing.
  bool readFrom(const Json& j, Reader& r) const { return read_(j, const_cast<void*>(member_), r); }
  void writeTo(Json& object) const { write_(object, json_, member_); }

 private:
  std::string_view json_;
  const void* member_;
  bool (*read_)(const Json&, void*, Reader&);
  void (*write_)(Json&, std::string_view, const void*);
  bool required_;
};

// What becomes of a member the fields do not name (the schema's additionalProperties).
class Extra {
 public:
  // additionalProperties: false: such a member is an error.
  static Extra forbidden() { return Extra(nullptr, nullptr); }
  // Any value, kept as JSON (rejected under UnknownFields::Reject).
  static Extra any(Json& members) { return Extra(&members, nullptr); }
  // Each value read as T into a map.
  template <class T>
  static Extra typed(std::map<std::string, T>& members) {
    return Extra(&members, [](void* map, const std::string& key, const Json& value, Reader& r) {
      return read(value, (*static_cast<std::map<std::string, T>*>(map))[key], r);
    });
  }

  // Takes the member `key` (the reader is at it) as the policy says.
  bool take(const std::string& key, const Json& value, Reader& r) const;

 private:
  using ReadFn = bool (*)(void*, const std::string&, const Json&, Reader&);
  Extra(void* members, ReadFn reader) : members_(members), read_(reader) {}
  void* members_;
  ReadFn read_;
};

// Reads a JSON object into the members `fields` point to. Errors carry the member's
// pointer; a missing required member is reported at the object, in the fields' order.
bool readObject(const Json& j, std::span<const Field> fields, Extra extra, Reader& r);
// Writes the fields (optional ones only when set) into a new object.
void writeObject(Json& j, std::span<const Field> fields);
// The same, then the members the schema does not declare.
void writeObject(Json& j, std::span<const Field> fields, const Json& extra);
template <class T>
void writeObject(Json& j, std::span<const Field> fields, const std::map<std::string, T>& extra) {
  writeObject(j, fields);
  for (const auto& entry : extra) write(j[entry.first], entry.second);
}

// ---- unions ----------------------------------------------------------------------------
// A value of a union's discriminator and the alternative (its index) it selects.
struct Tag {
  std::string_view value;
  std::size_t alternative;
};

enum class TagLookup { None, Found, Unknown };
// Finds the alternative the discriminator `property` of `j` names. None when `j` is not an
// object or has no string `property` (the union then tries its alternatives in order);
// Unknown, recorded as a failure at the property, for a value no tag lists.
TagLookup findTag(const Json& j, std::string_view property, std::span<const Tag> tags, std::size_t& alternative,
                  Reader& r);

// Reads a union with a discriminator: the tag picks the alternative; without a tag to go
// by, the first alternative that reads wins (objects.cpp).
bool readUnion(const Json& j, OneOfRef out, std::span<const AlternativeReader> readers, Reader& r,
               std::string_view property, std::span<const Tag> tags);
template <class... Ts>
bool readUnion(const Json& j, OneOf<Ts...>& out, Reader& r, std::string_view property, std::span<const Tag> tags) {
  return readUnion(j, out.ref(), std::span(readersOf<Ts...>(), sizeof...(Ts)), r, property, tags);
}

}  // namespace tether::model
