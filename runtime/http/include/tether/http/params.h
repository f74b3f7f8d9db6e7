// The OpenAPI 3.1 parameter codec: style/explode serialization of path, query, header
// and cookie parameters, both directions. Servers decode (decode*), clients encode
// (encode*, appendQuery). Tested against the "Style Examples" table of OpenAPI 3.1.1.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tether/http/headers.h"
#include "tether/http/percent.h"
#include "tether/http/query.h"

namespace tether::http {

enum class Location { Path, Query, Header, Cookie };
enum class Style { Simple, Label, Matrix, Form, SpaceDelimited, PipeDelimited, DeepObject };
// How a decoded text is typed. Any: an integer, number or boolean when it reads as one,
// else a string.
enum class Scalar { String, Integer, Number, Boolean, Any };

struct Shape {
  enum Kind { Primitive, Array, Object } kind = Primitive;
  Scalar scalar = Scalar::String;  // Primitive, and Array items
  // Object: the known properties and how to type them; others are strings.
  std::vector<std::pair<std::string, Scalar>> properties;
  // Object: properties that are arrays (form and multipart bodies, deepObject); a single
  // occurrence still gives an array. Items are typed by the property's Scalar.
  std::vector<std::string> arrayProperties;

  static Shape primitive(Scalar s = Scalar::String) { return Shape{Primitive, s, {}, {}}; }
  static Shape array(Scalar items = Scalar::String) { return Shape{Array, items, {}, {}}; }
  static Shape object(std::vector<std::pair<std::string, Scalar>> props = {}) {
    return Shape{Object, Scalar::String, std::move(props), {}};
  }
  Scalar propertyScalar(std::string_view name) const;
  bool isArrayProperty(std::string_view name) const;
};

struct ParamSpec {
  std::string name;
  Location in = Location::Query;
  Style style = Style::Form;
  bool explode = true;
  bool allowReserved = false;
  Shape shape;
};

// The OpenAPI defaults: simple for path and header, form for query and cookie; explode
// is true exactly for form.
ParamSpec defaultParam(std::string name, Location in, Shape shape = {});

// Types one decoded text: "5" → 5 for Integer. A text that does not read as the wanted
// type stays a string, so the schema validator reports it with its pointer.
nlohmann::json typeScalar(std::string_view text, Scalar scalar);

// --- decoding (servers). nullopt when the parameter is absent; DecodeError when malformed.
// `rawSegment` is the still-%-encoded text the router matched for the template variable.
std::optional<nlohmann::json> decodePath(std::string_view rawSegment, const ParamSpec& spec);
std::optional<nlohmann::json> decodeQuery(const Query& query, const ParamSpec& spec);
std::optional<nlohmann::json> decodeHeader(const Headers& headers, const ParamSpec& spec);
std::optional<nlohmann::json> decodeCookie(const Headers& headers, const ParamSpec& spec);

// --- encoding (clients). null encodes as the table's "undefined" column.
std::string encodePath(const nlohmann::json& value, const ParamSpec& spec);
// Appends this parameter's "k=v" pairs to `query`, joined with '&'.
void appendQuery(std::string& query, const nlohmann::json& value, const ParamSpec& spec);
// The header's value (no name). Control characters are %-encoded so that a value can
// never split the header block.
std::string encodeHeader(const nlohmann::json& value, const ParamSpec& spec);
// "name=value" pair(s), joined with "; " when exploded.
std::string encodeCookie(const nlohmann::json& value, const ParamSpec& spec);

}  // namespace tether::http
