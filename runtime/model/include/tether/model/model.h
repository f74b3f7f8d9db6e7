// Support for generated model types: the vocabulary types generated structs are made of
// (Nullable, Box), and JSON reading and writing for them.
//
// Generated code defines, for each of its structs, unions and enums,
//
//   bool read(const nlohmann::json&, T&, tether::model::Reader&);
//   void write(nlohmann::json&, const T&);
//
// and this header supplies the same pair for scalars and containers, so a field of type
// std::vector<std::optional<Pet>> reads through overload resolution alone. Users call
// parse<T>() and serialize(): reading never throws until parse() turns the first error,
// with its JSON Pointer, into a ParseError.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/model/one_of.h"
#include "tether/model/optional.h"

namespace tether::model {

using Json = nlohmann::json;

// A value that may be JSON null. In a field, Optional<Nullable<T>> tells the three states
// apart: absent (nullopt), null (Nullable holding nothing) and a value.
template <class T>
class Nullable : public Optional<T> {
 public:
  using Optional<T>::Optional;
  Nullable() = default;
  bool isNull() const { return !this->has_value(); }
  friend bool operator==(const Nullable& a, const Nullable& b) {
    return static_cast<const Optional<T>&>(a) == static_cast<const Optional<T>&>(b);
  }
};

// Heap indirection with value semantics, for the fields that close a reference cycle
// (a struct cannot hold itself by value). Never empty: it holds a T() by default.
template <class T>
class Box {
 public:
  Box() : ptr_(std::make_unique<T>()) {}
  Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}  // NOLINT: implicit by design
  Box(const Box& other) : ptr_(std::make_unique<T>(*other.ptr_)) {}
  // A moved-from Box is empty until it is assigned to; only assignment and destruction
  // may follow a move (moving stays noexcept, so vectors of Boxes move on growth).
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this == &other) return *this;
    if (ptr_) {
      *ptr_ = *other.ptr_;
    } else {
      ptr_ = std::make_unique<T>(*other.ptr_);
    }
    return *this;
  }
  Box& operator=(Box&& other) noexcept {
    std::swap(ptr_, other.ptr_);
    return *this;
  }
  ~Box() = default;
  T& operator*() { return *ptr_; }
  const T& operator*() const { return *ptr_; }
  T* operator->() { return ptr_.get(); }
  const T* operator->() const { return ptr_.get(); }
  friend bool operator==(const Box& a, const Box& b) { return *a.ptr_ == *b.ptr_; }

 private:
  std::unique_ptr<T> ptr_;
};

// What to do with an enum value the model does not know. Servers reject it; clients map
// it to the enum's Unknown enumerator, so a server that adds a value breaks no client.
enum class UnknownEnums { Reject, MapToUnknown };
// What to do with members an object schema does not declare, when the schema allows them.
// They are always kept (in additional_properties) and written back; Reject is for strict
// servers that want a closed world even where the spec is open.
enum class UnknownFields { Keep, Reject };

struct ReadOptions {
  UnknownEnums unknownEnums = UnknownEnums::Reject;
  UnknownFields unknownFields = UnknownFields::Keep;
};

class ParseError : public std::runtime_error {
 public:
  ParseError(std::string pointer, const std::string& message)
      : std::runtime_error(message + (pointer.empty() ? std::string(" at the root") : " at " + pointer)),
        pointer_(std::move(pointer)),
        message_(message) {}
  const std::string& pointer() const { return pointer_; }  // JSON Pointer to the value
  const std::string& reason() const { return message_; }

 private:
  std::string pointer_;
  std::string message_;
};

// The state of one read: where it is (for the error's pointer) and the first error.
class Reader {
 public:
  explicit Reader(ReadOptions options = {}) : options_(options) {}
  const ReadOptions& options() const { return options_; }

  // Records the first failure at the current location; always returns false so
  // generated code can write `return r.fail("...")`.
  bool fail(std::string_view message);
  bool failed() const { return failed_; }
  const std::string& errorPointer() const { return errorPointer_; }
  const std::string& errorMessage() const { return errorMessage_; }
  // Forgets a failure (a union tries its variants one after another).
  void clear() {
    failed_ = false;
    errorPointer_.clear();
    errorMessage_.clear();
  }

