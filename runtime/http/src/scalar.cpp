// Typing of decoded parameter text, Shape helpers and the shared splitting helpers.
#include <charconv>
#include <cstdint>

#include "codec_util.h"
#include "tether/http/params.h"

namespace tether::http {

namespace {

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool jsonNumber(std::string_view t, bool& integral) {
  std::size_t i = 0;
  auto digits = [&]() {
    std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  integral = true;
  if (i < t.size() && t[i] == '.') {
    ++i;
    integral = false;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    integral = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

std::optional<nlohmann::json> asInteger(std::string_view t) {
  bool integral = false;
  if (!jsonNumber(t, integral) || !integral) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec == std::errc() && end == t.data() + t.size()) return nlohmann::json(value);
  std::uint64_t big = 0;
  auto [end2, ec2] = std::from_chars(t.data(), t.data() + t.size(), big);
  if (ec2 == std::errc() && end2 == t.data() + t.size()) return nlohmann::json(big);
  return std::nullopt;  // out of range: left as text for the validator
}

std::optional<nlohmann::json> asNumber(std::string_view t) {
  bool integral = false;
  if (!jsonNumber(t, integral)) return std::nullopt;
  if (integral) {
    if (auto i = asInteger(t)) return i;
  }
  double value = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return nlohmann::json(value);
}

std::optional<nlohmann::json> asBoolean(std::string_view t) {
  if (t == "true") return nlohmann::json(true);
  if (t == "false") return nlohmann::json(false);
  return std::nullopt;
}

}  // namespace

nlohmann::json typeScalar(std::string_view text, Scalar scalar) {
  std::optional<nlohmann::json> typed;
  switch (scalar) {
    case Scalar::String: break;
    case Scalar::Integer: typed = asInteger(text); break;
    case Scalar::Number: typed = asNumber(text); break;
    case Scalar::Boolean: typed = asBoolean(text); break;
    case Scalar::Any:
      typed = asNumber(text);
      if (!typed) typed = asBoolean(text);
      break;
  }
  return typed ? std::move(*typed) : nlohmann::json(std::string(text));
}

Scalar Shape::propertyScalar(std::string_view name) const {
  for (const auto& property : properties) {
    if (property.first == name) return property.second;
  }
  return Scalar::String;
}

bool Shape::isArrayProperty(std::string_view name) const {
  for (const auto& property : arrayProperties) {
    if (property == name) return true;
  }
  return false;
}

ParamSpec defaultParam(std::string name, Location in, Shape shape) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.in = in;
  spec.style = (in == Location::Query || in == Location::Cookie) ? Style::Form : Style::Simple;
  spec.explode = spec.style == Style::Form;
  spec.shape = std::move(shape);
  return spec;
}

namespace detail {

std::vector<std::string_view> split(std::string_view text, std::string_view delimiter) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    std::size_t at = text.find(delimiter, start);
    if (at == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, at - start));
    start = at + delimiter.size();
  }
}

std::vector<std::string_view> splitAny(std::string_view text, const std::vector<std::string_view>& delimiters) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t matched = 0;
    for (std::string_view d : delimiters) {
      if (text.substr(i, d.size()).size() == d.size() && text.compare(i, d.size(), d) == 0) {
        matched = d.size();
        break;
      }
    }
    if (matched > 0) {
      pieces.push_back(text.substr(start, i - start));
      i += matched;
      start = i;
    } else {
      ++i;
    }
  }
  pieces.push_back(text.substr(start));
  return pieces;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

void addField(nlohmann::json& object, const std::string& name, nlohmann::json value, const Shape& shape) {
  if (shape.isArrayProperty(name)) {
    if (!object.contains(name)) object[name] = nlohmann::json::array();
    object[name].push_back(std::move(value));
  } else if (object.contains(name)) {
    nlohmann::json& existing = object[name];
    if (!existing.is_array()) existing = nlohmann::json::array({existing});
    existing.push_back(std::move(value));
  } else {
    object[name] = std::move(value);
  }
}

bool takesKey(const Shape& shape, std::string_view key) {
  if (shape.properties.empty()) return true;
  for (const auto& property : shape.properties) {
    if (property.first == key) return true;
  }
  return false;
}

std::string scalarText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

}  // namespace detail

}  // namespace tether::http
