#include "tether/model/model.h"

#include <cmath>
#include <limits>

namespace tether::model {

bool Reader::fail(std::string_view message) {
  if (!failed_) {
    failed_ = true;
    errorPointer_ = path_;
    errorMessage_ = std::string(message);
  }
  return false;
}

void Reader::push(std::string_view token) {
  path_ += '/';
  for (char c : token) {
    if (c == '~') {
      path_ += "~0";
    } else if (c == '/') {
      path_ += "~1";
    } else {
      path_ += c;
    }
  }
}

const char* jsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "a value";
  }
}

bool expectKind(const Json& value, Json::value_t kind, Reader& r) {
  if (value.type() == kind) return true;
  Json sample(kind);
  return r.fail(std::string("expected ") + jsonTypeName(sample) + ", got " + jsonTypeName(value));
}

bool read(const Json& j, bool& out, Reader& r) {
  if (!expectKind(j, Json::value_t::boolean, r)) return false;
  out = j.get<bool>();
  return true;
}

bool read(const Json& j, std::string& out, Reader& r) {
  if (!expectKind(j, Json::value_t::string, r)) return false;
  out = j.get_ref<const std::string&>();
  return true;
}

namespace {

// JSON Schema counts 1.0 as an integer; so does the model.
template <class Int>
bool readInteger(const Json& j, Int& out, Reader& r) {
  if (j.is_number_integer()) {
    if (j.is_number_unsigned()) {
      auto value = j.get<std::uint64_t>();
      if (value > static_cast<std::uint64_t>(std::numeric_limits<Int>::max())) return r.fail("integer out of range");
      out = static_cast<Int>(value);
      return true;
    }
    auto value = j.get<std::int64_t>();
    if (value < std::numeric_limits<Int>::min() || value > std::numeric_limits<Int>::max()) {
      return r.fail("integer out of range");
    }
    out = static_cast<Int>(value);
    return true;
  }
  if (j.is_number_float()) {
    double value = j.get<double>();
    if (std::trunc(value) != value) return r.fail("expected an integer, got a number with a fraction");
    // The bounds are exact powers of two, so the comparison is exact.
    if (value < static_cast<double>(std::numeric_limits<Int>::min()) ||
        value >= -static_cast<double>(std::numeric_limits<Int>::min())) {
      return r.fail("integer out of range");
    }
    out = static_cast<Int>(value);
    return true;
  }
  return r.fail(std::string("expected an integer, got ") + jsonTypeName(j));
}

}  // namespace

bool read(const Json& j, std::int64_t& out, Reader& r) { return readInteger(j, out, r); }
bool read(const Json& j, std::int32_t& out, Reader& r) { return readInteger(j, out, r); }

bool read(const Json& j, double& out, Reader& r) {
  if (!j.is_number()) return r.fail(std::string("expected a number, got ") + jsonTypeName(j));
  out = j.get<double>();
  return true;
}

bool read(const Json& j, std::nullptr_t& out, Reader& r) {
  out = nullptr;
  return expectKind(j, Json::value_t::null, r);
}

bool read(const Json& j, Json& out, Reader&) {
  out = j;
  return true;
}

bool readFirstMatching(const Json& j, OneOfRef out, std::span<const AlternativeReader> readers, Reader& r) {
  for (std::size_t i = 0; i < readers.size(); ++i) {
    Reader trial(r.options());
    if (readers[i](j, out, i, trial)) return true;
  }
  return r.fail("matches none of the alternatives");
}

}  // namespace tether::model
