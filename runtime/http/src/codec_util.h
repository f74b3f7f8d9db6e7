// Helpers shared by the parameter decoder and encoder (private to tether_http).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/http/params.h"

namespace tether::http::detail {

// Splits on every occurrence of `delimiter`; "" gives one empty piece.
std::vector<std::string_view> split(std::string_view text, std::string_view delimiter);
// Splits on any of several delimiters (spaceDelimited accepts ' ', '+' and "%20").
std::vector<std::string_view> splitAny(std::string_view text, const std::vector<std::string_view>& delimiters);
std::string_view trim(std::string_view text);

// The text of a primitive for serialization: strings as they are, numbers and booleans
// as JSON, null as "". Arrays and objects nested deeper than the style allows are JSON.
std::string scalarText(const nlohmann::json& value);

// Puts one named field into an object typed by a Shape (parameters, forms, multipart): a
// repeated name, or one the shape lists as an array, accumulates into an array.
void addField(nlohmann::json& object, const std::string& name, nlohmann::json value, const Shape& shape);
inline void addTextField(nlohmann::json& object, const std::string& name, std::string_view text, const Shape& shape) {
  addField(object, name, typeScalar(text, shape.propertyScalar(name)), shape);
}
// Whether an exploded object takes this key: a listed property, or any key when the
// shape lists none.
bool takesKey(const Shape& shape, std::string_view key);

}  // namespace tether::http::detail