  // Descends into a member or an item for the lifetime of the returned guard.
  class Step {
   public:
    Step(Reader& r, std::string_view token) : r_(r), size_(r.path_.size()) { r.push(token); }
    Step(Reader& r, std::size_t index) : r_(r), size_(r.path_.size()) { r.push(std::to_string(index)); }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    ~Step() { r_.path_.resize(size_); }

   private:
    Reader& r_;
    std::size_t size_;
  };
  Step at(std::string_view token) { return Step(*this, token); }
  Step at(std::size_t index) { return Step(*this, index); }

 private:
  void push(std::string_view token);

  ReadOptions options_;
  std::string path_;  // the current JSON Pointer
  bool failed_ = false;
  std::string errorPointer_;
  std::string errorMessage_;
};

// The JSON type name of a value, for messages ("expected a string, got an integer").
const char* jsonTypeName(const Json& value);
bool expectKind(const Json& value, Json::value_t kind, Reader& r);

// ---- scalars ----------------------------------------------------------------------------
bool read(const Json& j, bool& out, Reader& r);
bool read(const Json& j, std::string& out, Reader& r);
bool read(const Json& j, std::int64_t& out, Reader& r);
bool read(const Json& j, std::int32_t& out, Reader& r);
bool read(const Json& j, double& out, Reader& r);
bool read(const Json& j, std::nullptr_t& out, Reader& r);
bool read(const Json& j, Json& out, Reader& r);
inline void write(Json& out, bool value) { out = value; }
inline void write(Json& out, const std::string& value) { out = value; }
inline void write(Json& out, std::int64_t value) { out = value; }
inline void write(Json& out, std::int32_t value) { out = value; }
inline void write(Json& out, double value) { out = value; }
inline void write(Json& out, std::nullptr_t) { out = nullptr; }
inline void write(Json& out, const Json& value) { out = value; }

// ---- wrappers and containers ------------------------------------------------------------
// Declared before they are defined: a template's unqualified calls only see overloads
// declared above it (plus ADL, which does not reach here for std:: containers).
template <class T>
bool read(const Json& j, Nullable<T>& out, Reader& r);
template <class T>
void write(Json& out, const Nullable<T>& value);
template <class T>
bool read(const Json& j, Box<T>& out, Reader& r);
template <class T>
void write(Json& out, const Box<T>& value);
template <class T>
bool read(const Json& j, std::vector<T>& out, Reader& r);
template <class T>
void write(Json& out, const std::vector<T>& values);
template <class T>
bool read(const Json& j, std::map<std::string, T>& out, Reader& r);
template <class T>
void write(Json& out, const std::map<std::string, T>& values);
template <class T>
bool read(const Json& j, std::optional<T>& out, Reader& r);
template <class T>
bool read(const Json& j, Optional<T>& out, Reader& r);

template <class T>
bool read(const Json& j, Nullable<T>& out, Reader& r) {
  if (j.is_null()) {
    out.reset();
    return true;
  }
  T value{};
  if (!read(j, value, r)) return false;
  out = std::move(value);
  return true;
}
template <class T>
void write(Json& out, const Nullable<T>& value) {
  if (value.has_value()) {
    write(out, *value);
  } else {
    out = nullptr;
  }
}

template <class T>
bool read(const Json& j, Box<T>& out, Reader& r) {
  return read(j, *out, r);
}
template <class T>
void write(Json& out, const Box<T>& value) {
  write(out, *value);
}

template <class T>
bool read(const Json& j, std::vector<T>& out, Reader& r) {
  if (!expectKind(j, Json::value_t::array, r)) return false;
  out.clear();
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    auto step = r.at(i);
    if constexpr (std::is_same_v<T, bool>) {  // std::vector<bool> holds bits, not bools
      bool value = false;
      if (!read(j[i], value, r)) return false;
      out.push_back(value);
    } else {
      out.emplace_back();
      if (!read(j[i], out.back(), r)) return false;
    }
  }
  return true;
}
template <class T>
void write(Json& out, const std::vector<T>& values) {
  out = Json::array();
  for (const T& value : values) write(out.emplace_back(), value);
}

template <class T>
bool read(const Json& j, std::map<std::string, T>& out, Reader& r) {
  if (!expectKind(j, Json::value_t::object, r)) return false;
  out.clear();
  for (auto it = j.begin(); it != j.end(); ++it) {
    auto step = r.at(it.key());
    if (!read(it.value(), out[it.key()], r)) return false;
  }
  return true;
}
template <class T>
void write(Json& out, const std::map<std::string, T>& values) {
  out = Json::object();
  for (const auto& entry : values) write(out[entry.first], entry.second);
}

// An optional member (a model's Optional, or a std::optional elsewhere): read by the
// struct only when present; written only when set.
template <class Opt>
bool readPresent(const Json& j, Opt& out, Reader& r) {
  typename Opt::value_type value{};
  if (!read(j, value, r)) return false;
  out = std::move(value);
  return true;
}
template <class T>
bool read(const Json& j, std::optional<T>& out, Reader& r) {
  return readPresent(j, out, r);
}
template <class T>
bool read(const Json& j, Optional<T>& out, Reader& r) {
  return readPresent(j, out, r);
}

// ---- unions (OneOf) ----------------------------------------------------------------------
// Each alternative's reading and writing, as plain functions of its type: a union's table
// holds pointers to them, so a type that many unions share has them compiled once.
using AlternativeReader = bool (*)(const Json& j, OneOfRef out, std::size_t index, Reader& r);
using AlternativeWriter = void (*)(Json& out, const void* value);

template <class T>
bool readAlternative(const Json& j, OneOfRef out, std::size_t index, Reader& r) {
  T value{};
  if (!read(j, value, r)) return false;
  out.assign(index, &value);
  return true;
}
template <class T>
void writeAlternative(Json& out, const void* value) {
  write(out, *static_cast<const T*>(value));
}

// Reads a union by trying its alternatives in order; the first that reads wins (model.cpp).
bool readFirstMatching(const Json& j, OneOfRef out, std::span<const AlternativeReader> readers, Reader& r);

template <class... Ts>
const AlternativeReader* readersOf() {
  static constexpr AlternativeReader readers[] = {&readAlternative<Ts>...};
  return readers;
}

// Reads a union by trying its alternatives in order; the first that reads wins. Generated
// unions with a discriminator dispatch on it instead (readUnion, objects.h).
template <class... Ts>
bool readFirstMatching(const Json& j, OneOf<Ts...>& out, Reader& r) {
  return readFirstMatching(j, out.ref(), std::span(readersOf<Ts...>(), sizeof...(Ts)), r);
}
template <class... Ts>
void writeOneOf(Json& out, const OneOf<Ts...>& value) {
  static constexpr AlternativeWriter writers[] = {&writeAlternative<Ts>...};
  writers[value.index()](out, value.data());
}

// ---- the API users call -----------------------------------------------------------------
template <class T>
T parse(const Json& j, ReadOptions options = {}) {
  Reader r(options);
  T value{};
  if (!read(j, value, r)) throw ParseError(r.errorPointer(), r.errorMessage());
  return value;
}
template <class T>
T parse(std::string_view text, ReadOptions options = {}) {
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) throw ParseError("", "not valid JSON");
  return parse<T>(j, options);
}
// from_json of a generated type: reads with that type's own function. Generated headers
// use it instead of parse<T>, which would make every translation unit instantiate the
// reading of every type (the overload resolution of each member's read), for nothing.
template <class T>
void readOrThrow(const Json& j, T& value, bool (*reader)(const Json&, T&, Reader&)) {
  Reader r{ReadOptions{}};
  T fresh{};
  if (!reader(j, fresh, r)) throw ParseError(r.errorPointer(), r.errorMessage());
  value = std::move(fresh);
}
template <class T>
Json serialize(const T& value) {
  Json out;
  write(out, value);
  return out;
}

}  // namespace tether::model
